/** Segments by the paragraphs they touch, kept up to date by small differences. */
import type { Id, Segment } from '$lib/core/types';
import type { Doc } from './doc';

export type Change = { full: true } | { full: false; gone: Segment[]; added: Segment[] };

export class SegmentIndex {
	/** Per paragraph, the segments touching it (any order). */
	byPara: Segment[][] = [];
	byId = new Map<Id, Segment>();
	segs: readonly Segment[] = [];

	constructor(private readonly doc: Doc) {}

	/**
	 * First and last paragraph of a segment: two binary searches, not cached (a WeakMap over
	 * 50,000 segments made every major garbage collection walk them all as ephemerons, a long
	 * pause in the middle of a scroll).
	 */
	span(s: Segment): [number, number] {
		return [this.doc.paraIndexAt(s.start), this.doc.paraIndexAt(Math.max(s.start, s.end - 1))];
	}

	#add(s: Segment) {
		const [a, b] = this.span(s);
		for (let i = a; i <= b; i++) (this.byPara[i] ??= []).push(s);
		this.byId.set(s.id, s);
	}
	#remove(s: Segment) {
		const [a, b] = this.span(s);
		for (let i = a; i <= b; i++) {
			const l = this.byPara[i];
			if (!l) continue;
			const k = l.indexOf(s);
			if (k >= 0) l.splice(k, 1);
		}
		if (this.byId.get(s.id) === s) this.byId.delete(s.id);
	}

	/** Take a new list; says what changed (or `full` when most of it did). */
	update(segs: readonly Segment[]): Change {
		const prev = this.segs;
		this.segs = segs;
		const d = prev.length ? diff(prev, segs) : null;
		if (!d) {
			this.byPara = new Array(this.doc.paras.length);
			this.byId = new Map();
			for (const s of segs) this.#add(s);
			return { full: true };
		}
		for (const s of d.gone) this.#remove(s);
		for (const s of d.added) this.#add(s);
		return { full: false, ...d };
	}
}

/**
 * The difference between two segment lists, or null when it is large. A coding action keeps the
 * other segments as the same objects in the same order, so one walk over both lists finds it.
 */
export function diff(prev: readonly Segment[], segs: readonly Segment[]): { gone: Segment[]; added: Segment[] } | null {
	if (prev === segs) return { gone: [], added: [] };
	if (Math.abs(prev.length - segs.length) > 64) return null;
	const gone: Segment[] = [];
	const added: Segment[] = [];
	let i = 0;
	let j = 0;
	while (i < prev.length && j < segs.length) {
		const a = prev[i];
		const b = segs[j];
		if (a === b) {
			i++;
			j++;
		} else if (a.id === b.id) {
			gone.push(a);
			added.push(b);
			i++;
			j++;
		} else {
			gone.push(a);
			i++;
			if (gone.length > 128) return null;
		}
	}
	while (i < prev.length) gone.push(prev[i++]);
	while (j < segs.length) added.push(segs[j++]);
	if (added.length + gone.length > 256) return null;
	return { gone, added };
}
