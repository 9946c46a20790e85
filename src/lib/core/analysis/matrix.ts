/**
 * The code × case matrix: one row per case in the filtered set (sorted by name), one column per
 * code (codebook order). `counts[r][c]` = segments of code c (with descendants, by default) in
 * case r's documents; `present[r][c]` = 1 when that count is above 0, else 0.
 */
import type { AttributeValue, Id, StudyData } from '../types';
import { type AnalysisFilter, applyFilter } from './filter';
import { type CodeInfo, codeInfo, indexOf } from './model';

export interface MatrixOptions {
	/** A parent counts its descendants (default true, as in the frequency table). */
	includeDescendants?: boolean;
}

export interface MatrixCase {
	caseId: Id;
	name: string;
	/** Keyed by attribute id, as stored on the case. */
	attributes: Record<Id, AttributeValue>;
}

export interface CodeCaseMatrix {
	codes: CodeInfo[];
	cases: MatrixCase[];
	/** `[case][code]` segment counts. */
	counts: number[][];
	/** `[case][code]` 0/1. */
	present: (0 | 1)[][];
	includeDescendants: boolean;
}

export function codeCaseMatrix(data: StudyData, filter: AnalysisFilter = {}, opts: MatrixOptions = {}): CodeCaseMatrix {
	const ix = indexOf(data);
	const rollup = opts.includeDescendants ?? true;
	const f = applyFilter(ix, filter);
	const nCodes = ix.codes.length;
	const rowOfCase = new Int32Array(ix.cases.length).fill(-1);
	const cases: MatrixCase[] = [];
	ix.cases.forEach((c, i) => {
		if (!f.casePass[i]) return;
		rowOfCase[i] = cases.length;
		cases.push({ caseId: c.id, name: c.name, attributes: { ...c.attributes } });
	});
	const flat = new Int32Array(cases.length * nCodes);
	const { segDoc, segCode, docCase, ancStart, ancList } = ix;
	const { segPass } = f;
	for (let p = 0; p < ix.segCode.length; p++) {
		if (!segPass[p]) continue;
		const c = docCase[segDoc[p]];
		if (c < 0) continue;
		const r = rowOfCase[c];
		if (r < 0) continue;
		const code = segCode[p];
		const aEnd = rollup ? ancStart[code + 1] : ancStart[code] + 1;
		for (let q = ancStart[code]; q < aEnd; q++) flat[r * nCodes + ancList[q]]++;
	}
	const counts: number[][] = cases.map((_, r) => Array.from(flat.subarray(r * nCodes, (r + 1) * nCodes)));
	return {
		codes: ix.codes.map((_, i) => codeInfo(ix, i)),
		cases,
		counts,
		present: counts.map((row) => row.map((v) => (v > 0 ? 1 : 0))),
		includeDescendants: rollup
	};
}
