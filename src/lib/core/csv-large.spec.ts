import { describe, expect, it } from 'vitest';
import { type Cell, toCsv, toCsvLarge } from './csv';

describe('toCsvLarge', () => {
	it('writes exactly what toCsv (papaparse) writes', () => {
		const header = ['a', 'b, c', '=h', ' lead', 'trail ', 'q"x'];
		const rows: Cell[][] = [
			['plain', 'x, y', 'say "hi"', 'line\nbreak', 'cr\rx', '\ufeffbom'],
			[3, -2, 0.5, null, undefined, true],
			['=1+1', '+A1', '-2', '@SUM(A1)', '\tx', '\rx'],
			[' lead', 'trail ', ' ', '', 'ümlaut 成本', 'a""b'],
			[Number.NaN, Number.POSITIVE_INFINITY, false, 'x', 'y', 'z']
		];
		expect(toCsvLarge(header, rows)).toBe(toCsv(header, rows));
		expect(toCsvLarge(header, rows, { bom: true })).toBe(toCsv(header, rows, { bom: true }));
	});

	it('writes a header-only file without a blank line (toCsv adds one)', () => {
		expect(toCsvLarge(['only', 'two'], [])).toBe('only,two\r\n');
	});
});
