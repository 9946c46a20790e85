/**
 * Turning what the researcher selected into a segment span. Pure: the DOM part (reading
 * `window.getSelection()`) lives in the transcript component; the arithmetic lives here.
 *
 * The transcript is rendered as "pieces": one text node per speaker label and one per
 * paragraph body, each knowing where it starts in the document text. Line breaks between
 * paragraphs are not rendered.
 */
import type { Paragraph } from './text';

/** A rendered text node: where it starts in the document text and how long it is. */
export interface Piece {
	start: number;
	length: number;
}

export interface Span {
	start: number;
	end: number;
}

/** A text-node-relative DOM offset to a document offset. */
export function pieceOffset(piece: Piece, offsetInNode: number): number {
	return piece.start + Math.max(0, Math.min(piece.length, offsetInNode));
}

/**
 * An element-relative DOM boundary (container is an element, offset is a child index) to a
 * document offset, given the pieces of the element's children in order.
 */
export function childBoundaryOffset(children: Piece[], childIndex: number): number {
	if (children.length === 0) return 0;
	if (childIndex < children.length) return children[Math.max(0, childIndex)].start;
	const last = children[children.length - 1];
	return last.start + last.length;
}

/**
 * A document offset to a piece index and an offset inside it (for building a DOM Range).
 * `starts` are the pieces' starts in ascending order. An offset that falls between pieces (on
 * an unrendered line break) goes to the start of the next piece, or with `preferEnd` to the
 * end of the previous one. Returns null when there are no pieces.
 */
export function locateOffset(
	starts: ArrayLike<number>,
	lengths: ArrayLike<number>,
	offset: number,
	preferEnd = false
): { index: number; offset: number } | null {
	const n = starts.length;
	if (n === 0) return null;
	// last piece whose start <= offset
	let lo = 0;
	let hi = n - 1;
	let found = -1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (starts[mid] <= offset) {
			found = mid;
			lo = mid + 1;
		} else hi = mid - 1;
	}
	if (found < 0) return { index: 0, offset: 0 };
	const end = starts[found] + lengths[found];
	if (offset <= end) {
		// at the very start of a piece with preferEnd: the end of the previous piece reads better
		if (preferEnd && offset === starts[found] && found > 0 && lengths[found] > 0)
			return { index: found - 1, offset: lengths[found - 1] };
		return { index: found, offset: offset - starts[found] };
	}
	if (preferEnd || found === n - 1) return { index: found, offset: lengths[found] };
	return { index: found + 1, offset: 0 };
}

// ------------------------------------------------------------------ characters

/** Han, kana and bopomofo: scripts written without spaces, where a character is a word. */
const CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Bopomofo}]/u;
const LETTER = /[\p{L}\p{M}\p{N}_]/u;
const SPACE = /\s/u;

export function isCjk(ch: string): boolean {
	return CJK.test(ch);
}

/** The code point at or containing position i (a low surrogate looks back to its pair). */
function cpAt(text: string, i: number): string {
	if (i < 0 || i >= text.length) return '';
	const c = text.charCodeAt(i);
	if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
		const h = text.charCodeAt(i - 1);
		if (h >= 0xd800 && h <= 0xdbff) return text.slice(i - 1, i + 1);
	}
	if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) return text.slice(i, i + 2);
	return text[i];
}

/** A letter of a space-separated script (so not CJK), or an apostrophe/hyphen inside a word. */
function isWordAt(text: string, i: number): boolean {
	const ch = cpAt(text, i);
	if (!ch) return false;
	if (LETTER.test(ch)) return !CJK.test(ch);
	if (ch === "'" || ch === '’' || ch === '-') {
		const before = cpAt(text, i - 1);
		const after = cpAt(text, i + 1);
		return !!before && !!after && LETTER.test(before) && LETTER.test(after) && !CJK.test(before) && !CJK.test(after);
	}
	return false;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
/** Marks, variation selectors, zero-width joiner, emoji skin-tone modifiers, tag characters. */
function isExtender(text: string, i: number): boolean {
	const ch = cpAt(text, i);
	if (!ch) return false;
	const cp = ch.codePointAt(0)!;
	return (
		/\p{M}/u.test(ch) ||
		cp === 0x200d ||
		(cp >= 0xfe00 && cp <= 0xfe0f) ||
		(cp >= 0x1f3fb && cp <= 0x1f3ff) ||
		(cp >= 0xe0020 && cp <= 0xe007f)
	);
}

/** Move a start offset back so it does not split a surrogate pair or a grapheme cluster. */
export function graphemeStart(text: string, i: number): number {
	let p = Math.max(0, Math.min(text.length, i));
	for (let guard = 0; guard < 64 && p > 0; guard++) {
		if (p < text.length && isLow(text.charCodeAt(p)) && isHigh(text.charCodeAt(p - 1))) {
			p--;
			continue;
		}
		if (p < text.length && isExtender(text, p)) {
			p--;
			continue;
		}
		// after a zero-width joiner the next emoji belongs to the same cluster
		if (text.charCodeAt(p - 1) === 0x200d) {
			p--;
			continue;
		}
		break;
	}
	return p;
}

/** Move an end offset forward so it does not split a surrogate pair or a grapheme cluster. */
export function graphemeEnd(text: string, i: number): number {
	let p = Math.max(0, Math.min(text.length, i));
	for (let guard = 0; guard < 64 && p < text.length; guard++) {
		if (p > 0 && isLow(text.charCodeAt(p)) && isHigh(text.charCodeAt(p - 1))) {
			p++;
			continue;
		}
		if (isExtender(text, p)) {
			p += cpAt(text, p).length;
			continue;
		}
		if (p > 0 && text.charCodeAt(p - 1) === 0x200d) {
			p += cpAt(text, p).length || 1;
			continue;
		}
		break;
	}
	return p;
}

// ------------------------------------------------------------------ spans

/** Trim white space at both ends of a span. */
export function trimSpan(text: string, s: Span): Span {
	let { start, end } = s;
	while (start < end && SPACE.test(text[start])) start++;
	while (end > start && SPACE.test(text[end - 1])) end--;
	return { start, end };
}

/** Grow a span to whole words. In CJK text every character is a word, so nothing grows. */
export function snapToWords(text: string, s: Span): Span {
	let { start, end } = trimSpan(text, s);
	if (start >= end) return { start, end };
	while (start > 0 && isWordAt(text, start - 1) && isWordAt(text, start)) start--;
	while (end < text.length && isWordAt(text, end - 1) && isWordAt(text, end)) end++;
	return { start, end };
}

/** Index of the paragraph containing offset, or of the first one after it; paras.length if none. */
function paraAtOrAfter(paras: Paragraph[], offset: number): number {
	let lo = 0;
	let hi = paras.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (paras[mid].end < offset) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * Keep a span out of speaker labels and the line breaks between paragraphs: a start inside a
 * label moves to the words spoken; an end inside a label (or a gap) moves back to the end of
 * the previous paragraph.
 */
export function clampToBodies(paras: Paragraph[], s: Span): Span {
	if (paras.length === 0) return s;
	let { start, end } = s;
	const i = paraAtOrAfter(paras, start);
	if (i >= paras.length) start = paras[paras.length - 1].end;
	else if (start < paras[i].bodyStart) start = paras[i].bodyStart;
	// end: the last paragraph whose start < end
	let j = paraAtOrAfter(paras, end);
	if (j >= paras.length || end <= paras[j].start) j--;
	if (j < 0) end = paras[0].bodyStart;
	else if (end < paras[j].bodyStart) end = j > 0 ? paras[j - 1].end : paras[j].bodyStart;
	else if (end > paras[j].end) end = paras[j].end;
	return { start, end };
}

export interface SelectionOptions {
	/** Snap to whole words (the default); false while a modifier key is held. */
	snap?: boolean;
}

/**
 * The span to code from raw selection offsets (in either order): out of speaker labels,
 * trimmed, snapped to whole words unless told not to, never splitting an emoji or a
 * character with its marks. Null when nothing codable is selected.
 */
export function selectionToSpan(
	text: string,
	paras: Paragraph[],
	a: number,
	b: number,
	opts: SelectionOptions = {}
): Span | null {
	let s: Span = { start: Math.max(0, Math.min(a, b)), end: Math.min(text.length, Math.max(a, b)) };
	s = clampToBodies(paras, s);
	if (s.start >= s.end) return null;
	s = opts.snap === false ? trimSpan(text, s) : snapToWords(text, s);
	s = { start: graphemeStart(text, s.start), end: graphemeEnd(text, s.end) };
	s = clampToBodies(paras, s);
	return s.start < s.end ? s : null;
}

/** The span of the sentence around offset, within its paragraph body (for keyboard selection). */
export function sentenceAt(text: string, para: Paragraph, offset: number): Span {
	const re = /[.!?。！？…]+["'”’)]*\s*/gu;
	const slice = text.slice(para.bodyStart, para.end);
	let start = para.bodyStart;
	let m: RegExpExecArray | null;
	while ((m = re.exec(slice))) {
		const stop = para.bodyStart + m.index + m[0].length;
		if (stop > offset || stop >= para.end) return trimSpan(text, { start, end: stop });
		start = stop;
	}
	return trimSpan(text, { start, end: para.end });
}

/** Move a span's end by one word forward (+1) or back (-1), for Shift+Arrow selection. */
export function extendByWord(text: string, s: Span, dir: 1 | -1, limit: Span): Span {
	let end = s.end;
	if (dir > 0) {
		while (end < limit.end && SPACE.test(text[end])) end++;
		if (end < limit.end && !isWordAt(text, end)) end = graphemeEnd(text, end + 1);
		else while (end < limit.end && isWordAt(text, end)) end++;
	} else {
		while (end > s.start && SPACE.test(text[end - 1])) end--;
		if (end > s.start && !isWordAt(text, end - 1)) end = graphemeStart(text, end - 1);
		else while (end > s.start && isWordAt(text, end - 1)) end--;
		while (end > s.start && SPACE.test(text[end - 1])) end--;
	}
	return { start: s.start, end: Math.max(s.start, Math.min(limit.end, end)) };
}

/** Move a span's start by one word earlier (-1) or later (+1), within a paragraph body. */
export function moveStartByWord(text: string, s: Span, dir: 1 | -1, limit: Span): Span {
	let start = s.start;
	if (dir < 0) {
		while (start > limit.start && SPACE.test(text[start - 1])) start--;
		if (start > limit.start && !isWordAt(text, start - 1)) start = graphemeStart(text, start - 1);
		else while (start > limit.start && isWordAt(text, start - 1)) start--;
	} else {
		if (start < s.end && !isWordAt(text, start)) start = graphemeEnd(text, start + 1);
		else while (start < s.end && isWordAt(text, start)) start++;
		while (start < s.end && SPACE.test(text[start])) start++;
	}
	return { start: Math.max(limit.start, Math.min(start, s.end)), end: s.end };
}

// ------------------------------------------------------------------ keyboard selection across paragraphs

/** Index of the paragraph an offset belongs to (a gap between paragraphs goes to the one after). */
function paraIndexOf(paras: Paragraph[], offset: number): number {
	return Math.max(0, Math.min(paras.length - 1, paraAtOrAfter(paras, offset)));
}

/**
 * A keyboard "word": a run of characters between white space (so a word keeps the punctuation
 * that clings to it), or a single character in scripts written without spaces (CJK).
 */
function firstWordFrom(text: string, p: Paragraph, from: number): Span | null {
	let i = Math.max(p.bodyStart, from);
	while (i < p.end && SPACE.test(text[i])) i++;
	if (i >= p.end) return null;
	const ch = cpAt(text, i);
	if (isCjk(ch)) return { start: i, end: Math.min(p.end, graphemeEnd(text, i + ch.length)) };
	let j = i;
	while (j < p.end && !SPACE.test(text[j]) && !isCjk(cpAt(text, j))) j++;
	return { start: graphemeStart(text, i), end: Math.min(p.end, graphemeEnd(text, j)) };
}

/** The last keyboard word of a paragraph body before `to`, or null when there is none. */
function lastWordBefore(text: string, p: Paragraph, to: number): Span | null {
	let j = Math.min(p.end, to);
	while (j > p.bodyStart && SPACE.test(text[j - 1])) j--;
	if (j <= p.bodyStart) return null;
	const ch = cpAt(text, j - 1);
	if (isCjk(ch)) return { start: Math.max(p.bodyStart, graphemeStart(text, j - ch.length)), end: j };
	let i = j;
	while (i > p.bodyStart && !SPACE.test(text[i - 1]) && !isCjk(cpAt(text, i - 1))) i--;
	return { start: Math.max(p.bodyStart, graphemeStart(text, i)), end: graphemeEnd(text, j) };
}

/**
 * The word after `from` (dir 1) or before it (dir -1), going on into the next or previous
 * paragraphs and never into a speaker label: the keyboard's "word cursor". Null at either end
 * of the document.
 */
export function wordNear(text: string, paras: Paragraph[], from: number, dir: 1 | -1): Span | null {
	if (paras.length === 0) return null;
	let i = paraIndexOf(paras, from);
	if (dir > 0) {
		for (let at = from; i < paras.length; i++, at = -1) {
			const w = firstWordFrom(text, paras[i], at < 0 ? paras[i].bodyStart : at);
			if (w) return w;
		}
	} else {
		if (from < paras[i].bodyStart) i--;
		for (let at = from; i >= 0; i--, at = Number.POSITIVE_INFINITY) {
			const w = lastWordBefore(text, paras[i], at);
			if (w) return w;
		}
	}
	return null;
}

/**
 * Move one edge of a keyboard selection by a word, earlier (-1) or later (+1), going across
 * paragraphs: past the end of a paragraph the end takes the next one's first word, and the start
 * the previous one's last word. The span always keeps at least one word: an edge that would pass
 * the other stays where it is.
 */
export function moveEdgeByWord(text: string, paras: Paragraph[], s: Span, edge: 'start' | 'end', dir: 1 | -1): Span {
	if (paras.length === 0) return s;
	if (edge === 'end') {
		if (dir > 0) {
			const w = wordNear(text, paras, s.end, 1);
			return w ? { start: s.start, end: w.end } : s;
		}
		const last = wordNear(text, paras, s.end, -1);
		if (!last || last.start <= s.start) return s;
		const before = wordNear(text, paras, last.start, -1);
		return before && before.end > s.start ? { start: s.start, end: before.end } : s;
	}
	if (dir < 0) {
		const w = wordNear(text, paras, s.start, -1);
		return w ? { start: w.start, end: s.end } : s;
	}
	const first = wordNear(text, paras, s.start, 1);
	if (!first || first.end >= s.end) return s;
	const after = wordNear(text, paras, first.end, 1);
	return after && after.start < s.end ? { start: after.start, end: s.end } : s;
}
