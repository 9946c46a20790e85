/**
 * Properties of the CSV writer and reader (fast-check): what `toCsv` writes, `parseCsv` reads
 * back, for any text; `toCsvLarge` writes the same bytes; numbers are never neutralised.
 *
 * The documented round trip: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a CR is
 * written with a leading apostrophe (so a spreadsheet shows it as text) and read back with it,
 * i.e. `parseCsv(toCsv(h, rows))` gives `rows.map(r => r.map(safeCell))`; the header is also
 * trimmed on reading.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Cell, parseCsv, safeCell, toCsv, toCsvLarge } from './csv';

const PARAMS = { numRuns: 200, seed: 20261202 };

/** Text with the characters CSV gets wrong: quotes, commas, CR/LF, BOMs, formula starts, unicode. */
const nasty = fc
	.array(
		fc.oneof(
			fc.constantFrom('"', ',', '\r', '\n', '\r\n', '\ufeff', '=', '+', '-', '@', '\t', ';', '|', ' ', "'", 'é', 'e\u0301', '😀', '中文', '\u200b'),
			fc.string({ maxLength: 4 }),
			fc.string({ unit: 'grapheme', maxLength: 3 })
		),
		{ maxLength: 6 }
	)
	.map((parts) => parts.join(''));

/** A row the reader keeps: greedy blank-line skipping drops a row whose every cell is blank. */
const notBlank = (cells: string[]) => cells.some((c) => safeCell(c).trim() !== '');

const table = fc.integer({ min: 2, max: 5 }).chain((w) =>
	fc.record({
		header: fc.uniqueArray(nasty.filter((h) => h.trim() !== ''), { minLength: w, maxLength: w }),
		rows: fc.array(fc.array(nasty, { minLength: w, maxLength: w }).filter(notBlank), { maxLength: 6 })
	})
);

describe('CSV properties', () => {
	it('parseCsv(toCsv(header, rows)) gives back the rows, neutralised as documented', () => {
		fc.assert(
			fc.property(table, fc.boolean(), ({ header, rows }, bom) => {
				const r = parseCsv(toCsv(header, rows, { bom }), 'x.csv');
				expect(r.ok ? null : r.errors).toBeNull();
				if (!r.ok) return;
				expect(r.value.header).toEqual(header.map((h) => safeCell(h).trim()));
				expect(r.value.rows).toEqual(rows.map((row) => row.map(safeCell)));
			}),
			PARAMS
		);
	});

	it('toCsvLarge writes the same text as toCsv (given at least one row)', () => {
		const cell: fc.Arbitrary<Cell> = fc.oneof(nasty, fc.integer({ min: -1000, max: 1000 }), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 4 }).chain((w) =>
					fc.tuple(fc.array(nasty, { minLength: w, maxLength: w }), fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 5 }))
				),
				fc.boolean(),
				([header, rows], bom) => {
					expect(toCsvLarge(header, rows, { bom })).toBe(toCsv(header, rows, { bom }));
				}
			),
			PARAMS
		);
	});

	it('numbers stay numbers: a negative number is written as is, a text "-2" is neutralised', () => {
		fc.assert(
			fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ noNaN: true, noDefaultInfinity: true }), (n, x) => {
				const r = parseCsv(toCsv(['a', 'b', 'c'], [[n, x, String(n)]]));
				expect(r.ok).toBe(true);
				if (!r.ok) return;
				expect(r.value.rows[0][0]).toBe(String(n));
				expect(Number(r.value.rows[0][1])).toBe(x === 0 ? 0 : x);
				expect(r.value.rows[0][2]).toBe(n < 0 ? `'${n}` : String(n));
			}),
			PARAMS
		);
	});

	it('never throws on any text', () => {
		fc.assert(
			fc.property(fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 200 })), (t) => {
				const r = parseCsv(t, 'any.csv');
				if (!r.ok) for (const e of r.errors) expect(e.startsWith('any.csv: ')).toBe(true);
			}),
			PARAMS
		);
	});
});

describe('CSV counterexamples found by the properties', () => {
	it('a header with "|" in its names is still read with commas (papaparse guessed "|")', () => {
		const r = parseCsv(toCsv(['|', '|"'], []));
		expect(r.ok ? r.value.header : r.errors).toEqual(['|', '|"']);
	});
	it('a semicolon file is still read with semicolons', () => {
		const r = parseCsv('name;City\r\nA;B\r\n');
		expect(r.ok ? [r.value.header, r.value.rows] : r.errors).toEqual([['name', 'City'], [['A', 'B']]]);
	});
});
