/**
 * Krippendorff's alphas for unitizing: pure functions over coders' units on a continuum.
 *
 * A continuum is [begin, begin + length). Each coder is a list of units { start, end, value },
 * zero-based, end exclusive; the stretches no unit covers are gaps (value φ). Zero-length units
 * are ignored (they cover nothing).
 *
 * 2016/2019 family (uα, |uα, cuα, (k)uα): Krippendorff, Mathet, Bouvry & Widlöcher (2016),
 * Quality & Quantity, doi 10.1007/s11135-015-0266-1; Krippendorff (2019), Content Analysis,
 * 4th ed., §12.6, eqs 32–38. 1995 αU: Krippendorff (1995), Sociological Methodology 25:47–76;
 * Krippendorff (2004), Content Analysis, 2nd ed., p. 254. Details in docs/agreement.md.
 */
import { defined, undef, type Stat } from './stats';

export interface UnitizedUnit {
	start: number;
	end: number;
	value: string;
}

export interface Continuum {
	begin: number;
	length: number;
	/** One list of units per coder. */
	coders: readonly (readonly UnitizedUnit[])[];
}

/**
 * The self-pairing correction C_c of cuα for three or more coders (all three agree for two).
 * For a valued unit g of coder i, V_j = the union of coder j's valued units:
 * 'A' Σ_{j≠i}|g∩V_j|²/(m−1) (lindanna/unitized_alpha); 'B' |g ∩ ∪_{j≠i}V_j|² (quallmer);
 * 'C' (Σ_{j≠i}|g∩V_j|/(m−1))², the only one that reproduces the book's cuα = 0.724 (Gloss's default).
 */
export type CuVariant = 'A' | 'B' | 'C';
export const DEFAULT_CU_VARIANT: CuVariant = 'C';

interface Piece {
	start: number;
	end: number;
	/** -1 = gap (φ), else the value's index in `values`. */
	v: number;
}

export interface UAlphaResult {
	/** Values in matrix order; index 0 is the gap φ (shown as null). */
	values: (string | null)[];
	/** Observed coincidences ℓ_ck (index 0 = φ). */
	observed: number[][];
	/** Expected coincidences ε_ck (index 0 = φ). */
	expected: number[][];
	uAlpha: Stat;
	binaryUAlpha: Stat;
	cuAlpha: Stat;
	/** (k)uα per value. */
	kuAlpha: Map<string, Stat>;
}

const OVERLAP = 'units of one coder overlap; unitizing alphas need each coder’s units to be mutually exclusive';

function cleanUnits(units: readonly UnitizedUnit[], begin: number, end: number): UnitizedUnit[] {
	return units
		.map((u) => ({ start: Math.max(begin, u.start), end: Math.min(end, u.end), value: u.value }))
		.filter((u) => u.end > u.start)
		.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** True when some coder's units overlap each other (so the coder's units do not partition). */
export function codersOverlap(c: Continuum): boolean {
	const end = c.begin + c.length;
	for (const units of c.coders) {
		const us = cleanUnits(units, c.begin, end);
		for (let i = 1; i < us.length; i++) if (us[i].start < us[i - 1].end) return true;
	}
	return false;
}

/** The coder's partition of the continuum into units and gaps. */
function partition(units: UnitizedUnit[], begin: number, end: number, index: Map<string, number>): Piece[] {
	const out: Piece[] = [];
	let pos = begin;
	for (const u of units) {
		if (u.start > pos) out.push({ start: pos, end: u.start, v: -1 });
		out.push({ start: u.start, end: u.end, v: index.get(u.value)! });
		pos = u.end;
	}
	if (pos < end) out.push({ start: pos, end, v: -1 });
	return out;
}

/** Calls f(a, b, overlapLength) for every overlapping pair of pieces of two partitions. */
function sweep(a: Piece[], b: Piece[], f: (pa: Piece, pb: Piece, len: number) => void): void {
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		const lo = Math.max(a[i].start, b[j].start);
		const hi = Math.min(a[i].end, b[j].end);
		if (hi > lo) f(a[i], b[j], hi - lo);
		if (a[i].end <= b[j].end) i++;
		else j++;
	}
}

/** Σ over sorted disjoint intervals `vs` of |g ∩ v|. */
function overlapWith(g: { start: number; end: number }, vs: Piece[]): number {
	// binary search for the first interval ending after g.start
	let lo = 0;
	let hi = vs.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (vs[mid].end <= g.start) lo = mid + 1;
		else hi = mid;
	}
	let s = 0;
	for (let k = lo; k < vs.length && vs[k].start < g.end; k++) {
		s += Math.min(g.end, vs[k].end) - Math.max(g.start, vs[k].start);
	}
	return s;
}

function unionOf(lists: Piece[][]): Piece[] {
	const all = lists.flat().sort((a, b) => a.start - b.start);
	const out: Piece[] = [];
	for (const p of all) {
		const last = out[out.length - 1];
		if (last && p.start <= last.end) last.end = Math.max(last.end, p.end);
		else out.push({ start: p.start, end: p.end, v: 0 });
	}
	return out;
}

/**
 * uα, |uα, cuα and (k)uα for m ≥ 2 coders on one continuum.
 *
 * ℓ_ck = 1/(m−1)·Σ_i Σ_{j≠i} Σ_g Σ_h |s_cig ∩ s_kjh| (so ℓ.. = mL);
 * ε_ck = ℓ..·[ℓ_c.ℓ_.k − [c=k]·Σ_i Σ_{g valued c} w(g)] / [ℓ..² − Σ_i Σ_g w(g)], w = length² for a
 * unit, length for a gap; uα = 1 − (ℓ.. − Σℓ_cc)/(ℓ.. − Σε_cc); |uα = 1 − (ℓ_φ. − ℓ_φφ)/(ε_φ. − ε_φφ);
 * cuα and (k)uα on the valued × valued part (see `CuVariant`).
 */
export function uAlphaFamily(c: Continuum, variant: CuVariant = DEFAULT_CU_VARIANT): UAlphaResult {
	const m = c.coders.length;
	const end = c.begin + c.length;
	const cleaned = c.coders.map((u) => cleanUnits(u, c.begin, end));
	const valueSet = new Set<string>();
	for (const us of cleaned) for (const u of us) valueSet.add(u.value);
	const valueNames = [...valueSet].sort();
	const index = new Map(valueNames.map((v, i) => [v, i] as const));
	const V = valueNames.length + 1; // + φ at 0
	const zero = () => Array.from({ length: V }, () => new Array<number>(V).fill(0));
	const observed = zero();
	const expected = zero();
	const kuAlpha = new Map<string, Stat>();
	const values: (string | null)[] = [null, ...valueNames];
	const fail = (reason: string): UAlphaResult => {
		for (const v of valueNames) kuAlpha.set(v, undef(reason));
		return { values, observed, expected, uAlpha: undef(reason), binaryUAlpha: undef(reason), cuAlpha: undef(reason), kuAlpha };
	};
	if (m < 2) return fail('needs at least two coders');
	if (!(c.length > 0)) return fail('the continuum is empty');
	if (codersOverlap(c)) return fail(OVERLAP);

	const parts = cleaned.map((us) => partition(us, c.begin, end, index));
	// observed coincidences
	for (let i = 0; i < m; i++)
		for (let j = i + 1; j < m; j++)
			sweep(parts[i], parts[j], (a, b, len) => {
				observed[a.v + 1][b.v + 1] += len;
				observed[b.v + 1][a.v + 1] += len;
			});
	if (m > 2) for (const row of observed) for (let k = 0; k < V; k++) row[k] /= m - 1;

	// expected coincidences
	const W = new Array<number>(V).fill(0);
	for (const ps of parts) for (const p of ps) W[p.v + 1] += p.v < 0 ? p.end - p.start : (p.end - p.start) ** 2;
	const rowSum = observed.map((r) => r.reduce((s, x) => s + x, 0));
	const total = rowSum.reduce((s, x) => s + x, 0);
	const Wsum = W.reduce((s, x) => s + x, 0);
	const eDen = total * total - Wsum;
	for (let a = 0; a < V; a++)
		for (let b = 0; b < V; b++)
			expected[a][b] = eDen > 0 ? (total * (rowSum[a] * rowSum[b] - (a === b ? W[a] : 0))) / eDen : NaN;

	let obsDiag = 0;
	let expDiag = 0;
	for (let a = 0; a < V; a++) {
		obsDiag += observed[a][a];
		expDiag += expected[a][a];
	}
	const uDen = total - expDiag;
	const uAlpha = eDen > 0 && uDen > 0 ? defined(1 - (total - obsDiag) / uDen) : undef('no variation: expected disagreement is zero');
	const ePhi = expected[0].reduce((s, x) => s + x, 0);
	const bDen = ePhi - expected[0][0];
	const binaryUAlpha =
		eDen > 0 && bDen > 0
			? defined(1 - (rowSum[0] - observed[0][0]) / bDen)
			: undef('no variation: the coded and uncoded stretches cannot disagree by chance');

	// cuα: valued × valued
	const valued: Piece[][] = parts.map((ps) => ps.filter((p) => p.v >= 0));
	const C = new Array<number>(V).fill(0);
	for (let i = 0; i < m; i++) {
		const others = variant === 'B' ? unionOf(valued.filter((_, j) => j !== i)) : [];
		for (const g of valued[i]) {
			let corr: number;
			if (variant === 'B') corr = overlapWith(g, others) ** 2;
			else {
				let s = 0;
				let s2 = 0;
				for (let j = 0; j < m; j++) {
					if (j === i) continue;
					const o = overlapWith(g, valued[j]);
					s += o;
					s2 += o * o;
				}
				corr = variant === 'A' ? s2 / (m - 1) : (s / (m - 1)) ** 2;
			}
			C[g.v + 1] += corr;
		}
	}
	const sRow = new Array<number>(V).fill(0);
	let sTot = 0;
	let sDiag = 0;
	for (let a = 1; a < V; a++) {
		for (let b = 1; b < V; b++) sRow[a] += observed[a][b];
		sTot += sRow[a];
		sDiag += observed[a][a];
	}
	const Ctot = C.reduce((s, x) => s + x, 0);
	const noValued = 'no valued units overlap between coders';
	let cuAlpha: Stat;
	if (sTot <= 0) {
		cuAlpha = undef(noValued);
		for (const v of valueNames) kuAlpha.set(v, undef(noValued));
	} else {
		const sDen = sTot - Ctot / sTot;
		const eStar = (a: number, b: number) => (sRow[a] * sRow[b] - (a === b ? C[a] : 0)) / sDen;
		let eDiag = 0;
		for (let a = 1; a < V; a++) eDiag += eStar(a, a);
		const cDen = sTot - eDiag;
		cuAlpha =
			sDen > 0 && cDen > 0 && Number.isFinite(cDen)
				? defined(1 - (sTot - sDiag) / cDen)
				: undef('no variation among the values of coded units');
		for (let k = 1; k < V; k++) {
			const name = valueNames[k - 1];
			if (sRow[k] <= 0) {
				kuAlpha.set(name, undef('no unit with this value overlaps another coder’s valued unit'));
				continue;
			}
			let eRow = 0;
			for (let b = 1; b < V; b++) eRow += eStar(k, b);
			const eK = eRow - eStar(k, k);
			if (!(sDen > 0) || !(eK > 0)) kuAlpha.set(name, undef('no variation: expected disagreement for this value is zero'));
			else kuAlpha.set(name, defined(1 - (eRow / sRow[k]) * ((sRow[k] - observed[k][k]) / eK)));
		}
	}
	return { values, observed, expected, uAlpha, binaryUAlpha, cuAlpha, kuAlpha };
}

export interface AlphaU1995Category {
	category: string;
	observed: number;
	expected: number;
	alpha: Stat;
}

export interface AlphaU1995Result {
	categories: AlphaU1995Category[];
	overall: Stat;
}

/**
 * Krippendorff's (1995) αU, as in DKPro `KrippendorffAlphaUnitizingAgreement`. Per category c,
 * each coder's continuum splits into units of c and gaps;
 * D_o = 2/(m(m−1)L²)·Σ_{i<j} Σ_{overlapping g,h} δ²(g,h), δ² = (b_g−b_h)² + (e_g−e_h)² for two units,
 * l_g² when unit g lies inside gap h (and mirrored), else 0;
 * D_e = (2/L)·Σ_units[(N_c−1)(2l³−3l²+l)/3 + l²·Σ_{gaps ≥ l}(l_gap − l + 1)] / [mL(mL−1) − Σ_units l(l−1)];
 * α_c = 1 − D_o/D_e; overall = 1 − mean D_o / mean D_e.
 */
export function alphaU1995(c: Continuum): AlphaU1995Result {
	const m = c.coders.length;
	const L = c.length;
	const end = c.begin + L;
	const cats = [...new Set(c.coders.flatMap((us) => us.map((u) => u.value)))].sort();
	const categories: AlphaU1995Category[] = [];
	if (m < 2 || !(L > 0)) {
		const reason = m < 2 ? 'needs at least two coders' : 'the continuum is empty';
		return { categories: cats.map((category) => ({ category, observed: NaN, expected: NaN, alpha: undef(reason) })), overall: undef(reason) };
	}
	let sumO = 0;
	let sumE = 0;
	for (const cat of cats) {
		const index = new Map([[cat, 0]]);
		const per = c.coders.map((us) => cleanUnits(us.filter((u) => u.value === cat), c.begin, end));
		const parts = per.map((us) => partition(us, c.begin, end, index));
		let o = 0;
		for (let i = 0; i < m; i++)
			for (let j = i + 1; j < m; j++)
				sweep(parts[i], parts[j], (g, h) => {
					if (g.v >= 0 && h.v >= 0) o += (g.start - h.start) ** 2 + (g.end - h.end) ** 2;
					else if (g.v >= 0 && h.v < 0 && g.start >= h.start && g.end <= h.end) o += (g.end - g.start) ** 2;
					else if (g.v < 0 && h.v >= 0 && h.start >= g.start && h.end <= g.end) o += (h.end - h.start) ** 2;
				});
		const Do = (2 * o) / (m * (m - 1) * L * L);
		const units = per.flat();
		const Nc = units.length;
		const gaps = parts
			.flat()
			.filter((p) => p.v < 0)
			.map((p) => p.end - p.start)
			.sort((a, b) => b - a);
		let squared = 0;
		let sum = 0;
		for (const u of units) {
			const l = u.end - u.start;
			squared += l * (l - 1);
			let s2 = 0;
			for (const g of gaps) {
				if (g < l) break;
				s2 += g - l + 1;
			}
			sum += ((Nc - 1) * (2 * l * l * l - 3 * l * l + l)) / 3 + l * l * s2;
		}
		const De = (sum * (2 / L)) / (m * L * (m * L - 1) - squared);
		sumO += Do;
		sumE += De;
		categories.push({
			category: cat,
			observed: Do,
			expected: De,
			alpha: De > 0 ? defined(1 - Do / De) : undef('no variation: expected disagreement is zero')
		});
	}
	const overall = sumE > 0 ? defined(1 - sumO / sumE) : undef(cats.length ? 'no variation: expected disagreement is zero' : 'no units');
	return { categories, overall };
}
