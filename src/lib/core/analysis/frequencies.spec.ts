import { describe, expect, it } from 'vitest';
import { analysisSmall } from '../../../../tests/fixtures/analysis-small';
import { frequencies } from './frequencies';
import { codebookOrder } from './model';

// Hand-computed from the fixture described in tests/fixtures/analysis-small.ts.
// Base: 5 cases (K1..K5; K5 has no documents but is a case of the study).

const pick = (r: ReturnType<typeof frequencies>) =>
	Object.fromEntries(r.rows.map((x) => [x.path, [x.segments, x.documents, x.cases, Math.round(x.percentCases * 10) / 10]]));

describe('frequencies', () => {
	it('lists codes in codebook order with paths and depths', () => {
		const r = frequencies(analysisSmall());
		expect(r.rows.map((x) => x.path)).toEqual([
			'Economic',
			'Economic > Cost',
			'Economic > Quality',
			'Policy',
			'Policy > Standards',
			'Policy > Standards > Discharge',
			'Social'
		]);
		expect(r.rows.map((x) => x.depth)).toEqual([0, 1, 1, 0, 1, 2, 0]);
	});

	it('rolls parents up: own + descendants, a case citing two children counts once', () => {
		const r = frequencies(analysisSmall());
		expect(r.baseCases).toBe(5);
		expect(r.baseDocuments).toBe(6);
		expect(r.baseSegments).toBe(14);
		expect(pick(r)).toEqual({
			// s06 own + Cost s01 s04 s05 s07 s13 + Quality s02 s12 = 8; docs D1 D2 D3 D5 D6; cases K1 K2 K4
			Economic: [8, 5, 3, 60],
			// s01 s04 s05 s07 s13; D1 D2 D3 D6; K1 (two docs, once) K2; D6 has no case
			'Economic > Cost': [5, 4, 2, 40],
			'Economic > Quality': [2, 2, 2, 40],
			Policy: [3, 3, 3, 60],
			'Policy > Standards': [3, 3, 3, 60],
			'Policy > Standards > Discharge': [2, 2, 2, 40],
			// s10 s11 s14; D4 D6; only K3
			Social: [3, 2, 1, 20]
		});
	});

	it('without roll-up counts only the code itself', () => {
		const r = frequencies(analysisSmall(), {}, { includeDescendants: false });
		const p = pick(r);
		expect(p.Economic).toEqual([1, 1, 1, 20]);
		expect(p.Policy).toEqual([0, 0, 0, 0]);
		expect(p['Policy > Standards']).toEqual([1, 1, 1, 20]);
		expect(p['Economic > Cost']).toEqual([5, 4, 2, 40]);
	});

	it('gives the same figures per coder', () => {
		const r = frequencies(analysisSmall());
		expect(r.coders.map((c) => c.name)).toEqual(['Ana', 'Ben']);
		const row = (path: string) => r.rows.find((x) => x.path === path)!;
		const c = (path: string, coder: string) => {
			const k = row(path).byCoder[coder];
			return [k.segments, k.documents, k.cases, k.percentCases];
		};
		expect(c('Economic', 'ana')).toEqual([7, 5, 3, 60]);
		expect(c('Economic', 'ben')).toEqual([1, 1, 1, 20]);
		expect(c('Economic > Cost', 'ana')).toEqual([4, 4, 2, 40]);
		expect(c('Policy', 'ana')).toEqual([2, 2, 2, 40]);
		expect(c('Policy', 'ben')).toEqual([1, 1, 1, 20]);
		expect(c('Social', 'ana')).toEqual([2, 2, 1, 20]);
		expect(c('Social', 'ben')).toEqual([1, 1, 1, 20]);
		expect(c('Economic > Quality', 'ben')).toEqual([0, 0, 0, 0]);
	});

	it('filters by coder without changing the case base', () => {
		const r = frequencies(analysisSmall(), { coderIds: ['ben'] });
		expect(r.baseCases).toBe(5);
		expect(r.baseSegments).toBe(3);
		expect(r.coders.map((c) => c.id)).toEqual(['ben']);
		expect(pick(r)).toEqual({
			Economic: [1, 1, 1, 20],
			'Economic > Cost': [1, 1, 1, 20],
			'Economic > Quality': [0, 0, 0, 0],
			Policy: [1, 1, 1, 20],
			'Policy > Standards': [1, 1, 1, 20],
			'Policy > Standards > Discharge': [0, 0, 0, 0],
			Social: [1, 1, 1, 20]
		});
	});

	it('filters by attribute value: only those cases, documents without a case left out', () => {
		const r = frequencies(analysisSmall(), { attributes: { city: ['C'] } });
		expect(r.baseCases).toBe(2);
		expect(r.baseDocuments).toBe(3);
		const p = pick(r);
		expect(p['Economic > Cost']).toEqual([4, 3, 2, 100]);
		expect(p.Social).toEqual([0, 0, 0, 0]);
		expect(p.Policy).toEqual([2, 2, 2, 100]);
	});

	it('selects cases with no value with null', () => {
		const r = frequencies(analysisSmall(), { attributes: { city: [null] } });
		expect(r.baseCases).toBe(1); // K4
		expect(pick(r)['Economic > Quality']).toEqual([1, 1, 1, 100]);
		const both = frequencies(analysisSmall(), { attributes: { city: ['N'], sector: [null] } });
		expect(both.baseCases).toBe(1); // K5, no documents
		expect(both.rows.every((x) => x.segments === 0)).toBe(true);
	});

	it('filters by document: the case base becomes the cases of those documents', () => {
		const r = frequencies(analysisSmall(), { documentIds: ['D1', 'D6'] });
		expect(r.baseCases).toBe(1);
		const p = pick(r);
		expect(p['Economic > Cost']).toEqual([2, 2, 1, 100]);
		expect(p.Social).toEqual([1, 1, 0, 0]);
	});

	it('sorts by count, ties in codebook order', () => {
		const r = frequencies(analysisSmall(), {}, { sort: 'cases' });
		expect(r.rows.map((x) => `${x.path}:${x.cases}`)).toEqual([
			'Economic:3',
			'Policy:3',
			'Policy > Standards:3',
			'Economic > Cost:2',
			'Economic > Quality:2',
			'Policy > Standards > Discharge:2',
			'Social:1'
		]);
		const s = frequencies(analysisSmall(), {}, { sort: 'segments' });
		expect(s.rows[0].path).toBe('Economic');
		expect(s.rows[1].path).toBe('Economic > Cost');
	});

	it('orders the codebook depth-first by order', () => {
		expect(codebookOrder(analysisSmall().codes).map((c) => c.id)).toEqual(['E', 'E1', 'E2', 'P', 'P1', 'P1a', 'S']);
	});
});
