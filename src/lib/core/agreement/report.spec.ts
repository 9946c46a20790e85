import { describe, expect, it } from 'vitest';
import { parseCsv } from '../csv';
import { fixture } from './fixture';
import { agreementCsv, agreementReport, agreementTable, overlapShare, validateAgreementOptions, type AgreementRow } from './report';
import { cohenKappa, fleissKappa, krippendorffAlphaNominal } from './stats';
import { uAlphaFamily } from './unitizing';

const AB = ['coder-A', 'coder-B'];
const row = (rows: AgreementRow[], code: string) => rows.find((r) => r.code === code)!;
const ten = 'abcdefghij';

describe('agreementReport: character (NVivo coding comparison)', () => {
	const data = fixture({
		docs: [ten],
		codes: [['c', 'Care']],
		coders: ['A', 'B'],
		segments: [
			[0, 'c', 'A', 0, 5],
			[0, 'c', 'B', 3, 8]
		]
	});

	it('counts characters coded by both, one and neither, and computes kappa on the 2×2 table', () => {
		const r = row(agreementReport(data, { coderIds: AB, unit: 'character' }).rows, 'Care');
		expect(r.n).toBe(10);
		expect(r.counts).toMatchObject({ both: 2, onlyFirst: 3, onlySecond: 3, neither: 2 });
		expect(r.stats.percent_agreement!.value).toBeCloseTo(0.4, 12);
		// p_e = .5·.5 + .5·.5 = .5; κ = (.4 − .5)/.5
		expect(r.stats.cohen_kappa!.value).toBeCloseTo(-0.2, 12);
		expect(Object.keys(r.stats).sort()).toEqual(['cohen_kappa', 'percent_agreement']);
	});

	it('equals Cohen’s kappa over an explicit per-character matrix', () => {
		const data2 = fixture({
			docs: ['x'.repeat(40), 'y'.repeat(25)],
			codes: [['c', 'Care']],
			coders: ['A', 'B'],
			segments: [
				[0, 'c', 'A', 0, 12],
				[0, 'c', 'A', 10, 20], // overlaps A's own segment: counted once
				[0, 'c', 'B', 5, 18],
				[1, 'c', 'A', 3, 9],
				[1, 'c', 'B', 4, 15]
			]
		});
		const cov = (ranges: [number, number][], i: number) => (ranges.some(([s, e]) => i >= s && i < e) ? 1 : 0);
		const matrix: number[][] = [];
		for (let i = 0; i < 40; i++) matrix.push([cov([[0, 20]], i), cov([[5, 18]], i)]);
		for (let i = 0; i < 25; i++) matrix.push([cov([[3, 9]], i), cov([[4, 15]], i)]);
		const r = row(agreementReport(data2, { coderIds: AB, unit: 'character' }).rows, 'Care');
		expect(r.n).toBe(65);
		expect(Math.abs(r.stats.cohen_kappa!.value! - cohenKappa(matrix).value!)).toBeLessThan(1e-12);
	});

	it('pools codes in the (all) row: n = characters × codes', () => {
		const d = fixture({
			docs: [ten],
			codes: [
				['c', 'Care'],
				['w', 'Work']
			],
			coders: ['A', 'B'],
			segments: [
				[0, 'c', 'A', 0, 5],
				[0, 'c', 'B', 0, 5],
				[0, 'w', 'A', 5, 10]
			]
		});
		const rows = agreementReport(d, { coderIds: AB, unit: 'character' }).rows;
		expect(rows.map((r) => r.code)).toEqual(['Care', 'Work', '(all)']);
		const all = row(rows, '(all)');
		expect(all.codeId).toBeNull();
		expect(all.n).toBe(20);
		expect(all.stats.percent_agreement!.value).toBeCloseTo(15 / 20, 12);
	});
});

describe('agreementReport: character, per document and pooled three ways', () => {
	// doc0 (40 chars): A 0–20, B 5–18 · doc1 (10 chars): A 0–5, B 3–8 · doc2 (30 chars): nobody codes Care
	const d = fixture({
		docs: ['x'.repeat(40), ten, 'z'.repeat(30)],
		codes: [
			['c', 'Care'],
			['w', 'Work']
		],
		coders: ['A', 'B'],
		segments: [
			[0, 'c', 'A', 0, 20],
			[0, 'c', 'B', 5, 18],
			[1, 'c', 'A', 0, 5],
			[1, 'c', 'B', 3, 8],
			[2, 'w', 'A', 0, 20],
			[2, 'w', 'B', 0, 20]
		]
	});
	const opts = { coderIds: AB, unit: 'character' as const, documentIds: ['doc0', 'doc1', 'doc2'] };
	const kappa2x2 = (both: number, a: number, b: number, n: number) => {
		const po = (n - a - b + 2 * both) / n;
		const pe = (a / n) * (b / n) + (1 - a / n) * (1 - b / n);
		return (po - pe) / (1 - pe);
	};
	const k0 = kappa2x2(13, 20, 13, 40);
	const k1 = kappa2x2(2, 5, 5, 10);

	it('gives NVivo’s per-source figures per code and document; κ is n/a where nobody coded', () => {
		const rep = agreementReport(d, { ...opts, byDocument: true });
		const care = rep.documentRows.filter((r) => r.code === 'Care');
		expect(care.map((r) => [r.document, r.n])).toEqual([
			['Document 0', 40],
			['Document 1', 10],
			['Document 2', 30]
		]);
		expect(care[0].stats.cohen_kappa!.value).toBeCloseTo(k0, 12);
		expect(care[0].stats.percent_agreement!.value).toBeCloseTo(33 / 40, 12);
		expect(care[1].stats.cohen_kappa!.value).toBeCloseTo(k1, 12);
		expect(care[2].stats.cohen_kappa).toEqual({ value: null, reason: 'no variation: neither coder coded any text' });
		expect(care[2].stats.percent_agreement!.value).toBe(1);
	});

	it('pooled (default): Cohen’s κ on all characters together', () => {
		const rep = agreementReport(d, opts);
		expect(rep.pooling).toBe('pooled');
		const care = row(rep.rows, 'Care');
		expect(care.n).toBe(80);
		expect(care.stats.cohen_kappa!.value).toBeCloseTo(kappa2x2(15, 25, 18, 80), 12);
		expect(care.stats.percent_agreement!.value).toBeCloseTo((33 + 4 + 30) / 80, 12);
	});

	it('mean: the per-document figures averaged, each document equal, undefined ones left out', () => {
		const care = row(agreementReport(d, { ...opts, pooling: 'mean' }).rows, 'Care');
		expect(care.n).toBe(80);
		expect(care.stats.cohen_kappa!.value).toBeCloseTo((k0 + k1) / 2, 12);
		expect(care.counts['cohen_kappa:averaged']).toBe(2);
		expect(care.counts['cohen_kappa:leftOut']).toBe(1);
		expect(care.stats.percent_agreement!.value).toBeCloseTo((33 / 40 + 4 / 10 + 1) / 3, 12);
	});

	it('weighted: the mean weighted by document length (for % agreement that is the pooled figure)', () => {
		const rep = agreementReport(d, { ...opts, pooling: 'weighted' });
		const care = row(rep.rows, 'Care');
		expect(care.stats.cohen_kappa!.value).toBeCloseTo((40 * k0 + 10 * k1) / 50, 12);
		expect(care.stats.percent_agreement!.value).toBeCloseTo(row(agreementReport(d, opts).rows, 'Care').stats.percent_agreement!.value!, 12);
	});

	it('the (all) row averages every code × document pair', () => {
		const all = row(agreementReport(d, { ...opts, pooling: 'mean' }).rows, '(all)');
		// Work: doc2 κ = 1; Work in doc0 and doc1 and Care in doc2: nobody coded, left out
		expect(all.stats.cohen_kappa!.value).toBeCloseTo((k0 + k1 + 1) / 3, 12);
		expect(all.counts).toMatchObject({ pairs: 6, 'cohen_kappa:averaged': 3, 'cohen_kappa:leftOut': 3 });
		const none = agreementReport(fixture({ docs: [ten], codes: [['c', 'Care']], coders: ['A', 'B'], segments: [] }), {
			...opts,
			documentIds: ['doc0'],
			pooling: 'mean'
		});
		expect(row(none.rows, 'Care').stats.cohen_kappa).toEqual({ value: null, reason: 'undefined in every document (no variation: neither coder coded any text)' });
	});

	it('rejects an unknown pooling', () => {
		expect(validateAgreementOptions(d, { ...opts, pooling: 'median' as never })).toEqual(['unknown pooling "median" (use pooled, mean, weighted)']);
	});
});

describe('agreementReport: presence', () => {
	const data = fixture({
		docs: ['one', 'two', 'three', 'four', 'five'],
		codes: [['c', 'Care']],
		coders: ['A', 'B', 'C'],
		segments: [
			[0, 'c', 'A', 0, 2],
			[0, 'c', 'B', 1, 3],
			[1, 'c', 'A', 0, 2],
			[2, 'c', 'B', 0, 2],
			[2, 'c', 'C', 0, 2],
			[3, 'c', 'C', 0, 1]
		]
	});

	const docs = ['doc0', 'doc1', 'doc2', 'doc3', 'doc4'];

	it('by default compares only the documents every selected coder coded, and says so', () => {
		const rep = agreementReport(data, { coderIds: AB, unit: 'presence' });
		expect(rep.documentIds).toEqual(['doc0']);
		expect(rep.notes).toEqual(['Compared the 1 document coded by every selected coder; left out 4 that not every coder coded.']);
		expect(agreementReport(data, { coderIds: AB, unit: 'presence', documentIds: docs }).notes).toEqual([]);
	});

	it('two coders: percent agreement, Cohen, Fleiss and alpha over documents', () => {
		const r = row(agreementReport(data, { coderIds: AB, unit: 'presence', documentIds: docs }).rows, 'Care');
		const m = [
			[1, 1],
			[1, 0],
			[0, 1],
			[0, 0],
			[0, 0]
		];
		expect(r.n).toBe(5);
		expect(r.stats.percent_agreement!.value).toBeCloseTo(3 / 5, 12);
		expect(r.stats.cohen_kappa!.value).toBe(cohenKappa(m).value);
		expect(r.stats.fleiss_kappa!.value).toBe(fleissKappa(m).value);
		expect(r.stats.krippendorff_alpha!.value).toBe(krippendorffAlphaNominal(m).value);
	});

	it('three coders: no Cohen’s kappa; percent agreement is the mean pairwise agreement', () => {
		const r = row(agreementReport(data, { coderIds: ['coder-A', 'coder-B', 'coder-C'], unit: 'presence', documentIds: docs }).rows, 'Care');
		expect(r.stats.cohen_kappa).toBeUndefined();
		// units: [1,1,0] 1/3, [1,0,0] 1/3, [0,1,1] 1/3, [0,0,1] 1/3, [0,0,0] 1
		expect(r.stats.percent_agreement!.value).toBeCloseTo((4 / 3 + 1) / 5, 12);
		expect(r.coders).toEqual(['A', 'B', 'C']);
	});

	it('per-document rows: one unit each', () => {
		const rep = agreementReport(data, { coderIds: AB, unit: 'presence', byDocument: true, documentIds: docs });
		expect(rep.documentRows).toHaveLength(10);
		const d1 = rep.documentRows.find((r) => r.documentId === 'doc1' && r.codeId === 'c')!;
		expect(d1.n).toBe(1);
		expect(d1.stats.percent_agreement!.value).toBe(0);
		expect(d1.document).toBe('Document 1');
	});
});

describe('agreementReport: segment (MAXQDA)', () => {
	it('matches segments that overlap by at least the threshold share (intersection / union)', () => {
		expect(overlapShare({ start: 0, end: 10 }, { start: 0, end: 9 })).toBeCloseTo(0.9, 15);
		const data = fixture({
			docs: ['x'.repeat(100)],
			codes: [
				['c', 'Care'],
				['w', 'Work']
			],
			coders: ['A', 'B'],
			segments: [
				[0, 'c', 'A', 0, 10],
				[0, 'c', 'B', 0, 9], // share 0.9: match
				[0, 'c', 'A', 20, 30],
				[0, 'c', 'B', 20, 28], // share 0.8: no match at 0.9
				[0, 'w', 'A', 50, 60] // only A
			]
		});
		const rep = agreementReport(data, { coderIds: AB, unit: 'segment' });
		const care = row(rep.rows, 'Care');
		expect(care.n).toBe(4);
		expect(care.counts).toMatchObject({ matches: 2, nonMatches: 2 });
		expect(care.stats.percent_agreement!.value).toBe(0.5);
		// q = 2 codes: (0.5 − 0.5)/(1 − 0.5)
		expect(care.stats.brennan_prediger_kappa!.value).toBe(0);
		const all = row(rep.rows, '(all)');
		expect(all.n).toBe(5);
		expect(all.stats.percent_agreement!.value).toBeCloseTo(2 / 5, 12);
		expect(all.stats.brennan_prediger_kappa!.value).toBeCloseTo((0.4 - 0.5) / 0.5, 12);
		const lower = row(agreementReport(data, { coderIds: AB, unit: 'segment', threshold: 0.8 }).rows, 'Care');
		expect(lower.stats.percent_agreement!.value).toBe(1);
	});

	it('q counts the codes in use (MAXQDA’s results table), not every code in the codebook', () => {
		const data = fixture({
			docs: ['x'.repeat(100)],
			codes: [
				['c', 'Care'],
				['w', 'Work'],
				['u', 'Unused']
			],
			coders: ['A', 'B'],
			segments: [
				[0, 'c', 'A', 0, 10],
				[0, 'c', 'B', 0, 10],
				[0, 'w', 'A', 50, 60]
			]
		});
		const rows = agreementReport(data, { coderIds: AB, unit: 'segment' }).rows;
		const all = row(rows, '(all)');
		expect(all.counts.codes).toBe(2);
		expect(all.stats.percent_agreement!.value).toBeCloseTo(2 / 3, 12);
		expect(all.stats.brennan_prediger_kappa!.value).toBeCloseTo((2 / 3 - 1 / 2) / (1 / 2), 12);
		expect(row(rows, 'Unused').stats.percent_agreement!.reason).toMatch(/no coded segments/);
	});

	it('kappa is undefined with only one code (chance agreement 1/q = 1)', () => {
		const data = fixture({ docs: [ten], codes: [['c', 'Care']], coders: ['A', 'B'], segments: [[0, 'c', 'A', 0, 5]] });
		const r = row(agreementReport(data, { coderIds: AB, unit: 'segment' }).rows, 'Care');
		expect(r.stats.percent_agreement!.value).toBe(0);
		expect(r.stats.brennan_prediger_kappa!.value).toBeNull();
		expect(r.stats.brennan_prediger_kappa!.reason).toMatch(/two codes/);
	});
});

describe('agreementReport: unitized', () => {
	it('per code u_alpha is the binary uα of that code (hand example UA3: 151/240)', () => {
		const data = fixture({
			docs: [ten],
			codes: [['c', 'Care']],
			coders: ['A', 'B'],
			segments: [
				[0, 'c', 'A', 2, 6],
				[0, 'c', 'B', 3, 7]
			]
		});
		const rep = agreementReport(data, { coderIds: AB, unit: 'unitized' });
		const r = row(rep.rows, 'Care');
		expect(r.n).toBe(10);
		expect(r.stats.u_alpha!.value).toBeCloseTo(151 / 240, 12);
		expect(r.stats.cu_alpha!.value).toBeNull();
		expect(Object.keys(r.stats).sort()).toEqual(['cu_alpha', 'u_alpha']);
	});

	it('lays documents end to end and gives cuα per code and pooled', () => {
		const data = fixture({
			docs: ['x'.repeat(6), 'y'.repeat(4)],
			codes: [
				['a', 'Alpha'],
				['b', 'Beta']
			],
			coders: ['A', 'B'],
			segments: [
				[0, 'a', 'A', 0, 4],
				[0, 'b', 'A', 4, 6],
				[1, 'b', 'A', 0, 2],
				[0, 'a', 'B', 0, 4],
				[0, 'a', 'B', 4, 6],
				[1, 'a', 'B', 0, 2]
			]
		});
		// documents end to end: L = 10; B's touching segments stay separate units
		const direct = uAlphaFamily({
			begin: 0,
			length: 10,
			coders: [
				[
					{ start: 0, end: 4, value: 'a' },
					{ start: 4, end: 6, value: 'b' },
					{ start: 6, end: 8, value: 'b' }
				],
				[
					{ start: 0, end: 4, value: 'a' },
					{ start: 4, end: 6, value: 'a' },
					{ start: 6, end: 8, value: 'a' }
				]
			]
		});
		const rep = agreementReport(data, { coderIds: AB, unit: 'unitized' });
		expect(row(rep.rows, '(all)').n).toBe(10);
		expect(row(rep.rows, '(all)').stats.cu_alpha!.value).toBe(direct.cuAlpha.value);
		expect(row(rep.rows, '(all)').stats.u_alpha!.value).toBe(direct.binaryUAlpha.value);
		expect(row(rep.rows, 'Alpha').stats.cu_alpha!.value).toBe(direct.kuAlpha.get('a')!.value);
		expect(row(rep.rows, 'Beta').stats.cu_alpha!.value).toBe(direct.kuAlpha.get('b')!.value);
		expect(direct.cuAlpha.value).not.toBeNull();
	});

	it('cuα is undefined, with the reason, when one coder’s codes overlap', () => {
		const data = fixture({
			docs: [ten],
			codes: [
				['a', 'Alpha'],
				['b', 'Beta']
			],
			coders: ['A', 'B'],
			segments: [
				[0, 'a', 'A', 0, 5],
				[0, 'b', 'A', 3, 8],
				[0, 'a', 'B', 0, 5]
			]
		});
		const rep = agreementReport(data, { coderIds: AB, unit: 'unitized' });
		const all = row(rep.rows, '(all)');
		expect(all.stats.cu_alpha!.value).toBeNull();
		expect(all.stats.cu_alpha!.reason).toMatch(/overlap/);
		expect(row(rep.rows, 'Alpha').stats.u_alpha!.value).toBe(1);
	});
});

describe('hand-made cases', () => {
	it('nested codes: a child’s segment counts for the parent only with includeDescendants', () => {
		const data = fixture({
			docs: [ten],
			codes: [
				['p', 'Parent'],
				['k', 'Child', 'p']
			],
			coders: ['A', 'B'],
			segments: [
				[0, 'k', 'A', 0, 5],
				[0, 'p', 'B', 0, 5]
			]
		});
		const plain = agreementReport(data, { coderIds: AB, unit: 'character' }).rows;
		expect(plain.map((r) => r.code)).toEqual(['Parent', 'Parent > Child', '(all)']);
		expect(row(plain, 'Parent').counts).toMatchObject({ both: 0, onlySecond: 5 });
		expect(row(plain, 'Parent > Child').counts).toMatchObject({ both: 0, onlyFirst: 5 });
		const nested = agreementReport(data, { coderIds: AB, unit: 'character', includeDescendants: true }).rows;
		expect(row(nested, 'Parent').counts).toMatchObject({ both: 5, onlyFirst: 0, onlySecond: 0 });
		expect(row(nested, 'Parent').stats.cohen_kappa!.value).toBe(1);
		const presence = agreementReport(data, { coderIds: AB, unit: 'presence', includeDescendants: true }).rows;
		expect(row(presence, 'Parent').stats.percent_agreement!.value).toBe(1);
		expect(row(presence, 'Parent > Child').stats.percent_agreement!.value).toBe(0);
	});

	it('zero-length segments cover nothing and count for no unit', () => {
		const data = fixture({
			docs: [ten, ten],
			codes: [['c', 'Care']],
			coders: ['A', 'B'],
			segments: [
				[0, 'c', 'A', 3, 3],
				[1, 'c', 'A', 0, 4],
				[1, 'c', 'B', 0, 4]
			]
		});
		for (const unit of ['presence', 'segment', 'character'] as const) {
			const r = row(agreementReport(data, { coderIds: AB, unit }).rows, 'Care');
			expect(r.stats.percent_agreement!.value, unit).toBe(1);
		}
		expect(row(agreementReport(data, { coderIds: AB, unit: 'segment' }).rows, 'Care').n).toBe(2);
	});

	it('identical coders agree perfectly in every unit', () => {
		const segs: [number, string, string, number, number][] = [
			[0, 'a', 'A', 0, 4],
			[0, 'b', 'A', 5, 9],
			[1, 'a', 'A', 2, 6]
		];
		const data = fixture({
			docs: [ten, ten, ten],
			codes: [
				['a', 'Alpha'],
				['b', 'Beta']
			],
			coders: ['A', 'B'],
			segments: [...segs, ...segs.map(([d, c, , s, e]) => [d, c, 'B', s, e] as [number, string, string, number, number])]
		});
		const all = (unit: 'presence' | 'segment' | 'character' | 'unitized') =>
			row(agreementReport(data, { coderIds: AB, unit }).rows, '(all)').stats;
		expect(all('presence')).toEqual({
			percent_agreement: { value: 1 },
			cohen_kappa: { value: 1 },
			fleiss_kappa: { value: 1 },
			krippendorff_alpha: { value: 1 }
		});
		expect(all('segment')).toEqual({ percent_agreement: { value: 1 }, brennan_prediger_kappa: { value: 1 } });
		expect(all('character')).toEqual({ percent_agreement: { value: 1 }, cohen_kappa: { value: 1 } });
		expect(all('unitized')).toEqual({ u_alpha: { value: 1 }, cu_alpha: { value: 1 } });
	});

	it('one coder with no coding: defined where chance can be estimated, else n/a with a reason', () => {
		const data = fixture({
			docs: [ten, ten],
			codes: [['c', 'Care']],
			coders: ['A', 'B'],
			segments: [[0, 'c', 'A', 0, 4]]
		});
		const presence = agreementReport(data, { coderIds: AB, unit: 'presence' });
		expect(presence.notes[0]).toMatch(/No document was coded by every selected coder, so all 2 documents were compared/);
		const p = row(presence.rows, 'Care').stats;
		expect(p.percent_agreement!.value).toBe(0.5);
		expect(p.cohen_kappa!.value).toBe(0);
		const c = row(agreementReport(data, { coderIds: AB, unit: 'character' }).rows, 'Care').stats;
		expect(c.percent_agreement!.value).toBeCloseTo(16 / 20, 12);
		expect(c.cohen_kappa!.value).toBe(0);
		const s = row(agreementReport(data, { coderIds: AB, unit: 'segment' }).rows, 'Care');
		expect(s.n).toBe(1);
		expect(s.stats.percent_agreement!.value).toBe(0);
		const u = row(agreementReport(data, { coderIds: AB, unit: 'unitized' }).rows, 'Care').stats;
		expect(u.u_alpha!.value).not.toBeNull();
		expect(Number.isFinite(u.u_alpha!.value)).toBe(true);
		expect(u.cu_alpha!.value).toBeNull();

		// neither coder coded anything: every statistic is n/a with a reason, never 0 or NaN
		const empty = fixture({ docs: [ten, ten], codes: [['c', 'Care']], coders: ['A', 'B'], segments: [] });
		for (const unit of ['presence', 'segment', 'character', 'unitized'] as const) {
			const st = row(agreementReport(empty, { coderIds: AB, unit }).rows, 'Care').stats;
			for (const [name, v] of Object.entries(st)) {
				if (unit === 'presence' && name === 'percent_agreement') {
					expect(v!.value).toBe(1); // both said "not coded" on every document
					continue;
				}
				if (unit === 'character' && name === 'percent_agreement') {
					expect(v!.value).toBe(1);
					continue;
				}
				expect(v!.value, `${unit} ${name}`).toBeNull();
				expect(v!.reason, `${unit} ${name}`).toMatch(/\w/);
			}
		}
	});
});

describe('options and CSV', () => {
	const data = fixture({
		docs: [ten],
		codes: [['c', '=Care']],
		coders: ['A', 'B', 'C'],
		segments: [
			[0, 'c', 'A', 0, 5],
			[0, 'c', 'B', 0, 5]
		]
	});

	it('validates coders, threshold, documents and codes', () => {
		expect(validateAgreementOptions(data, { coderIds: AB, unit: 'segment' })).toEqual([]);
		const errs = validateAgreementOptions(data, {
			coderIds: ['coder-A', 'nobody'],
			unit: 'segment',
			threshold: 1.5,
			documentIds: ['nodoc'],
			codeIds: ['nocode']
		});
		expect(errs).toHaveLength(4);
		expect(() => agreementReport(data, { coderIds: ['coder-A'], unit: 'presence' })).toThrow(/two coders/);
	});

	it('writes the exact columns, empty where a statistic does not apply and n/a where undefined', () => {
		const rep = agreementReport(data, { coderIds: AB, unit: 'character' });
		const parsed = parseCsv(agreementCsv(rep.rows));
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.value.header).toEqual([
			'code',
			'unit',
			'coders',
			'n',
			'percent_agreement',
			'cohen_kappa',
			'fleiss_kappa',
			'krippendorff_alpha',
			'brennan_prediger_kappa',
			'u_alpha',
			'cu_alpha'
		]);
		expect(parsed.value.rows).toEqual([
			["'=Care", 'character', 'A; B', '10', '1', '1', '', '', '', '', ''],
			['(all)', 'character', 'A; B', '10', '1', '1', '', '', '', '', '']
		]);
		const seg = agreementReport(data, { coderIds: AB, unit: 'segment' });
		const segCsv = parseCsv(agreementCsv(seg.rows));
		if (!segCsv.ok) throw new Error('csv');
		expect(segCsv.value.rows[0].slice(4)).toEqual(['1', '', '', '', 'n/a', '', '']);
		const withDoc = parseCsv(agreementCsv(agreementReport(data, { coderIds: AB, unit: 'character', byDocument: true }).documentRows, { withDocument: true }));
		if (!withDoc.ok) throw new Error('csv');
		expect(withDoc.value.header.slice(0, 3)).toEqual(['code', 'document', 'unit']);
		expect(withDoc.value.rows[0][1]).toBe('Document 0');
	});
});

describe('agreementTable', () => {
	it('prints the applicable columns, n/a for undefined values and the reasons', () => {
		const data = fixture({ docs: [ten], codes: [['c', 'Care']], coders: ['A', 'B'], segments: [[0, 'c', 'A', 0, 5]] });
		const t = agreementTable(agreementReport(data, { coderIds: AB, unit: 'segment' }).rows);
		const lines = t.split('\n');
		expect(lines[0]).toBe('unit: segment; coders: A, B');
		expect(lines[1]).toMatch(/^code\s+n\s+percent_agreement\s+brennan_prediger_kappa$/);
		expect(lines[3]).toMatch(/^Care\s+1\s+0\.000\s+n\/a$/);
		expect(t).toMatch(/Care: brennan_prediger_kappa n\/a: needs at least two codes/);
	});
});
