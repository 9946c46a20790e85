/**
 * Side-by-side disagreements between two coders, and adjudication into a consensus coder.
 * Pure: the db layer writes what `adjudicate` returns.
 *
 * In each document, the two coders' segments of a code are grouped into passages: maximal
 * groups of segments linked by overlapping text. A passage with segments of A only is 'only-a',
 * of B only 'only-b'; with both, it is 'boundaries' unless both coders' coverage is identical
 * (then it is an agreement, listed only with `includeAgreements`).
 *
 * Over several codes (`reviewDisagreements`), a passage only A coded with one code that overlaps
 * a passage only B coded with another code is one disagreement, 'different-codes', not an
 * 'only-a' under one code and an 'only-b' under the other.
 */
import { paragraphs, type Paragraph } from '../text';
import type { Code, GlossDocument, Id, Segment, StudyData } from '../types';
import { codesInTreeOrder, descendantsOf } from './codes';
import { intersectionLength, totalLength, union, type Interval } from './intervals';
import { DEFAULT_THRESHOLD } from './report';

export type DisagreementKind = 'only-a' | 'only-b' | 'boundaries' | 'different-codes' | 'agreement';

export interface PassageSegment {
	segmentId: Id;
	codeId: Id;
	start: number;
	end: number;
	text: string;
	memo: string;
}

/** Where a passage is, as a reader finds it: paragraph numbers (as in the gutter) and speakers. */
export interface PassageLocation {
	/** 1-based number of the paragraph the passage starts in, and of the one it ends in. */
	paragraph: number;
	lastParagraph: number;
	/** The speakers of the turns the passage lies in, in order (empty when the text has no labels). */
	speakers: string[];
}

export interface Disagreement {
	/** Stable for the same coding: document, kind and both sides' boundaries. */
	id: string;
	kind: DisagreementKind;
	documentId: Id;
	documentName: string;
	/**
	 * The code asked about (segments may be of its descendants with `includeDescendants`).
	 * For 'different-codes', the first of `codeIds`.
	 */
	codeId: Id;
	/**
	 * Every code the passage is listed under: [codeId] for a passage of one code; for
	 * 'different-codes', the codes of both sides (in code-tree order).
	 */
	codeIds: Id[];
	location: PassageLocation;
	/** The passage's extent: from the first segment's start to the last segment's end. */
	start: number;
	end: number;
	/** The passage's text (document text from start to end). */
	excerpt: string;
	a: PassageSegment[];
	b: PassageSegment[];
	/** |A ∩ B| / |A ∪ B| over the passage (0 when only one coder coded it, or with different codes). */
	overlap: number;
	/** True when the overlap share reaches the threshold, so the segment unit counts it as a match. */
	matches: boolean;
}

export interface DisagreementOptions {
	documentIds?: Id[];
	includeDescendants?: boolean;
	/** Also list passages where both coders coded exactly the same text (kind 'agreement'). */
	includeAgreements?: boolean;
}

/** Disagreements between coders A and B on one code, in document order then by position. */
export function disagreements(
	data: StudyData,
	codeId: Id,
	coderA: Id,
	coderB: Id,
	threshold: number = DEFAULT_THRESHOLD,
	opts: DisagreementOptions = {}
): Disagreement[] {
	const codeIds = new Set<Id>([codeId, ...(opts.includeDescendants ? (descendantsOf(data.codes).get(codeId) ?? []) : [])]);
	const docSel = opts.documentIds ? new Set(opts.documentIds) : null;
	const docs = [...data.documents]
		.filter((d) => !docSel || docSel.has(d.id))
		.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
	const byDoc = new Map<Id, { seg: Segment; side: 'a' | 'b' }[]>();
	for (const s of data.segments) {
		if (!codeIds.has(s.codeId) || !(s.end > s.start)) continue;
		const side = s.coderId === coderA ? 'a' : s.coderId === coderB ? 'b' : null;
		if (!side) continue;
		const list = byDoc.get(s.documentId) ?? [];
		list.push({ seg: s, side });
		byDoc.set(s.documentId, list);
	}
	const out: Disagreement[] = [];
	for (const d of docs) {
		const where = sharedLocator(d);
		const list = (byDoc.get(d.id) ?? []).sort((x, y) => x.seg.start - y.seg.start || x.seg.end - y.seg.end);
		let i = 0;
		while (i < list.length) {
			// a passage: segments chained by overlapping text
			let end = list[i].seg.end;
			let j = i + 1;
			while (j < list.length && list[j].seg.start < end) {
				end = Math.max(end, list[j].seg.end);
				j++;
			}
			const group = list.slice(i, j);
			i = j;
			const start = group[0].seg.start;
			const ref = (s: Segment): PassageSegment => ({
				segmentId: s.id,
				codeId: s.codeId,
				start: s.start,
				end: Math.min(s.end, d.text.length),
				text: d.text.slice(s.start, s.end),
				memo: s.memo
			});
			const a = group.filter((g) => g.side === 'a').map((g) => ref(g.seg));
			const b = group.filter((g) => g.side === 'b').map((g) => ref(g.seg));
			const ua = union(a);
			const ub = union(b);
			const inter = intersectionLength(ua, ub);
			const uni = totalLength(ua) + totalLength(ub) - inter;
			const share = uni > 0 ? inter / uni : 0;
			let kind: DisagreementKind;
			if (!b.length) kind = 'only-a';
			else if (!a.length) kind = 'only-b';
			else if (inter === totalLength(ua) && inter === totalLength(ub)) kind = 'agreement';
			else kind = 'boundaries';
			if (kind === 'agreement' && !opts.includeAgreements) continue;
			const sides = (xs: Interval[]) => xs.map((x) => `${x.start}-${x.end}`).join(',');
			out.push({
				id: `${d.id}:${kind}:${sides(ua)}:${sides(ub)}`,
				kind,
				documentId: d.id,
				documentName: d.name,
				codeId,
				codeIds: [codeId],
				location: where(start, end),
				start,
				end,
				excerpt: d.text.slice(start, end),
				a,
				b,
				overlap: share,
				matches: share >= threshold
			});
		}
	}
	return out;
}

/** Where [start, end) lies in a document: paragraph numbers and speakers (the turn's last label). */
const locators = new WeakMap<object, (start: number, end: number) => PassageLocation>();

/**
 * `locator(doc)`, kept per document object (its paragraphs are found once): the disagreements of
 * every code in a study look passages up in the same documents, and reading a long transcript's
 * paragraphs again per code cost seconds at 500 transcripts.
 */
export function sharedLocator(doc: Pick<GlossDocument, 'text'>): (start: number, end: number) => PassageLocation {
	let l = locators.get(doc);
	if (!l) locators.set(doc, (l = locator(doc)));
	return l;
}

export function locator(doc: Pick<GlossDocument, 'text'>): (start: number, end: number) => PassageLocation {
	let paras: Paragraph[] | null = null;
	let speakerOf: (string | null)[] = [];
	return (start, end) => {
		if (!paras) {
			paras = paragraphs(doc.text);
			let current: string | null = null;
			speakerOf = paras.map((p) => (current = p.speaker ?? current));
		}
		const ps = paras;
		// the last paragraph starting at or before `pos`
		const at = (pos: number) => {
			let lo = 0;
			let hi = ps.length - 1;
			let found = 0;
			while (lo <= hi) {
				const mid = (lo + hi) >> 1;
				if (ps[mid].start <= pos) {
					found = mid;
					lo = mid + 1;
				} else hi = mid - 1;
			}
			return found;
		};
		if (!ps.length) return { paragraph: 1, lastParagraph: 1, speakers: [] };
		const i = at(start);
		const j = Math.max(i, at(Math.max(start, end - 1)));
		const speakers: string[] = [];
		for (let k = i; k <= j; k++) {
			const s = speakerOf[k];
			if (s && speakers.at(-1) !== s) speakers.push(s);
		}
		return { paragraph: ps[i].n, lastParagraph: ps[j].n, speakers };
	};
}

export interface ReviewOptions extends DisagreementOptions {
	/** The codes to review. Default: every code. */
	codeIds?: Id[];
}

/**
 * Every disagreement between coders A and B over the chosen codes, each listed once, in document
 * order then by position. Per code as `disagreements`, except that passages only A coded (with
 * code X) and passages only B coded (with another code Y) that overlap in a document become one
 * 'different-codes' disagreement holding both sides (a chain of such overlaps is one passage).
 */
export function reviewDisagreements(
	data: StudyData,
	coderA: Id,
	coderB: Id,
	threshold: number = DEFAULT_THRESHOLD,
	opts: ReviewOptions = {}
): Disagreement[] {
	const all = reviewCodes(data, opts).flatMap((c) => disagreements(data, c.id, coderA, coderB, threshold, opts));
	return combineDisagreements(data, all, opts);
}

/** The codes `reviewDisagreements` goes through, in code-tree order. */
export function reviewCodes(data: Pick<StudyData, 'codes'>, opts: Pick<ReviewOptions, 'codeIds'> = {}): Code[] {
	const sel = opts.codeIds ? new Set(opts.codeIds) : null;
	return codesInTreeOrder(data.codes).filter((c) => !sel || sel.has(c.id));
}

/**
 * `reviewDisagreements` from the codes' own disagreements (`disagreements` of each of
 * `reviewCodes`, in that order): one-sided passages of different codes that overlap joined, sorted.
 */
export function combineDisagreements(data: StudyData, all: readonly Disagreement[], opts: Pick<ReviewOptions, 'codeIds'> = {}): Disagreement[] {
	const codes = reviewCodes(data, opts);
	const rank = new Map(codes.map((c, i) => [c.id, i] as const));
	const docRank = new Map(
		[...data.documents].sort((a, b) => a.order - b.order || a.name.localeCompare(b.name)).map((d, i) => [d.id, i] as const)
	);
	const kept: Disagreement[] = [];
	const oneSided = new Map<Id, Disagreement[]>();
	for (const p of all) {
		if (p.kind === 'only-a' || p.kind === 'only-b') {
			const list = oneSided.get(p.documentId) ?? [];
			list.push(p);
			oneSided.set(p.documentId, list);
		} else kept.push(p);
	}
	for (const [docId, list] of oneSided) {
		const doc = data.documents.find((d) => d.id === docId)!;
		const where = sharedLocator(doc);
		// connected groups: an only-a and an only-b passage of different codes whose text overlaps
		const parent = list.map((_, i) => i);
		const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
		for (let i = 0; i < list.length; i++)
			for (let j = i + 1; j < list.length; j++) {
				const [x, y] = [list[i], list[j]];
				if (x.kind !== y.kind && x.codeId !== y.codeId && x.start < y.end && y.start < x.end) parent[find(i)] = find(j);
			}
		const groups = new Map<number, Disagreement[]>();
		list.forEach((p, i) => {
			const g = groups.get(find(i)) ?? [];
			g.push(p);
			groups.set(find(i), g);
		});
		for (const g of groups.values()) {
			if (g.length === 1 || !g.some((p) => p.kind === 'only-a') || !g.some((p) => p.kind === 'only-b')) {
				kept.push(...g);
				continue;
			}
			const dedupe = (xs: PassageSegment[]) =>
				[...new Map(xs.map((s) => [s.segmentId, s] as const)).values()].sort((p, q) => p.start - q.start || p.end - q.end);
			const a = dedupe(g.filter((p) => p.kind === 'only-a').flatMap((p) => p.a));
			const b = dedupe(g.filter((p) => p.kind === 'only-b').flatMap((p) => p.b));
			const codeIds = [...new Set(g.map((p) => p.codeId))].sort((p, q) => (rank.get(p) ?? 0) - (rank.get(q) ?? 0));
			const start = Math.min(...g.map((p) => p.start));
			const end = Math.max(...g.map((p) => p.end));
			const sides = (xs: PassageSegment[]) => xs.map((x) => `${x.codeId}@${x.start}-${x.end}`).join(',');
			kept.push({
				id: `${docId}:different-codes:${sides(a)}:${sides(b)}`,
				kind: 'different-codes',
				documentId: docId,
				documentName: doc.name,
				codeId: codeIds[0],
				codeIds,
				location: where(start, end),
				start,
				end,
				excerpt: doc.text.slice(start, end),
				a,
				b,
				overlap: 0,
				matches: false
			});
		}
	}
	return kept.sort(
		(p, q) =>
			(docRank.get(p.documentId) ?? 0) - (docRank.get(q.documentId) ?? 0) ||
			p.start - q.start ||
			p.end - q.end ||
			(rank.get(p.codeId) ?? 0) - (rank.get(q.codeId) ?? 0)
	);
}

export type Decision = 'accept-a' | 'accept-b' | 'keep-both' | 'drop';
export const DECISIONS: readonly Decision[] = ['accept-a', 'accept-b', 'keep-both', 'drop'];

/** A segment to create (the db layer adds id and timestamps). */
export type NewSegment = Pick<Segment, 'studyId' | 'documentId' | 'codeId' | 'coderId' | 'start' | 'end' | 'memo'>;

/**
 * The consensus coder's segments for one adjudicated passage:
 * 'accept-a' copies A's segments, 'accept-b' copies B's, 'keep-both' writes the union of both
 * coders' text (one segment per stretch and code, memos joined), 'drop' writes nothing.
 * Segments keep their own code (a descendant's, with `includeDescendants`).
 */
export function adjudicate(d: Disagreement, decision: Decision, target: { studyId: Id; coderId: Id }): NewSegment[] {
	const make = (codeId: Id, start: number, end: number, memo: string): NewSegment => ({
		studyId: target.studyId,
		documentId: d.documentId,
		codeId,
		coderId: target.coderId,
		start,
		end,
		memo
	});
	switch (decision) {
		case 'accept-a':
			return d.a.map((s) => make(s.codeId, s.start, s.end, s.memo));
		case 'accept-b':
			return d.b.map((s) => make(s.codeId, s.start, s.end, s.memo));
		case 'drop':
			return [];
		case 'keep-both': {
			const all = [...d.a, ...d.b];
			const out: NewSegment[] = [];
			for (const codeId of [...new Set(all.map((s) => s.codeId))]) {
				const mine = all.filter((s) => s.codeId === codeId);
				for (const x of union(mine)) {
					const memos = [...new Set(mine.filter((s) => s.start < x.end && s.end > x.start).map((s) => s.memo.trim()).filter(Boolean))];
					out.push(make(codeId, x.start, x.end, memos.join('\n\n')));
				}
			}
			return out;
		}
	}
}

/** Each code's coverage (merged intervals), for comparing codings code by code. */
function coverageByCode(segs: readonly { codeId: Id; start: number; end: number }[]): Map<Id, Interval[]> {
	const by = new Map<Id, Interval[]>();
	for (const s of segs) {
		if (!(s.end > s.start)) continue;
		const l = by.get(s.codeId) ?? [];
		l.push({ start: s.start, end: s.end });
		by.set(s.codeId, l);
	}
	return new Map([...by].map(([k, v]) => [k, union(v)] as const));
}

function sameCoverage(x: Map<Id, Interval[]>, y: Map<Id, Interval[]>): boolean {
	if (x.size !== y.size) return false;
	for (const [k, xs] of x) {
		const ys = y.get(k);
		if (!ys || ys.length !== xs.length || !xs.every((v, i) => v.start === ys[i].start && v.end === ys[i].end)) return false;
	}
	return true;
}

/** Every code a passage concerns: the codes it is listed under and the codes of its segments. */
export function passageCodeIds(d: Disagreement): Id[] {
	return [...new Set([d.codeId, ...d.codeIds, ...d.a.map((s) => s.codeId), ...d.b.map((s) => s.codeId)])];
}

/**
 * What the consensus coder's coding on a passage amounts to, code by code: 'accept-a' /
 * 'accept-b' when it is exactly A's / B's coding of the passage, 'keep-both' when it is their
 * union, 'other' when it is something else, and null when it has nothing there (undecided, or
 * dropped).
 *
 * Several decisions can leave the same coding (on a passage only A coded, accepting A and
 * keeping both are the same segments; dropping and accepting B both leave nothing). The caller
 * remembers the decision it wrote and passes it as `remembered`: when the coding is still what
 * that decision wrote, it is the answer.
 */
export function inferDecision(d: Disagreement, data: Pick<StudyData, 'segments'>, consensusCoderId: Id, remembered?: Decision | null): Decision | 'other' | null {
	const codes = new Set(passageCodeIds(d));
	const mine = coverageByCode(
		data.segments.filter(
			(s) => s.coderId === consensusCoderId && s.documentId === d.documentId && codes.has(s.codeId) && s.start < d.end && s.end > d.start
		)
	);
	const target = { studyId: '', coderId: '' };
	if (remembered && sameCoverage(mine, coverageByCode(adjudicate(d, remembered, target)))) return remembered;
	if (!mine.size) return null;
	for (const dec of ['accept-a', 'accept-b', 'keep-both'] as const) if (sameCoverage(mine, coverageByCode(adjudicate(d, dec, target)))) return dec;
	return 'other';
}
