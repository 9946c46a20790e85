/**
 * CSV writing and reading shared by every export and import. RFC 4180 quoting (papaparse),
 * UTF-8, optional BOM for Excel, and formula neutralising: a cell that starts with `=`, `+`,
 * `-`, `@`, a tab or a CR (or with apostrophes and then one of these) gets a leading apostrophe so a
 * spreadsheet shows it as text.
 */
import Papa from 'papaparse';

export type Cell = string | number | boolean | null | undefined;

// Also a cell that already starts with apostrophes and then a formula character, so that readers
// which drop one leading apostrophe (the codebook CSV import) give back exactly what was written.
const FORMULA_START = /^'*[=+\-@\t\r]/;

/** Neutralise one cell. Numbers are left alone: a negative number is data, not a formula. */
export function safeCell(v: Cell): string {
	if (v === null || v === undefined) return '';
	if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
	if (typeof v === 'boolean') return v ? 'true' : 'false';
	return FORMULA_START.test(v) ? `'${v}` : v;
}

export interface CsvOptions {
	/** Start with a UTF-8 byte-order mark, so Excel reads the file as UTF-8. */
	bom?: boolean;
}

/** A header row and rows, as RFC 4180 CSV with CRLF line ends. */
export function toCsv(header: string[], rows: Cell[][], opts: CsvOptions = {}): string {
	const body = Papa.unparse(
		{ fields: header.map(safeCell), data: rows.map((r) => r.map(safeCell)) },
		{ quotes: false, quoteChar: '"', escapeChar: '"', delimiter: ',', newline: '\r\n', header: true, escapeFormulae: false }
	);
	return (opts.bom ? '\ufeff' : '') + body + '\r\n';
}

export interface ParsedCsv {
	header: string[];
	rows: string[][];
}

/** The most columns and rows a CSV file may have (attribute tables, codebooks). */
export const MAX_CSV_COLUMNS = 500;
export const MAX_CSV_ROWS = 200_000;

/** Parse CSV text into a header and rows. Errors name the row (1-based, counting the header as row 1). */
export function parseCsv(text: string, fileName = 'CSV'): { ok: true; value: ParsedCsv } | { ok: false; errors: string[] } {
	const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	if (t.trim() === '') return { ok: false, errors: [`${fileName}: the file is empty`] };
	// Comma first: what Gloss and most tools write. Papaparse's guess alone can take a `|` or `;`
	// inside the cells for the delimiter. Another delimiter (`;` from a European Excel, tabs) is
	// guessed only when commas give a single column or rows of uneven width.
	const comma = Papa.parse<string[]>(t, { skipEmptyLines: 'greedy', delimiter: ',' });
	const commaFits =
		comma.errors.length === 0 && (comma.data[0]?.length ?? 0) > 1 && comma.data.every((r) => r.length === comma.data[0].length);
	const res = commaFits ? comma : Papa.parse<string[]>(t, { skipEmptyLines: 'greedy' });
	if (res.data.length > MAX_CSV_ROWS + 1)
		return { ok: false, errors: [`${fileName}: has ${(res.data.length - 1).toLocaleString('en')} rows; Gloss reads at most ${MAX_CSV_ROWS.toLocaleString('en')}`] };
	const widest = res.data.reduce((m, r) => Math.max(m, r.length), 0);
	if (widest > MAX_CSV_COLUMNS)
		return { ok: false, errors: [`${fileName}: has ${widest.toLocaleString('en')} columns; Gloss reads at most ${MAX_CSV_COLUMNS}`] };
	const errors = res.errors
		.filter((e) => e.code !== 'UndetectableDelimiter')
		.map((e) => `${fileName}: row ${(e.row ?? 0) + 1}: ${e.message}`);
	const [header, ...rows] = res.data;
	if (!header) return { ok: false, errors: [`${fileName}: no header row`] };
	rows.forEach((r, i) => {
		if (r.length !== header.length)
			errors.push(`${fileName}: row ${i + 2}: has ${r.length} cells, the header has ${header.length}`);
	});
	if (errors.length) return { ok: false, errors };
	return { ok: true, value: { header: header.map((h) => h.trim()), rows } };
}

const QUOTE_CHARS = /[",\r\n\ufeff]/;

/** One cell as written by `toCsvLarge`: neutralised, then quoted when needed. */
export function csvField(v: Cell): string {
	if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
	const s = safeCell(v);
	if (s === '') return s;
	if (QUOTE_CHARS.test(s) || s.charCodeAt(0) === 32 || s.charCodeAt(s.length - 1) === 32)
		return '"' + (s.indexOf('"') >= 0 ? s.replace(/"/g, '""') : s) + '"';
	return s;
}

/**
 * The same text as `toCsv` (papaparse's quoting rules: a field is quoted when it holds a quote,
 * a comma, CR, LF or a BOM, or starts or ends with a space), written directly for large exports
 * such as 100,000 coded segments, where papaparse's writer is several times slower.
 * csv-large.spec.ts checks that both give identical output (except that with no rows toCsv
 * adds a blank line and this does not).
 */
export function toCsvLarge(header: string[], rows: Cell[][], opts: CsvOptions = {}): string {
	const lines: string[] = new Array(rows.length + 1);
	lines[0] = header.map(csvField).join(',');
	for (let i = 0; i < rows.length; i++) lines[i + 1] = rows[i].map(csvField).join(',');
	return (opts.bom ? '\ufeff' : '') + lines.join('\r\n') + '\r\n';
}
