/**
 * Coded passages painted with the CSS Custom Highlight API: one Highlight per code, holding a
 * StaticRange per segment and paragraph, only for paragraphs in the DOM. Chromium revalidates
 * every range of every highlight on any change, so a key press costs what the window holds, not
 * what the document holds. Marks (the selection to code, the focused segment, a flash) are spans
 * painted the same way.
 */
import type { Id, Segment } from '$lib/core/types';
import type { Doc } from './doc';
import type { SegmentIndex, Change } from './segindex';

export const supported = typeof CSS !== 'undefined' && 'highlights' in CSS;

const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i;
function rgb(c: string): string {
	const m = hex.exec(c);
	return m ? `${parseInt(m[1], 16)} ${parseInt(m[2], 16)} ${parseInt(m[3], 16)}` : '128 128 128';
}

export type MarkName = 'sel' | 'focus' | 'flash';
interface Mark {
	name: MarkName;
	hl: Highlight;
	span: { start: number; end: number } | null;
	ranges: Map<number, StaticRange>;
}

export class HighlightLayer {
	/** Per code: its Highlight, registered as `name`; `tag` marks the text elements it paints in. */
	#byCode = new Map<Id, { name: string; tag: string; hl: Highlight; colour: string }>();
	/** Ranges in the DOM: per paragraph, per segment. */
	#ranges = new Map<number, Map<Segment, StaticRange>>();
	/** Per mark: its Highlight, its span, and its range per paragraph in the DOM. */
	#marks = new Map<MarkName, Mark>();
	#style: HTMLStyleElement | null = null;
	#seq = 0;
	alpha = 0.28;
	colourOf: (codeId: Id) => string = () => '#888888';

	constructor(
		private readonly prefix: string,
		private doc: Doc,
		private index: SegmentIndex
	) {
		if (!supported) return;
		const prio: Record<MarkName, number> = { sel: 5, focus: 6, flash: 7 };
		for (const m of ['sel', 'focus', 'flash'] as const) {
			const hl = new Highlight();
			hl.priority = prio[m];
			CSS.highlights.set(`${prefix}-${m}`, hl);
			this.#marks.set(m, { name: m, hl, span: null, ranges: new Map() });
		}
		this.writeStyle();
	}

	/** A new document: forget every range. */
	reset(doc: Doc, index: SegmentIndex) {
		this.doc = doc;
		this.index = index;
		for (const h of this.#byCode.values()) h.hl.clear();
		this.#ranges.clear();
		for (const m of this.#marks.values()) {
			m.hl.clear();
			m.span = null;
			m.ranges.clear();
		}
	}

	#hl(codeId: Id): Highlight {
		let h = this.#byCode.get(codeId);
		if (!h) {
			const tag = `c${this.#seq++}`;
			h = { name: `${this.prefix}-${tag}`, tag, hl: new Highlight(), colour: this.colourOf(codeId) };
			this.#byCode.set(codeId, h);
			CSS.highlights.set(h.name, h.hl);
			this.writeStyle();
		}
		return h.hl;
	}

	writeStyle() {
		if (!supported) return;
		if (!this.#style) {
			this.#style = document.createElement('style');
			document.head.append(this.#style);
		}
		const p = this.prefix;
		// only on the elements holding the text (a row's label and body, [data-s]): a bare
		// ::highlight() rule matches every element of the page, and Chromium then resolves every
		// highlight's style for each element it styles — a new row cost about three times as much.
		// A code's rule matches only the text elements of rows it has a range in (their data-h
		// lists its tag): with twenty codes, resolving all twenty highlight styles for every new
		// row was most of a scroll step's style time.
		// The marks (selection, focus, flash) likewise, by their own tags.
		let css =
			`[data-h~="msel"]::highlight(${p}-sel){background-color:color-mix(in srgb, var(--accent) 26%, transparent);}\n` +
			`[data-h~="mfocus"]::highlight(${p}-focus){text-decoration:underline 2px var(--text);text-underline-offset:4px;}\n` +
			`[data-h~="mflash"]::highlight(${p}-flash){background-color:rgb(255 196 0 / 0.7);}\n`;
		// the alpha as a number, not var(--hl-a): Chromium resolves a highlight's style each time it
		// paints a line, and a custom property there made painting ~1.5x slower
		for (const h of this.#byCode.values())
			css += `[data-h~="${h.tag}"]::highlight(${h.name}){background-color:rgb(${rgb(h.colour)} / ${this.alpha});}\n`;
		this.#style.textContent = css;
	}

	/** Colours may have changed (the codebook): restyle when they did. */
	recolour() {
		let changed = false;
		for (const [codeId, h] of this.#byCode) {
			const c = this.colourOf(codeId);
			if (c !== h.colour) {
				h.colour = c;
				changed = true;
			}
		}
		if (changed) this.writeStyle();
	}

	#addSeg(i: number, s: Segment) {
		const r = this.doc.rangeIn(i, s.start, s.end);
		if (!r) return;
		let m = this.#ranges.get(i);
		if (!m) this.#ranges.set(i, (m = new Map()));
		m.set(s, r);
		this.#hl(s.codeId).add(r);
	}
	#removeSeg(i: number, s: Segment) {
		const m = this.#ranges.get(i);
		const r = m?.get(s);
		if (!r) return;
		m!.delete(s);
		this.#byCode.get(s.codeId)?.hl.delete(r);
	}

	/** Say on a row's text elements which codes have ranges in it (their rules match only there). */
	#tag(i: number) {
		const row = this.doc.rows.get(i);
		if (!row) return;
		const tags: string[] = [];
		this.#ranges.get(i)?.forEach((_, s) => {
			const t = this.#byCode.get(s.codeId)?.tag;
			if (t && !tags.includes(t)) tags.push(t);
		});
		for (const m of this.#marks.values()) if (m.ranges.has(i)) tags.push(`m${m.name}`);
		const v = tags.join(' ');
		for (const t of [row.label, row.body]) {
			const el = t?.parentElement;
			if (el && (el.getAttribute('data-h') ?? '') !== v) {
				if (v) el.setAttribute('data-h', v);
				else el.removeAttribute('data-h');
			}
		}
	}

	/** A paragraph came into the DOM. */
	attach(i: number) {
		if (!supported) return;
		for (const s of this.index.byPara[i] ?? []) this.#addSeg(i, s);
		for (const m of this.#marks.values()) this.#markIn(m, i);
		this.#tag(i);
	}
	/** A paragraph left the DOM. */
	detach(i: number) {
		if (!supported) return;
		const m = this.#ranges.get(i);
		// forEach, not for…of over entries: no [key, value] array per range while scrolling
		m?.forEach((r, s) => this.#byCode.get(s.codeId)?.hl.delete(r));
		this.#ranges.delete(i);
		for (const mk of this.#marks.values()) {
			const r = mk.ranges.get(i);
			if (!r) continue;
			mk.hl.delete(r);
			mk.ranges.delete(i);
		}
	}

	/** The segments changed: touch only the changed ones, in the DOM. */
	apply(change: Change) {
		if (!supported) return;
		if (change.full) {
			for (const h of this.#byCode.values()) h.hl.clear();
			this.#ranges.clear();
			for (const i of this.doc.rows.keys()) {
				for (const s of this.index.byPara[i] ?? []) this.#addSeg(i, s);
				this.#tag(i);
			}
		} else {
			const touched = new Set<number>();
			for (const s of change.gone) {
				const [a, b] = this.index.span(s);
				for (let i = a; i <= b; i++) {
					if (!this.#ranges.has(i)) continue;
					this.#removeSeg(i, s);
					touched.add(i);
				}
			}
			for (const s of change.added) {
				const [a, b] = this.index.span(s);
				for (let i = a; i <= b; i++) {
					if (!this.doc.rows.has(i)) continue;
					this.#addSeg(i, s);
					touched.add(i);
				}
			}
			for (const i of touched) this.#tag(i);
		}
		this.recolour();
	}

	#markIn(m: Mark, i: number) {
		if (!m.span) return;
		const p = this.doc.paras[i];
		if (m.span.end <= p.start || m.span.start >= p.end) return;
		const r = this.doc.rangeIn(i, m.span.start, m.span.end);
		if (r) {
			m.ranges.set(i, r);
			m.hl.add(r);
		}
	}

	/** Paint a span as a mark (null clears it), in the paragraphs in the DOM. */
	mark(name: MarkName, span: { start: number; end: number } | null) {
		const m = this.#marks.get(name);
		if (!m) return;
		const next = span && span.end > span.start ? span : null;
		// the same span again (every segment change re-marks the focus): no change, no repaint
		if (next === null ? m.span === null : m.span !== null && m.span.start === next.start && m.span.end === next.end) return;
		m.hl.clear();
		const was = [...m.ranges.keys()];
		m.ranges.clear();
		m.span = next ? { start: next.start, end: next.end } : null;
		if (m.span) {
			const a = this.doc.paraIndexAt(m.span.start);
			const b = this.doc.paraIndexAt(Math.max(m.span.start, m.span.end - 1));
			for (const i of this.doc.rows.keys()) if (i >= a && i <= b) this.#markIn(m, i);
		}
		// the rows it left and the rows it is in now say so (their rules match only there)
		for (const i of was) if (!m.ranges.has(i)) this.#tag(i);
		for (const i of m.ranges.keys()) this.#tag(i);
	}

	/** How many ranges are in the highlight registry (for tests and the bench). */
	size(): number {
		let n = 0;
		for (const h of this.#byCode.values()) n += h.hl.size;
		return n;
	}

	destroy() {
		if (!supported) return;
		for (const h of this.#byCode.values()) CSS.highlights.delete(h.name);
		for (const m of ['sel', 'focus', 'flash']) CSS.highlights.delete(`${this.prefix}-${m}`);
		this.#style?.remove();
	}
}
