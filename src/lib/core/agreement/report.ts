/**
 * Study-level agreement: per code, pooled over codes, and optionally per document, in the unit
 * the supervisor chooses. Pure: works on a StudyData snapshot. Formulas: docs/agreement.md.
 *
 * - presence: each (document, code) pair is a unit; a coder's label is coded / not coded.
 * - segment: MAXQDA's segment agreement; every coded segment is a unit (see `segmentStats`).
 * - character: NVivo's coding comparison; every character of every selected document is a unit.
 * - unitized: Krippendorff's uα family over the documents laid end to end (ATLAS.ti's approach).
 *
 * Hierarchy: a segment counts only for its own code, unless `includeDescendants` is true; then a
 * code's coding is its own plus that of all its descendants.
 * Zero-length segments cover no text and are ignored by every unit.
 */
import { toCsv, type Cell } from '../csv';
import { fail, ok, type Code, type Coder, type GlossDocument, type Id, type Result, type StudyData } from '../types';
import { codePaths, codesInTreeOrder, descendantsOf } from './codes';
import { coverageHistogram, intersectionLength, mergeOverlapping, totalLength, union, type Interval } from './intervals';
import {
	brennanPredigerFrom,
	cohenKappa,
	defined,
	fleissKappa,
	krippendorffAlphaNominal,
	percentAgreement,
	percentAgreementPairwise,
	undef,
	type FleissMissing,
	type Stat
} from './stats';
import { DEFAULT_CU_VARIANT, uAlphaFamily, type CuVariant, type UAlphaResult, type UnitizedUnit } from './unitizing';

export type AgreementUnit = 'presence' | 'segment' | 'character' | 'unitized';
export const AGREEMENT_UNITS: readonly AgreementUnit[] = ['presence', 'segment', 'character', 'unitized'];

export const STAT_NAMES = [
	'percent_agreement',
	'cohen_kappa',
	'fleiss_kappa',
	'krippendorff_alpha',
	'brennan_prediger_kappa',
	'u_alpha',
	'cu_alpha'
] as const;
export type StatName = (typeof STAT_NAMES)[number];

/** The statistics each unit reports (cohen_kappa only with exactly two coders). */
export const UNIT_STATS: Record<AgreementUnit, readonly StatName[]> = {
	presence: ['percent_agreement', 'cohen_kappa', 'fleiss_kappa', 'krippendorff_alpha'],
	segment: ['percent_agreement', 'brennan_prediger_kappa'],
	character: ['percent_agreement', 'cohen_kappa'],
	unitized: ['u_alpha', 'cu_alpha']
};

/**
 * How the character unit combines documents (and codes, for the '(all)' row):
 * - 'pooled': one 2×2 table over every character of every document (× code): Cohen's κ on it;
 * - 'mean': the mean of the per-document figures (NVivo's per-source figures), each document equal;
 * - 'weighted': that mean weighted by each document's length in characters.
 * Per-document figures (κ undefined where nobody coded) are left out of a mean.
 */
export type CharacterPooling = 'pooled' | 'mean' | 'weighted';
export const CHARACTER_POOLINGS: readonly CharacterPooling[] = ['pooled', 'mean', 'weighted'];

/** What a pooled character figure is, in words (the screen and the CLI say it the same way). */
export const POOLING_LABEL: Record<CharacterPooling, string> = {
	pooled: 'all characters pooled (Cohen’s κ on one table over every document)',
	mean: 'the mean over documents, each document equal',
	weighted: 'the mean over documents, weighted by document length'
};

/** The `code` cell of the row pooled over all selected codes. */
export const ALL_CODES = '(all)';
export const DEFAULT_THRESHOLD = 0.9;

export interface AgreementOptions {
	coderIds: Id[];
	unit: AgreementUnit;
	/** segment unit: the overlap share (intersection / union) at which two segments match. Default 0.9. */
	threshold?: number;
	/**
	 * Default: the documents every selected coder has coded (at least one segment of any code),
	 * so a document a coder never worked on does not count as "not coded" by them.
	 */
	documentIds?: Id[];
	/** Default: every code. */
	codeIds?: Id[];
	/** Count a descendant's coding for its ancestors too. Default false. */
	includeDescendants?: boolean;
	/** Also produce rows per code × document (and a pooled row per document). Default false. */
	byDocument?: boolean;
	/** Fleiss' kappa with missing data (presence has none). Default 'gwet'. */
	fleissMissing?: FleissMissing;
	/** cuα self-pairing correction for 3+ coders. Default 'C'. */
	cuVariant?: CuVariant;
	/** Character unit: how rows over several documents combine them. Default 'pooled'. */
	pooling?: CharacterPooling;
}

export interface AgreementRow {
	/** null for the row pooled over all selected codes. */
	codeId: Id | null;
	/** The code's path (names from the root joined with ' > '), or '(all)'. */
	code: string;
	/** null for rows over all selected documents. */
	documentId: Id | null;
	document: string | null;
	unit: AgreementUnit;
	/** Coder names, in the order asked for. */
	coders: string[];
	coderIds: Id[];
	/** The number of units the statistics are computed over (see docs/agreement.md). */
	n: number;
	/** Only the statistics that apply to this unit (and number of coders) are present. */
	stats: Partial<Record<StatName, Stat>>;
	/** Raw counts behind the statistics, for display (e.g. matches, segments, characters). */
	counts: Record<string, number>;
}

export interface AgreementReport {
	unit: AgreementUnit;
	threshold: number;
	/** Character unit: how the rows over several documents were combined. */
	pooling: CharacterPooling;
	coders: { id: Id; name: string }[];
	/** The documents compared, in document order. */
	documentIds: Id[];
	codeIds: Id[];
	includeDescendants: boolean;
	/** Plain-language notes about the selection (e.g. documents left out by the default). */
	notes: string[];
	/** One row per selected code (tree order), then the '(all)' row. */
	rows: AgreementRow[];
	/** With `byDocument`: per document, one row per code then its '(all)' row. Else empty. */
	documentRows: AgreementRow[];
}

/** Problems with the options, as messages; empty when they are valid. */
export function validateAgreementOptions(data: StudyData, opts: AgreementOptions): string[] {
	const errors: string[] = [];
	if (!AGREEMENT_UNITS.includes(opts.unit)) errors.push(`unknown unit "${String(opts.unit)}" (use ${AGREEMENT_UNITS.join(', ')})`);
	const coderIds = new Set(data.coders.map((c) => c.id));
	if (!opts.coderIds || opts.coderIds.length < 2) errors.push('choose at least two coders');
	for (const id of opts.coderIds ?? []) if (!coderIds.has(id)) errors.push(`unknown coder id "${id}"`);
	if (new Set(opts.coderIds ?? []).size !== (opts.coderIds ?? []).length) errors.push('a coder is listed twice');
	const t = opts.threshold ?? DEFAULT_THRESHOLD;
	if (!(t > 0 && t <= 1)) errors.push(`threshold must be above 0 and at most 1 (got ${t})`);
	if (opts.pooling !== undefined && !CHARACTER_POOLINGS.includes(opts.pooling))
		errors.push(`unknown pooling "${String(opts.pooling)}" (use ${CHARACTER_POOLINGS.join(', ')})`);
	const docIds = new Set(data.documents.map((d) => d.id));
	for (const id of opts.documentIds ?? []) if (!docIds.has(id)) errors.push(`unknown document id "${id}"`);
	const codeIds = new Set(data.codes.map((c) => c.id));
	for (const id of opts.codeIds ?? []) if (!codeIds.has(id)) errors.push(`unknown code id "${id}"`);
	return errors;
}

/** Per (code, document): one list of intervals per selected coder (raw segments, not merged). */
class Coding {
	/** By code, then document (nested maps: a string key per segment cost most of a report at 100,000 segments). */
	readonly #byCode = new Map<Id, Map<Id, Interval[][]>>();
	readonly #descendants: Map<Id, Id[]>;
	readonly #include: boolean;
	readonly #m: number;

	constructor(data: StudyData, coderIds: Id[], docs: GlossDocument[], include: boolean) {
		this.#m = coderIds.length;
		this.#include = include;
		this.#descendants = descendantsOf(data.codes);
		const coderIndex = new Map(coderIds.map((id, i) => [id, i] as const));
		const docLen = new Map(docs.map((d) => [d.id, d.text.length] as const));
		for (const s of data.segments) {
			const ci = coderIndex.get(s.coderId);
			const len = docLen.get(s.documentId);
			if (ci === undefined || len === undefined) continue;
			const start = Math.max(0, s.start);
			const end = Math.min(len, s.end);
			if (!(end > start)) continue; // zero-length or outside the text: covers nothing
			let perDoc = this.#byCode.get(s.codeId);
			if (!perDoc) {
				perDoc = new Map();
				this.#byCode.set(s.codeId, perDoc);
			}
			let lists = perDoc.get(s.documentId);
			if (!lists) {
				lists = Array.from({ length: this.#m }, () => []);
				perDoc.set(s.documentId, lists);
			}
			lists[ci].push({ start, end });
		}
	}

	/** Each coder's raw intervals for the code (and its descendants when asked) in the document. */
	raw(codeId: Id, docId: Id): Interval[][] {
		const own = this.#byCode.get(codeId)?.get(docId);
		const kids = this.#include ? (this.#descendants.get(codeId) ?? []) : [];
		if (!kids.length) return own ?? Array.from({ length: this.#m }, () => []);
		const out: Interval[][] = Array.from({ length: this.#m }, (_, i) => [...(own?.[i] ?? [])]);
		for (const k of kids) {
			const l = this.#byCode.get(k)?.get(docId);
			if (l) for (let i = 0; i < this.#m; i++) out[i].push(...l[i]);
		}
		return out;
	}

	/** Each coder's merged coverage for the code in the document. */
	covered(codeId: Id, docId: Id): Interval[][] {
		return this.raw(codeId, docId).map(union);
	}
}

const NEED_TWO = 'needs at least two coders';

interface Computed {
	n: number;
	stats: Partial<Record<StatName, Stat>>;
	counts: Record<string, number>;
}

function presenceStats(coding: Coding, codes: Code[], docs: GlossDocument[], m: number, fleissMissing: FleissMissing): Computed {
	const matrix: number[][] = [];
	for (const d of docs) for (const c of codes) matrix.push(coding.raw(c.id, d.id).map((l) => (l.length ? 1 : 0)));
	const stats: Partial<Record<StatName, Stat>> = {};
	if (m < 2) {
		for (const s of ['percent_agreement', 'fleiss_kappa', 'krippendorff_alpha'] as const) stats[s] = undef(NEED_TWO);
	} else {
		stats.percent_agreement = m === 2 ? percentAgreement(matrix) : percentAgreementPairwise(matrix);
		if (m === 2) stats.cohen_kappa = cohenKappa(matrix);
		stats.fleiss_kappa = fleissKappa(matrix, fleissMissing);
		stats.krippendorff_alpha = krippendorffAlphaNominal(matrix);
	}
	if (matrix.length === 0) for (const k of Object.keys(stats) as StatName[]) stats[k] = undef('no units: no documents or codes selected');
	let all = 0;
	let none = 0;
	for (const row of matrix) {
		const k = row.reduce((s, x) => s + x, 0);
		if (k === m) all++;
		else if (k === 0) none++;
	}
	return { n: matrix.length, stats, counts: { units: matrix.length, codedByAll: all, codedByNone: none, mixed: matrix.length - all - none } };
}

/** Share of two intervals' union that they have in common (MAXQDA's segment overlap). */
export function overlapShare(a: Interval, b: Interval): number {
	const inter = Math.min(a.end, b.end) - Math.max(a.start, b.start);
	if (inter <= 0) return 0;
	return inter / (Math.max(a.end, b.end) - Math.min(a.start, b.start));
}

/**
 * MAXQDA segment agreement. Every segment of every selected coder is checked against each other
 * coder: it matches when that coder has a segment of the same code in the same document whose
 * overlap share (intersection / union of the two segments) is at least the threshold. With two
 * coders, n = segments of A + segments of B, and percent agreement = matches / n (MAXQDA's
 * "agreements / (agreements + non-agreements)"). Kappa (Brennan & Prediger 1981, as MAXQDA):
 * (p − 1/q)/(1 − 1/q), q = the number of codes in the results table: the selected codes that at
 * least one selected coder used in the selected documents (the same q for every row).
 */
function segmentStats(coding: Coding, codes: Code[], docs: GlossDocument[], m: number, threshold: number, q: number): Computed {
	let n = 0;
	let matches = 0;
	for (const d of docs)
		for (const c of codes) {
			const raw = coding.raw(c.id, d.id);
			for (let i = 0; i < m; i++)
				for (let j = 0; j < m; j++) {
					if (i === j) continue;
					for (const g of raw[i]) {
						n++;
						if (raw[j].some((h) => overlapShare(g, h) >= threshold)) matches++;
					}
				}
		}
	const stats: Partial<Record<StatName, Stat>> = {};
	if (m < 2) {
		stats.percent_agreement = undef(NEED_TWO);
		stats.brennan_prediger_kappa = undef(NEED_TWO);
	} else if (n === 0) {
		stats.percent_agreement = undef('no coded segments');
		stats.brennan_prediger_kappa = undef('no coded segments');
	} else {
		const p = matches / n;
		stats.percent_agreement = defined(p);
		stats.brennan_prediger_kappa =
			q < 2 ? undef('needs at least two codes in use: chance agreement is 1 / the number of codes used') : brennanPredigerFrom(p, q);
	}
	return { n, stats, counts: { segments: n, matches, nonMatches: n - matches, codes: q } };
}

/**
 * NVivo coding comparison: each character of each selected document is coded or not by each
 * coder. Two coders: percent agreement = (both + neither) / characters; Cohen's kappa on that 2×2
 * table. Three or more coders: mean pairwise agreement (Fleiss' P̄), no Cohen's kappa.
 */
function characterStats(coding: Coding, codes: Code[], docs: GlossDocument[], m: number): Computed {
	let N = 0;
	const stats: Partial<Record<StatName, Stat>> = {};
	if (m === 2) {
		let both = 0;
		let onlyA = 0;
		let onlyB = 0;
		for (const d of docs) {
			const L = d.text.length;
			for (const c of codes) {
				N += L;
				const [a, b] = coding.covered(c.id, d.id);
				const inter = intersectionLength(a, b);
				both += inter;
				onlyA += totalLength(a) - inter;
				onlyB += totalLength(b) - inter;
			}
		}
		const neither = N - both - onlyA - onlyB;
		if (N === 0) {
			stats.percent_agreement = undef('no text: the selected documents are empty');
			stats.cohen_kappa = undef('no text: the selected documents are empty');
		} else {
			const po = (both + neither) / N;
			const pa = (both + onlyA) / N;
			const pb = (both + onlyB) / N;
			const pe = pa * pb + (1 - pa) * (1 - pb);
			stats.percent_agreement = defined(po);
			stats.cohen_kappa =
				1 - pe > 0
					? defined((po - pe) / (1 - pe))
					: undef(both + onlyA + onlyB === 0 ? 'no variation: neither coder coded any text' : 'no variation: every character coded by both coders');
		}
		return { n: N, stats, counts: { characters: N, both, onlyFirst: onlyA, onlySecond: onlyB, neither } };
	}
	const h = new Array<number>(m + 1).fill(0);
	for (const d of docs)
		for (const c of codes) {
			N += d.text.length;
			coverageHistogram(coding.covered(c.id, d.id), d.text.length).forEach((x, k) => (h[k] += x));
		}
	if (m < 2) stats.percent_agreement = undef(NEED_TWO);
	else if (N === 0) stats.percent_agreement = undef('no text: the selected documents are empty');
	else {
		let s = 0;
		for (let k = 0; k <= m; k++) s += (h[k] * (k * (k - 1) + (m - k) * (m - k - 1))) / (m * (m - 1));
		stats.percent_agreement = defined(s / N);
	}
	const counts: Record<string, number> = { characters: N };
	h.forEach((x, k) => (counts[`codedBy${k}`] = x));
	return { n: N, stats, counts };
}

/**
 * The character unit's figures as the mean of the per-(code, document) figures, NVivo's
 * per-source values, each pair equal ('mean') or weighted by the document's length
 * ('weighted'). A pair whose statistic is undefined (κ where nobody coded the code in that
 * document) is left out of that statistic's mean; counts.averaged / counts.leftOut say how many.
 * n stays the number of characters (× codes), and the counts are the pooled table's.
 */
function characterMean(coding: Coding, codes: Code[], docs: GlossDocument[], m: number, weighted: boolean): Computed {
	const pooled = characterStats(coding, codes, docs, m);
	const names = Object.keys(pooled.stats) as StatName[];
	const acc = new Map<StatName, { sum: number; w: number; k: number; left: number; reason: string }>();
	for (const s of names) acc.set(s, { sum: 0, w: 0, k: 0, left: 0, reason: '' });
	let pairs = 0;
	if (m >= 2)
		for (const d of docs) {
			if (!d.text.length) continue;
			for (const c of codes) {
				pairs++;
				const one = characterStats(coding, [c], [d], m);
				const w = weighted ? d.text.length : 1;
				for (const s of names) {
					const st = one.stats[s];
					const a = acc.get(s)!;
					if (st && st.value !== null) {
						a.sum += w * st.value;
						a.w += w;
						a.k++;
					} else {
						a.left++;
						if (st && st.value === null) a.reason = st.reason ?? '';
					}
				}
			}
		}
	const stats: Partial<Record<StatName, Stat>> = {};
	const counts: Record<string, number> = { ...pooled.counts, pairs };
	for (const s of names) {
		const a = acc.get(s)!;
		if (m < 2) stats[s] = pooled.stats[s];
		else if (pairs === 0) stats[s] = undef('no text: the selected documents are empty');
		else if (a.k === 0) stats[s] = undef(`undefined in every document (${a.reason || 'no variation'})`);
		else stats[s] = defined(a.sum / a.w);
		counts[`${s}:averaged`] = a.k;
		counts[`${s}:leftOut`] = a.left;
	}
	return { n: pooled.n, stats, counts };
}

/**
 * The documents laid end to end as one continuum, each coder's units valued by code id (or one
 * value 'coded' for the binary case). A coder's overlapping segments of one code merge into one
 * unit; segments that only touch stay separate units.
 */
function unitizedInput(coding: Coding, codes: Code[], docs: GlossDocument[], m: number, binary: boolean) {
	const coders: UnitizedUnit[][] = Array.from({ length: m }, () => []);
	let offset = 0;
	for (const d of docs) {
		if (binary) {
			const perCoder: Interval[][] = Array.from({ length: m }, () => []);
			for (const c of codes) coding.raw(c.id, d.id).forEach((l, i) => perCoder[i].push(...l));
			perCoder.forEach((l, i) => {
				for (const x of mergeOverlapping(l)) coders[i].push({ start: offset + x.start, end: offset + x.end, value: 'coded' });
			});
		} else {
			for (const c of codes)
				coding.raw(c.id, d.id).forEach((l, i) => {
					for (const x of mergeOverlapping(l)) coders[i].push({ start: offset + x.start, end: offset + x.end, value: c.id });
				});
		}
		offset += d.text.length;
	}
	return { begin: 0, length: offset, coders };
}

function multiValued(coding: Coding, codes: Code[], docs: GlossDocument[], m: number, variant: CuVariant): UAlphaResult {
	return uAlphaFamily(unitizedInput(coding, codes, docs, m, false), variant);
}

/**
 * Unitized: per code, u_alpha = Krippendorff's binary |uα for that code (coded vs not) and
 * cu_alpha = (k)uα of that code among the selected codes; pooled, u_alpha = |uα for coded with any
 * selected code vs not, and cu_alpha = cuα over the selected codes. cuα needs each coder's codes
 * to be mutually exclusive (as ATLAS.ti requires within a semantic domain).
 */
function unitizedStats(coding: Coding, code: Code | null, codes: Code[], docs: GlossDocument[], m: number, multi: UAlphaResult | null, variant: CuVariant): Computed {
	const L = docs.reduce((s, d) => s + d.text.length, 0);
	const stats: Partial<Record<StatName, Stat>> = {};
	if (m < 2) {
		stats.u_alpha = undef(NEED_TWO);
		stats.cu_alpha = undef(NEED_TWO);
		return { n: L, stats, counts: { characters: L } };
	}
	const bin = uAlphaFamily(unitizedInput(coding, code ? [code] : codes, docs, m, true), variant);
	stats.u_alpha = bin.binaryUAlpha;
	const mv = multi ?? multiValued(coding, codes, docs, m, variant);
	if (code) stats.cu_alpha = mv.kuAlpha.get(code.id) ?? undef('no coder coded this code');
	else stats.cu_alpha = mv.cuAlpha;
	if (L === 0) for (const k of Object.keys(stats) as StatName[]) stats[k] = undef('no text: the selected documents are empty');
	return { n: L, stats, counts: { characters: L } };
}

/** The agreement report as a Result: the validation messages instead of a thrown Error. */
export function tryAgreementReport(data: StudyData, opts: AgreementOptions): Result<AgreementReport> {
	const errors = validateAgreementOptions(data, opts);
	return errors.length ? fail(errors) : ok(agreementReport(data, opts));
}

/** The agreement report. Throws an Error naming every problem when the options are invalid. */
export function agreementReport(data: StudyData, opts: AgreementOptions): AgreementReport {
	const errors = validateAgreementOptions(data, opts);
	if (errors.length) throw new Error(errors.join('; '));
	const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
	const include = opts.includeDescendants ?? false;
	const fleissMissing = opts.fleissMissing ?? 'gwet';
	const variant = opts.cuVariant ?? DEFAULT_CU_VARIANT;
	const pooling = opts.pooling ?? 'pooled';
	const coderById = new Map(data.coders.map((c) => [c.id, c] as const));
	const coders: Coder[] = opts.coderIds.map((id) => coderById.get(id)!);
	const m = coders.length;
	const notes: string[] = [];
	let docSel: Set<Id> | null = opts.documentIds ? new Set(opts.documentIds) : null;
	if (!docSel) {
		const codedBy = new Map<Id, Set<Id>>();
		const wanted = new Set(opts.coderIds);
		for (const s of data.segments) {
			if (!wanted.has(s.coderId) || !(s.end > s.start)) continue;
			const set = codedBy.get(s.documentId) ?? new Set<Id>();
			set.add(s.coderId);
			codedBy.set(s.documentId, set);
		}
		const all = data.documents.length;
		docSel = new Set(data.documents.filter((d) => (codedBy.get(d.id)?.size ?? 0) === wanted.size).map((d) => d.id));
		if (docSel.size === 0) {
			docSel = null;
			if (all) notes.push(`No document was coded by every selected coder, so all ${all} documents were compared.`);
		} else if (docSel.size < all) {
			const n = docSel.size;
			notes.push(
				`Compared the ${n} document${n === 1 ? '' : 's'} coded by every selected coder; ` +
					`left out ${all - n} that not every coder coded.`
			);
		}
	}
	const docs = [...data.documents]
		.filter((d) => !docSel || docSel.has(d.id))
		.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
	const codeSel = opts.codeIds ? new Set(opts.codeIds) : null;
	const codes = codesInTreeOrder(data.codes).filter((c) => !codeSel || codeSel.has(c.id));
	const paths = codePaths(data.codes);
	const coding = new Coding(data, opts.coderIds, docs, include);
	const names = coders.map((c) => c.name);

	// MAXQDA's chance agreement 1/q: q = the codes in its results table, i.e. the selected codes
	// that at least one selected coder used in the selected documents.
	const qUsed =
		opts.unit === 'segment'
			? codes.filter((c) => docs.some((d) => coding.raw(c.id, d.id).some((l) => l.length > 0))).length
			: 0;
	const compute = (code: Code | null, ds: GlossDocument[], multi: UAlphaResult | null): Computed => {
		const cs = code ? [code] : codes;
		switch (opts.unit) {
			case 'presence':
				return presenceStats(coding, cs, ds, m, fleissMissing);
			case 'segment':
				return segmentStats(coding, cs, ds, m, threshold, qUsed);
			case 'character':
				return pooling === 'pooled' ? characterStats(coding, cs, ds, m) : characterMean(coding, cs, ds, m, pooling === 'weighted');
			case 'unitized':
				return unitizedStats(coding, code, codes, ds, m, multi, variant);
		}
	};
	const block = (ds: GlossDocument[], doc: GlossDocument | null): AgreementRow[] => {
		const multi = opts.unit === 'unitized' && m >= 2 ? multiValued(coding, codes, ds, m, variant) : null;
		const rows: AgreementRow[] = [];
		for (const code of [...codes, null]) {
			const r = compute(code, ds, multi);
			rows.push({
				codeId: code ? code.id : null,
				code: code ? paths.get(code.id)! : ALL_CODES,
				documentId: doc ? doc.id : null,
				document: doc ? doc.name : null,
				unit: opts.unit,
				coders: names,
				coderIds: [...opts.coderIds],
				n: r.n,
				stats: r.stats,
				counts: r.counts
			});
		}
		return rows;
	};

	return {
		unit: opts.unit,
		threshold,
		pooling,
		coders: coders.map((c) => ({ id: c.id, name: c.name })),
		documentIds: docs.map((d) => d.id),
		codeIds: codes.map((c) => c.id),
		includeDescendants: include,
		notes,
		rows: block(docs, null),
		documentRows: opts.byDocument ? docs.flatMap((d) => block([d], d)) : []
	};
}

/** The CSV header of `agreementCsv` (the `document` column only with `withDocument`). */
export const CSV_COLUMNS = ['code', 'unit', 'coders', 'n', ...STAT_NAMES] as const;

/**
 * The report rows as CSV: code, unit, coders, n, then one column per statistic. A cell is empty
 * where the statistic does not apply to the unit, and `n/a` where it applies but is undefined.
 * Coders are joined with '; '. `withDocument` adds a `document` column after `code`.
 */
export function agreementCsv(rows: readonly AgreementRow[], opts: { bom?: boolean; withDocument?: boolean } = {}): string {
	const header: string[] = [...CSV_COLUMNS];
	if (opts.withDocument) header.splice(1, 0, 'document');
	const body: Cell[][] = rows.map((r) => {
		const cells: Cell[] = [r.code, r.unit, r.coders.join('; '), r.n];
		if (opts.withDocument) cells.splice(1, 0, r.document ?? '');
		for (const s of STAT_NAMES) {
			const st = r.stats[s];
			cells.push(st === undefined ? '' : st.value === null ? 'n/a' : st.value);
		}
		return cells;
	});
	return toCsv(header, body, { bom: opts.bom });
}


/** A statistic for display: the value to `digits` decimals, or 'n/a' (the reason is `stat.reason`). */
export function formatStat(stat: Stat | undefined, digits = 3): string {
	if (stat === undefined) return '';
	return stat.value === null ? 'n/a' : stat.value.toFixed(digits);
}

/**
 * The rows as a plain-text table (for `gloss agreement --format table`): the CSV columns that
 * apply to the unit, 'n/a' for undefined values, and the reasons listed underneath.
 */
export function agreementTable(rows: readonly AgreementRow[], digits = 3): string {
	if (!rows.length) return '';
	const unit = rows[0].unit;
	const statCols = STAT_NAMES.filter((s) => rows.some((r) => r.stats[s] !== undefined));
	const withDoc = rows.some((r) => r.document !== null);
	const header = ['code', ...(withDoc ? ['document'] : []), 'n', ...statCols];
	const notes: string[] = [];
	const body = rows.map((r) => [
		r.code,
		...(withDoc ? [r.document ?? ''] : []),
		String(r.n),
		...statCols.map((s) => {
			const st = r.stats[s];
			if (st && st.value === null) {
				notes.push(`${r.code}${r.document ? ` (${r.document})` : ''}: ${s} n/a: ${st.reason}`);
			}
			return formatStat(st, digits);
		})
	]);
	const w = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
	const line = (cells: string[]) =>
		cells.map((c, i) => (i === 0 || (withDoc && i === 1) ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ').trimEnd();
	const out = [
		`unit: ${unit}; coders: ${rows[0].coders.join(', ')}`,
		line(header),
		w.map((n) => '-'.repeat(n)).join('  '),
		...body.map(line)
	];
	if (notes.length) out.push('', ...notes);
	return out.join('\n') + '\n';
}
