/**
 * Drill-down: the segments behind a frequency-table figure or a cross-tab cell.
 */
import type { Id, Segment, StudyData } from '../types';
import { orderedSegments } from './cooccurrence';
import { type CountUnit, columnLayout } from './crosstab';
import { type AnalysisFilter, applyFilter } from './filter';
import { indexOf } from './model';

export interface SegmentQuery {
	codeId: Id;
	/** Include the segments of the code's descendants (default true, as the tables do). */
	includeDescendants?: boolean;
	/** Only this coder's segments (a per-coder figure of the frequency table). */
	coderId?: Id;
	/** A code × case matrix cell: only this case's documents. */
	caseId?: Id;
	/** A cross-tab cell: the `by` attributes and the column's `key`. */
	by?: Id[];
	columnKey?: string;
	/** The cross-tab's count unit (it decides whether documents without a case have a column). */
	count?: CountUnit;
}

/** The segments behind a figure, in document order, then by start. */
export function segmentsFor(data: StudyData, filter: AnalysisFilter, q: SegmentQuery): Segment[] {
	const ix = indexOf(data);
	const f = applyFilter(ix, filter);
	const code = ix.codeIdx.get(q.codeId);
	if (code === undefined) return [];
	const rollup = q.includeDescendants ?? true;
	const coder = q.coderId === undefined ? -1 : (ix.coderIdx.get(q.coderId) ?? -2);
	if (coder === -2) return [];
	const kase = q.caseId === undefined ? -1 : (ix.caseIdx.get(q.caseId) ?? -2);
	if (kase === -2) return [];
	let docCol: Int32Array | null = null;
	let col = -1;
	if (q.by && q.by.length && q.columnKey !== undefined) {
		const layout = columnLayout(ix, f, q.by, q.count ?? 'cases');
		col = layout.columns.findIndex((c) => c.key === q.columnKey);
		if (col < 0) return [];
		docCol = layout.docCol;
	}
	const picked = new Uint8Array(ix.segCode.length);
	for (let p = 0; p < ix.segCode.length; p++) {
		if (!f.segPass[p]) continue;
		if (coder >= 0 && ix.segCoder[p] !== coder) continue;
		if (docCol && docCol[ix.segDoc[p]] !== col) continue;
		if (kase >= 0 && ix.docCase[ix.segDoc[p]] !== kase) continue;
		const c = ix.segCode[p];
		const aEnd = rollup ? ix.ancStart[c + 1] : ix.ancStart[c] + 1;
		for (let k = ix.ancStart[c]; k < aEnd; k++)
			if (ix.ancList[k] === code) {
				picked[p] = 1;
				break;
			}
	}
	return orderedSegments(ix, picked);
}

/** The segments behind one cross-tab cell (row = code, column = the column's key). */
export function crosstabCellSegments(
	data: StudyData,
	filter: AnalysisFilter,
	opts: { by: Id[]; count?: CountUnit; includeDescendants?: boolean },
	codeId: Id,
	columnKey: string
): Segment[] {
	return segmentsFor(data, filter, { codeId, by: opts.by, columnKey, count: opts.count, includeDescendants: opts.includeDescendants });
}
