/**
 * Output formatting for the `gloss` command. Pure: a table in, text out.
 * - table: an aligned text table (numbers right-aligned), for reading in a terminal;
 * - csv: RFC 4180 with a header row (core `toCsv`);
 * - json: the given value, pretty-printed.
 */
import type { Table } from '../lib/core/analysis/tables';
import { type Cell, toCsv } from '../lib/core/csv';

export type OutputFormat = 'table' | 'csv' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'csv', 'json'];

const cellText = (v: Cell): string => {
	if (v === null || v === undefined) return '';
	if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
	// One line per row: line breaks and tabs in passages are shown as spaces.
	return String(v).replace(/[\r\n\t]+/g, ' ');
};

const isNumeric = (v: Cell) => typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v));

/** An aligned text table: a header, a rule, the rows; numeric cells right-aligned. */
export function formatTextTable(t: Table): string {
	const head = t.header.map(cellText);
	const body = t.rows.map((r) => r.map(cellText));
	const widths = head.map((h) => h.length);
	for (const r of body) for (let i = 0; i < widths.length; i++) if ((r[i] ?? '').length > widths[i]) widths[i] = (r[i] ?? '').length;
	const right = t.header.map((_, i) => i > 0 && t.rows.length > 0 && t.rows.every((r) => r[i] === null || r[i] === '' || isNumeric(r[i])));
	const line = (cells: string[]) =>
		cells
			.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
			.join('  ')
			.trimEnd();
	return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n') + '\n';
}

/** Rows as objects keyed by the header, for JSON output of plain tables. */
export function tableObjects(t: Table): Record<string, Cell>[] {
	return t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i] ?? null])));
}

export function formatOutput(format: OutputFormat, table: Table, json: unknown, opts: { bom?: boolean } = {}): string {
	if (format === 'csv') return toCsv(table.header, table.rows, { bom: opts.bom });
	if (format === 'json') return JSON.stringify(json, null, 2) + '\n';
	return formatTextTable(table);
}
