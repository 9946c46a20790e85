import { describe, expect, it } from 'vitest';
import {
	childBoundaryOffset,
	extendByWord,
	graphemeEnd,
	graphemeStart,
	locateOffset,
	pieceOffset,
	selectionToSpan,
	sentenceAt,
	snapToWords,
	moveStartByWord,
	moveEdgeByWord,
	wordNear
} from './selection';
import { paragraphs } from './text';

const pick = (text: string, s: { start: number; end: number } | null) => (s ? text.slice(s.start, s.end) : null);

describe('DOM offsets to text offsets', () => {
	it('adds a node-relative offset to the piece start and clamps it', () => {
		expect(pieceOffset({ start: 100, length: 20 }, 5)).toBe(105);
		expect(pieceOffset({ start: 100, length: 20 }, 99)).toBe(120);
		expect(pieceOffset({ start: 100, length: 20 }, -3)).toBe(100);
	});
	it('maps an element boundary (child index) to the start of that child or the end of the last', () => {
		const kids = [
			{ start: 10, length: 13 },
			{ start: 23, length: 40 }
		];
		expect(childBoundaryOffset(kids, 0)).toBe(10);
		expect(childBoundaryOffset(kids, 1)).toBe(23);
		expect(childBoundaryOffset(kids, 2)).toBe(63);
	});
	it('locates an offset in the pieces, sending line breaks to the next piece or, for an end, the previous one', () => {
		// "ab\ncd": pieces [0,2) and [3,5)
		const starts = [0, 3];
		const lengths = [2, 2];
		expect(locateOffset(starts, lengths, 1)).toEqual({ index: 0, offset: 1 });
		expect(locateOffset(starts, lengths, 2)).toEqual({ index: 0, offset: 2 });
		expect(locateOffset(starts, lengths, 3)).toEqual({ index: 1, offset: 0 });
		expect(locateOffset(starts, lengths, 3, true)).toEqual({ index: 0, offset: 2 });
		expect(locateOffset(starts, lengths, 5)).toEqual({ index: 1, offset: 2 });
		expect(locateOffset(starts, lengths, 99)).toEqual({ index: 1, offset: 2 });
		expect(locateOffset([], [], 0)).toBeNull();
	});
	it('round-trips across paragraphs and speaker labels', () => {
		const text = 'Interviewer: Why did you start?\n\nR: Because the fines were high.';
		const paras = paragraphs(text);
		// pieces: label, body per paragraph
		const pieces = paras.flatMap((p) =>
			p.bodyStart > p.start
				? [
						{ start: p.start, length: p.bodyStart - p.start },
						{ start: p.bodyStart, length: p.end - p.bodyStart }
					]
				: [{ start: p.start, length: p.end - p.start }]
		);
		const starts = pieces.map((p) => p.start);
		const lengths = pieces.map((p) => p.length);
		const off = text.indexOf('fines');
		const loc = locateOffset(starts, lengths, off)!;
		expect(pieceOffset(pieces[loc.index], loc.offset)).toBe(off);
		expect(pieces[loc.index].start).toBe(paras[1].bodyStart);
	});
});

describe('selection to a span', () => {
	const text = 'Interviewer: Why did you start cleaner production?\nR: Because the fines were high, really high.';
	const paras = paragraphs(text);

	it('snaps a partial selection to whole words', () => {
		const a = text.indexOf('tart');
		const b = text.indexOf('production') + 4;
		expect(pick(text, selectionToSpan(text, paras, a, b))).toBe('start cleaner production');
	});
	it('accepts the offsets in either order (a backwards drag)', () => {
		const a = text.indexOf('tart');
		const b = text.indexOf('production') + 4;
		expect(pick(text, selectionToSpan(text, paras, b, a))).toBe('start cleaner production');
	});
	it('does not snap while the modifier is held, but trims white space', () => {
		const a = text.indexOf('tart') - 0;
		const b = text.indexOf('production') + 4;
		expect(pick(text, selectionToSpan(text, paras, a, b, { snap: false }))).toBe('tart cleaner prod');
		expect(pick(text, selectionToSpan(text, paras, a - 2, a + 4, { snap: false }))).toBe('start');
	});
	it('moves a start inside a speaker label to the words spoken', () => {
		const a = text.indexOf('viewer');
		const b = text.indexOf('did') + 3;
		expect(pick(text, selectionToSpan(text, paras, a, b))).toBe('Why did');
	});
	it('spans paragraphs, and an end in the next speaker label goes back to the previous paragraph', () => {
		const a = text.indexOf('cleaner');
		const b = text.indexOf('R:') + 1;
		expect(pick(text, selectionToSpan(text, paras, a, b))).toBe('cleaner production?');
		const c = text.indexOf('fines') + 2;
		expect(pick(text, selectionToSpan(text, paras, a, c))).toBe('cleaner production?\nR: Because the fines');
	});
	it('returns null for a selection of only a label or only white space', () => {
		expect(selectionToSpan(text, paras, 0, 5)).toBeNull();
		const sp = text.indexOf(' did');
		expect(selectionToSpan(text, paras, sp, sp + 1)).toBeNull();
	});
	it('keeps apostrophes and hyphens inside words', () => {
		const t = "We don't treat well-being lightly.";
		const p = paragraphs(t);
		expect(pick(t, selectionToSpan(t, p, t.indexOf('on'), t.indexOf('on') + 1))).toBe("don't");
		expect(pick(t, selectionToSpan(t, p, t.indexOf('being'), t.indexOf('being') + 2))).toBe('well-being');
	});

	describe('CJK', () => {
		const t = '受访者：我们的企业去年开始清洁生产审核。';
		const p = paragraphs(t);
		it('treats each character as a word: a partial selection stays as it is', () => {
			const a = t.indexOf('清洁');
			expect(pick(t, selectionToSpan(t, p, a, a + 2))).toBe('清洁');
			expect(pick(t, selectionToSpan(t, p, a + 1, a + 3))).toBe('洁生');
		});
		it('keeps out of the full-width speaker label', () => {
			expect(pick(t, selectionToSpan(t, p, 1, t.indexOf('企业')))).toBe('我们的');
		});
		it('snaps a Latin word embedded in CJK text without swallowing the Han characters', () => {
			const m = '我们做了CP审核';
			const mp = paragraphs(m);
			const i = m.indexOf('P');
			expect(pick(m, selectionToSpan(m, mp, i, i + 1))).toBe('CP');
		});
	});

	describe('emoji and combining marks', () => {
		it('never splits a surrogate pair', () => {
			const t = 'I felt 😀 about it';
			const p = paragraphs(t);
			const e = t.indexOf('😀');
			// start on the low surrogate, end on the high surrogate
			expect(pick(t, selectionToSpan(t, p, e + 1, e + 1 + 1, { snap: false }))).toBe('😀');
			expect(graphemeStart(t, e + 1)).toBe(e);
			expect(graphemeEnd(t, e + 1)).toBe(e + 2);
		});
		it('keeps ZWJ sequences and skin tones whole', () => {
			const fam = '👩‍👩‍👧';
			const t = `a ${fam} b 👍🏽 c`;
			const s = t.indexOf(fam);
			expect(graphemeStart(t, s + 3)).toBe(s);
			expect(graphemeEnd(t, s + 3)).toBe(s + fam.length);
			const th = t.indexOf('👍🏽');
			expect(graphemeEnd(t, th + 2)).toBe(th + '👍🏽'.length);
		});
		it('snaps to words that contain emoji neighbours without splitting them', () => {
			const t = 'so 😀happy';
			const p = paragraphs(t);
			expect(pick(t, selectionToSpan(t, p, t.indexOf('😀') + 1, t.indexOf('ha') + 1))).toBe('😀happy');
		});
		it('keeps a combining accent with its letter', () => {
			const t = 'cafe\u0301 noir'; // not NFC on purpose: the mark is separate
			expect(graphemeEnd(t, 4)).toBe(5);
			expect(graphemeStart(t, 4)).toBe(3);
		});
	});
});

describe('keyboard selection helpers', () => {
	const t = 'R: First point. Second point! Third one';
	const p = paragraphs(t)[0];
	it('finds the sentence around an offset', () => {
		expect(pick(t, sentenceAt(t, p, t.indexOf('Second') + 2))).toBe('Second point!');
		expect(pick(t, sentenceAt(t, p, p.bodyStart))).toBe('First point.');
		expect(pick(t, sentenceAt(t, p, t.length - 1))).toBe('Third one');
	});
	it('extends and shrinks a selection by a word', () => {
		const start = t.indexOf('First');
		let s = { start, end: start + 5 };
		s = extendByWord(t, s, 1, { start: p.bodyStart, end: p.end });
		expect(pick(t, s)).toBe('First point');
		s = extendByWord(t, s, 1, { start: p.bodyStart, end: p.end });
		expect(pick(t, s)).toBe('First point.');
		s = extendByWord(t, s, -1, { start: p.bodyStart, end: p.end });
		expect(pick(t, s)).toBe('First point');
		s = extendByWord(t, s, -1, { start: p.bodyStart, end: p.end });
		expect(pick(t, s)).toBe('First');
	});
	it('moves a start by a word either way', () => {
		const lim = { start: p.bodyStart, end: p.end };
		const s0 = { start: t.indexOf('point.'), end: t.indexOf('Second') - 1 };
		const earlier = moveStartByWord(t, s0, -1, lim);
		expect(pick(t, earlier)).toBe('First point.');
		expect(pick(t, moveStartByWord(t, earlier, 1, lim))).toBe('point.');
		expect(moveStartByWord(t, earlier, -1, lim).start).toBe(p.bodyStart);
	});
	it('snapToWords leaves already whole words alone', () => {
		expect(snapToWords('one two', { start: 0, end: 3 })).toEqual({ start: 0, end: 3 });
	});
});

describe('keyboard selection across paragraphs', () => {
	const t = 'A: We started in 2001. Fines were high.\nB: Really?\n\nA: Yes, and the city sent inspectors.';
	const ps = paragraphs(t);
	const at = (w: string) => t.indexOf(w);
	it('finds the word after or before an offset, across paragraphs and past speaker labels', () => {
		expect(pick(t, wordNear(t, ps, at('started'), 1)!)).toBe('started');
		expect(pick(t, wordNear(t, ps, at('started') + 7, 1)!)).toBe('in');
		expect(pick(t, wordNear(t, ps, at('high.') + 5, 1)!)).toBe('Really?');
		expect(pick(t, wordNear(t, ps, at('Really?') + 7, 1)!)).toBe('Yes,');
		expect(pick(t, wordNear(t, ps, at('Yes,'), -1)!)).toBe('Really?');
		expect(pick(t, wordNear(t, ps, at('Really?'), -1)!)).toBe('high.');
		expect(wordNear(t, ps, t.length, 1)).toBeNull();
		expect(wordNear(t, ps, at('We'), -1)).toBeNull();
	});
	it('moves the end of a selection both ways, across paragraphs, keeping a word', () => {
		let s = wordNear(t, ps, at('Fines'), 1)!;
		s = moveEdgeByWord(t, ps, s, 'end', 1);
		expect(pick(t, s)).toBe('Fines were');
		s = moveEdgeByWord(t, ps, moveEdgeByWord(t, ps, s, 'end', 1), 'end', 1);
		expect(pick(t, s)).toBe('Fines were high.\nB: Really?');
		s = moveEdgeByWord(t, ps, s, 'end', -1);
		expect(pick(t, s)).toBe('Fines were high.');
		for (let k = 0; k < 5; k++) s = moveEdgeByWord(t, ps, s, 'end', -1);
		expect(pick(t, s)).toBe('Fines');
	});
	it('moves the start of a selection both ways, across paragraphs, keeping a word', () => {
		let s = wordNear(t, ps, at('Yes'), 1)!;
		s = moveEdgeByWord(t, ps, s, 'start', -1);
		expect(pick(t, s)).toBe('Really?\n\nA: Yes,');
		s = moveEdgeByWord(t, ps, s, 'start', -1);
		expect(pick(t, s)).toBe('high.\nB: Really?\n\nA: Yes,');
		s = moveEdgeByWord(t, ps, s, 'start', 1);
		expect(pick(t, s)).toBe('Really?\n\nA: Yes,');
		s = moveEdgeByWord(t, ps, moveEdgeByWord(t, ps, s, 'start', 1), 'start', 1);
		expect(pick(t, s)).toBe('Yes,');
	});
	it('treats each CJK character as a word', () => {
		const c = '我们开始了。';
		const cp = paragraphs(c);
		expect(pick(c, wordNear(c, cp, 0, 1)!)).toBe('我');
		expect(pick(c, moveEdgeByWord(c, cp, { start: 0, end: 1 }, 'end', 1))).toBe('我们');
	});
});
