/**
 * The transcript view engine: a windowed transcript with its coding, in plain DOM.
 *
 * Modelled on CodeMirror 6's view layer: the engine owns a root element and everything in it;
 * its owner passes state in through methods (`setDocument`, `setSegments`, `setFocus`, …) and
 * hears back through callbacks. Only the paragraphs in and near the viewport are in the DOM,
 * between two spacers whose heights come from `HeightMap` (measured paragraphs, estimates for the
 * others), so the scroll height is the full document's. Highlights (`HighlightLayer`) and stripes
 * (`StripeLayer`) exist only for those paragraphs. All offset arithmetic is in src/lib/core.
 */
import { formatTime } from '$lib/core/timed';
import { segmentsAt } from '$lib/core/segments';
import {
	childBoundaryOffset,
	extendByWord,
	moveEdgeByWord,
	pieceOffset,
	selectionToSpan,
	sentenceAt,
	wordNear,
	type Span
} from '$lib/core/selection';
import type { Id, Segment } from '$lib/core/types';
import { Doc, type Row } from './doc';
import { HeightMap } from './heights';
import { HighlightLayer, supported } from './highlights';
import { SegmentIndex } from './segindex';
import { StripeLayer } from './stripes';

export interface EngineCallbacks {
	colourOf: (codeId: Id) => string;
	nameOf: (codeId: Id) => string;
	labelOf?: (seg: Segment) => string;
	onselect: (span: Span | null, anchor: DOMRect | null) => void;
	onsegments: (segments: Segment[], x: number, y: number) => void;
	onpainted?: (docId: string) => void;
	onseek?: (seconds: number) => void;
	/** The lane count changed (the shell may show it; the engine sets --lanes itself). */
	onlanes?: (n: number) => void;
}

export type Block = 'start' | 'center' | 'nearest';

/** How far beyond the viewport paragraphs are kept in the DOM, in viewport heights. */
const OVERSCAN = 0.5;
/** The most paragraphs kept for a DOM selection beyond the window. */
const MAX_SELECTION_ROWS = 400;
/** How long after a frame's main-thread work its raster and display are done with (two frames). */
const AFTER_SHOWN_MS = 32;
/** How long scrolling pauses before the window's margin is filled in, and the rows per task then. */
const FILL_DELAY_MS = 120;
const FILL_ROWS = 4;
/** Characters of new rows a scroll frame lays out at most (at least one row): about half a screen. */
const FRAME_CHARS = 1200;

export class TranscriptEngine {
	readonly root: HTMLElement;
	#cb: EngineCallbacks;
	#prefix: string;
	#doc: Doc = new Doc('');
	#docId = '';
	#times = new Map<number, number>();
	#hm: HeightMap = new HeightMap([], []);
	#index: SegmentIndex;
	#hl: HighlightLayer;
	#stripes: StripeLayer;
	#top: HTMLDivElement;
	#rowsEl: HTMLDivElement;
	#bottom: HTMLDivElement;
	#scroller: HTMLElement | null = null;
	#from = 0;
	#to = 0;
	#calibrated = false;
	#width = 0;
	#ro: ResizeObserver | null = null;
	#rowOf = new WeakMap<Element, Row>();
	#styleKey = '';
	#focusId: string | null = null;
	#heard = -1;
	#cursor = -1;
	#kbAnchor: number | null = null;
	#lastSpan: Span | null = null;
	#snap = true;
	#dragging = false;
	#readQueued = false;
	#stripesQueued = false;
	#fillTimer = 0;
	#fillFrame = 0;
	#scrollFrame = 0;
	#paintedFor = '';
	#flashTimer = 0;
	#destroyed = false;
	#updating = false;

	constructor(root: HTMLElement, callbacks: EngineCallbacks, prefix = 'gt') {
		this.root = root;
		this.#cb = callbacks;
		this.#prefix = prefix;
		root.style.overflowAnchor = 'none';
		root.style.setProperty('--lanes', '0');
		this.#top = document.createElement('div');
		this.#top.className = 'spacer';
		this.#rowsEl = document.createElement('div');
		this.#rowsEl.className = 'rows';
		this.#bottom = document.createElement('div');
		this.#bottom.className = 'spacer';
		root.replaceChildren(this.#top, this.#rowsEl, this.#bottom);
		this.#index = new SegmentIndex(this.#doc);
		this.#hl = new HighlightLayer(prefix, this.#doc, this.#index);
		this.#stripes = new StripeLayer(this.#doc, this.#index);
		this.setCallbacks(callbacks);
		this.#hl.alpha = this.#alpha();
		this.#hl.writeStyle();

		root.addEventListener('pointerdown', this.#onPointerDown);
		root.addEventListener('click', this.#onClick);
		root.addEventListener('keydown', this.#onKeyDown);
		root.addEventListener('dragstart', this.#onDragStart);
		root.addEventListener('dragend', this.#onDragEnd);
		document.addEventListener('selectionchange', this.#onSelectionChange);
		window.addEventListener('pointerup', this.#onPointerUp);
		window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', this.#onScheme);
		if (typeof ResizeObserver !== 'undefined') this.#ro = new ResizeObserver(this.#onResize);
		this.#ro?.observe(root);
	}

	setCallbacks(cb: EngineCallbacks) {
		this.#cb = cb;
		this.#hl.colourOf = cb.colourOf;
		this.#stripes.colourOf = cb.colourOf;
		this.#stripes.labelOf = cb.labelOf ?? ((s) => cb.nameOf(s.codeId));
		this.#stripes.invalidate();
	}

	// ------------------------------------------------------------------ the document

	get docId(): string {
		return this.#docId;
	}
	/** Paragraph index range in the DOM, [from, to). */
	get window(): [number, number] {
		return [this.#from, this.#to];
	}
	get paragraphCount(): number {
		return this.#doc.paras.length;
	}
	/** Ranges in the highlight registry for segments (not marks). */
	get highlightRanges(): number {
		return this.#hl.size();
	}

	/** Show a document (its text and paragraph times); segments follow with `setSegments`. */
	setDocument(docId: string, text: string, times: readonly { offset: number; seconds: number }[] = []) {
		if (docId === this.#docId && text === this.#doc.text) {
			this.setTimes(times);
			return;
		}
		const t0 = performance.now();
		this.#hl.alpha = this.#alpha();
		this.#hl.writeStyle();
		(this.#scroller ?? window).removeEventListener('scroll', this.#onScroll);
		this.#scroller = scrollParent(this.root);
		(this.#scroller ?? window).addEventListener('scroll', this.#onScroll, { passive: true });
		this.#clearRows();
		this.#docId = docId;
		this.#doc = new Doc(text);
		this.#times = new Map(times.map((t) => [t.offset, t.seconds]));
		const paras = this.#doc.paras;
		const bodyLen = new Int32Array(paras.length);
		const turn = new Uint8Array(paras.length);
		for (let i = 0; i < paras.length; i++) {
			bodyLen[i] = paras[i].end - paras[i].bodyStart;
			turn[i] = paras[i].speaker ? 1 : 0;
		}
		const old = this.#hm;
		this.#hm = new HeightMap(bodyLen, turn);
		if (this.#calibrated) {
			// what the last document taught about this width
			Object.assign(this.#hm, { cpl: old.cpl, lineH: old.lineH, gap: old.gap, turnExtra: old.turnExtra });
			this.#hm.reestimate();
		}
		this.#index = new SegmentIndex(this.#doc);
		this.#hl.reset(this.#doc, this.#index);
		this.#stripes.reset(this.#doc, this.#index);
		this.#heard = -1;
		this.#cursor = -1;
		this.#kbAnchor = null;
		this.#lastSpan = null;
		this.#focusId = null;
		this.root.removeAttribute('data-painted');
		this.root.style.setProperty('--lanes', '0');
		if (this.#scroller) this.#scroller.scrollTop = 0;
		this.#from = this.#to = 0;
		this.#update(true);
		performance.measure?.('gloss:build', { start: t0 });
	}

	setTimes(times: readonly { offset: number; seconds: number }[]) {
		const next = new Map(times.map((t) => [t.offset, t.seconds]));
		if (next.size === this.#times.size && [...next].every(([k, v]) => this.#times.get(k) === v)) return;
		this.#times = next;
		// rebuild the rows in the DOM with their times
		const [from, to] = [this.#from, this.#to];
		this.#clearRows();
		this.#render(from, to);
	}

	/** The segments to show (any order) and a key that changes when colours or labels do. */
	setSegments(segs: readonly Segment[], styleKey = '') {
		const t0 = performance.now();
		const change = this.#index.update(segs);
		this.#hl.apply(change);
		performance.measure?.('gloss:highlights', { start: t0 });
		const restyled = styleKey !== this.#styleKey;
		if (restyled) {
			this.#styleKey = styleKey;
			this.#stripes.invalidate();
		}
		// stripes follow after the frame is shown: the highlight is the feedback a key press needs.
		// The same segments again (the rest of the study read in, another document coded) change
		// no lane: relaning 50,000 segments would be a long task in the middle of a scroll.
		if (change.full || change.gone.length || change.added.length || restyled) this.#scheduleStripes();
		this.#markFocus();
		if (this.#paintedFor !== this.#docId) {
			const id = (this.#paintedFor = this.#docId);
			requestAnimationFrame(() =>
				setTimeout(() => {
					if (this.#destroyed || this.#docId !== id) return;
					performance.mark('gloss:transcript-painted');
					this.root.setAttribute('data-painted', id);
					this.#cb.onpainted?.(id);
				}, 0)
			);
		}
	}

	setFocus(id: string | null) {
		this.#focusId = id;
		this.#markFocus();
	}
	#markFocus() {
		const s = this.#focusId ? this.#index.byId.get(this.#focusId) : undefined;
		this.#hl.mark('focus', s ? { start: s.start, end: s.end } : null);
	}

	/** The span the next code applies to, painted while focus is elsewhere. */
	setPending(span: Span | null) {
		this.#hl.mark('sel', span);
	}

	/** The paragraph starting at `offset` is being heard: marked, and kept in view when following. */
	setHeard(offset: number | null, follow: boolean) {
		let i = -1;
		if (offset !== null && this.#doc.paras.length) {
			const k = this.#doc.paraIndexAt(offset);
			if (this.#doc.paras[k].start === offset) i = k;
		}
		if (i === this.#heard) return;
		this.#doc.rows.get(this.#heard)?.el.classList.remove('heard');
		this.#heard = i;
		if (i < 0) return;
		if (follow) this.scrollToParagraph(i, 'nearest');
		this.#doc.rows.get(i)?.el.classList.add('heard');
	}

	// ------------------------------------------------------------------ scrolling

	#viewport(): { el: HTMLElement; y0: number; h: number; origin: number } {
		const el = this.#scroller ?? (document.scrollingElement as HTMLElement);
		const vTop = this.#scroller ? this.#scroller.getBoundingClientRect().top : 0;
		const h = this.#scroller ? this.#scroller.clientHeight : window.innerHeight;
		// where paragraph 0 would start, in the scroller's content coordinates
		const origin = this.#top.getBoundingClientRect().top - vTop + el.scrollTop;
		return { el, y0: el.scrollTop - origin, h, origin };
	}

	/** Scroll so paragraph i is in view. */
	scrollToParagraph(i: number, block: Block = 'nearest') {
		if (i < 0 || i >= this.#doc.paras.length) return;
		this.scrollToOffset(this.#doc.paras[i].start, block);
	}

	/** Render the window around an offset, then scroll so its line is in view (block: where). */
	scrollToOffset(offset: number, block: Block = 'center') {
		const n = this.#doc.paras.length;
		if (n === 0) return;
		const i = this.#doc.paraIndexAt(Math.max(0, Math.min(this.#doc.text.length, offset)));
		let v = this.#viewport();
		if (!this.#doc.rows.has(i)) {
			// the target's neighbourhood in the DOM and measured, so its position is exact (rows in
			// the DOM are all measured: a target already there needs nothing rendered)
			const span = v.h * (1 + OVERSCAN);
			const from = this.#hm.indexAt(this.#hm.top(i) - span);
			const to = Math.min(n, this.#hm.indexAt(this.#hm.top(i) + span) + 1);
			this.#render(Math.min(from, i), Math.max(to, i + 1));
			v = this.#viewport();
		}
		const row = this.#doc.rows.get(i)!;
		const rowTop = row.el.getBoundingClientRect().top;
		let lineTop = 0;
		let lineH = this.#hm.lineH;
		const at = this.#doc.locate(row, offset);
		if (at && offset > this.#doc.paras[i].start) {
			const r = document.createRange();
			r.setStart(at.node, at.offset);
			r.setEnd(at.node, Math.min(at.node.length, at.offset + 1));
			const rect = r.getClientRects()[0];
			if (rect) {
				lineTop = rect.top - rowTop;
				lineH = rect.height;
			}
		}
		const y = this.#hm.top(i) + lineTop;
		let target: number;
		if (block === 'center') target = y - (v.h - lineH) / 2;
		else if (block === 'start') target = y;
		else {
			const bottom = this.#hm.top(i) + (lineTop ? lineTop + lineH : this.#hm.h[i]);
			if (y >= v.y0 && bottom <= v.y0 + v.h) return;
			target = y < v.y0 ? y : bottom - v.h;
		}
		v.el.scrollTop = Math.max(0, v.origin + target);
		this.#update(false);
	}

	/** The rows this frame's budget left out: on the next frame (`fill`: the next fill chunk). */
	#scheduleRest(fill = false) {
		if (fill) return this.#scheduleFill(true);
		if (this.#scrollFrame) return;
		this.#scrollFrame = requestAnimationFrame(() => {
			this.#scrollFrame = 0;
			if (!this.#destroyed && !this.#updating) this.#update(false, false, Infinity, FRAME_CHARS);
		});
	}

	/**
	 * Fill in the window's margin once scrolling has paused (`soon`: the next chunk, after the
	 * next frame), a few rows per task: a fast wheel or a dragged scrollbar never sees those rows,
	 * and a task that lays out a whole screen of them would share a frame with the next scroll
	 * step's rows.
	 */
	#scheduleFill(soon = false) {
		clearTimeout(this.#fillTimer);
		cancelAnimationFrame(this.#fillFrame);
		const run = () => {
			this.#fillTimer = 0;
			if (!this.#destroyed && !this.#updating) this.#update(false, true, FILL_ROWS, FRAME_CHARS);
		};
		if (soon) this.#fillFrame = requestAnimationFrame(() => (this.#fillTimer = window.setTimeout(run, 0)));
		else this.#fillTimer = window.setTimeout(run, FILL_DELAY_MS);
	}

	/**
	 * Scroll events only ask for this frame's animation callback (which runs after them, in the
	 * same frame): one window update per frame, of at most `FRAME_CHARS` characters of new rows;
	 * rows still missing on screen go in on the next frames.
	 */
	#onScroll = () => {
		if (this.#updating || this.#scrollFrame) return;
		this.#scrollFrame = requestAnimationFrame(() => {
			this.#scrollFrame = 0;
			if (!this.#destroyed && !this.#updating) this.#update(false, false, Infinity, FRAME_CHARS);
		});
	};

	/**
	 * Bring the window in line with the viewport, keeping what is on screen where it is. Unless
	 * `full` (or `force`), only the rows on screen and those already in the DOM that are still
	 * wanted go in now; the margin around them follows once scrolling pauses, `fillRows` rows per
	 * task (nearest the viewport first), so a scroll step that leaves the window (a fast wheel, a
	 * dragged scrollbar) lays out one screen of new rows in its frame instead of two.
	 */
	#update(force: boolean, full = force, fillRows = Infinity, budget = Infinity) {
		if (this.#destroyed) return;
		const n = this.#doc.paras.length;
		if (n === 0) {
			this.#render(0, 0);
			return;
		}
		const v = this.#viewport();
		const over = v.h * OVERSCAN;
		const y0 = Math.max(0, v.y0);
		const y1 = v.y0 + v.h;
		const hm = this.#hm;
		// still well inside the window: nothing to do
		if (
			!full &&
			this.#to > this.#from &&
			(this.#from === 0 || hm.top(this.#from) <= y0 - over / 3) &&
			(this.#to === n || hm.top(this.#to) >= y1 + over / 3)
		)
			return;
		let from = hm.indexAt(y0 - over);
		let to = Math.min(n, hm.indexAt(y1 + over) + 1);
		if (!full || fillRows < Infinity) {
			const vf = hm.indexAt(y0);
			const vt = Math.min(n, hm.indexAt(y1) + 1);
			const kf = Math.max(from, this.#from);
			const kt = Math.min(to, this.#to);
			let [a, b] = kf < kt ? [Math.min(vf, kf), Math.max(vt, kt)] : [vf, vt];
			// a chunk of the margin: the rows nearest the viewport, below first
			for (let k = full ? fillRows : 0; k > 0 && (a > from || b < to); ) {
				if (b < to) {
					b++;
					k--;
				}
				if (k > 0 && a > from) {
					a--;
					k--;
				}
			}
			if (a !== from || b !== to) this.#scheduleFill(full);
			// this frame's share of the new rows: next to the rows kept (or from the first one on
			// screen), the rest on the next frames (or fill chunks)
			if (budget < Infinity) {
				const paras = this.#doc.paras;
				const size = (i: number) => paras[i].end - paras[i].start;
				let left = budget;
				if (kf < kt) {
					let lo = kf;
					let hi = kt;
					while (hi < b && (left > 0 || hi === kt)) left -= size(hi++);
					while (lo > a && left > 0) left -= size(--lo);
					if (lo !== a || hi !== b) this.#scheduleRest(full);
					a = lo;
					b = hi;
				} else {
					let hi = a;
					while (hi < b && (left > 0 || hi === a)) left -= size(hi++);
					if (hi !== b) this.#scheduleRest(full);
					b = hi;
				}
			}
			from = a;
			to = b;
		}
		// a DOM selection keeps its paragraphs (a drag, a keyboard selection)
		const sel = this.#selectionParas();
		if (sel) {
			const a = Math.min(from, sel[0]);
			const b = Math.max(to, sel[1] + 1);
			if (b - a - (to - from) <= MAX_SELECTION_ROWS) {
				from = a;
				to = b;
			} else window.getSelection()?.removeAllRanges();
		}
		const anchor = hm.indexAt(y0);
		const delta = v.y0 - hm.top(anchor);
		this.#render(from, to);
		// measured heights above the anchor moved it: put it back
		const want = v.origin + hm.top(anchor) + delta;
		// against the scrollTop read before the rows changed: reading it now would lay the page out
		// a second time in this event, after the spacers and stripes were written
		if (v.y0 > 0 && Math.abs(v.origin + v.y0 - want) > 0.5) {
			this.#updating = true;
			v.el.scrollTop = want;
			this.#updating = false;
		}
	}

	/** The paragraphs holding the ends of a non-collapsed DOM selection inside the transcript. */
	#selectionParas(): [number, number] | null {
		const sel = window.getSelection();
		if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
		const a = this.#paraOfNode(sel.anchorNode);
		const b = this.#paraOfNode(sel.focusNode);
		if (a === null || b === null) return null;
		return [Math.min(a, b), Math.max(a, b)];
	}
	#paraOfNode(n: Node | null): number | null {
		const el = n && (n.nodeType === Node.ELEMENT_NODE ? (n as Element) : n.parentElement);
		const row = el?.closest('.para');
		if (!row || !this.root.contains(row)) return null;
		return this.#rowOf.get(row)?.i ?? null;
	}

	// ------------------------------------------------------------------ rows

	#makeRow(i: number): Row {
		const p = this.#doc.paras[i];
		const text = this.#doc.text;
		const el = document.createElement('div');
		el.className = p.speaker ? 'para turn' : 'para';
		el.dataset.i = String(i);
		const pn = document.createElement('span');
		pn.className = 'pn';
		const sec = this.#times.get(p.start);
		if (sec !== undefined) {
			// the time this turn was spoken: a click plays the recording from it
			const tm = document.createElement('button');
			tm.type = 'button';
			tm.className = 'tm';
			tm.tabIndex = -1;
			tm.dataset.t = String(sec);
			tm.textContent = formatTime(sec);
			tm.setAttribute('aria-label', `Play from ${formatTime(sec)}`);
			pn.append(tm, document.createElement('br'));
			el.classList.add('timed');
		}
		pn.append(String(p.n));
		const pt = document.createElement('div');
		pt.className = 'pt';
		let label: Text | null = null;
		if (p.bodyStart > p.start) {
			const lab = document.createElement('span');
			lab.className = 'spk';
			lab.dataset.s = String(p.start);
			label = document.createTextNode(text.slice(p.start, p.bodyStart));
			lab.append(label);
			pt.append(lab);
		}
		const tx = document.createElement('span');
		tx.dataset.s = String(p.bodyStart);
		const body = document.createTextNode(text.slice(p.bodyStart, p.end));
		tx.append(body);
		pt.append(tx);
		const st = document.createElement('div');
		st.className = 'st';
		const lb = document.createElement('div');
		lb.className = 'lb';
		el.append(pn, pt, st, lb);
		if (i === this.#heard) el.classList.add('heard');
		if (i === this.#cursor) el.classList.add('cur');
		const row: Row = { i, el, pt, st, lb, label, body };
		this.#rowOf.set(el, row);
		return row;
	}

	#clearRows() {
		for (const i of [...this.#doc.rows.keys()]) this.#dropRow(i);
		this.#rowsEl.replaceChildren();
		this.#from = this.#to = 0;
	}
	#dropRow(i: number) {
		const row = this.#doc.rows.get(i);
		if (!row) return;
		this.#hl.detach(i);
		this.#stripes.forget(i);
		this.#ro?.unobserve(row.el);
		this.#doc.rows.delete(i);
		row.el.remove();
	}

	/** Put paragraphs [from, to) in the DOM (keeping those already there), measure the new ones. */
	#render(from: number, to: number) {
		const rows = this.#doc.rows;
		for (const i of [...rows.keys()]) if (i < from || i >= to) this.#dropRow(i);
		const added: Row[] = [];
		const keptFrom = Math.max(from, this.#from);
		const keptTo = Math.min(to, this.#to);
		const overlap = keptFrom < keptTo && rows.size > 0;
		const before = document.createDocumentFragment();
		const after = document.createDocumentFragment();
		for (let i = from; i < to; i++) {
			if (rows.has(i)) continue;
			const row = this.#makeRow(i);
			rows.set(i, row);
			added.push(row);
			(overlap && i < keptFrom ? before : after).append(row.el);
		}
		if (overlap) this.#rowsEl.prepend(before);
		this.#rowsEl.append(after);
		this.#from = from;
		this.#to = to;
		// reads, in one layout: the new rows' heights and their stripes' line boxes (the stripes
		// are absolutely placed, so writing them changes no height)
		const hs = added.map((r) => r.el.getBoundingClientRect().height);
		for (let k = 0; k < added.length; k++) this.#hm.set(added[k].i, hs[k]);
		if (!this.#calibrated && added.length) this.#calibrate(added);
		if (added.length) this.#stripes.draw(added);
		// writes
		this.#spacers();
		for (const r of added) {
			this.#hl.attach(r.i);
			this.#ro?.observe(r.el);
		}
	}

	#spacers() {
		const hm = this.#hm;
		this.#top.style.height = `${hm.top(this.#from)}px`;
		this.#bottom.style.height = `${hm.total() - hm.top(this.#to)}px`;
	}

	/** Learn characters per line, line height and paragraph spacing from rendered rows. */
	#calibrate(rows: Row[]) {
		const hm = this.#hm;
		let chars = 0;
		let lines = 0;
		const plain: number[] = [];
		const turns: number[] = [];
		const sizes: [number, number, number][] = [];
		let lineH = 0;
		for (const r of rows) {
			// the body's line boxes: one rect per line, or several on a line (distinct tops count)
			const rects = r.body.parentElement!.getClientRects();
			if (!rects.length) continue;
			let n = 0;
			let prev = -Infinity;
			const top0 = rects[0].top;
			let topN = top0;
			for (const rc of rects)
				if (rc.top > prev + 1) {
					n++;
					prev = rc.top;
					topN = rc.top;
				}
			if (n >= 2 && !lineH) lineH = (topN - top0) / (n - 1);
			const p = this.#doc.paras[r.i];
			if (n >= 2) {
				chars += p.end - p.bodyStart;
				lines += n - 0.5;
			}
			sizes.push([p.speaker ? 1 : 0, hm.h[r.i], n]);
		}
		for (const [turn, h, n] of sizes) (turn ? turns : plain).push(h - n * lineH);
		if (!lineH) return;
		const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
		hm.lineH = lineH;
		if (lines >= 3) hm.cpl = Math.max(10, chars / lines);
		if (plain.length) hm.gap = median(plain);
		if (turns.length) hm.turnExtra = Math.max(0, median(turns) - hm.gap);
		else if (plain.length === 0) return;
		hm.reestimate();
		this.#calibrated = true;
		this.#width = this.root.clientWidth;
	}

	#onResize = (entries: ResizeObserverEntry[]) => {
		if (this.#destroyed) return;
		let changed = false;
		let widthChanged = false;
		for (const e of entries) {
			if (e.target === this.root) {
				const w = this.root.clientWidth;
				if (this.#width && Math.abs(w - this.#width) > 1) widthChanged = true;
				this.#width = w;
				continue;
			}
			const row = this.#rowOf.get(e.target);
			if (!row || this.#doc.rows.get(row.i) !== row) continue;
			const h = e.borderBoxSize?.[0]?.blockSize ?? (e.target as HTMLElement).getBoundingClientRect().height;
			if (this.#hm.set(row.i, h)) {
				changed = true;
				this.#stripes.forget(row.i);
			}
		}
		if (widthChanged) {
			// every line moved: estimates and stripes are stale
			const v = this.#viewport();
			const anchor = this.#hm.indexAt(Math.max(0, v.y0));
			const frac = this.#hm.h[anchor] ? (v.y0 - this.#hm.top(anchor)) / this.#hm.h[anchor] : 0;
			this.#calibrated = false;
			this.#hm.forget();
			const rows = [...this.#doc.rows.values()];
			for (const r of rows) this.#hm.set(r.i, r.el.getBoundingClientRect().height);
			this.#calibrate(rows);
			this.#spacers();
			this.#stripes.invalidate();
			if (v.y0 > 0) v.el.scrollTop = v.origin + this.#hm.top(anchor) + frac * this.#hm.h[anchor];
			this.#update(true);
			this.#stripes.draw(this.#doc.rows.values());
			return;
		}
		if (changed) {
			const v = this.#viewport();
			this.#spacers();
			this.#stripes.draw(this.#doc.rows.values());
			void v;
		}
	};

	// ------------------------------------------------------------------ stripes

	#scheduleStripes() {
		if (this.#stripesQueued) return;
		this.#stripesQueued = true;
		// after the frame that paints the highlight has been rastered and shown: on a small machine
		// this work would otherwise compete with that frame's raster for the CPU
		requestAnimationFrame(() =>
			setTimeout(() => {
				this.#stripesQueued = false;
				if (this.#destroyed) return;
				const t = performance.now();
				const before = this.#stripes.count;
				this.#stripes.relane();
				if (this.#stripes.count !== before) {
					this.root.style.setProperty('--lanes', String(this.#stripes.count));
					this.#cb.onlanes?.(this.#stripes.count);
					this.#stripes.invalidate();
				}
				this.#stripes.draw(this.#doc.rows.values());
				performance.measure?.('gloss:stripes', { start: t });
			}, AFTER_SHOWN_MS)
		);
	}

	// ------------------------------------------------------------------ selection

	/** A DOM boundary to a text offset (null: outside the transcript). */
	offsetOf(node: Node, offset: number): number | null {
		const paras = this.#doc.paras;
		if (!this.root.contains(node) || paras.length === 0) return null;
		if (node.nodeType === Node.TEXT_NODE) {
			const host = node.parentElement;
			if (host?.dataset.s !== undefined) return pieceOffset({ start: Number(host.dataset.s), length: (node as Text).length }, offset);
			node = host!;
			offset = 0;
		}
		const el = node as HTMLElement;
		const first = paras[this.#from]?.start ?? 0;
		const last = paras[Math.max(this.#from, this.#to - 1)]?.end ?? 0;
		if (el === this.root) return offset <= 1 ? first : last;
		if (el === this.#top) return first;
		if (el === this.#bottom) return last;
		if (el === this.#rowsEl) return offset < this.#to - this.#from ? paras[this.#from + offset].start : last;
		if (el.dataset.s !== undefined) {
			const len = Number(el.firstChild ? (el.firstChild as Text).length : 0);
			return pieceOffset({ start: Number(el.dataset.s), length: len }, offset === 0 ? 0 : len);
		}
		if (el.classList.contains('pt')) {
			const kids = [...el.children].map((k) => ({ start: Number((k as HTMLElement).dataset.s), length: (k.firstChild as Text | null)?.length ?? 0 }));
			return childBoundaryOffset(kids, offset);
		}
		const rowEl = el.closest<HTMLElement>('.para');
		if (!rowEl) return null;
		const p = paras[Number(rowEl.dataset.i)];
		if (el === rowEl) return offset <= 1 ? p.start : p.end;
		if (el.classList.contains('pn')) return p.start;
		return p.end;
	}

	#readSelection(rewrite: boolean) {
		const sel = window.getSelection();
		if (!sel || sel.rangeCount === 0) return;
		const r = sel.getRangeAt(0);
		if (!this.root.contains(r.startContainer) || !this.root.contains(r.endContainer)) return;
		// a collapsed selection (a click, or the selection released after coding) keeps the span:
		// a new drag clears it on pointerdown, Esc clears it from the keyboard
		if (sel.isCollapsed) return;
		const a = this.offsetOf(r.startContainer, r.startOffset);
		const b = this.offsetOf(r.endContainer, r.endOffset);
		if (a === null || b === null) return;
		const span = selectionToSpan(this.#doc.text, this.#doc.paras, a, b, { snap: this.#snap });
		if (!span) {
			if (this.#lastSpan) this.#cb.onselect(null, null);
			this.#lastSpan = null;
			return;
		}
		if (rewrite && (span.start !== a || span.end !== b)) {
			const nr = this.#doc.liveRange(span.start, span.end);
			if (nr) {
				sel.removeAllRanges();
				sel.addRange(nr);
			}
		}
		const last = this.#lastSpan;
		if (last && last.start === span.start && last.end === span.end) return;
		this.#lastSpan = span;
		this.#cb.onselect(span, sel.getRangeAt(0).getBoundingClientRect());
	}

	#onSelectionChange = () => {
		if (this.#dragging || this.#readQueued) return;
		// read after the frame, not in it: a key press's paint never waits for this
		this.#readQueued = true;
		requestAnimationFrame(() =>
			setTimeout(() => {
				this.#readQueued = false;
				if (!this.#destroyed) this.#readSelection(false);
			}, 0)
		);
	};

	#onPointerDown = (e: PointerEvent) => {
		if (e.button !== 0) return;
		this.#dragging = true;
		// a new selection begins: the old one (and its floating bar) goes
		if (this.#lastSpan && !(e.target as HTMLElement).closest?.('[data-seg]')) {
			this.#lastSpan = null;
			this.#cb.onselect(null, null);
		}
	};
	#onPointerUp = (e: PointerEvent) => {
		if (!this.#dragging) return;
		this.#dragging = false;
		this.#snap = !(e.altKey || e.ctrlKey || e.metaKey);
		this.#readSelection(true);
		this.#snap = true;
	};
	#onDragEnd = () => {
		this.#dragging = false;
	};
	#onDragStart = (e: DragEvent) => {
		if (!this.#lastSpan || !e.dataTransfer) return;
		e.dataTransfer.setData('application/x-gloss-span', JSON.stringify(this.#lastSpan));
		e.dataTransfer.effectAllowed = 'copy';
	};

	#onClick = (e: MouseEvent) => {
		const target = e.target as HTMLElement;
		const tm = target.closest<HTMLElement>('.tm');
		if (tm) {
			this.#cb.onseek?.(Number(tm.dataset.t));
			return;
		}
		const segs = this.#index.segs;
		const segId = target.closest<HTMLElement>('[data-seg]')?.dataset.seg;
		if (segId) {
			const seg = this.#index.byId.get(segId);
			if (seg) {
				// the segment clicked first, then the others at its start
				const others = segmentsAt(segs, seg.start).filter((s) => s.id !== seg.id);
				this.#cb.onsegments([seg, ...others], e.clientX, e.clientY);
			}
			return;
		}
		const sel = window.getSelection();
		if (sel && !sel.isCollapsed) return;
		const pos = document.caretPositionFromPoint?.(e.clientX, e.clientY);
		if (!pos) return;
		const off = this.offsetOf(pos.offsetNode, pos.offset);
		if (off === null) return;
		// a plain click on uncoded text gives an empty list (the page closes its popover)
		this.#cb.onsegments(segmentsAt(segs, off), e.clientX, e.clientY);
	};

	/** Make a DOM selection of a span and report it (keyboard selection, adjusting). */
	selectSpan(span: Span, focus = true) {
		const doc = this.#doc;
		if (doc.paras.length === 0) return;
		const a = doc.paraIndexAt(span.start);
		const b = doc.paraIndexAt(Math.max(span.start, span.end - 1));
		// both ends in the DOM when the span is not huge; else the part around the window
		if (!doc.rows.has(a) || !doc.rows.has(b)) {
			const from = Math.min(this.#from, a);
			const to = Math.max(this.#to, b + 1);
			if (to - from - (this.#to - this.#from) <= MAX_SELECTION_ROWS) this.#render(from, to);
		}
		const s = Math.max(span.start, doc.rows.has(a) ? span.start : doc.paras[this.#from].bodyStart);
		const e = Math.min(span.end, doc.rows.has(b) ? span.end : doc.paras[this.#to - 1].end);
		const r = doc.liveRange(s, e);
		const sel = window.getSelection();
		sel?.removeAllRanges();
		if (r) sel?.addRange(r);
		this.#lastSpan = span;
		this.#cb.onselect(span, r ? r.getBoundingClientRect() : null);
		if (focus) this.root.focus({ preventScroll: true });
	}

	/**
	 * Drop the browser's selection but keep the span (still painted, still the target of the next
	 * code): a new drag then starts a new selection instead of dragging the old one away.
	 */
	releaseSelection() {
		window.getSelection()?.removeAllRanges();
	}

	clearSelection() {
		window.getSelection()?.removeAllRanges();
		this.#lastSpan = null;
		this.#kbAnchor = null;
	}

	focus() {
		this.root.focus();
	}

	/** Scroll so an offset is in view (centre), and optionally flash a span. */
	reveal(start: number, end: number, flash = false) {
		if (this.#doc.paras.length === 0) return;
		this.scrollToOffset(start, 'center');
		// fonts or stripes may have moved lines meanwhile: settle on the next frame
		requestAnimationFrame(() => {
			if (!this.#destroyed) this.scrollToOffset(start, 'center');
		});
		if (flash && supported) {
			this.#hl.mark('flash', { start, end });
			clearTimeout(this.#flashTimer);
			this.#flashTimer = window.setTimeout(() => this.#hl.mark('flash', null), 1600);
		}
	}

	// ------------------------------------------------------------------ keyboard

	#setCursor(i: number) {
		const n = this.#doc.paras.length;
		if (n === 0) return;
		const k = Math.max(0, Math.min(n - 1, i));
		this.#doc.rows.get(this.#cursor)?.el.classList.remove('cur');
		this.#cursor = k;
		this.scrollToParagraph(k, 'nearest');
		this.#doc.rows.get(k)?.el.classList.add('cur');
	}
	/** Select a span from the keyboard, and follow the edge that moved with the paragraph cursor. */
	#kbSelect(span: Span, edge: number) {
		const text = this.#doc.text;
		const i = this.#doc.paraIndexAt(Math.max(0, Math.min(text.length, edge)));
		if (i !== this.#cursor) this.#setCursor(i);
		this.selectSpan(span);
	}
	#firstVisible(): number {
		if (this.#doc.paras.length === 0) return 0;
		const v = this.#viewport();
		return this.#hm.indexAt(Math.max(0, v.y0) + 20);
	}

	#onKeyDown = (e: KeyboardEvent) => {
		const { text, paras } = this.#doc;
		if (paras.length === 0 || e.ctrlKey || e.metaKey) return;
		const at = (o: number) => this.#doc.paraIndexAt(o);
		const k = e.key;
		const last = this.#lastSpan;
		// Alt+Shift+←/→: the start of the selection one word earlier or later
		if (e.altKey) {
			if (e.shiftKey && last && (k === 'ArrowLeft' || k === 'ArrowRight')) {
				e.preventDefault();
				this.#kbAnchor = null;
				const next = moveEdgeByWord(text, paras, last, 'start', k === 'ArrowLeft' ? -1 : 1);
				this.#kbSelect(next, next.start);
			}
			return;
		}
		if (k === 'ArrowDown' || k === 'ArrowUp') {
			e.preventDefault();
			const down = k === 'ArrowDown';
			if (e.shiftKey && last && this.#kbAnchor === null) {
				// a selection made some other way (words, a sentence): its end goes by paragraphs
				const j = at(Math.max(last.start, last.end - 1));
				const first = at(last.start);
				let end = last.end;
				if (down) end = last.end < paras[j].end ? paras[j].end : (paras[j + 1]?.end ?? last.end);
				else if (j - 1 >= first) end = paras[j - 1].end;
				if (end > last.start && end !== last.end) this.#kbSelect({ start: last.start, end }, end - 1);
				return;
			}
			const cursor = this.#cursor;
			const from = cursor < 0 ? (last ? at(last.start) : this.#firstVisible()) : cursor;
			const next = cursor < 0 ? from : from + (down ? 1 : -1);
			this.#setCursor(next);
			if (e.shiftKey) {
				this.#kbAnchor ??= from;
				const a = Math.min(this.#kbAnchor, this.#cursor);
				const b = Math.max(this.#kbAnchor, this.#cursor);
				this.selectSpan({ start: paras[a].bodyStart, end: paras[b].end });
			} else this.#kbAnchor = null;
			return;
		}
		if (k === 'ArrowRight' || k === 'ArrowLeft') {
			e.preventDefault();
			const dir = k === 'ArrowRight' ? 1 : -1;
			this.#kbAnchor = null;
			if (e.shiftKey && last) {
				// Shift+←/→: the end of the selection one word earlier or later, across paragraphs
				const next = moveEdgeByWord(text, paras, last, 'end', dir);
				this.#kbSelect(next, next.end - 1);
				return;
			}
			// ←/→: the word before or after the selection (or the cursor's first word) is selected,
			// so a selection can start anywhere in a paragraph
			let w: Span | null;
			if (last) w = wordNear(text, paras, dir > 0 ? last.end : last.start, dir);
			else {
				const p = paras[this.#cursor < 0 ? this.#firstVisible() : this.#cursor];
				w = wordNear(text, paras, p.bodyStart, 1);
			}
			if (w) this.#kbSelect(w, w.start);
			return;
		}
		const cursor = this.#cursor;
		if (cursor < 0) return;
		const p = paras[cursor];
		if (k === 'p' || k === 'P') {
			e.preventDefault();
			this.selectSpan({ start: p.bodyStart, end: p.end });
		} else if (k === 's' || k === 'S') {
			e.preventDefault();
			// the next sentence after the current selection in this paragraph, else the first
			const from = last && last.end > p.bodyStart && last.end < p.end ? last.end + 1 : p.bodyStart;
			const s = sentenceAt(text, p, Math.min(from, p.end - 1));
			this.selectSpan(s.end > s.start ? s : { start: p.bodyStart, end: p.end });
		} else if (k === 'w' || k === 'W') {
			e.preventDefault();
			const from = last && at(last.start) === cursor ? last.end : p.bodyStart;
			const w = extendByWord(text, { start: from, end: from }, 1, { start: p.bodyStart, end: p.end });
			const span = selectionToSpan(text, paras, from, w.end);
			if (span) this.selectSpan(span);
		}
	};

	// ------------------------------------------------------------------ style

	/** --hl-a (it differs in dark mode), read where the transcript is. */
	#alpha(): number {
		const v = parseFloat(getComputedStyle(this.root).getPropertyValue('--hl-a'));
		return Number.isFinite(v) && v >= 0 && v <= 1 ? v : 0.28;
	}
	#onScheme = () => {
		this.#hl.alpha = this.#alpha();
		this.#hl.writeStyle();
	};

	destroy() {
		this.#destroyed = true;
		clearTimeout(this.#flashTimer);
		clearTimeout(this.#fillTimer);
		cancelAnimationFrame(this.#fillFrame);
		cancelAnimationFrame(this.#scrollFrame);
		this.#ro?.disconnect();
		(this.#scroller ?? window).removeEventListener('scroll', this.#onScroll);
		this.root.removeEventListener('pointerdown', this.#onPointerDown);
		this.root.removeEventListener('click', this.#onClick);
		this.root.removeEventListener('keydown', this.#onKeyDown);
		this.root.removeEventListener('dragstart', this.#onDragStart);
		this.root.removeEventListener('dragend', this.#onDragEnd);
		document.removeEventListener('selectionchange', this.#onSelectionChange);
		window.removeEventListener('pointerup', this.#onPointerUp);
		window.matchMedia?.('(prefers-color-scheme: dark)').removeEventListener('change', this.#onScheme);
		this.#hl.destroy();
		this.root.replaceChildren();
	}
}

/** The nearest scrolling ancestor (null: the viewport). */
function scrollParent(el: HTMLElement): HTMLElement | null {
	for (let p = el.parentElement; p; p = p.parentElement) {
		const o = getComputedStyle(p).overflowY;
		if (o === 'auto' || o === 'scroll') return p;
	}
	return null;
}
