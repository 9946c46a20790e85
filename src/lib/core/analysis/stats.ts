/**
 * Tests of independence on a contingency table (r × c counts): Pearson's chi-square (with Yates'
 * correction for 2 × 2), the likelihood-ratio G test, Fisher's exact test (2 × 2 and r × c, with
 * R's "as or less probable" rule; the conditional MLE odds ratio and its exact 95% interval for
 * 2 × 2), Cramér's V (plain and Bergsma's bias-corrected), expected counts and Haberman's adjusted
 * residuals; Holm and Benjamini–Hochberg adjustment of several p-values. Pure; no dependencies.
 * Formulas and sources: docs/statistics.md. Reference vectors: tests/fixtures/stats/.
 *
 * Undefined values are `null` with a reason (`reasons`), never NaN.
 */

// ---------------------------------------------------------------------------------------------
// Special functions

const LN_SQRT_2PI = 0.91893853320467274178; // ln(sqrt(2π))

/** ln Γ(x) for x > 0: Lanczos (g = 7, 9 terms), relative error ≈ 1e-15; exact factorials below 171. */
export function lnGamma(x: number): number {
	if (Number.isInteger(x) && x >= 1 && x <= 171) return lnFactorial(x - 1);
	if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
	const g = 7;
	const c = [
		0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
		-0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
	];
	const z = x - 1;
	let s = c[0];
	for (let i = 1; i < g + 2; i++) s += c[i] / (z + i);
	const t = z + g + 0.5;
	return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

const LNF_SMALL: number[] = (() => {
	// ln n! for n ≤ 170 from the exact-as-possible double product (relative error ≈ n·1e-16 of n!).
	const out = [0];
	let p = 1;
	for (let n = 1; n <= 170; n++) {
		p *= n;
		out.push(Math.log(p));
	}
	return out;
})();
const lnfCache = new Map<number, number>();

/** ln n! for an integer n ≥ 0: exact product below 171, Stirling's series (6 terms) above. */
export function lnFactorial(n: number): number {
	if (n <= 170) return LNF_SMALL[n];
	const hit = lnfCache.get(n);
	if (hit !== undefined) return hit;
	const x = n + 1; // ln Γ(x)
	const x2 = x * x;
	const series = 1 / (12 * x) - 1 / (360 * x * x2) + 1 / (1260 * x * x2 * x2) - 1 / (1680 * x * x2 * x2 * x2);
	const v = (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + series;
	if (lnfCache.size < 1_000_000) lnfCache.set(n, v);
	return v;
}

/**
 * The regularised upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a), computed directly (never as
 * 1 − P) so that tiny upper tails keep their relative accuracy: a series for P when x < a + 1,
 * else a Lentz continued fraction for Q. Relative accuracy ≈ 1e-13 for the p-values here.
 * Below the smallest double (≈ 5e-324) the result is 0; see `chiSquareUpperLog10` for those.
 */
export function gammaQ(a: number, x: number): number {
	if (x <= 0) return 1;
	if (!Number.isFinite(x)) return 0;
	const lnPre = -x + a * Math.log(x) - lnGamma(a);
	if (x < a + 1) {
		// P(a, x) = e^{-x} x^a / Γ(a+1) Σ x^n / ((a+1)…(a+n))
		let term = 1 / a;
		let sum = term;
		for (let n = 1; n < 100000; n++) {
			term *= x / (a + n);
			sum += term;
			if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
		}
		return Math.max(0, 1 - sum * Math.exp(lnPre));
	}
	return Math.exp(lnPre + Math.log(gammaCf(a, x)));
}

/** Continued fraction for Γ(a, x) e^x x^{-a} (modified Lentz). */
function gammaCf(a: number, x: number): number {
	const tiny = 1e-300;
	let b = x + 1 - a;
	let c = 1 / tiny;
	let d = 1 / b;
	let h = d;
	for (let i = 1; i < 100000; i++) {
		const an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (Math.abs(d) < tiny) d = tiny;
		c = b + an / c;
		if (Math.abs(c) < tiny) c = tiny;
		d = 1 / d;
		const del = d * c;
		h *= del;
		if (Math.abs(del - 1) < 1e-16) break;
	}
	return h;
}

/** Upper tail of the chi-square distribution: P(χ²_df ≥ x) = Q(df/2, x/2). */
export function chiSquareUpper(x: number, df: number): number {
	return gammaQ(df / 2, x / 2);
}

/** log10 of the chi-square upper tail, also when it is below the smallest double. */
export function chiSquareUpperLog10(x: number, df: number): number {
	const p = chiSquareUpper(x, df);
	if (p > 1e-300) return Math.log10(p);
	const a = df / 2;
	const h = x / 2;
	return (-h + a * Math.log(h) - lnGamma(a) + Math.log(gammaCf(a, h))) / Math.LN10;
}

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (for Monte Carlo p)

/** mulberry32: a small, fast, seeded 32-bit generator; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// ---------------------------------------------------------------------------------------------
// Table helpers

export type Matrix = number[][];

export interface Margins {
	rows: number[];
	cols: number[];
	n: number;
}

export function margins(x: Matrix): Margins {
	const rows = x.map((r) => r.reduce((a, b) => a + b, 0));
	const cols = (x[0] ?? []).map((_, j) => x.reduce((a, r) => a + r[j], 0));
	return { rows, cols, n: rows.reduce((a, b) => a + b, 0) };
}

/** Checks a table: at least one row and column, equal row lengths, non-negative integer counts. */
export function validTable(x: Matrix): string | null {
	if (x.length === 0 || x[0].length === 0) return 'the table has no rows or no columns';
	const c = x[0].length;
	for (const r of x) {
		if (r.length !== c) return 'the rows differ in length';
		for (const v of r) if (!Number.isInteger(v) || v < 0) return `a cell is not a count: ${v}`;
	}
	return null;
}

// ---------------------------------------------------------------------------------------------
// Chi-square family

export interface ChiSquare {
	statistic: number;
	df: number;
	p: number;
}

/** E = R_i C_j / N; null when N = 0. */
export function expectedCounts(x: Matrix): Matrix | null {
	const { rows, cols, n } = margins(x);
	if (n === 0) return null;
	return rows.map((ri) => cols.map((cj) => (ri * cj) / n));
}

/** Why the chi-square family is undefined for this table, or null when it is defined. */
export function chiSquareUndefined(x: Matrix): string | null {
	const { rows, cols, n } = margins(x);
	if (n === 0) return 'no cases (N = 0)';
	const er = rows.map((v, i) => (v === 0 ? i : -1)).filter((i) => i >= 0);
	const ec = cols.map((v, j) => (v === 0 ? j : -1)).filter((j) => j >= 0);
	if (er.length || ec.length)
		return `${er.length ? `an empty row (${er.map((i) => i + 1).join(', ')})` : ''}${er.length && ec.length ? ' and ' : ''}${
			ec.length ? `an empty column (${ec.map((j) => j + 1).join(', ')})` : ''
		}: (O − E)²/E is 0/0 there`;
	if (rows.length < 2 || cols.length < 2) return 'the table needs at least 2 rows and 2 columns';
	return null;
}

let lastPearson: { x: Matrix; r: ChiSquare | null } | null = null;

export function pearsonChiSquare(x: Matrix): ChiSquare | null {
	if (lastPearson && lastPearson.x === x) return lastPearson.r;
	const r = pearsonUncached(x);
	lastPearson = { x, r };
	return r;
}

function pearsonUncached(x: Matrix): ChiSquare | null {
	if (chiSquareUndefined(x)) return null;
	const e = expectedCounts(x)!;
	let s = 0;
	for (let i = 0; i < x.length; i++) for (let j = 0; j < x[i].length; j++) s += (x[i][j] - e[i][j]) ** 2 / e[i][j];
	const df = (x.length - 1) * (x[0].length - 1);
	return { statistic: s, df, p: chiSquareUpper(s, df) };
}

/** Yates-corrected X² (2 × 2 only): Σ(|O−E| − min(0.5, |O−E|))²/E, df 1. */
export function yatesChiSquare(x: Matrix): ChiSquare | null {
	if (x.length !== 2 || x[0].length !== 2 || chiSquareUndefined(x)) return null;
	const e = expectedCounts(x)!;
	let yates = 0.5;
	for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) yates = Math.min(yates, Math.abs(x[i][j] - e[i][j]));
	let s = 0;
	for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) s += (Math.abs(x[i][j] - e[i][j]) - yates) ** 2 / e[i][j];
	return { statistic: s, df: 1, p: chiSquareUpper(s, 1) };
}

/** Likelihood-ratio G = 2 Σ_{O>0} O ln(O/E), df (r−1)(c−1). */
export function gTest(x: Matrix): ChiSquare | null {
	if (chiSquareUndefined(x)) return null;
	const e = expectedCounts(x)!;
	let s = 0;
	for (let i = 0; i < x.length; i++) for (let j = 0; j < x[i].length; j++) if (x[i][j] > 0) s += x[i][j] * Math.log(x[i][j] / e[i][j]);
	s *= 2;
	if (s < 0) s = 0;
	const df = (x.length - 1) * (x[0].length - 1);
	return { statistic: s, df, p: chiSquareUpper(s, df) };
}

/** sqrt(X²/(N(min(r,c)−1))), uncorrected X². */
export function cramersV(x: Matrix): number | null {
	const chi = pearsonChiSquare(x);
	if (!chi) return null;
	const { n } = margins(x);
	const k = Math.min(x.length, x[0].length) - 1;
	return Math.sqrt(chi.statistic / (n * k));
}

/** Bergsma (2013): φ²₊ = max(0, X²/N − (r−1)(c−1)/(N−1)), r̃ = r − (r−1)²/(N−1), V = sqrt(φ²₊/(min(r̃,c̃)−1)). */
export function cramersVBiasCorrected(x: Matrix): number | null {
	const chi = pearsonChiSquare(x);
	if (!chi) return null;
	const { n } = margins(x);
	const r = x.length;
	const c = x[0].length;
	if (n < 2) return null;
	const phi2 = Math.max(0, chi.statistic / n - ((r - 1) * (c - 1)) / (n - 1));
	const rt = r - (r - 1) ** 2 / (n - 1);
	const ct = c - (c - 1) ** 2 / (n - 1);
	const k = Math.min(rt, ct) - 1;
	if (!(k > 0)) return null;
	return Math.sqrt(phi2 / k);
}

/** Haberman's adjusted residuals (O−E)/sqrt(E(1−R_i/N)(1−C_j/N)); a cell is null where the denominator is 0. */
export function adjustedResiduals(x: Matrix): (number | null)[][] | null {
	const { rows, cols, n } = margins(x);
	if (n === 0) return null;
	return x.map((r, i) =>
		r.map((o, j) => {
			const e = (rows[i] * cols[j]) / n;
			const v = e * (1 - rows[i] / n) * (1 - cols[j] / n);
			return v > 0 ? (o - e) / Math.sqrt(v) : null;
		})
	);
}

// ---------------------------------------------------------------------------------------------
// Fisher's exact test

/** R fisher.test: a table is "as or less probable" when P ≤ P_obs · (1 + 1e-7). */
export const FISHER_REL_TOLERANCE = 1e-7;
/** Monte Carlo fallback (as R's simulate.p.value): replicates and seed. */
export const MONTE_CARLO_REPLICATES = 2000;
export const MONTE_CARLO_SEED = 20130;
/** Work budget of the exact r × c network (≈ 1 s on a slow laptop); above it the p is simulated. */
export const EXACT_WORK_LIMIT = 500_000;

export interface FisherResult {
	p: number;
	/** 'exact', or 'monte-carlo' when the exact network would take more than about 1 s. */
	method: 'exact' | 'monte-carlo';
	replicates?: number;
	seed?: number;
}

/** Support and log weights of the 2 × 2 hypergeometric (first cell x11). */
function hyper2x2(x: Matrix) {
	const m = x[0][0] + x[1][0]; // first column
	const nn = x[0][1] + x[1][1]; // second column
	const k = x[0][0] + x[0][1]; // first row
	const lo = Math.max(0, k - nn);
	const hi = Math.min(k, m);
	const logd: number[] = [];
	for (let t = lo; t <= hi; t++) logd.push(-(lnFactorial(t) + lnFactorial(k - t) + lnFactorial(m - t) + lnFactorial(nn - k + t)));
	return { lo, hi, logd, obs: x[0][0] };
}

/** Non-central hypergeometric probabilities over the support, for odds ratio ψ = e^{logPsi}. */
function dnhyper(h: ReturnType<typeof hyper2x2>, logPsi: number): number[] {
	const d = h.logd.map((v, i) => v + logPsi * (h.lo + i));
	let max = -Infinity;
	for (const v of d) if (v > max) max = v;
	const e = d.map((v) => Math.exp(v - max));
	const s = e.reduce((a, b) => a + b, 0);
	return e.map((v) => v / s);
}

function fisher2x2(x: Matrix): number {
	const h = hyper2x2(x);
	const d = dnhyper(h, 0);
	const dObs = d[h.obs - h.lo] * (1 + FISHER_REL_TOLERANCE);
	let p = 0;
	for (const v of d) if (v <= dObs) p += v;
	return Math.min(1, p);
}

/** The compositions v of `total` with 0 ≤ v_i ≤ cap_i, passed to `fn`. */
function compositions(total: number, cap: number[], fn: (v: number[]) => void): void {
	const k = cap.length;
	const v = new Array(k).fill(0);
	const suffix = new Array(k + 1).fill(0);
	for (let i = k - 1; i >= 0; i--) suffix[i] = suffix[i + 1] + cap[i];
	const rec = (i: number, left: number) => {
		if (i === k - 1) {
			if (left <= cap[i]) {
				v[i] = left;
				fn(v);
			}
			return;
		}
		const lo = Math.max(0, left - suffix[i + 1]);
		const hi = Math.min(cap[i], left);
		for (let t = lo; t <= hi; t++) {
			v[i] = t;
			rec(i + 1, left - t);
		}
	};
	if (total <= suffix[0]) rec(0, total);
}

class Budget extends Error {}

/**
 * Exact r × c p by a network algorithm over the columns (as FEXACT, Mehta & Patel 1983): a node is
 * the sorted remaining row sums after some columns; each node keeps its past path weights
 * (ln Π x! of the cells so far, merged when equal to 1e-10). With the exact shortest and longest
 * remaining path of each node, a path whose every completion is as or less probable than the
 * observed table is summed in closed form, and one whose every completion is more probable is
 * dropped. Throws `Budget` when the work exceeds `limit`.
 */
function fisherExactRxC(x: Matrix, limit: number): number {
	// Rows = the shorter dimension; empty lines dropped.
	let t = x.length <= x[0].length ? x : x[0].map((_, j) => x.map((r) => r[j]));
	t = t.filter((r) => r.some((v) => v > 0));
	if (t.length === 0) return 1;
	const keep = t[0].map((_, j) => t.some((r) => r[j] > 0));
	t = t.map((r) => r.filter((_, j) => keep[j]));
	if (t.length < 2 || t[0].length < 2) return 1;
	if (t.length === 2) {
		const fast = fisher2xK(t);
		if (fast !== null) return fast;
	}
	const { rows, cols, n } = margins(t);
	const C = [...cols].sort((a, b) => b - a);
	const nc = C.length;
	let work = 0;
	const lnQ = (v: number[]) => v.reduce((a, b) => a + lnFactorial(b), 0);
	const lnQobs = t.reduce((a, r) => a + lnQ(r), 0);
	// A table is counted when P ≤ P_obs(1 + tol), i.e. ln Q ≥ ln Q_obs − ln(1 + tol).
	const thr = lnQobs - Math.log1p(FISHER_REL_TOLERANCE);
	const lnK = rows.reduce((a, b) => a + lnFactorial(b), 0) + cols.reduce((a, b) => a + lnFactorial(b), 0) - lnFactorial(n);
	const colsFrom: number[] = new Array(nc + 1).fill(0);
	for (let j = nc - 1; j >= 0; j--) colsFrom[j] = colsFrom[j + 1] + lnFactorial(C[j]);
	/** ln of Σ over completions of 1/Q: ln M! − Σ ln rem! − Σ ln C_j! (j ≥ jj). */
	const lnTail = (rem: number[], jj: number) => lnFactorial(rem.reduce((a, b) => a + b, 0)) - lnQ(rem) - colsFrom[jj];
	const boundMemo = new Map<string, [number, number]>();
	/** [min, max] of ln Π x! over the completions of columns jj.. with row sums rem. */
	const bounds = (jj: number, rem: number[]): [number, number] => {
		if (jj === nc - 1) {
			const v = lnQ(rem);
			return [v, v];
		}
		const key = jj + ':' + rem.join(',');
		const hit = boundMemo.get(key);
		if (hit) return hit;
		let lo = Infinity;
		let hi = -Infinity;
		compositions(C[jj], rem, (v) => {
			if (++work > limit) throw new Budget();
			const q = lnQ(v);
			const nrem = rem.map((u, i) => u - v[i]).sort((a, b) => a - b);
			const [a, b] = bounds(jj + 1, nrem);
			if (q + a < lo) lo = q + a;
			if (q + b > hi) hi = q + b;
		});
		const res: [number, number] = [lo, hi];
		boundMemo.set(key, res);
		return res;
	};
	const EPS = 1e-9; // safety margin on ln Q for the closed-form decisions
	let sure = 0; // Σ P of paths summed in closed form
	type Pasts = Map<number, { lnq: number; mult: number }>;
	let states = new Map<string, { rem: number[]; pasts: Pasts }>();
	const start = [...rows].sort((a, b) => a - b);
	states.set(start.join(','), { rem: start, pasts: new Map([[0, { lnq: 0, mult: 1 }]]) });
	for (let jj = 0; jj < nc - 1; jj++) {
		const next = new Map<string, { rem: number[]; pasts: Pasts }>();
		for (const { rem, pasts } of states.values()) {
			compositions(C[jj], rem, (v) => {
				const q = lnQ(v);
				const nrem = rem.map((u, i) => u - v[i]).sort((a, b) => a - b);
				const [fmin, fmax] = bounds(jj + 1, nrem);
				const key = nrem.join(',');
				let tgt: Pasts | null = null;
				const tail = lnTail(nrem, jj + 1);
				for (const pq of pasts.values()) {
					if (++work > limit) throw new Budget();
					const Q = pq.lnq + q;
					if (Q + fmin >= thr + EPS) sure += pq.mult * Math.exp(lnK - Q + tail);
					else if (Q + fmax >= thr - EPS) {
						if (!tgt) {
							let node = next.get(key);
							if (!node) next.set(key, (node = { rem: nrem, pasts: new Map() }));
							tgt = node.pasts;
						}
						const k = Math.round(Q * 1e10);
						const prev = tgt.get(k);
						if (prev) prev.mult += pq.mult;
						else tgt.set(k, { lnq: Q, mult: pq.mult });
					}
				}
			});
		}
		states = next;
	}
	let p = sure;
	for (const { rem, pasts } of states.values()) {
		const q = lnQ(rem);
		for (const pq of pasts.values()) {
			const Q = pq.lnq + q;
			if (Q >= thr) p += pq.mult * Math.exp(lnK - Q);
		}
	}
	return Math.min(1, p);
}

/**
 * 2 × k with few tables (at most 200 000 first rows): every table enumerated directly, by the
 * first row's cells; the same rule as the network. Null when there are too many tables.
 */
function fisher2xK(t: Matrix): number | null {
	const { rows, cols, n } = margins(t);
	const k = cols.length;
	let count = 1;
	for (let j = 0; j < k - 1; j++) if ((count *= Math.min(cols[j], rows[0]) + 1) > 200_000) return null;
	const lf = new Float64Array(n + 1);
	for (let i = 0; i <= n; i++) lf[i] = lnFactorial(i);
	let lnQobs = 0;
	for (const r of t) for (const v of r) lnQobs += lf[v];
	const thr = lnQobs - Math.log1p(FISHER_REL_TOLERANCE);
	const lnK = lf[rows[0]] + lf[rows[1]] + cols.reduce((a, c) => a + lf[c], 0) - lf[n];
	// Columns after j can take at most this many of row 0.
	const capFrom = new Array(k + 1).fill(0);
	for (let j = k - 1; j >= 0; j--) capFrom[j] = capFrom[j + 1] + cols[j];
	let p = 0;
	const rec = (j: number, left: number, q: number) => {
		const c = cols[j];
		if (j === k - 1) {
			if (left > c) return;
			const Q = q + lf[left] + lf[c - left];
			if (Q >= thr) p += Math.exp(lnK - Q);
			return;
		}
		const lo = Math.max(0, left - capFrom[j + 1]);
		const hi = Math.min(c, left);
		for (let a = lo; a <= hi; a++) rec(j + 1, left - a, q + lf[a] + lf[c - a]);
	};
	rec(0, rows[0], 0);
	return Math.min(1, p);
}

/**
 * Monte Carlo p as R's `fisher.test(simulate.p.value = TRUE)`: random tables with the observed
 * margins (a seeded shuffle of the N units), p = (1 + #{tables with P ≤ P_obs}) / (B + 1).
 */
export function fisherMonteCarlo(x: Matrix, replicates = MONTE_CARLO_REPLICATES, seed = MONTE_CARLO_SEED): number {
	const { rows, cols, n } = margins(x);
	const r = rows.length;
	const c = cols.length;
	const stat = (cells: ArrayLike<number>) => {
		let s = 0;
		for (let i = 0; i < cells.length; i++) s -= lnFactorial(cells[i]);
		return s;
	};
	const obs = stat(x.flat());
	const almost1 = 1 + 64 * Number.EPSILON;
	const rand = mulberry32(seed);
	const units = new Int32Array(n);
	let u = 0;
	for (let j = 0; j < c; j++) for (let k = 0; k < cols[j]; k++) units[u++] = j;
	const cells = new Int32Array(r * c);
	let hits = 0;
	for (let b = 0; b < replicates; b++) {
		for (let i = n - 1; i > 0; i--) {
			const k = Math.floor(rand() * (i + 1));
			const tmp = units[i];
			units[i] = units[k];
			units[k] = tmp;
		}
		cells.fill(0);
		let pos = 0;
		for (let i = 0; i < r; i++) for (let k = 0; k < rows[i]; k++) cells[i * c + units[pos++]]++;
		// obs is ≤ 0; R: STAT <= STATISTIC / almost.1
		if (stat(cells) <= obs / almost1) hits++;
	}
	return (1 + hits) / (replicates + 1);
}

/** Fisher's exact test, two-sided; exact, or Monte Carlo when the exact r × c is too large. Null when N = 0. */
export function fisherTest(x: Matrix, opts: { workLimit?: number; replicates?: number; seed?: number } = {}): FisherResult | null {
	const { n } = margins(x);
	if (n === 0) return null;
	if (x.length === 2 && x[0].length === 2) return { p: fisher2x2(x), method: 'exact' };
	if (x.length < 2 || x[0].length < 2) return { p: 1, method: 'exact' };
	try {
		return { p: fisherExactRxC(x, opts.workLimit ?? EXACT_WORK_LIMIT), method: 'exact' };
	} catch (e) {
		if (!(e instanceof Budget)) throw e;
		const replicates = opts.replicates ?? MONTE_CARLO_REPLICATES;
		const seed = opts.seed ?? MONTE_CARLO_SEED;
		return { p: fisherMonteCarlo(x, replicates, seed), method: 'monte-carlo', replicates, seed };
	}
}

export interface OddsRatio {
	/** Conditional MLE; Infinity when the observed count is at the top of its support. */
	estimate: number;
	/** Exact 95% limits (0.025 in each tail). */
	ci95: [number, number];
}

/** Root in t of an increasing function f(t) = target, by bracketing and bisection to full precision. */
function solveIncreasing(f: (t: number) => number, target: number): number {
	let lo = -1;
	let hi = 1;
	while (f(lo) > target && lo > -800) lo *= 2;
	while (f(hi) < target && hi < 800) hi *= 2;
	for (let i = 0; i < 200; i++) {
		const mid = (lo + hi) / 2;
		if (mid === lo || mid === hi) break;
		if (f(mid) < target) lo = mid;
		else hi = mid;
	}
	return (lo + hi) / 2;
}

/** Conditional maximum-likelihood odds ratio and exact 95% interval of a 2 × 2 table, as R's fisher.test. Null with an empty row or column. */
export function fisherOddsRatio(x: Matrix): OddsRatio | null {
	if (x.length !== 2 || x[0].length !== 2 || chiSquareUndefined(x)) return null;
	const h = hyper2x2(x);
	const mean = (lp: number) => dnhyper(h, lp).reduce((a, d, i) => a + d * (h.lo + i), 0);
	const upperTail = (lp: number) => {
		const d = dnhyper(h, lp);
		let s = 0;
		for (let i = h.obs - h.lo; i < d.length; i++) s += d[i];
		return s;
	};
	const lowerTail = (lp: number) => {
		const d = dnhyper(h, lp);
		let s = 0;
		for (let i = 0; i <= h.obs - h.lo; i++) s += d[i];
		return s;
	};
	const alpha = 0.025;
	const estimate = h.obs === h.lo ? 0 : h.obs === h.hi ? Infinity : Math.exp(solveIncreasing(mean, h.obs));
	const lower = h.obs === h.lo ? 0 : Math.exp(solveIncreasing(upperTail, alpha));
	// lowerTail decreases in t: solve −lowerTail = −alpha.
	const upper = h.obs === h.hi ? Infinity : Math.exp(solveIncreasing((t) => -lowerTail(t), -alpha));
	return { estimate, ci95: [lower, upper] };
}

// ---------------------------------------------------------------------------------------------
// Multiple testing

export type Adjustment = 'none' | 'holm' | 'bh';

/** Holm (1979) or Benjamini–Hochberg (1995) adjusted p-values, as R's p.adjust; nulls are skipped (and stay null). */
export function adjustP(ps: (number | null)[], method: Adjustment): (number | null)[] {
	if (method === 'none') return [...ps];
	const idx = ps.map((p, i) => [p, i] as const).filter((e): e is readonly [number, number] => e[0] !== null);
	const m = idx.length;
	const out: (number | null)[] = ps.map(() => null);
	if (m === 0) return out;
	if (method === 'holm') {
		const s = [...idx].sort((a, b) => a[0] - b[0]);
		let run = 0;
		s.forEach(([p, i], k) => {
			run = Math.max(run, Math.min(1, (m - k) * p));
			out[i] = run;
		});
	} else {
		const s = [...idx].sort((a, b) => b[0] - a[0]);
		let run = 1;
		s.forEach(([p, i], k) => {
			const rank = m - k;
			run = Math.min(run, Math.min(1, (m / rank) * p));
			out[i] = run;
		});
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Everything for one table

export type TestName = 'fisher' | 'fisher-monte-carlo' | 'pearson' | 'yates';

export interface TableTests {
	table: Matrix;
	n: number;
	expected: Matrix | null;
	minExpected: number | null;
	/** Cells with E < 5 (R warns "Chi-squared approximation may be incorrect" when any). */
	cellsBelow5: number;
	smallExpected: boolean;
	pearson: ChiSquare | null;
	yates: ChiSquare | null;
	g: ChiSquare | null;
	fisher: FisherResult | null;
	oddsRatio: OddsRatio | null;
	cramersV: number | null;
	cramersVBiasCorrected: number | null;
	residuals: (number | null)[][] | null;
	/** The test that leads: Fisher's exact when any E < 5 (or the table is 2 × 2), else Pearson's chi-square. */
	lead: TestName | null;
	/** Statistic, df and p of the lead test (statistic and df null for Fisher's exact). */
	statistic: number | null;
	df: number | null;
	p: number | null;
	/** Why the chi-square family (and V) is n/a, if it is. */
	reason: string | null;
}

/** `yates`: a 2 × 2 table led by the chi-square uses Yates' correction (as R's default `correct = TRUE`). */
export function testTable(x: Matrix, opts: { workLimit?: number; yates?: boolean } = {}): TableTests {
	const bad = validTable(x);
	if (bad) throw new Error(`contingency table: ${bad}`);
	const { n } = margins(x);
	const expected = expectedCounts(x);
	let minExpected: number | null = null;
	let cellsBelow5 = 0;
	if (expected)
		for (const r of expected)
			for (const e of r) {
				if (minExpected === null || e < minExpected) minExpected = e;
				if (e < 5) cellsBelow5++;
			}
	const reason = chiSquareUndefined(x);
	const pearson = pearsonChiSquare(x);
	const fisher = fisherTest(x, opts);
	const smallExpected = pearson !== null && cellsBelow5 > 0;
	const useFisher = fisher !== null && (pearson === null || smallExpected);
	const yates = yatesChiSquare(x);
	const chi = opts.yates && yates ? yates : pearson;
	const lead: TestName | null = useFisher ? (fisher!.method === 'exact' ? 'fisher' : 'fisher-monte-carlo') : pearson ? (chi === yates ? 'yates' : 'pearson') : null;
	const byChi = lead === 'pearson' || lead === 'yates';
	return {
		table: x,
		n,
		expected,
		minExpected,
		cellsBelow5,
		smallExpected,
		pearson,
		yates,
		g: gTest(x),
		fisher,
		oddsRatio: fisherOddsRatio(x),
		cramersV: cramersV(x),
		cramersVBiasCorrected: cramersVBiasCorrected(x),
		residuals: adjustedResiduals(x),
		lead,
		statistic: byChi ? chi!.statistic : null,
		df: byChi ? chi!.df : null,
		p: lead === null ? null : byChi ? chi!.p : fisher!.p,
		reason
	};
}

export const TEST_LABELS: Record<TestName, string> = {
	fisher: 'Fisher’s exact',
	'fisher-monte-carlo': 'Fisher’s exact (Monte Carlo)',
	pearson: 'Pearson’s chi-square',
	yates: 'Pearson’s chi-square with Yates’ correction'
};

/** A p-value for reading: 2 decimals (3 below 0.01 and just below 0.05), "< 0.001" below 0.001, "< 1e-300" below that. */
export function formatP(p: number): string {
	if (p < 1e-300) return '< 1e-300';
	if (p < 0.001) return '< 0.001';
	if (p >= 0.995) return p >= 1 ? '1' : p.toFixed(2);
	// Never round across 0.05: a p just below it keeps 3 decimals (4 when 3 would read "0.050").
	if (p < 0.05 && p >= 0.045) {
		if (p.toFixed(3) !== '0.050') return p.toFixed(3);
		return p.toFixed(4) !== '0.0500' ? p.toFixed(4) : '< 0.05';
	}
	return p < 0.01 ? p.toFixed(3) : p.toFixed(2);
}
