/**
 * The analysis screen's tables "as shown": which rows are visible (hide unused codes, sort), and
 * tables in the screen's orientation (the code × case matrix with codes as rows) for "Download
 * CSV". Pure; builds on the analysis core without changing its results.
 */
import type { Cell } from '../csv';
import type { CooccurrenceResult } from './cooccurrence';
import type { CrosstabResult, CrosstabRow } from './crosstab';
import type { FrequencyResult } from './frequencies';
import type { CodeCaseMatrix } from './matrix';
import type { Table } from './tables';

/** The frequency rows shown: optionally only codes with at least one segment. */
export function shownFrequencies(r: FrequencyResult, hideEmpty: boolean): FrequencyResult {
	return hideEmpty ? { ...r, rows: r.rows.filter((row) => row.segments > 0) } : r;
}

/** The cross-tab rows shown: optionally without empty codes, in codebook order or by total (largest first). */
export function shownCrosstab(r: CrosstabResult, o: { hideEmpty: boolean; byTotal: boolean }): CrosstabResult {
	let rows: CrosstabRow[] = o.hideEmpty ? r.rows.filter((row) => row.total > 0) : r.rows;
	if (o.byTotal) {
		const pos = new Map(rows.map((row, i) => [row, i]));
		rows = [...rows].sort((a, b) => b.total - a.total || pos.get(a)! - pos.get(b)!);
	}
	return rows === r.rows ? r : { ...r, rows };
}

/** Co-occurrence without the codes that occur nowhere (their row and column are all 0). */
export function shownCooccurrence(r: CooccurrenceResult, hideEmpty: boolean): CooccurrenceResult {
	if (!hideEmpty) return r;
	const keep = r.codes.map((_, i) => r.cells[i][i] > 0);
	const idx = keep.flatMap((k, i) => (k ? [i] : []));
	return { ...r, codes: idx.map((i) => r.codes[i]), cells: idx.map((i) => idx.map((j) => r.cells[i][j])) };
}

/** The code × case matrix with codes as rows (as on screen), optionally without codes no case cites. */
export interface MatrixView {
	codes: CodeCaseMatrix['codes'];
	cases: CodeCaseMatrix['cases'];
	/** `[code][case]` */
	values: number[][];
}

export function matrixView(m: CodeCaseMatrix, o: { binary: boolean; hideEmpty: boolean }): MatrixView {
	const src = o.binary ? m.present : m.counts;
	const rows = m.codes.map((_, c) => m.cases.map((_, r) => src[r][c] as number));
	const keep = rows.map((row) => !o.hideEmpty || row.some((v) => v > 0));
	return {
		codes: m.codes.filter((_, c) => keep[c]),
		cases: m.cases,
		values: rows.filter((_, c) => keep[c])
	};
}

/** `code`, then one column per case (by name): the matrix as shown on screen. */
export function matrixViewTable(v: MatrixView): Table {
	return {
		header: ['code', ...v.cases.map((c) => c.name)],
		rows: v.codes.map((c, i): Cell[] => [c.path, ...v.values[i]])
	};
}

/** Words for a count unit, singular or plural ("1 case", "3 segments"). */
export function unitWord(unit: 'cases' | 'segments' | 'documents', n: number): string {
	const one = unit === 'cases' ? 'case' : unit === 'segments' ? 'segment' : 'document';
	return n === 1 ? one : unit;
}
