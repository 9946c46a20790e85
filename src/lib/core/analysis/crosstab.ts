/**
 * Cross-tabs: rows are codes, columns are the values of one case attribute, or of two nested
 * (City × Sector: one column per pair that occurs).
 *
 * - `count: 'cases'` (default): a cell is the number of cases in the column citing the code;
 *   the column total is the number of cases in the column (the base of column %).
 * - `count: 'documents'`: documents with the code; column total = documents in the column.
 * - `count: 'segments'`: segments of the code; column total = segments (of any code) in the column.
 *
 * Cases with no value go to a "(missing)" column (shown only when something falls in it).
 * Documents without a case have no attribute values: for segments and documents they fall into
 * "(missing)", and they never count as cases. So the row totals equal the frequency table's.
 * Columns are ordered by value (numbers numerically, text naturally), "(missing)" last.
 * Unknown attribute ids are left out (no throw); with none the table has no columns.
 *
 * **Document attributes** (Wave, interviewer…) put each document in the column of its own value
 * (a case attribute nested with one takes the value of the document's case). The table is then at
 * the document level (`level: 'document'`): counting cases, a case counts once in each column in
 * which one of its documents lies, so a case interviewed in 2001 and again in 2004 counts once
 * under each wave, and a column's base is the cases with a document in it. Documents without a
 * case never count as cases. At the case level (case attributes only) each case lies in one column.
 */
import type { Attribute, AttributeScope, Id, StudyData } from '../types';
import { scopeOf } from '../types';
import { type AnalysisFilter, type AppliedFilter, applyFilter } from './filter';
import { type AnalysisIndex, type CodeInfo, MISSING, codeInfo, compareValueKeys, indexOf, percent, valueKey } from './model';
import { tally } from './tally';

export type CountUnit = 'cases' | 'segments' | 'documents';

export interface CrosstabOptions {
	/** One attribute id, or two for nested columns (first attribute outermost). */
	by: Id[];
	count?: CountUnit;
	/** A parent counts its descendants (default true). */
	includeDescendants?: boolean;
}

export interface CrosstabColumn {
	/** Stable key of the column: the value keys joined by U+001F, "(missing)" for no value. */
	key: string;
	/** One per `by` attribute; null = no value. */
	values: (string | null)[];
	/** Shown as the header: values joined by " / ", "(missing)" for no value. */
	label: string;
	/** The column base: cases / documents / segments in the column (see `count`). */
	total: number;
}

export interface CrosstabRow extends CodeInfo {
	cells: number[];
	/** Sum of the cells (each case, document or segment lies in exactly one column). */
	total: number;
	/** cell / row total × 100 */
	rowPercent: number[];
	/** cell / column total × 100 */
	columnPercent: number[];
	/** total / grand total × 100 */
	totalPercent: number;
}

export interface CrosstabResult {
	by: { id: Id; name: string; scope: AttributeScope }[];
	/**
	 * 'document' when a `by` attribute is a document attribute: documents are placed in the columns,
	 * and a case counts once per column in which it has a document. 'case' otherwise.
	 */
	level: AttributeScope;
	count: CountUnit;
	includeDescendants: boolean;
	columns: CrosstabColumn[];
	rows: CrosstabRow[];
	/** Cases / documents / segments in the filtered set (sum of column totals). */
	grandTotal: number;
}

export const COLUMN_KEY_SEPARATOR = '\u001f';
export const COLUMN_LABEL_SEPARATOR = ' / ';

export interface ColumnLayout {
	attrs: Attribute[];
	columns: CrosstabColumn[];
	/** Column of each document (-1: not in the table). */
	docCol: Int32Array;
	/** Column of each case (-1: not in the base). All -1 at the document level, where a case may lie in several columns. */
	caseCol: Int32Array;
	level: AttributeScope;
}

/**
 * The `by` attributes, at most two. Unknown ids (an attribute deleted meanwhile) are left out
 * rather than thrown on; with none left the table has no columns. Callers taking names from a
 * user (the CLI) check them first.
 */
function byAttributes(ix: AnalysisIndex, by: Id[]): Attribute[] {
	const out: Attribute[] = [];
	for (const id of by) {
		const a = ix.attributes.find((x) => x.id === id);
		if (a && !out.includes(a)) out.push(a);
	}
	return out.slice(0, 2);
}

const keyOf = (vals: (string | null)[]) => vals.map((v) => v ?? MISSING).join(COLUMN_KEY_SEPARATOR);

/** The columns for the value tuples found, in the attributes' value order, with each key's index. */
function orderedColumns(attrs: Attribute[], tuples: Map<string, (string | null)[]>): { columns: CrosstabColumn[]; colIdx: Map<string, number> } {
	const ordered = [...tuples.entries()].sort(([, a], [, b]) => {
		for (let i = 0; i < attrs.length; i++) {
			const r = compareValueKeys(attrs[i].type, a[i], b[i]);
			if (r !== 0) return r;
		}
		return 0;
	});
	const colIdx = new Map<string, number>();
	const columns: CrosstabColumn[] = ordered.map(([key, values], i) => {
		colIdx.set(key, i);
		return { key, values, label: values.map((v) => v ?? MISSING).join(COLUMN_LABEL_SEPARATOR), total: 0 };
	});
	return { columns, colIdx };
}

export function columnLayout(ix: AnalysisIndex, f: AppliedFilter, by: Id[], count: CountUnit): ColumnLayout {
	const attrs = byAttributes(ix, by);
	if (attrs.length === 0)
		return { attrs, columns: [], docCol: new Int32Array(ix.docs.length).fill(-1), caseCol: new Int32Array(ix.cases.length).fill(-1), level: 'case' };
	if (attrs.some((a) => scopeOf(a) === 'document')) return documentLayout(ix, f, attrs, count);
	const tuples = new Map<string, (string | null)[]>();
	const nCases = ix.cases.length;
	const caseKey: (string | null)[] = new Array(nCases).fill(null);
	for (let c = 0; c < nCases; c++) {
		if (!f.casePass[c]) continue;
		const vals = attrs.map((a) => valueKey(ix.cases[c].attributes[a.id]));
		const k = keyOf(vals);
		caseKey[c] = k;
		if (!tuples.has(k)) tuples.set(k, vals);
	}
	const missingVals = attrs.map(() => null);
	const missingKey = keyOf(missingVals);
	if (count !== 'cases') {
		for (let d = 0; d < ix.docs.length; d++)
			if (f.docPass[d] && ix.docCase[d] < 0 && !tuples.has(missingKey)) tuples.set(missingKey, missingVals);
	}
	const { columns, colIdx } = orderedColumns(attrs, tuples);
	const caseCol = new Int32Array(nCases).fill(-1);
	for (let c = 0; c < nCases; c++) if (caseKey[c] !== null) caseCol[c] = colIdx.get(caseKey[c]!)!;
	const docCol = new Int32Array(ix.docs.length).fill(-1);
	const missingCol = colIdx.get(missingKey) ?? -1;
	for (let d = 0; d < ix.docs.length; d++) {
		if (!f.docPass[d]) continue;
		const c = ix.docCase[d];
		docCol[d] = c >= 0 ? caseCol[c] : count === 'cases' ? -1 : missingCol;
	}
	// Column bases.
	if (count === 'cases') {
		for (let c = 0; c < nCases; c++) if (caseCol[c] >= 0) columns[caseCol[c]].total++;
	} else if (count === 'documents') {
		for (let d = 0; d < ix.docs.length; d++) if (docCol[d] >= 0) columns[docCol[d]].total++;
	} else {
		for (let d = 0; d < ix.docs.length; d++) {
			if (docCol[d] < 0) continue;
			let n = 0;
			for (let p = ix.docSegStart[d]; p < ix.docSegStart[d + 1]; p++) n += f.segPass[p];
			columns[docCol[d]].total += n;
		}
	}
	return { attrs, columns, docCol, caseCol, level: 'case' };
}

/** Columns by the values of documents (a case attribute among `attrs` read from the document's case). */
function documentLayout(ix: AnalysisIndex, f: AppliedFilter, attrs: Attribute[], count: CountUnit): ColumnLayout {
	const nDocs = ix.docs.length;
	const tuples = new Map<string, (string | null)[]>();
	const docKey: (string | null)[] = new Array(nDocs).fill(null);
	for (let d = 0; d < nDocs; d++) {
		if (!f.docPass[d]) continue;
		const c = ix.docCase[d];
		if (count === 'cases' && c < 0) continue;
		const doc = ix.docs[d];
		const vals = attrs.map((a) =>
			scopeOf(a) === 'document' ? valueKey(doc.attributes?.[a.id]) : c >= 0 ? valueKey(ix.cases[c].attributes[a.id]) : null
		);
		const k = keyOf(vals);
		docKey[d] = k;
		if (!tuples.has(k)) tuples.set(k, vals);
	}
	const { columns, colIdx } = orderedColumns(attrs, tuples);
	const docCol = new Int32Array(nDocs).fill(-1);
	for (let d = 0; d < nDocs; d++) if (docKey[d] !== null) docCol[d] = colIdx.get(docKey[d]!)!;
	const nCols = columns.length;
	if (count === 'cases') {
		// a case once per column in which it has a document
		const seen = new Set<number>();
		for (let d = 0; d < nDocs; d++) {
			if (docCol[d] < 0) continue;
			const k = ix.docCase[d] * nCols + docCol[d];
			if (seen.has(k)) continue;
			seen.add(k);
			columns[docCol[d]].total++;
		}
	} else if (count === 'documents') {
		for (let d = 0; d < nDocs; d++) if (docCol[d] >= 0) columns[docCol[d]].total++;
	} else {
		for (let d = 0; d < nDocs; d++) {
			if (docCol[d] < 0) continue;
			let n = 0;
			for (let p = ix.docSegStart[d]; p < ix.docSegStart[d + 1]; p++) n += f.segPass[p];
			columns[docCol[d]].total += n;
		}
	}
	return { attrs, columns, docCol, caseCol: new Int32Array(ix.cases.length).fill(-1), level: 'document' };
}

export function crosstab(data: StudyData, filter: AnalysisFilter, opts: CrosstabOptions): CrosstabResult {
	const ix = indexOf(data);
	const count = opts.count ?? 'cases';
	const rollup = opts.includeDescendants ?? true;
	const f = applyFilter(ix, filter);
	const layout = columnLayout(ix, f, opts.by, count);
	const { columns, docCol } = layout;
	const nCols = columns.length;
	const t = tally(ix, f.segPass, docCol, nCols, rollup, count);
	const counts = t[count];
	let grandTotal = 0;
	for (const c of columns) grandTotal += c.total;
	const rows: CrosstabRow[] = ix.codes.map((_, i) => {
		const cells = Array.from(counts.subarray(i * nCols, (i + 1) * nCols));
		let total = 0;
		for (const v of cells) total += v;
		return {
			...codeInfo(ix, i),
			cells,
			total,
			rowPercent: cells.map((v) => percent(v, total)),
			columnPercent: cells.map((v, j) => percent(v, columns[j].total)),
			totalPercent: percent(total, grandTotal)
		};
	});
	return {
		by: layout.attrs.map((a) => ({ id: a.id, name: a.name, scope: scopeOf(a) })),
		level: layout.level,
		count,
		includeDescendants: rollup,
		columns,
		rows,
		grandTotal
	};
}
