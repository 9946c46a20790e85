/**
 * Side-by-side disagreements between two coders for one code, and adjudication into a consensus
 * coder. Pure: the db layer writes what `adjudicate` returns.
 *
 * In each document, the two coders' segments of the code are grouped into passages: maximal
 * groups of segments linked by overlapping text. A passage with segments of A only is 'only-a',
 * of B only 'only-b'; with both, it is 'boundaries' unless both coders' coverage is identical
 * (then it is an agreement, listed only with `includeAgreements`).
 */
import type { Id, Segment, StudyData } from '../types';
import { descendantsOf } from './codes';
import { intersectionLength, totalLength, union, type Interval } from './intervals';
import { DEFAULT_THRESHOLD } from './report';

export type DisagreementKind = 'only-a' | 'only-b' | 'boundaries' | 'agreement';

export interface PassageSegment {
	segmentId: Id;
	codeId: Id;
	start: number;
	end: number;
	text: string;
	memo: string;
}

export interface Disagreement {
	/** Stable for the same coding: document, kind and both sides' boundaries. */
	id: string;
	kind: DisagreementKind;
	documentId: Id;
	documentName: string;
	/** The code asked about (segments may be of its descendants with `includeDescendants`). */
	codeId: Id;
	/** The passage's extent: from the first segment's start to the last segment's end. */
	start: number;
	end: number;
	/** The passage's text (document text from start to end). */
	excerpt: string;
	a: PassageSegment[];
	b: PassageSegment[];
	/** |A ∩ B| / |A ∪ B| over the passage (0 when only one coder coded it). */
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

/**
 * What the consensus coder's coding on a passage amounts to: 'accept-a' / 'accept-b' when it
 * covers exactly A's / B's text of the passage's codes, 'keep-both' when it covers their union,
 * 'other' when it covers something else, and null when it has nothing there (undecided, or
 * dropped: a 'drop' leaves no trace, so the caller must remember drops itself).
 */
export function inferDecision(d: Disagreement, data: StudyData, consensusCoderId: Id): Decision | 'other' | null {
	const codes = new Set([d.codeId, ...d.a.map((s) => s.codeId), ...d.b.map((s) => s.codeId)]);
	const mine = union(
		data.segments
			.filter(
				(s) =>
					s.coderId === consensusCoderId &&
					s.documentId === d.documentId &&
					codes.has(s.codeId) &&
					s.end > s.start &&
					s.start < d.end &&
					s.end > d.start
			)
			.map((s) => ({ start: s.start, end: s.end }))
	);
	if (!mine.length) return null;
	const same = (xs: Interval[]) => xs.length === mine.length && xs.every((x, i) => x.start === mine[i].start && x.end === mine[i].end);
	const ua = union(d.a);
	const ub = union(d.b);
	if (same(ua)) return 'accept-a';
	if (same(ub)) return 'accept-b';
	if (same(union([...d.a, ...d.b]))) return 'keep-both';
	return 'other';
}
