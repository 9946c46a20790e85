/**
 * Every reference vector in tests/fixtures/agreement/vectors (copied from the project's shared
 * reference data, see its README) must be consumed and
 * reproduced to 1e-9 (or be undefined where the vector says null). An unknown statistic fails.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	brennanPrediger,
	cohenKappa,
	fleissKappa,
	krippendorffAlphaNominal,
	percentAgreement,
	percentAgreementPairableWeighted,
	percentAgreementPairwise,
	percentAgreementUnanimous,
	type Label,
	type RatingMatrix,
	type Stat
} from './stats';
import { alphaU1995, uAlphaFamily, type Continuum, type CuVariant } from './unitizing';

const DIR = resolve(import.meta.dirname, '../../../../tests/fixtures/agreement/vectors');
if (!existsSync(DIR)) throw new Error(`reference vectors not found at ${DIR}`);

interface Vector {
	name: string;
	statistic: string;
	data: {
		format: string;
		categories?: Label[];
		matrix?: (Label | null)[][];
		continuum_begin?: number;
		continuum_length?: number;
		coders?: { name: string; units: [number, number, string][] }[];
	};
	expected: number | null;
}

const files = readdirSync(DIR)
	.filter((f) => f.endsWith('.json') && !f.startsWith('_'))
	.sort();

type Computed = Stat | number;

function continuum(v: Vector): Continuum {
	return {
		begin: v.data.continuum_begin!,
		length: v.data.continuum_length!,
		coders: v.data.coders!.map((c) => c.units.map(([start, end, value]) => ({ start, end, value: String(value) })))
	};
}

/** Gloss's value for a vector's statistic; throws on a statistic Gloss does not handle. */
function compute(v: Vector): Computed {
	const s = v.statistic;
	if (v.data.format === 'units_x_raters') {
		const M = v.data.matrix as RatingMatrix;
		const cats = v.data.categories;
		switch (s) {
			case 'percent_agreement':
				return percentAgreement(M);
			case 'percent_agreement_pairwise':
				return percentAgreementPairwise(M);
			case 'percent_agreement_pairable_weighted':
				return percentAgreementPairableWeighted(M);
			case 'percent_agreement_unanimous':
				return percentAgreementUnanimous(M);
			case 'cohen_kappa':
				return cohenKappa(M);
			case 'fleiss_kappa': {
				// complete data: both missing-data conventions must give Fleiss' value
				const a = fleissKappa(M);
				const b = fleissKappa(M, 'listwise');
				if (a.value === null || b.value === null) expect([a.value, b.value]).toEqual([null, null]);
				else expect(Math.abs(a.value - b.value)).toBeLessThan(1e-12);
				return a;
			}
			case 'fleiss_kappa_listwise':
				return fleissKappa(M, 'listwise');
			case 'fleiss_kappa_gwet_missing':
				return fleissKappa(M, 'gwet');
			case 'brennan_prediger':
				return brennanPrediger(M, cats);
			case 'brennan_prediger_pairable_weighted':
				return brennanPrediger(M, cats, 'pairable-weighted');
			case 'krippendorff_alpha_nominal':
				return krippendorffAlphaNominal(M);
		}
		throw new Error(`unhandled coding statistic ${s} in ${v.name}`);
	}
	if (v.data.format === 'unitized_segments') {
		const c = continuum(v);
		const variantOf = (x: string | undefined): CuVariant => (x === 'A' || x === 'B' || x === 'C' ? x : 'C');
		let m: RegExpMatchArray | null;
		if (s === 'u_alpha') return uAlphaFamily(c).uAlpha;
		if (s === 'binary_u_alpha') return uAlphaFamily(c).binaryUAlpha;
		if ((m = s.match(/^cu_alpha(?:__variant([ABC]))?$/))) {
			if (!m[1] && c.coders.length > 2) throw new Error(`${v.name}: cu_alpha without a variant for ${c.coders.length} coders`);
			return uAlphaFamily(c, variantOf(m[1])).cuAlpha;
		}
		if ((m = s.match(/^k_u_alpha\[([^\]]+)\](?:__variant([ABC]))?$/))) {
			const r = uAlphaFamily(c, variantOf(m[2])).kuAlpha.get(m[1]);
			if (!r) throw new Error(`${v.name}: no value ${m[1]}`);
			return r;
		}
		if (s === 'alpha_U_1995_overall') return alphaU1995(c).overall;
		if ((m = s.match(/^alpha_U_1995\[([^\]]+)\]\.(D_o|D_e|alpha)$/))) {
			const cat = alphaU1995(c).categories.find((x) => x.category === m![1]);
			if (!cat) throw new Error(`${v.name}: no category ${m[1]}`);
			return m[2] === 'D_o' ? cat.observed : m[2] === 'D_e' ? cat.expected : cat.alpha;
		}
		throw new Error(`unhandled unitizing statistic ${s} in ${v.name}`);
	}
	throw new Error(`unknown data format ${v.data.format} in ${v.name}`);
}

describe('reference vectors', () => {
	it('finds the vector files, and every file is listed in an index with the same expected value', () => {
		expect(files.length).toBeGreaterThan(200);
		const index = [
			...(JSON.parse(readFileSync(join(DIR, '_index.json'), 'utf8')) as { name: string; file?: string; expected: number | null }[]),
			...(JSON.parse(readFileSync(join(DIR, '_index_unitized.json'), 'utf8')) as { name: string; file?: string; expected: number | null }[])
		];
		const byFile = new Map(index.map((e) => [e.file ?? `${e.name}.json`, e]));
		expect([...byFile.keys()].sort()).toEqual(files);
		for (const f of files) {
			const v = JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Vector;
			expect(byFile.get(f)!.expected, f).toEqual(v.expected);
		}
	});

	for (const f of files) {
		it(f, () => {
			const v = JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Vector;
			const got = compute(v);
			if (typeof got === 'number') {
				expect(v.expected).not.toBeNull();
				expect(Math.abs(got - (v.expected as number))).toBeLessThanOrEqual(1e-9);
			} else if (v.expected === null) {
				expect(got.value).toBeNull();
				expect(got.reason).toMatch(/\w/);
			} else {
				expect(got.value).not.toBeNull();
				expect(Math.abs((got.value as number) - v.expected)).toBeLessThanOrEqual(1e-9);
			}
		});
	}
});
