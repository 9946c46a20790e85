/**
 * Tables "as shown": results turned into a header and rows of cells, for the text table of the
 * `gloss` command, for CSV (`tableCsv`) and for the analysis screen. Column orders are documented
 * in docs/csv-formats.md. The first column of every code table is `code`, the code's path.
 */
import type { Cell } from '../csv';
import type { Attribute } from '../types';
import type { CooccurrenceResult } from './cooccurrence';
import type { CrosstabResult } from './crosstab';
import { type CrosstabTests, TEST_COLUMNS, testCells } from './crosstab-tests';
import type { FrequencyResult } from './frequencies';
import type { CodeCaseMatrix } from './matrix';

export interface Table {
	header: string[];
	rows: Cell[][];
}

/** A percentage with one decimal, as text ("40.0"). */
export const formatPercent = (x: number): string => (Math.round(x * 10) / 10).toFixed(1);

export interface FrequencyTableOptions {
	/** Add `segments [coder]`, `documents [coder]`, `cases [coder]`, `percent_cases [coder]` per coder. */
	perCoder?: boolean;
}

export function frequencyTable(r: FrequencyResult, opts: FrequencyTableOptions = {}): Table {
	const header = ['code', 'segments', 'documents', 'cases', 'percent_cases'];
	if (opts.perCoder)
		for (const c of r.coders) header.push(`segments [${c.name}]`, `documents [${c.name}]`, `cases [${c.name}]`, `percent_cases [${c.name}]`);
	const rows = r.rows.map((row) => {
		const cells: Cell[] = [row.path, row.segments, row.documents, row.cases, formatPercent(row.percentCases)];
		if (opts.perCoder)
			for (const c of r.coders) {
				const k = row.byCoder[c.id];
				cells.push(k.segments, k.documents, k.cases, formatPercent(k.percentCases));
			}
		return cells;
	});
	return { header, rows };
}

export type CrosstabShow = 'count' | 'rowPercent' | 'columnPercent';

export const TOTAL_ROW = '(total)';

export interface CrosstabTableOptions {
	/** Counts (default), row % or column %. */
	show?: CrosstabShow;
	/** Add a last row `(total)` with the column totals (default true). */
	totalsRow?: boolean;
	/** Tests per code (crosstab-tests.ts): adds `test`, `statistic`, `df`, `p`, `p_adjusted`, `cramers_v`, `min_expected`, `note`. */
	tests?: CrosstabTests | null;
}

/**
 * `code`, one column per attribute value (nested: "C / Chemicals"), `total`; then a `(total)` row:
 * with counts it holds each column's base (cases / documents / segments in the column).
 */
export function crosstabTable(r: CrosstabResult, opts: CrosstabTableOptions = {}): Table {
	const show = opts.show ?? 'count';
	const header = ['code', ...r.columns.map((c) => c.label), 'total'];
	const rows: Cell[][] = r.rows.map((row) => {
		if (show === 'count') return [row.path, ...row.cells, row.total];
		if (show === 'rowPercent') return [row.path, ...row.rowPercent.map(formatPercent), formatPercent(row.total > 0 ? 100 : 0)];
		return [row.path, ...row.columnPercent.map(formatPercent), formatPercent(row.totalPercent)];
	});
	const tests = opts.tests;
	if (tests) {
		header.push(...TEST_COLUMNS);
		const byCode = new Map(tests.codes.map((c) => [c.codeId, c]));
		r.rows.forEach((row, i) => {
			const c = byCode.get(row.codeId);
			rows[i].push(...(c ? testCells(c, tests.adjust, tests.family) : TEST_COLUMNS.map(() => null)));
		});
	}
	if (opts.totalsRow ?? true) {
		const g = r.grandTotal;
		if (show === 'count') rows.push([TOTAL_ROW, ...r.columns.map((c) => c.total), g]);
		else if (show === 'rowPercent')
			rows.push([TOTAL_ROW, ...r.columns.map((c) => formatPercent(g > 0 ? (c.total * 100) / g : 0)), formatPercent(g > 0 ? 100 : 0)]);
		else rows.push([TOTAL_ROW, ...r.columns.map((c) => formatPercent(c.total > 0 ? 100 : 0)), formatPercent(g > 0 ? 100 : 0)]);
		if (tests) rows[rows.length - 1].push(...TEST_COLUMNS.map(() => null));
	}
	return { header, rows };
}

export function cooccurrenceTable(r: CooccurrenceResult): Table {
	return { header: ['code', ...r.codes.map((c) => c.path)], rows: r.codes.map((c, i) => [c.path, ...r.cells[i]]) };
}

/** `case`, one column per attribute (attribute order), then one column per code path. */
export function matrixTable(m: CodeCaseMatrix, attributes: Attribute[], opts: { binary?: boolean } = {}): Table {
	const attrs = [...attributes].sort((a, b) => a.order - b.order);
	const header = ['case', ...attrs.map((a) => a.name), ...m.codes.map((c) => c.path)];
	const rows = m.cases.map((c, r) => [
		c.name,
		...attrs.map((a) => c.attributes[a.id] ?? null),
		...(opts.binary ? m.present[r] : m.counts[r])
	]);
	return { header, rows };
}
