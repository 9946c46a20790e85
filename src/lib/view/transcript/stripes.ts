/**
 * Coding stripes in the margin, one lane per overlapping segment (lanes from core), drawn only
 * for paragraphs in the DOM. A stripe runs from the line box its segment starts on to the one it
 * ends on, measured with Range.getClientRects; its label sits at its start line.
 */
import { assignLanes } from '$lib/core/segments';
import type { Id, Segment } from '$lib/core/types';
import type { Doc, Row } from './doc';
import type { SegmentIndex } from './segindex';

const LABEL_H = 16;

type Piece = { seg: Segment; lane: number; first: boolean; last: boolean };
type Placed = Piece & { y0: number; y1: number };

export class StripeLayer {
	lane = new Map<Id, number>();
	count = 0;
	/**
	 * What each row shows: the layer's version it was drawn at, and a key of its pieces once
	 * compared. A row drawn at the current version is skipped without building anything (a scroll
	 * frame draws new rows only; making keys and pieces for them all was most of what scrolling
	 * allocated); after a relane or invalidate, a row whose key is unchanged is left as it is.
	 */
	#drawn = new Map<number, { ver: number; key: string | null }>();
	#ver = 0;
	/**
	 * One Range for every measurement: each live Range is registered with the document until it is
	 * garbage collected, and every DOM removal walks them all (fresh ones per stripe made dropping
	 * rows while scrolling slower and slower between collections).
	 */
	#range: Range | null = null;
	colourOf: (codeId: Id) => string = () => '#888888';
	/** A stripe's label; it may depend on the segment's code and coder only (cached by both). */
	labelOf: (seg: Segment) => string = () => '';
	/** Colour and label by code and coder, until `invalidate` (the owner's style key changed). */
	#looks = new Map<string, { colour: string; name: string }>();

	constructor(
		private doc: Doc,
		private index: SegmentIndex
	) {}

	reset(doc: Doc, index: SegmentIndex) {
		this.doc = doc;
		this.index = index;
		this.#drawn.clear();
		this.#looks.clear();
		this.lane = new Map();
		this.count = 0;
		this.#ver++;
	}

	/** Lanes for the current segments (all of them: lanes are the document's). */
	relane() {
		const { lane, count } = assignLanes(this.index.segs);
		this.lane = lane;
		this.count = count;
		this.#ver++;
	}

	/** Everything drawn is stale (colours, names or the width changed). */
	invalidate() {
		this.#drawn.clear();
		this.#looks.clear();
		this.#ver++;
	}

	#look(seg: Segment): { colour: string; name: string } {
		const key = seg.codeId + '\u0000' + seg.coderId;
		let l = this.#looks.get(key);
		if (!l) this.#looks.set(key, (l = { colour: this.colourOf(seg.codeId), name: this.labelOf(seg) }));
		return l;
	}

	forget(i: number) {
		this.#drawn.delete(i);
	}

	#pieces(i: number): Piece[] {
		const out: Piece[] = [];
		for (const s of this.index.byPara[i] ?? []) {
			const [a, b] = this.index.span(s);
			out.push({ seg: s, lane: this.lane.get(s.id) ?? 0, first: i === a, last: i === b });
		}
		out.sort((x, y) => x.seg.start - y.seg.start || x.lane - y.lane);
		return out;
	}

	/** Draw the stripes of these rows where they differ from what is drawn. Reads first, then writes. */
	draw(rows: Iterable<Row>) {
		const todo: { row: Row; placed: Placed[]; key: string | null }[] = [];
		for (const row of rows) {
			const prev = this.#drawn.get(row.i);
			if (prev && prev.ver === this.#ver) continue;
			const pieces = this.#pieces(row.i);
			let key: string | null = null;
			if (prev) {
				key = '';
				for (const p of pieces) key += p.lane + ':' + p.seg.id + ':' + p.seg.codeId + ':' + p.seg.start + ':' + p.seg.end + '|';
				if (prev.key === key) {
					prev.ver = this.#ver;
					continue;
				}
			}
			todo.push({ row, placed: pieces as Placed[], key });
		}
		if (todo.length === 0) return;
		// reads: every line box needed, against each stripe column's top
		for (const t of todo) {
			if (t.placed.length === 0) continue;
			const top = t.row.st.getBoundingClientRect().top;
			const p = this.doc.paras[t.row.i];
			for (const pc of t.placed) {
				pc.y0 = pc.first ? this.#lineTop(t.row, Math.max(pc.seg.start, p.start)) - top : NaN;
				pc.y1 = pc.last ? this.#lineBottom(t.row, Math.min(pc.seg.end, p.end)) - top : NaN;
			}
		}
		// let go of the last row measured (a range left in a removed row costs nothing, but holds it)
		this.#range?.setStart(document.body, 0);
		this.#range?.collapse(true);
		// writes
		for (const t of todo) {
			this.#write(t.row, t.placed);
			this.#drawn.set(t.row.i, { ver: this.#ver, key: t.key });
		}
	}

	/** The top of the line box a text offset begins on (viewport coordinates). */
	#lineTop(row: Row, offset: number): number {
		const a = this.doc.locate(row, offset);
		if (!a) return row.st.getBoundingClientRect().top;
		const r = (this.#range ??= document.createRange());
		r.setStart(a.node, a.offset);
		r.setEnd(a.node, Math.min(a.node.length, a.offset + 1));
		const rects = r.getClientRects();
		return rects.length ? rects[0].top : r.getBoundingClientRect().top;
	}
	/** The bottom of the line box a text offset ends on. */
	#lineBottom(row: Row, offset: number): number {
		const b = this.doc.locate(row, offset, true);
		if (!b) return row.st.getBoundingClientRect().bottom;
		const r = (this.#range ??= document.createRange());
		r.setStart(b.node, Math.max(0, b.offset - 1));
		r.setEnd(b.node, b.offset);
		const rects = r.getClientRects();
		return rects.length ? rects[rects.length - 1].bottom : r.getBoundingClientRect().bottom;
	}

	#write(row: Row, placed: Placed[]) {
		const bars: HTMLElement[] = [];
		const labels: HTMLElement[] = [];
		let labelY = -Infinity;
		for (const p of placed) {
			const { colour, name } = this.#look(p.seg);
			const bar = document.createElement('span');
			bar.className = 'bar' + (p.first ? ' first' : '') + (p.last ? ' last' : '');
			bar.style.left = `calc(${p.lane} * var(--lane-w))`;
			// a stripe continued from the paragraph above (or into the one below) runs through the gap
			bar.style.top = p.first ? `${Math.round(p.y0)}px` : '-4em';
			if (p.last) bar.style.height = p.first ? `${Math.max(12, Math.round(p.y1 - p.y0))}px` : `calc(${Math.round(p.y1)}px + 4em)`;
			else bar.style.bottom = '-2em';
			bar.style.backgroundColor = colour;
			bar.dataset.seg = p.seg.id;
			bar.title = name;
			bars.push(bar);
			if (p.first) {
				const l = document.createElement('span');
				l.className = 'lbl';
				l.dataset.seg = p.seg.id;
				l.style.setProperty('--c', colour);
				// at the start line, below the label above it when they would overlap
				const y = Math.max(Math.round(p.y0), labelY + LABEL_H);
				labelY = y;
				l.style.top = `${y}px`;
				l.textContent = name;
				l.title = name;
				labels.push(l);
			}
		}
		row.st.replaceChildren(...bars);
		row.lb.replaceChildren(...labels);
	}
}
