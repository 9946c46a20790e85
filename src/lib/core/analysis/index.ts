/** Analysis of a study: frequency tables, cross-tabs, the code × case matrix and co-occurrence. Pure. */
export { type AnalysisFilter, applyFilter } from './filter';
export { defaultCoderIds, describeCoders, onlyCoder } from './coders';
export {
	type AnalysisIndex,
	type CodeInfo,
	MISSING,
	PATH_SEPARATOR,
	buildIndex,
	codebookOrder,
	indexOf,
	naturalCompare,
	valueKey
} from './model';
export { type Counts, type FrequencyOptions, type FrequencyResult, type FrequencyRow, type FrequencySort, frequencies } from './frequencies';
export {
	type CountUnit,
	type CrosstabColumn,
	type CrosstabOptions,
	type CrosstabResult,
	type CrosstabRow,
	COLUMN_KEY_SEPARATOR,
	COLUMN_LABEL_SEPARATOR,
	crosstab
} from './crosstab';
export { type CodeCaseMatrix, type MatrixCase, type MatrixOptions, codeCaseMatrix } from './matrix';
export {
	type CooccurrenceMode,
	type CooccurrenceOptions,
	type CooccurrenceResult,
	cooccurrence,
	cooccurrenceSegments
} from './cooccurrence';
export { type SegmentQuery, crosstabCellSegments, segmentsFor } from './drill';
export {
	type CrosstabShow,
	type CrosstabTableOptions,
	type FrequencyTableOptions,
	type Table,
	TOTAL_ROW,
	cooccurrenceTable,
	crosstabTable,
	formatPercent,
	frequencyTable,
	matrixTable
} from './tables';
export {
	type Adjustment,
	type ChiSquare,
	type FisherResult,
	type Matrix,
	type OddsRatio,
	type TableTests,
	type TestName,
	TEST_LABELS,
	adjustP,
	formatP,
	testTable
} from './stats';
export {
	type CodeTest,
	type CrosstabTests,
	ADJUSTMENT_LABELS,
	RESIDUAL_CUTOFF,
	TEST_COLUMNS,
	TEST_IDS,
	crosstabTests,
	summaryLines,
	testMatrix,
	attributeTest,
	codePairTest,
	type LabelledTest
} from './crosstab-tests';
