/**
 * The statistics against the reference vectors (tests/fixtures/stats/vectors, from R 4.2.2,
 * SciPy and statsmodels; see tests/fixtures/stats/SOURCES.md): every file, every statistic, to
 * max(1e-9, 1e-9·|expected|), and p-values below 1e-9 also to 1e-9 relative. A statistic the
 * spec does not know fails.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
	type Matrix,
	adjustP,
	adjustedResiduals,
	chiSquareUpper,
	chiSquareUpperLog10,
	cramersV,
	cramersVBiasCorrected,
	expectedCounts,
	fisherMonteCarlo,
	fisherOddsRatio,
	fisherTest,
	formatP,
	gTest,
	pearsonChiSquare,
	testTable,
	yatesChiSquare
} from './stats';

const DIR = fileURLToPath(new URL('../../../../tests/fixtures/stats/vectors/', import.meta.url));

interface Vector {
	name: string;
	statistic: string;
	table: Matrix;
	expected: unknown;
	reason_if_null: string | null;
	status: string;
	notes: string;
	tolerance: { abs: number; rel: number };
}

const toNum = (v: unknown): number | null => (v === 'Infinity' ? Infinity : (v as number | null));

/** What the app computes for a statistic of a table (null = undefined there). */
function compute(stat: string, x: Matrix): unknown {
	switch (stat) {
		case 'expected_counts':
			return expectedCounts(x);
		case 'pearson_chi2':
			return pearsonChiSquare(x)?.statistic ?? null;
		case 'pearson_chi2_df':
			return pearsonChiSquare(x)?.df ?? null;
		case 'pearson_chi2_p':
			return pearsonChiSquare(x)?.p ?? null;
		case 'yates_chi2':
			return yatesChiSquare(x)?.statistic ?? null;
		case 'yates_chi2_df':
			return yatesChiSquare(x)?.df ?? null;
		case 'yates_chi2_p':
			return yatesChiSquare(x)?.p ?? null;
		case 'g_test':
			return gTest(x)?.statistic ?? null;
		case 'g_test_df':
			return gTest(x)?.df ?? null;
		case 'g_test_p':
			return gTest(x)?.p ?? null;
		case 'fisher_p':
			return fisherTest(x, { workLimit: 50_000_000 })?.p ?? null;
		case 'fisher_or_cmle':
			return fisherOddsRatio(x)?.estimate ?? null;
		case 'fisher_or_ci95':
			return fisherOddsRatio(x)?.ci95 ?? null;
		case 'cramers_v':
			return cramersV(x);
		case 'cramers_v_bc':
			return cramersVBiasCorrected(x);
		case 'adj_std_residuals':
			return adjustedResiduals(x);
		default:
			throw new Error(`unknown statistic ${stat}`);
	}
}

function close(got: unknown, want: unknown, tol: { abs: number; rel: number }, where: string, isP: boolean): string[] {
	if (Array.isArray(want)) {
		if (!Array.isArray(got) || got.length !== want.length) return [`${where}: expected an array of ${want.length}, got ${JSON.stringify(got)}`];
		return want.flatMap((w, i) => close(got[i], w, tol, `${where}[${i}]`, isP));
	}
	const w = toNum(want);
	if (w === null) return got === null ? [] : [`${where}: expected null (undefined), got ${JSON.stringify(got)}`];
	if (typeof got !== 'number' || Number.isNaN(got)) return [`${where}: expected ${w}, got ${JSON.stringify(got)}`];
	if (w === Infinity) return got === Infinity ? [] : [`${where}: expected Infinity, got ${got}`];
	const d = Math.abs(got - w);
	if (d > Math.max(tol.abs, tol.rel * Math.abs(w))) return [`${where}: expected ${w}, got ${got} (diff ${d})`];
	// p-values below the absolute tolerance: relative too (README convention 1, T45).
	if (isP && w > 0 && d > 1e-9 * w) return [`${where}: expected ${w}, got ${got} (relative ${d / w})`];
	return [];
}

const files = readdirSync(DIR)
	.filter((f) => f.endsWith('.json') && !f.startsWith('_'))
	.sort();

describe('reference vectors (R, SciPy, statsmodels)', { timeout: 180_000 }, () => {
	it('has all 912 vector files', () => {
		expect(files.length).toBe(912);
	});

	const byStat = new Map<string, Vector[]>();
	for (const f of files) {
		const v = JSON.parse(readFileSync(DIR + f, 'utf8')) as Vector;
		if (!byStat.has(v.statistic)) byStat.set(v.statistic, []);
		byStat.get(v.statistic)!.push(v);
	}

	for (const [stat, vs] of byStat) {
		it(`${stat}: every vector (${vs.length}) within tolerance`, () => {
			const errors: string[] = [];
			let checked = 0;
			for (const v of vs) {
				if (v.status === 'no_reference') {
					// R could not compute the exact p (README convention 6). Gloss falls back to a seeded
					// Monte Carlo p; it must agree with R's simulated p (in the notes) within 4 standard errors.
					expect(stat).toBe('fisher_p');
					const f = fisherTest(v.table)!;
					expect(f.method).toBe('monte-carlo');
					const r = Number(/\$p\.value = ([0-9.e-]+)/.exec(v.notes)![1]);
					const se = Math.sqrt((r * (1 - r)) / f.replicates!) + 1 / (f.replicates! + 1);
					if (Math.abs(f.p - r) > 4 * se) errors.push(`${v.name}: Monte Carlo p ${f.p} vs R's simulated ${r}`);
					checked++;
					continue;
				}
				const got = compute(stat, v.table);
				errors.push(...close(got, v.expected, v.tolerance, v.name, stat.endsWith('_p')));
				checked++;
			}
			expect(errors).toEqual([]);
			expect(checked).toBeGreaterThan(0);
		});
	}

	it('fails on a statistic it does not know', () => {
		expect(() => compute('kendall_tau', [[1, 2], [3, 4]])).toThrow(/unknown statistic/);
	});
});

describe('hand-computed cases', () => {
	it('the seed: 1/2/4 of 10/12/8 cases (C, N, S)', () => {
		const x = [
			[1, 2, 4],
			[9, 10, 4]
		];
		// E(cited) = 7·(10, 12, 8)/30; X² = Σ(O−E)²/E over the 6 cells.
		const e = [7 / 3, 2.8, 56 / 30];
		const eNot = [23 / 3, 9.2, 184 / 30];
		let chi = 0;
		[1, 2, 4].forEach((o, j) => (chi += (o - e[j]) ** 2 / e[j]));
		[9, 10, 4].forEach((o, j) => (chi += (o - eNot[j]) ** 2 / eNot[j]));
		const t = testTable(x);
		expect(t.pearson!.statistic).toBeCloseTo(chi, 12);
		expect(t.pearson!.statistic).toBeCloseTo(4.472049689440993, 12);
		expect(t.pearson!.df).toBe(2);
		// df 2: the upper tail is exactly e^{−X²/2}.
		expect(t.pearson!.p).toBeCloseTo(Math.exp(-chi / 2), 14);
		expect(t.minExpected).toBeCloseTo(56 / 30, 12);
		expect(t.smallExpected).toBe(true);
		expect(t.lead).toBe('fisher');
		expect(t.p).toBeCloseTo(0.1642990470576704, 12);
		expect(t.cramersV).toBeCloseTo(Math.sqrt(chi / 30), 12);
		// S "cited" is above expectation: positive adjusted residual.
		expect(t.residuals![0][2]).toBeGreaterThan(1.96);
	});

	it('Fisher 2 × 3 by enumeration: the p of the seed table is the sum of the tables as or less probable', () => {
		// All tables with row sums (7, 23) and column sums (10, 12, 8): enumerate the first row.
		const lf = (n: number): number => (n <= 1 ? 0 : Math.log(n) + lf(n - 1));
		const logP = (a: number[]) => {
			const b = [10 - a[0], 12 - a[1], 8 - a[2]];
			return lf(7) + lf(23) + lf(10) + lf(12) + lf(8) - lf(30) - [...a, ...b].reduce((s, v) => s + lf(v), 0);
		};
		const obs = logP([1, 2, 4]);
		let p = 0;
		for (let a = 0; a <= 7; a++)
			for (let b = 0; a + b <= 7; b++) {
				const c = 7 - a - b;
				if (a > 10 || b > 12 || c > 8) continue;
				const lp = logP([a, b, c]);
				if (lp <= obs + 1e-7) p += Math.exp(lp);
			}
		expect(fisherTest([[1, 2, 4], [9, 10, 4]])!.p).toBeCloseTo(p, 13);
	});

	it('2 × 2: chi-square p with df 1 equals erfc(sqrt(X²/2)) — checked on X² = 3.841458820694124 (p 0.05)', () => {
		expect(chiSquareUpper(3.841458820694124, 1)).toBeCloseTo(0.05, 13);
		expect(chiSquareUpper(5.991464547107979, 2)).toBeCloseTo(0.05, 13);
	});

	it('p below the smallest double: 0, with its log10 still known', () => {
		expect(chiSquareUpper(3000, 1)).toBe(0);
		// ln Q(1/2, 1500) ≈ −1500 − ½ ln(1500π) − ln(1 + 1/3000 …): log10 ≈ −653.28
		expect(chiSquareUpperLog10(3000, 1)).toBeCloseTo(-653.28, 1);
		expect(formatP(0)).toBe('< 1e-300');
		expect(formatP(0.03)).toBe('0.03');
		expect(formatP(0.0026)).toBe('0.003');
		expect(formatP(0.0497)).toBe('0.0497');
		expect(formatP(0.04999)).toBe('< 0.05');
		expect(formatP(0.0462)).toBe('0.046');
		expect(formatP(0.0503)).toBe('0.05');
	});

	it('Yates on request for a 2 × 2 led by the chi-square (T27, all E ≥ 5)', () => {
		const x = [
			[2, 10],
			[15, 3]
		];
		const plain = testTable(x);
		expect(plain.lead).toBe('pearson');
		expect(plain.p).toBe(plain.pearson!.p);
		const y = testTable(x, { yates: true });
		expect(y.lead).toBe('yates');
		expect(y.df).toBe(1);
		expect(Math.abs(y.statistic! - 10.45814479638009)).toBeLessThan(1e-9);
		const want = JSON.parse(readFileSync(DIR + 'T27_2x2_convictions__yates_chi2_p.json', 'utf8')).expected as number;
		expect(Math.abs(y.p! - want)).toBeLessThan(1e-9 * want);
		// Fisher still leads where an expected count is below 5 (T26).
		expect(testTable([[3, 1], [1, 3]], { yates: true }).lead).toBe('fisher');
	});

	it('Holm and Benjamini–Hochberg as R p.adjust', () => {
		const p = [0.01, 0.04, 0.03, 0.005, null];
		// R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
		const holm = adjustP(p, 'holm');
		[0.03, 0.06, 0.06, 0.02].forEach((v, i) => expect(holm[i]).toBeCloseTo(v, 14));
		expect(holm[4]).toBeNull();
		// R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") = 0.02 0.04 0.04 0.02
		const bh = adjustP(p, 'bh');
		[0.02, 0.04, 0.04, 0.02].forEach((v, i) => expect(bh[i]).toBeCloseTo(v, 14));
		expect(adjustP(p, 'none')).toEqual(p);
	});

	it('an empty row: chi-square family n/a with the reason; Fisher defined', () => {
		const t = testTable([
			[0, 0, 0],
			[10, 12, 8]
		]);
		expect(t.pearson).toBeNull();
		expect(t.cramersV).toBeNull();
		expect(t.reason).toMatch(/empty row \(1\)/);
		expect(t.fisher!.p).toBe(1);
		expect(t.lead).toBe('fisher');
	});

	it('a large r × c table switches to a seeded Monte Carlo p, and says so', () => {
		const x = [
			[6, 2, 1, 4, 3, 2],
			[2, 5, 4, 1, 2, 3],
			[1, 3, 6, 2, 1, 4],
			[3, 1, 2, 7, 3, 1],
			[2, 4, 1, 3, 6, 2],
			[1, 2, 3, 2, 4, 6]
		];
		const f = fisherTest(x)!;
		expect(f.method).toBe('monte-carlo');
		expect(f.replicates).toBe(2000);
		// Same seed, same p; R's simulated p for this table (T62, B = 1e5) is 0.1789.
		expect(fisherMonteCarlo(x, 2000, f.seed)).toBe(f.p);
		expect(Math.abs(f.p - 0.1789)).toBeLessThan(0.04);
	});

	it('Monte Carlo agrees with the exact p on a small table', () => {
		const x = [
			[3, 1, 0],
			[2, 4, 1],
			[0, 2, 5]
		];
		const exact = fisherTest(x)!.p;
		const mc = fisherMonteCarlo(x, 20000, 7);
		expect(Math.abs(mc - exact)).toBeLessThan(0.01);
	});
});
