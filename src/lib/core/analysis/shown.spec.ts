import { describe, expect, it } from 'vitest';
import { analysisSmall } from '../../../../tests/fixtures/analysis-small';
import { cooccurrence } from './cooccurrence';
import { crosstab } from './crosstab';
import { frequencies } from './frequencies';
import { codeCaseMatrix } from './matrix';
import { matrixView, matrixViewTable, shownCooccurrence, shownCrosstab, shownFrequencies, unitWord } from './shown';

describe('the tables as shown', () => {
	const data = analysisSmall();

	it('hides codes with no segments only when asked', () => {
		const f = frequencies(data);
		expect(shownFrequencies(f, false)).toBe(f);
		const shown = shownFrequencies(f, true);
		expect(shown.rows.every((r) => r.segments > 0)).toBe(true);
		expect(shown.rows.length).toBe(f.rows.filter((r) => r.segments > 0).length);
	});

	it('sorts a cross-tab by row total, largest first, ties in codebook order', () => {
		const x = crosstab(data, {}, { by: ['city'] });
		expect(shownCrosstab(x, { hideEmpty: false, byTotal: false })).toBe(x);
		const s = shownCrosstab(x, { hideEmpty: false, byTotal: true });
		const totals = s.rows.map((r) => r.total);
		expect(totals).toEqual([...totals].sort((a, b) => b - a));
		// Economic and Policy both have 3 cases: Economic comes first in the codebook.
		expect(s.rows.slice(0, 3).map((r) => r.path)).toEqual(['Economic', 'Policy', 'Policy > Standards']);
		expect(s.columns).toBe(x.columns);
	});

	it('co-occurrence without unused codes keeps the matrix square and aligned', () => {
		const c = cooccurrence(data, {}, { mode: 'cases' });
		const s = shownCooccurrence(c, true);
		expect(s.cells.length).toBe(s.codes.length);
		for (let i = 0; i < s.codes.length; i++) {
			const oi = c.codes.findIndex((k) => k.codeId === s.codes[i].codeId);
			for (let j = 0; j < s.codes.length; j++) {
				const oj = c.codes.findIndex((k) => k.codeId === s.codes[j].codeId);
				expect(s.cells[i][j]).toBe(c.cells[oi][oj]);
			}
			expect(s.cells[i][i]).toBeGreaterThan(0);
		}
	});

	it('the matrix with codes as rows, counts or 0/1, as a table for CSV', () => {
		const m = codeCaseMatrix(data);
		const v = matrixView(m, { binary: false, hideEmpty: false });
		expect(v.codes.length).toBe(m.codes.length);
		for (let c = 0; c < v.codes.length; c++) for (let r = 0; r < v.cases.length; r++) expect(v.values[c][r]).toBe(m.counts[r][c]);
		const b = matrixView(m, { binary: true, hideEmpty: true });
		expect(b.values.flat().every((x) => x === 0 || x === 1)).toBe(true);
		expect(b.values.every((row) => row.some((x) => x > 0))).toBe(true);
		const t = matrixViewTable(v);
		expect(t.header).toEqual(['code', ...m.cases.map((c) => c.name)]);
		expect(t.rows[0]).toEqual([m.codes[0].path, ...m.counts.map((row) => row[0])]);
	});

	it('unit words', () => {
		expect(unitWord('cases', 1)).toBe('case');
		expect(unitWord('cases', 0)).toBe('cases');
		expect(unitWord('segments', 2)).toBe('segments');
		expect(unitWord('documents', 1)).toBe('document');
	});
});
