/**
 * The document the view shows: its paragraphs, and the rows of those in the DOM. A row holds one
 * text node for the speaker label (if any) and one for the body; offsets are UTF-16 code units
 * over the stored text, mapped to and from the DOM here and nowhere else.
 */
import { paragraphs, type Paragraph } from '$lib/core/text';
import { locateOffset } from '$lib/core/selection';

export interface Row {
	i: number;
	el: HTMLDivElement;
	/** The text column (.pt), the stripe column (.st) and the label column (.lb). */
	pt: HTMLDivElement;
	st: HTMLDivElement;
	lb: HTMLDivElement;
	label: Text | null;
	body: Text;
}

export class Doc {
	readonly paras: Paragraph[];
	/** The rows in the DOM, by paragraph index. */
	readonly rows = new Map<number, Row>();

	constructor(readonly text: string) {
		this.paras = paragraphs(text);
	}

	/** The last paragraph starting at or before an offset (0 when none). */
	paraIndexAt(offset: number): number {
		const paras = this.paras;
		let lo = 0;
		let hi = paras.length - 1;
		let ans = 0;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			if (paras[mid].start <= offset) {
				ans = mid;
				lo = mid + 1;
			} else hi = mid - 1;
		}
		return ans;
	}

	/** A row's offset to its text node and the offset inside it. */
	locate(row: Row, offset: number, preferEnd = false): { node: Text; offset: number } | null {
		const p = this.paras[row.i];
		const starts = row.label ? [p.start, p.bodyStart] : [p.bodyStart];
		const lens = row.label ? [p.bodyStart - p.start, p.end - p.bodyStart] : [p.end - p.bodyStart];
		const at = locateOffset(starts, lens, offset, preferEnd);
		if (!at) return null;
		return { node: row.label && at.index === 0 ? row.label : row.body, offset: at.offset };
	}

	/**
	 * The part of [start, end) inside paragraph i, as a StaticRange (null when empty or not in the
	 * DOM). A span that begins in an earlier paragraph starts at this one's body, so speaker labels
	 * between are never painted as coded.
	 */
	rangeIn(i: number, start: number, end: number): StaticRange | null {
		const row = this.rows.get(i);
		if (!row) return null;
		const p = this.paras[i];
		const s = start >= p.start ? start : p.bodyStart;
		const e = Math.min(end, p.end);
		if (s >= e) return null;
		const a = this.locate(row, s);
		const b = this.locate(row, e, true);
		if (!a || !b) return null;
		return new StaticRange({ startContainer: a.node, startOffset: a.offset, endContainer: b.node, endOffset: b.offset });
	}

	/** A live Range over [start, end) when both ends are in the DOM. */
	liveRange(start: number, end: number): Range | null {
		const ra = this.rows.get(this.paraIndexAt(start));
		const rb = this.rows.get(this.paraIndexAt(Math.max(start, end - 1)));
		if (!ra || !rb) return null;
		const a = this.locate(ra, start);
		const b = this.locate(rb, end, true);
		if (!a || !b) return null;
		const r = document.createRange();
		r.setStart(a.node, a.offset);
		r.setEnd(b.node, b.offset);
		return r;
	}
}
