/**
 * Agreement statistics for coding data: pure functions over a units × raters matrix.
 *
 * `matrix[u][r]` is rater r's label for unit u, or `null` when rater r did not rate unit u.
 * Labels are compared with `===` (strings or numbers). Every statistic returns a `Stat`: a
 * number, or `null` with the reason it is undefined (never 0 or NaN for "undefined").
 *
 * Formulas and sources: docs/agreement.md and tests/fixtures/agreement/README.md.
 */

export type Label = string | number;
export type Rating = Label | null | undefined;
export type RatingMatrix = readonly (readonly Rating[])[];

/** A statistic's value, or null with the reason it is undefined. */
export interface Stat {
	value: number | null;
	reason?: string;
}

export const defined = (value: number): Stat => ({ value });
export const undef = (reason: string): Stat => ({ value: null, reason });

export const REASONS = {
	noUnits: 'no units rated by at least two coders',
	noCompleteUnits: 'no unit was rated by every coder',
	noVariation: 'no variation: every coder used one category',
	oneCategory: 'only one category was declared, so chance agreement is certain',
	twoRaters: 'needs exactly two coders',
	noCoders: 'needs at least two coders'
} as const;

const isRated = (v: Rating): v is Label => v !== null && v !== undefined;

/** Per unit: the counts n_uk of each label (as a Map) and n_u. */
interface UnitCounts {
	counts: Map<Label, number>;
	n: number;
}

function unitCounts(matrix: RatingMatrix): UnitCounts[] {
	return matrix.map((row) => {
		const counts = new Map<Label, number>();
		let n = 0;
		for (const v of row) {
			if (!isRated(v)) continue;
			counts.set(v, (counts.get(v) ?? 0) + 1);
			n++;
		}
		return { counts, n };
	});
}

function raterCount(matrix: RatingMatrix): number {
	let m = 0;
	for (const row of matrix) m = Math.max(m, row.length);
	return m;
}

function completeRows(matrix: RatingMatrix): Label[][] {
	const m = raterCount(matrix);
	return matrix.filter((row) => row.length === m && row.every(isRated)) as Label[][];
}

/**
 * Percent agreement for two raters (Cohen 1960, p_o): units where the two labels are equal,
 * over units rated by both.
 */
export function percentAgreement(matrix: RatingMatrix): Stat {
	if (raterCount(matrix) !== 2) return undef(REASONS.twoRaters);
	let both = 0;
	let equal = 0;
	for (const row of matrix) {
		if (!isRated(row[0]) || !isRated(row[1])) continue;
		both++;
		if (row[0] === row[1]) equal++;
	}
	return both === 0 ? undef(REASONS.noUnits) : defined(equal / both);
}

/**
 * Mean pairwise agreement over units with n_u ≥ 2: mean of Σ_k n_uk(n_uk−1) / (n_u(n_u−1)).
 * Fleiss' (1971) P̄ for complete data; irrCAC's `pa` (Gwet 2014) with missing data.
 */
export function percentAgreementPairwise(matrix: RatingMatrix): Stat {
	let units = 0;
	let sum = 0;
	for (const { counts, n } of unitCounts(matrix)) {
		if (n < 2) continue;
		let s = 0;
		for (const c of counts.values()) s += c * (c - 1);
		sum += s / (n * (n - 1));
		units++;
	}
	return units === 0 ? undef(REASONS.noUnits) : defined(sum / units);
}

/**
 * Pairable-weighted agreement: Σ_u Σ_k n_uk(n_uk−1)/(n_u−1) / Σ_u n_u over units with n_u ≥ 2.
 * Krippendorff's 1 − D_o (nominal); DKPro `PercentageAgreement`.
 */
export function percentAgreementPairableWeighted(matrix: RatingMatrix): Stat {
	let num = 0;
	let den = 0;
	for (const { counts, n } of unitCounts(matrix)) {
		if (n < 2) continue;
		let s = 0;
		for (const c of counts.values()) s += c * (c - 1);
		num += s / (n - 1);
		den += n;
	}
	return den === 0 ? undef(REASONS.noUnits) : defined(num / den);
}

/** Share of complete units on which all raters agree (R `irr::agree`, listwise deletion). */
export function percentAgreementUnanimous(matrix: RatingMatrix): Stat {
	const rows = completeRows(matrix);
	if (rows.length === 0) return undef(REASONS.noCompleteUnits);
	let agree = 0;
	for (const row of rows) if (row.every((v) => v === row[0])) agree++;
	return defined(agree / rows.length);
}

/**
 * Cohen's (1960) kappa for two raters: κ = (p_o − p_e)/(1 − p_e), p_e = Σ_k p_1k·p_2k from each
 * rater's own marginals over the units both rated. Units with a missing rating are dropped.
 */
export function cohenKappa(matrix: RatingMatrix): Stat {
	if (raterCount(matrix) !== 2) return undef(REASONS.twoRaters);
	const m1 = new Map<Label, number>();
	const m2 = new Map<Label, number>();
	let n = 0;
	let equal = 0;
	for (const row of matrix) {
		const a = row[0];
		const b = row[1];
		if (!isRated(a) || !isRated(b)) continue;
		n++;
		if (a === b) equal++;
		m1.set(a, (m1.get(a) ?? 0) + 1);
		m2.set(b, (m2.get(b) ?? 0) + 1);
	}
	if (n === 0) return undef(REASONS.noUnits);
	let pe = 0;
	for (const [k, c] of m1) pe += (c / n) * ((m2.get(k) ?? 0) / n);
	const po = equal / n;
	if (1 - pe <= 0) return undef(REASONS.noVariation);
	return defined((po - pe) / (1 - pe));
}

/** Fleiss (1971) on complete rows: κ = (P̄ − P̄_e)/(1 − P̄_e), p_k = Σ_u n_uk/(N·n). */
function fleissComplete(rows: Label[][]): Stat {
	if (rows.length === 0) return undef(REASONS.noCompleteUnits);
	const m = rows[0].length;
	if (m < 2) return undef(REASONS.noCoders);
	const totals = new Map<Label, number>();
	let pbar = 0;
	for (const row of rows) {
		const counts = new Map<Label, number>();
		for (const v of row) counts.set(v, (counts.get(v) ?? 0) + 1);
		let s = 0;
		for (const [k, c] of counts) {
			s += c * (c - 1);
			totals.set(k, (totals.get(k) ?? 0) + c);
		}
		pbar += s / (m * (m - 1));
	}
	pbar /= rows.length;
	let pe = 0;
	for (const c of totals.values()) pe += (c / (rows.length * m)) ** 2;
	if (1 - pe <= 0) return undef(REASONS.noVariation);
	return defined((pbar - pe) / (1 - pe));
}

/**
 * Gwet's (2014) missing-data Fleiss kappa, as `irrCAC::fleiss.kappa.raw`: p_a is the pairwise
 * agreement over units with n_u ≥ 2; π_k = (1/n)·Σ_u n_uk/n_u over the n units with at least one
 * rating; p_e = Σ π_k².
 */
function fleissGwet(matrix: RatingMatrix): Stat {
	const units = unitCounts(matrix).filter((u) => u.n > 0);
	const pa = percentAgreementPairwise(matrix);
	if (pa.value === null) return pa;
	const pi = new Map<Label, number>();
	for (const { counts, n } of units) for (const [k, c] of counts) pi.set(k, (pi.get(k) ?? 0) + c / n);
	let pe = 0;
	for (const v of pi.values()) pe += (v / units.length) ** 2;
	if (1 - pe <= 0) return undef(REASONS.noVariation);
	return defined((pa.value - pe) / (1 - pe));
}

export type FleissMissing = 'gwet' | 'listwise';

/**
 * Fleiss' (1971) kappa. With complete data both conventions give Fleiss' formula. With missing
 * data, `'gwet'` (the default) is Gwet's generalisation (irrCAC), and `'listwise'` drops every
 * incomplete unit first (R `irr::kappam.fleiss`).
 */
export function fleissKappa(matrix: RatingMatrix, missing: FleissMissing = 'gwet'): Stat {
	if (raterCount(matrix) < 2) return undef(REASONS.noCoders);
	return missing === 'listwise' ? fleissComplete(completeRows(matrix)) : fleissGwet(matrix);
}

export type AgreementBasis = 'pairwise' | 'pairable-weighted';

/**
 * Brennan & Prediger (1981) kappa (Bennett et al. 1954 S; Randolph 2005 free-marginal kappa):
 * (p_a − 1/q)/(1 − 1/q), q = the number of declared categories (the observed ones when none are
 * declared). p_a is the pairwise agreement (irrCAC `bp.coeff.raw`) by default, or the
 * pairable-weighted agreement (DKPro `RandolphKappaAgreement`).
 */
export function brennanPrediger(
	matrix: RatingMatrix,
	categories?: readonly Label[],
	basis: AgreementBasis = 'pairwise'
): Stat {
	let q: number;
	if (categories && categories.length) q = new Set(categories).size;
	else {
		const seen = new Set<Label>();
		for (const row of matrix) for (const v of row) if (isRated(v)) seen.add(v);
		q = seen.size;
	}
	const pa = basis === 'pairwise' ? percentAgreementPairwise(matrix) : percentAgreementPairableWeighted(matrix);
	if (pa.value === null) return pa;
	if (q < 2) return undef(REASONS.oneCategory);
	return defined((pa.value - 1 / q) / (1 - 1 / q));
}

/** Brennan–Prediger from an already computed agreement share and the number of categories. */
export function brennanPredigerFrom(pa: number, q: number): Stat {
	if (q < 2) return undef(REASONS.oneCategory);
	return defined((pa - 1 / q) / (1 - 1 / q));
}

/**
 * Krippendorff's alpha, nominal (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability").
 * Coincidences o_ck = Σ_u (ordered (c,k) pairs in u)/(m_u − 1) over units with m_u ≥ 2;
 * α = 1 − (n − 1)(n − Σ o_cc)/(n² − Σ n_c²). Any number of raters; missing data allowed.
 */
export function krippendorffAlphaNominal(matrix: RatingMatrix): Stat {
	let n = 0;
	let diag = 0;
	const nc = new Map<Label, number>();
	for (const { counts, n: mu } of unitCounts(matrix)) {
		if (mu < 2) continue;
		n += mu;
		for (const [k, c] of counts) {
			diag += (c * (c - 1)) / (mu - 1);
			nc.set(k, (nc.get(k) ?? 0) + c);
		}
	}
	if (n === 0) return undef(REASONS.noUnits);
	let sq = 0;
	for (const c of nc.values()) sq += c * c;
	const de = n * n - sq;
	if (de <= 0) return undef(REASONS.noVariation);
	return defined(1 - ((n - 1) * (n - diag)) / de);
}

/** One array per rater (the "label arrays" form) to a units × raters matrix. */
export function transpose<T>(byRater: readonly (readonly T[])[]): T[][] {
	const units = Math.max(0, ...byRater.map((r) => r.length));
	const out: T[][] = [];
	for (let u = 0; u < units; u++) out.push(byRater.map((r) => r[u]));
	return out;
}
