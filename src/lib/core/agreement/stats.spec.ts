import { describe, expect, it } from 'vitest';
import { coverageHistogram, intersectionLength, mergeOverlapping, union } from './intervals';
import { brennanPrediger, cohenKappa, fleissKappa, krippendorffAlphaNominal, percentAgreement, transpose } from './stats';
import { alphaU1995, codersOverlap, uAlphaFamily } from './unitizing';

describe('coding statistics, hand-made', () => {
	it('accepts the "one array per coder" form via transpose', () => {
		const m = transpose([
			['a', 'a', 'b', 'b'],
			['a', 'b', 'b', 'b']
		]);
		expect(m).toEqual([
			['a', 'a'],
			['a', 'b'],
			['b', 'b'],
			['b', 'b']
		]);
		expect(percentAgreement(m).value).toBe(0.75);
		// p_e = .5·.25 + .5·.75 = .5
		expect(cohenKappa(m).value).toBe(0.5);
	});

	it('Brennan–Prediger counts the observed categories when none are declared', () => {
		const m = [
			[1, 1],
			[2, 2],
			[3, 1]
		];
		expect(brennanPrediger(m).value).toBeCloseTo((2 / 3 - 1 / 3) / (2 / 3), 12);
		expect(brennanPrediger(m, [1, 2, 3, 4]).value).toBeCloseTo((2 / 3 - 1 / 4) / (3 / 4), 12);
		expect(brennanPrediger([[1, 1]], [1]).reason).toMatch(/one category/);
	});

	it('needs two coders where the statistic says so', () => {
		expect(cohenKappa([[1, 1, 2]]).reason).toMatch(/two coders/);
		expect(fleissKappa([[1], [2]]).reason).toMatch(/two coders/);
		expect(krippendorffAlphaNominal([[1], [2]]).value).toBeNull();
	});
});

describe('intervals', () => {
	it('unions, keeps touching units apart when unitizing, intersects and counts coverage', () => {
		const xs = [
			{ start: 5, end: 8 },
			{ start: 0, end: 3 },
			{ start: 3, end: 4 },
			{ start: 2, end: 2 },
			{ start: 6, end: 10 }
		];
		expect(union(xs)).toEqual([
			{ start: 0, end: 4 },
			{ start: 5, end: 10 }
		]);
		expect(mergeOverlapping(xs)).toEqual([
			{ start: 0, end: 3 },
			{ start: 3, end: 4 },
			{ start: 5, end: 10 }
		]);
		expect(intersectionLength(union(xs), [{ start: 2, end: 6 }])).toBe(3);
		expect(coverageHistogram([union(xs), [{ start: 2, end: 6 }]], 12)).toEqual([2, 7, 3]);
	});
});

describe('unitizing, hand-made', () => {
	it('refuses overlapping units of one coder, with the reason', () => {
		const c = {
			begin: 0,
			length: 10,
			coders: [
				[
					{ start: 0, end: 5, value: 'a' },
					{ start: 4, end: 8, value: 'b' }
				],
				[{ start: 0, end: 5, value: 'a' }]
			]
		};
		expect(codersOverlap(c)).toBe(true);
		const r = uAlphaFamily(c);
		expect(r.uAlpha.value).toBeNull();
		expect(r.cuAlpha.reason).toMatch(/overlap/);
	});

	it('needs two coders and a non-empty continuum', () => {
		expect(uAlphaFamily({ begin: 0, length: 10, coders: [[]] }).uAlpha.reason).toMatch(/two coders/);
		expect(alphaU1995({ begin: 0, length: 0, coders: [[], []] }).overall.reason).toMatch(/empty/);
	});

	it('αU 1995: identical unitizations give D_o = 0 and α = 1', () => {
		const units = [
			{ start: 2, end: 6, value: 'c' },
			{ start: 10, end: 14, value: 'c' }
		];
		const r = alphaU1995({ begin: 0, length: 20, coders: [units, units] });
		expect(r.categories[0].observed).toBe(0);
		expect(r.categories[0].alpha.value).toBe(1);
		expect(r.overall.value).toBe(1);
	});
});
