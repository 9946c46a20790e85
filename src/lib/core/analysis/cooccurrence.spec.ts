import { describe, expect, it } from 'vitest';
import { analysisSmall } from '../../../../tests/fixtures/analysis-small';
import { cooccurrence, cooccurrenceSegments } from './cooccurrence';
import { codeCaseMatrix } from './matrix';
import { cooccurrenceTable, matrixTable } from './tables';

// Hand-computed from tests/fixtures/analysis-small.ts. Code order: E E1 E2 P P1 P1a S.
const ORDER = ['E', 'E1', 'E2', 'P', 'P1', 'P1a', 'S'];

/** The non-zero cells above the diagonal, as "A+B=n", and the diagonal. */
function summary(r: ReturnType<typeof cooccurrence>) {
	const pairs: string[] = [];
	for (let i = 0; i < r.codes.length; i++)
		for (let j = i + 1; j < r.codes.length; j++) {
			expect(r.cells[i][j]).toBe(r.cells[j][i]);
			if (r.cells[i][j]) pairs.push(`${r.codes[i].codeId}+${r.codes[j].codeId}=${r.cells[i][j]}`);
		}
	return { pairs, diagonal: r.cells.map((row, i) => row[i]) };
}

describe('cooccurrence', () => {
	it('overlap: pairs of overlapping segments of one coder; touching passages do not count', () => {
		const r = cooccurrence(analysisSmall());
		expect(r.codes.map((c) => c.codeId)).toEqual(ORDER);
		// s01×s02 (Cost, Quality); s06×s07 (Economic, Cost); s09×s10 (Discharge, Social).
		// Not: s04×s05 and s09×s11 (two coders), s13×s14 (touching).
		expect(summary(r)).toEqual({
			pairs: ['E+E1=1', 'E1+E2=1', 'P1a+S=1'],
			diagonal: [1, 5, 2, 0, 1, 2, 3]
		});
	});

	it('overlap with descendants rolled up', () => {
		const r = cooccurrence(analysisSmall(), {}, { includeDescendants: true });
		// s01(E1,E)×s02(E2,E): E+E1, E+E2, E1+E2 (E+E skipped); s06(E)×s07(E1,E): E+E1;
		// s09(P1a,P1,P)×s10(S): P+S, P1+S, P1a+S.
		expect(summary(r)).toEqual({
			pairs: ['E+E1=2', 'E+E2=1', 'E1+E2=1', 'P+S=1', 'P1+S=1', 'P1a+S=1'],
			diagonal: [8, 5, 2, 3, 3, 2, 3]
		});
	});

	it('documents: documents where both codes appear', () => {
		const r = cooccurrence(analysisSmall(), {}, { mode: 'documents' });
		// D1 E1 E2 P1a; D2 E1; D3 E E1 P1; D4 P1a S; D5 E2; D6 E1 S
		expect(summary(r)).toEqual({
			pairs: ['E+E1=1', 'E+P1=1', 'E1+E2=1', 'E1+P1=1', 'E1+P1a=1', 'E1+S=1', 'E2+P1a=1', 'P1a+S=1'],
			diagonal: [1, 4, 2, 0, 1, 2, 2]
		});
	});

	it('cases: cases where both codes appear, across their documents', () => {
		const r = cooccurrence(analysisSmall(), {}, { mode: 'cases' });
		// K1 (D1+D2) E1 E2 P1a; K2 E E1 P1; K3 P1a S; K4 E2. D6 has no case.
		expect(summary(r)).toEqual({
			pairs: ['E+E1=1', 'E+P1=1', 'E1+E2=1', 'E1+P1=1', 'E1+P1a=1', 'E2+P1a=1', 'P1a+S=1'],
			diagonal: [1, 2, 2, 0, 1, 2, 1]
		});
	});

	it('respects the coder filter', () => {
		const r = cooccurrence(analysisSmall(), { coderIds: ['ben'] }, { mode: 'documents' });
		expect(summary(r)).toEqual({ pairs: [], diagonal: [0, 1, 0, 0, 1, 0, 1] });
	});

	it('lists the segments behind a cell', () => {
		const d = analysisSmall();
		expect(cooccurrenceSegments(d, {}, {}, 'E1', 'E2').map((s) => s.id)).toEqual(['s01', 's02']);
		expect(cooccurrenceSegments(d, {}, {}, 'S', 'P1a').map((s) => s.id)).toEqual(['s09', 's10']);
		expect(cooccurrenceSegments(d, {}, {}, 'E1', 'S')).toEqual([]);
		expect(cooccurrenceSegments(d, {}, { mode: 'documents' }, 'E1', 'S').map((s) => s.id)).toEqual(['s13', 's14']);
		expect(cooccurrenceSegments(d, {}, { mode: 'cases' }, 'E1', 'P1a').map((s) => s.id)).toEqual(['s01', 's03', 's04', 's05']);
		expect(cooccurrenceSegments(d, {}, {}, 'S', 'S').map((s) => s.id)).toEqual(['s11', 's10', 's14']);
	});

	it('makes a table with code paths as header', () => {
		const t = cooccurrenceTable(cooccurrence(analysisSmall()));
		expect(t.header[0]).toBe('code');
		expect(t.header[6]).toBe('Policy > Standards > Discharge');
		expect(t.rows[1]).toEqual(['Economic > Cost', 1, 5, 1, 0, 0, 0, 0]);
	});
});

describe('codeCaseMatrix', () => {
	it('counts segments per case and code (rolled up), and 0/1', () => {
		const m = codeCaseMatrix(analysisSmall());
		expect(m.cases.map((c) => c.name)).toEqual(['K1', 'K2', 'K3', 'K4', 'K5']);
		expect(m.codes.map((c) => c.codeId)).toEqual(ORDER);
		expect(m.counts).toEqual([
			[4, 3, 1, 1, 1, 1, 0],
			[2, 1, 0, 1, 1, 0, 0],
			[0, 0, 0, 1, 1, 1, 2],
			[1, 0, 1, 0, 0, 0, 0],
			[0, 0, 0, 0, 0, 0, 0]
		]);
		expect(m.present[0]).toEqual([1, 1, 1, 1, 1, 1, 0]);
		expect(m.present[4]).toEqual([0, 0, 0, 0, 0, 0, 0]);
	});

	it('without roll-up, and filtered', () => {
		const m = codeCaseMatrix(analysisSmall(), { coderIds: ['ana'], attributes: { city: ['C'] } }, { includeDescendants: false });
		expect(m.cases.map((c) => c.name)).toEqual(['K1', 'K2']);
		expect(m.counts).toEqual([
			[0, 2, 1, 0, 0, 1, 0],
			[1, 1, 0, 0, 0, 0, 0]
		]);
	});

	it('makes a wide table: case, attributes in order, code paths', () => {
		const d = analysisSmall();
		const t = matrixTable(codeCaseMatrix(d), d.attributes, { binary: true });
		expect(t.header).toEqual([
			'case',
			'City',
			'Sector',
			'Wave',
			'Economic',
			'Economic > Cost',
			'Economic > Quality',
			'Policy',
			'Policy > Standards',
			'Policy > Standards > Discharge',
			'Social'
		]);
		expect(t.rows[3]).toEqual(['K4', null, 'Chemicals', null, 1, 0, 1, 0, 0, 0, 0]);
	});
});
