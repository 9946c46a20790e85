import { describe, expect, it } from 'vitest';
import { MAX_CSV_COLUMNS, MAX_CSV_ROWS, parseCsv, safeCell, toCsv } from './csv';

describe('toCsv', () => {
	it('quotes per RFC 4180 with CRLF line ends', () => {
		const csv = toCsv(['a', 'b'], [['x, y', 'say "hi"'], ['line\nbreak', 3]]);
		expect(csv).toBe('a,b\r\n"x, y","say ""hi"""\r\n"line\nbreak",3\r\n');
	});
	it('adds a BOM only when asked', () => {
		expect(toCsv(['a'], [['1']], { bom: true }).charCodeAt(0)).toBe(0xfeff);
		expect(toCsv(['a'], [['1']]).charCodeAt(0)).toBe(0x61);
	});
	it('neutralises cells that a spreadsheet would run as formulas, but not numbers', () => {
		expect(['=1+1', '+A1', '-2', '@SUM(A1)', '\tx', '\rx'].map(safeCell)).toEqual([
			"'=1+1",
			"'+A1",
			"'-2",
			"'@SUM(A1)",
			"'\tx",
			"'\rx"
		]);
		expect(safeCell(-2)).toBe('-2');
		expect(safeCell(null)).toBe('');
		expect(toCsv(['=h'], [['=cmd']])).toBe("'=h\r\n'=cmd\r\n");
	});
});

describe('parseCsv', () => {
	it('reads a header and rows, skipping a BOM and blank lines', () => {
		expect(parseCsv('\ufeffcase,City\r\nE01,C\r\n\r\nE02,"N, north"\r\n')).toEqual({
			ok: true,
			value: { header: ['case', 'City'], rows: [['E01', 'C'], ['E02', 'N, north']] }
		});
	});
	it('reports ragged rows by row number and an empty file', () => {
		expect(parseCsv('case,City\nE01\nE02,N,extra', 'cases.csv')).toEqual({
			ok: false,
			errors: ['cases.csv: row 2: has 1 cells, the header has 2', 'cases.csv: row 3: has 3 cells, the header has 2']
		});
		expect(parseCsv(' \n', 'e.csv')).toEqual({ ok: false, errors: ['e.csv: the file is empty'] });
	});

	it('refuses a file wider or longer than it reads, naming it', () => {
		const wide = ['case', ...Array.from({ length: MAX_CSV_COLUMNS }, (_, i) => `a${i}`)].join(',') + '\nE01' + ','.repeat(MAX_CSV_COLUMNS);
		expect(parseCsv(wide, 'wide.csv')).toEqual({ ok: false, errors: [`wide.csv: has ${MAX_CSV_COLUMNS + 1} columns; Gloss reads at most ${MAX_CSV_COLUMNS}`] });
		const justWide = ['case', ...Array.from({ length: MAX_CSV_COLUMNS - 1 }, (_, i) => `a${i}`)].join(',') + '\nE01' + ','.repeat(MAX_CSV_COLUMNS - 1);
		expect(parseCsv(justWide, 'ok.csv').ok).toBe(true);
		const long = 'case\n' + 'E\n'.repeat(MAX_CSV_ROWS + 1);
		expect(parseCsv(long, 'long.csv')).toEqual({ ok: false, errors: ['long.csv: has 200,001 rows; Gloss reads at most 200,000'] });
	});
});
