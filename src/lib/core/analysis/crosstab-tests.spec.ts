import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analysisSmall } from '../../../../tests/fixtures/analysis-small';
import { parseBackup } from '../backup';
import { parseCsv } from '../csv';
import { toCsv } from '../csv';
import type { StudyData } from '../types';
import { crosstab } from './crosstab';
import { attributeTest, codePairTest, crosstabTests } from './crosstab-tests';
import { crosstabTable } from './tables';

const DEMO = fileURLToPath(new URL('../../../../static/demo/cleaner-production.gloss.json', import.meta.url));
const VEC = (f: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../../tests/fixtures/stats/vectors/${f}`, import.meta.url)), 'utf8')).expected;
const guid = (n: string) => `cb0c0de0-0000-4000-8000-000000000${n}`;

function demo(): StudyData {
	const r = parseBackup(readFileSync(DEMO, 'utf8'), 'demo', 'cleaner-production.gloss.json');
	if (!r.ok) throw new Error(r.errors.join('\n'));
	return r.value;
}

describe('tests on the cross-tab by City (the demo = the seed)', () => {
	const data = demo();
	const city = data.attributes.find((a) => a.name === 'City')!;
	const x = crosstab(data, {}, { by: [city.id] });

	it('each code: the 2 × 3 table cited / not cited, equal to R (T01, T03)', () => {
		const t = crosstabTests(x);
		const audit = t.codes.find((c) => c.codeId === guid('723'))!;
		expect(audit.tests!.table).toEqual([
			[1, 2, 4],
			[9, 10, 4]
		]);
		expect(audit.tests!.lead).toBe('fisher');
		expect(Math.abs(audit.tests!.p! - VEC('T01_seed_cp_audit_continued__fisher_p.json'))).toBeLessThan(1e-12);
		expect(Math.abs(audit.tests!.cramersV! - VEC('T01_seed_cp_audit_continued__cramers_v.json'))).toBeLessThan(1e-12);
		expect(audit.sentence).toBe('Cases citing (B1-b) CP audit continued on own initiative do not differ significantly by City (Fisher’s exact p = 0.16, V = 0.39).');
		const tec = t.codes.find((c) => c.codeId === guid('122'))!;
		expect(tec.tests!.table).toEqual([
			[5, 0, 5],
			[5, 12, 3]
		]);
		expect(tec.residuals[1]).toBeCloseTo(-3.162, 3);
		expect(tec.sentence).toBe('Cases citing Total emission control differ by City (Fisher’s exact p = 0.003, V = 0.59); S is above expectation; N is below expectation.');
	});

	it('Holm and BH adjust over the codes tested; codes no case cites are n/a and left out', () => {
		const none = crosstabTests(x);
		const holm = crosstabTests(x, { adjust: 'holm' });
		const bh = crosstabTests(x, { adjust: 'bh' });
		const tested = none.codes.filter((c) => c.pAdjusted !== null);
		expect(holm.family).toBe(tested.length);
		const i = none.codes.findIndex((c) => c.codeId === guid('122'));
		expect(holm.codes[i].pAdjusted!).toBeGreaterThanOrEqual(none.codes[i].pAdjusted!);
		expect(bh.codes[i].pAdjusted!).toBeLessThanOrEqual(holm.codes[i].pAdjusted!);
		expect(holm.codes[i].sentence).toMatch(/Holm-adjusted Fisher’s exact p/);
		for (const c of none.codes) if (c.tests === null) expect(c.reason).toMatch(/no cases cite it|all cases cite it/);
	});

	it('the CSV gets test, statistic, df, p, p_adjusted, cramers_v, min_expected', () => {
		const tests = crosstabTests(x, { adjust: 'holm' });
		const table = crosstabTable(x, { tests });
		const csv = parseCsv(toCsv(table.header, table.rows));
		if (!csv.ok) throw new Error('csv');
		expect(csv.value.header.slice(-8)).toEqual(['test', 'statistic', 'df', 'p', 'p_adjusted', 'cramers_v', 'min_expected', 'note']);
		const row = csv.value.rows.find((r) => r[0].endsWith('CP audit continued on own initiative'))!;
		const col = (n: string) => row[csv.value.header.indexOf(n)];
		expect(col('test')).toBe('fisher_exact');
		expect(col('statistic')).toBe('');
		expect(Math.abs(Number(col('p')) - 0.1642990470576704)).toBeLessThan(1e-12);
		expect(Number(col('min_expected'))).toBeCloseTo(56 / 30, 12);
		expect(col('note')).toMatch(/expected count below 5 in 3 cells.*Holm over \d+ codes/);
	});
});

describe('when tests are not possible', () => {
	it('counting segments: no test, with the reason', () => {
		const r = crosstab(analysisSmall(), {}, { by: ['city'], count: 'segments' });
		const t = crosstabTests(r);
		expect(t.unavailable).toMatch(/segment/);
		expect(t.codes.every((c) => c.tests === null)).toBe(true);
	});

	it('the (missing) column is left out of the test', () => {
		const r = crosstab(analysisSmall(), {}, { by: ['city'] });
		const t = crosstabTests(r);
		expect(t.testedColumns).toEqual([0, 1]);
		const q = t.codes.find((c) => c.path === 'Economic > Quality')!;
		// C 1 of 2, N 0 of 2 → [[1, 0], [1, 2]]
		expect(q.tests!.table).toEqual([
			[1, 0],
			[1, 2]
		]);
		expect(q.residuals[2]).toBeNull();
	});
});

describe('r × c tables: two attributes, two codes', () => {
	it('City × Sector over the cases with both values (hand-computed)', () => {
		// K1 C/Chemicals, K2 C/Textiles, K3 N/Chemicals; K4 has no City, K5 no Sector.
		const t = attributeTest(analysisSmall(), {}, 'city', 'sector')!;
		expect(t.rowLabels).toEqual(['C', 'N']);
		expect(t.colLabels).toEqual(['Chemicals', 'Textiles']);
		expect(t.table).toEqual([
			[1, 1],
			[1, 0]
		]);
		// Two tables have these margins (P 2/3 and 1/3): p = 1. X² = 0.75, V = sqrt(0.75/3) = 0.5.
		expect(t.tests.fisher!.p).toBeCloseTo(1, 14);
		expect(t.tests.pearson!.statistic).toBeCloseTo(0.75, 14);
		expect(t.tests.cramersV).toBeCloseTo(0.5, 14);
		expect(t.sentence).toBe('City and Sector are not significantly associated over the cases with both values (Fisher’s exact p = 1, V = 0.50).');
		expect(attributeTest(analysisSmall(), {}, 'city', 'city')).toBeNull();
	});

	it('two codes: cases citing one × the other, with the odds ratio', () => {
		const t = codePairTest(analysisSmall(), {}, 'E', 'S')!;
		// Economic: K1 K2 K4; Social: K3; neither: K5.
		expect(t.table).toEqual([
			[0, 3],
			[1, 1]
		]);
		expect(t.tests.oddsRatio!.estimate).toBe(0);
		expect(t.tests.fisher!.p).toBeCloseTo(0.4, 14); // P(x11 = 0) = 2/5, x11 = 1: 3/5 → only the observed counts
		expect(t.sentence).toMatch(/^Cases cite Economic and Social together no more or less often than by chance \(Fisher’s exact p = 0.40/);
	});

	it('nested attributes: the test leaves out every column missing a value', () => {
		const r = crosstab(analysisSmall(), {}, { by: ['city', 'sector'] });
		const t = crosstabTests(r);
		expect(t.testedColumns.map((j) => r.columns[j].label)).toEqual(['C / Chemicals', 'C / Textiles', 'N / Chemicals']);
	});
});
