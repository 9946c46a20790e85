/**
 * Tests on a cross-tab by an attribute: for each code, the 2 × k table of cases citing it and not
 * citing it against the attribute's values (columns), with the statistics of `stats.ts`, p-values
 * adjusted over the codes tested (Holm or Benjamini–Hochberg), the adjusted residual of each
 * "citing" cell and a plain-language line. Also any r × c table (`testMatrix`). See
 * docs/statistics.md for what is shown when.
 *
 * - Counting cases (or documents): the "not cited" row is the column base minus the cell.
 *   Counting segments there is no "not cited", so no test (a reason says so).
 * - The "(missing)" columns (cases without a value, or nested, without one of the values) are
 *   left out of the test: they are not values.
 * - A code no case cites (or every case cites) has nothing to test: n/a with that reason, and it is
 *   not counted in the adjustment.
 */
import type { Id, StudyData } from '../types';
import type { CrosstabResult } from './crosstab';
import { type AnalysisFilter, applyFilter } from './filter';
import { codeCaseMatrix } from './matrix';
import { compareValueKeys, indexOf, valueKey } from './model';
import { type Adjustment, type Matrix, type TableTests, type TestName, adjustP, formatP, testTable } from './stats';

export interface CodeTest {
	codeId: string;
	name: string;
	path: string;
	/** The 2 × k table (row 0 cited, row 1 not cited) over the tested columns; null when not testable. */
	tests: TableTests | null;
	/** The p shown: the lead test's p, adjusted when an adjustment is chosen. */
	pAdjusted: number | null;
	/** Adjusted residual of the "cited" cell per cross-tab column (null for "(missing)" or undefined). */
	residuals: (number | null)[];
	/** Why there is no test or no V (n/a), in plain words. */
	reason: string | null;
	/** The plain-language line. */
	sentence: string;
}

export interface CrosstabTests {
	adjust: Adjustment;
	/** Cross-tab column indices that enter the tests (all but "(missing)"). */
	testedColumns: number[];
	/** The attribute(s) named in sentences: "City", or "City × Sector". */
	byName: string;
	codes: CodeTest[];
	/** Number of codes whose p entered the adjustment. */
	family: number;
	/** Codes with an expected count below 5 (their lead test is Fisher's exact). */
	smallExpected: number;
	/** Set when nothing can be tested (e.g. counting segments, or fewer than 2 values). */
	unavailable: string | null;
}

/** |adjusted residual| at or above this is called "above/below expectation" (two-sided 5%). */
export const RESIDUAL_CUTOFF = 1.96;

export const ADJUSTMENT_LABELS: Record<Adjustment, string> = { none: 'none', holm: 'Holm', bh: 'Benjamini–Hochberg' };

/** Short ids of the tests for CSV and JSON. */
export const TEST_IDS: Record<TestName, string> = {
	fisher: 'fisher_exact',
	'fisher-monte-carlo': 'fisher_monte_carlo',
	pearson: 'pearson_chi2',
	yates: 'yates_chi2'
};

const fmt2 = (v: number) => (Math.round(v * 100) / 100).toFixed(2);

function testPhrase(t: TableTests, p: number, adjust: Adjustment): string {
	const chi = t.lead === 'pearson' || t.lead === 'yates';
	const name = chi
		? `${t.lead === 'yates' ? 'Yates-corrected ' : ''}χ²(${t.df}) = ${fmt2(t.statistic!)}, p`
		: t.lead === 'fisher'
			? 'Fisher’s exact p'
			: 'Fisher’s exact p (Monte Carlo)';
	const adj = adjust === 'none' ? '' : `${ADJUSTMENT_LABELS[adjust]}-adjusted `;
	const pText = formatP(p);
	const eq = pText.startsWith('<') ? pText : `= ${pText}`;
	const v = t.cramersV === null ? '' : `, V = ${fmt2(t.cramersV)}`;
	return chi ? `${name} ${adj ? `(${adj.trim()}) ` : ''}${eq}${v}` : `${adj}${name} ${eq}${v}`;
}

/** `yates`: for a 2 × 2 table (an attribute with two values) led by the chi-square, use Yates' correction. */
export function crosstabTests(r: CrosstabResult, opts: { adjust?: Adjustment; yates?: boolean } = {}): CrosstabTests {
	const adjust = opts.adjust ?? 'none';
	const byName = r.by.map((b) => b.name).join(' × ');
	const testedColumns = r.columns.map((c, j) => (c.values.some((v) => v === null) ? -1 : j)).filter((j) => j >= 0);
	const unit = r.count === 'documents' ? 'documents' : 'cases';
	let unavailable: string | null = null;
	if (r.count === 'segments') unavailable = 'tests need cases or documents: a segment count has no “not cited”';
	else if (testedColumns.length < 2) unavailable = `tests need at least two values of ${byName || 'the attribute'}`;
	const codes: CodeTest[] = r.rows.map((row) => {
		const base: CodeTest = { codeId: row.codeId, name: row.name, path: row.path, tests: null, pAdjusted: null, residuals: r.columns.map(() => null), reason: null, sentence: '' };
		if (unavailable) return { ...base, reason: unavailable, sentence: `No test: ${unavailable}.` };
		const cited = testedColumns.map((j) => row.cells[j]);
		const notCited = testedColumns.map((j) => r.columns[j].total - row.cells[j]);
		const nCited = cited.reduce((a, b) => a + b, 0);
		const nNot = notCited.reduce((a, b) => a + b, 0);
		if (nCited === 0) return { ...base, reason: `no ${unit} cite it`, sentence: `No test for ${row.name}: no ${unit} cite it.` };
		if (nNot === 0) return { ...base, reason: `all ${unit} cite it`, sentence: `No test for ${row.name}: all ${unit} cite it.` };
		const t = testTable([cited, notCited], { yates: opts.yates });
		const residuals: (number | null)[] = r.columns.map(() => null);
		testedColumns.forEach((j, k) => (residuals[j] = t.residuals?.[0][k] ?? null));
		return { ...base, tests: t, residuals, reason: t.reason };
	});
	const adjusted = adjustP(
		codes.map((c) => c.tests?.p ?? null),
		adjust
	);
	let family = 0;
	let smallExpected = 0;
	codes.forEach((c, i) => {
		if (!c.tests || c.tests.p === null) return;
		family++;
		if (c.tests.smallExpected) smallExpected++;
		c.pAdjusted = adjusted[i];
		const t = c.tests;
		const p = adjusted[i]!;
		const phrase = testPhrase(t, p, adjust);
		const above = testedColumns.filter((j) => (c.residuals[j] ?? 0) >= RESIDUAL_CUTOFF).map((j) => r.columns[j].label);
		const below = testedColumns.filter((j) => (c.residuals[j] ?? 0) <= -RESIDUAL_CUTOFF).map((j) => r.columns[j].label);
		const cells = [
			above.length ? `${above.join(', ')} ${above.length > 1 ? 'are' : 'is'} above expectation` : '',
			below.length ? `${below.join(', ')} ${below.length > 1 ? 'are' : 'is'} below expectation` : ''
		]
			.filter(Boolean)
			.join('; ');
		const who = `${unit === 'cases' ? 'Cases' : 'Documents'} citing ${c.name}`;
		c.sentence =
			p < 0.05
				? `${who} differ by ${byName} (${phrase})${cells ? `; ${cells}` : ''}.`
				: `${who} do not differ significantly by ${byName} (${phrase}).`;
	});
	return { adjust, testedColumns, byName, codes, family, smallExpected, unavailable };
}

/** The lines to read: one per code that differs at the 5% level, then a summary of the rest and the warnings. */
export function summaryLines(t: CrosstabTests): string[] {
	if (t.unavailable) return [`No tests: ${t.unavailable}.`];
	const sig = t.codes.filter((c) => c.pAdjusted !== null && c.pAdjusted < 0.05);
	const out = sig.map((c) => c.sentence);
	const rest = t.family - sig.length;
	const adj = t.adjust === 'none' ? '' : ` (${ADJUSTMENT_LABELS[t.adjust]}-adjusted over ${t.family} codes)`;
	if (t.family === 0) out.push('No code could be tested.');
	else if (rest > 0)
		out.push(`${sig.length ? `The other ${rest}` : `All ${rest}`} code${rest === 1 ? '' : 's'} tested do${rest === 1 ? 'es' : ''} not differ significantly by ${t.byName} at the 5% level${adj}.`);
	if (t.smallExpected)
		out.push(
			`${t.smallExpected === t.family ? 'Every code tested has' : `${t.smallExpected} of ${t.family} codes have`} an expected count below 5, so the chi-square approximation may be incorrect: Fisher’s exact test is used for ${t.smallExpected === 1 ? 'it' : 'them'}.`
		);
	return out;
}

/** The extra CSV columns when tests are on (exact names), then `note`. */
export const TEST_COLUMNS = ['test', 'statistic', 'df', 'p', 'p_adjusted', 'cramers_v', 'min_expected', 'note'] as const;

/** The note of a code: why n/a, Monte Carlo replicates and seed, the adjustment, small expected counts. */
export function testNote(c: CodeTest, adjust: Adjustment, family: number): string {
	const t = c.tests;
	if (!t) return c.reason ? `n/a: ${c.reason}` : '';
	const parts: string[] = [];
	if (t.lead === 'fisher-monte-carlo') parts.push(`Monte Carlo p, ${t.fisher!.replicates} replicates, seed ${t.fisher!.seed}`);
	if (t.smallExpected) parts.push(`expected count below 5 in ${t.cellsBelow5} cell${t.cellsBelow5 === 1 ? '' : 's'}: Fisher’s exact test`);
	if (adjust !== 'none') parts.push(`p_adjusted: ${ADJUSTMENT_LABELS[adjust]} over ${family} codes`);
	if (t.reason) parts.push(`V n/a: ${t.reason}`);
	return parts.join('; ');
}

/** The test cells of one code for CSV (numbers unrounded; blank where n/a). */
export function testCells(c: CodeTest, adjust: Adjustment, family: number): (string | number | null)[] {
	const t = c.tests;
	const note = testNote(c, adjust, family);
	if (!t || !t.lead) return ['', null, null, null, null, null, t?.minExpected ?? null, note];
	return [TEST_IDS[t.lead], t.statistic, t.df, t.p, adjust === 'none' ? null : c.pAdjusted, t.cramersV, t.minExpected, note];
}

/** An r × c table with its labels, its tests and a sentence. */
export interface LabelledTest {
	rowLabels: string[];
	colLabels: string[];
	table: Matrix;
	tests: TableTests;
	sentence: string;
}

/** Tests on any r × c table (two codes, nested attributes): the same statistics. */
export function testMatrix(x: Matrix): TableTests {
	return testTable(x);
}

function leadPhrase(t: TableTests): string {
	if (t.p === null) return `n/a: ${t.reason ?? 'nothing to test'}`;
	return testPhrase(t, t.p, 'none');
}

/**
 * Two attributes against each other over the cases in the filter (e.g. City × Sector, the nesting
 * of a cross-tab): r × c counts of cases by value pair; cases missing either value are left out.
 * Null when either attribute is unknown or has fewer than two values.
 */
export function attributeTest(data: StudyData, filter: AnalysisFilter, rowAttr: Id, colAttr: Id): LabelledTest | null {
	const ix = indexOf(data);
	const f = applyFilter(ix, filter);
	const a = ix.attributes.find((x) => x.id === rowAttr);
	const b = ix.attributes.find((x) => x.id === colAttr);
	if (!a || !b || a === b) return null;
	const pairs: [string, string][] = [];
	for (let c = 0; c < ix.cases.length; c++) {
		if (!f.casePass[c]) continue;
		const u = valueKey(ix.cases[c].attributes[a.id]);
		const v = valueKey(ix.cases[c].attributes[b.id]);
		if (u !== null && v !== null) pairs.push([u, v]);
	}
	const rowLabels = [...new Set(pairs.map((p) => p[0]))].sort((x, y) => compareValueKeys(a.type, x, y));
	const colLabels = [...new Set(pairs.map((p) => p[1]))].sort((x, y) => compareValueKeys(b.type, x, y));
	if (rowLabels.length < 2 || colLabels.length < 2) return null;
	const table = rowLabels.map(() => colLabels.map(() => 0));
	for (const [u, v] of pairs) table[rowLabels.indexOf(u)][colLabels.indexOf(v)]++;
	const tests = testTable(table);
	const sig = tests.p !== null && tests.p < 0.05;
	const sentence = `${a.name} and ${b.name} ${sig ? 'are associated' : 'are not significantly associated'} over the cases with both values (${leadPhrase(tests)}).`;
	return { rowLabels, colLabels, table, tests, sentence };
}

/**
 * Two codes against each other over the cases in the filter: the 2 × 2 table of cases citing the
 * first code or not × citing the second or not. Null when a code is unknown.
 */
export function codePairTest(data: StudyData, filter: AnalysisFilter, codeA: Id, codeB: Id, opts: { includeDescendants?: boolean } = {}): LabelledTest | null {
	const m = codeCaseMatrix(data, filter, { includeDescendants: opts.includeDescendants ?? true });
	const i = m.codes.findIndex((c) => c.codeId === codeA);
	const j = m.codes.findIndex((c) => c.codeId === codeB);
	if (i < 0 || j < 0 || i === j) return null;
	const table = [
		[0, 0],
		[0, 0]
	];
	for (const row of m.present) table[row[i] ? 0 : 1][row[j] ? 0 : 1]++;
	const tests = testTable(table);
	const na = m.codes[i].name;
	const nb = m.codes[j].name;
	const r = tests.residuals?.[0][0] ?? null;
	const sig = tests.p !== null && tests.p < 0.05;
	const how = sig && r !== null ? (r > 0 ? 'more often than by chance' : 'less often than by chance') : 'no more or less often than by chance';
	const sentence = `Cases cite ${na} and ${nb} together ${how} (${leadPhrase(tests)}${tests.oddsRatio ? `, odds ratio ${fmt2(tests.oddsRatio.estimate)}` : ''}).`;
	return { rowLabels: [`${na}: cited`, `${na}: not cited`], colLabels: [`${nb}: cited`, `${nb}: not cited`], table, tests, sentence };
}
