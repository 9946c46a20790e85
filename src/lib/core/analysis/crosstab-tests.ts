/**
 * Tests on a cross-tab by an attribute: for each code, the 2 × k table of cases citing it and not
 * citing it against the attribute's values (columns), with the statistics of `stats.ts`, p-values
 * adjusted over the codes tested (Holm or Benjamini–Hochberg), the adjusted residual of each
 * "citing" cell and a plain-language line. Also any r × c table (`testMatrix`). See
 * docs/statistics.md for what is shown when.
 *
 * - Counting cases (or documents): the "not cited" row is the column base minus the cell.
 *   Counting segments there is no "not cited", so no test (a reason says so).
 * - The "(missing)" column (cases without a value) is left out of the test: it is not a value.
 * - A code no case cites (or every case cites) has nothing to test: n/a with that reason, and it is
 *   not counted in the adjustment.
 */
import type { CrosstabResult } from './crosstab';
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
	pearson: 'pearson_chi2'
};

const fmt2 = (v: number) => (Math.round(v * 100) / 100).toFixed(2);

function testPhrase(t: TableTests, p: number, adjust: Adjustment): string {
	const name = t.lead === 'pearson' ? `χ²(${t.df}) = ${fmt2(t.statistic!)}, p` : t.lead === 'fisher' ? 'Fisher’s exact p' : 'Fisher’s exact p (Monte Carlo)';
	const adj = adjust === 'none' ? '' : `${ADJUSTMENT_LABELS[adjust]}-adjusted `;
	const pText = formatP(p);
	const eq = pText.startsWith('<') ? pText : `= ${pText}`;
	const v = t.cramersV === null ? '' : `, V = ${fmt2(t.cramersV)}`;
	return t.lead === 'pearson' ? `${name} ${adj ? `(${adj.trim()}) ` : ''}${eq}${v}` : `${adj}${name} ${eq}${v}`;
}

export function crosstabTests(r: CrosstabResult, opts: { adjust?: Adjustment } = {}): CrosstabTests {
	const adjust = opts.adjust ?? 'none';
	const byName = r.by.map((b) => b.name).join(' × ');
	const testedColumns = r.columns.map((c, j) => (c.values.every((v) => v === null) ? -1 : j)).filter((j) => j >= 0);
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
		const t = testTable([cited, notCited]);
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

/** Tests on any r × c table (two codes, nested attributes): the same statistics, with labels kept. */
export function testMatrix(x: Matrix): TableTests {
	return testTable(x);
}
