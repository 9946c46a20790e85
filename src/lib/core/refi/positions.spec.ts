import { describe, expect, it } from 'vitest';
import { normaliseText } from '../text';
import {
	chooseReading,
	codePointLength,
	codePointsToUtf16,
	mapThroughNormalisation,
	plausibility,
	utf16ToCodePoints
} from './positions';

describe('UTF-16 offsets <-> code points', () => {
	// "a😀b中c": 😀 is two UTF-16 units, 中 one.
	const text = 'a😀b中c';
	it('counts an emoji as one code point and a CJK character as one', () => {
		expect(text.length).toBe(6);
		expect(codePointLength(text)).toBe(5);
		const toCp = utf16ToCodePoints(text);
		expect([0, 1, 3, 4, 5, 6].map(toCp)).toEqual([0, 1, 2, 3, 4, 5]);
	});
	it('rounds an offset inside a surrogate pair down and clamps', () => {
		const toCp = utf16ToCodePoints(text);
		expect(toCp(2)).toBe(1);
		expect(toCp(99)).toBe(5);
		expect(toCp(-3)).toBe(0);
	});
	it('goes back exactly', () => {
		const toU = codePointsToUtf16(text);
		expect([0, 1, 2, 3, 4, 5].map(toU)).toEqual([0, 1, 3, 4, 5, 6]);
		const toCp = utf16ToCodePoints(text);
		for (const off of [0, 1, 3, 4, 5, 6]) expect(toU(toCp(off))).toBe(off);
	});
	it('slices the same text either way', () => {
		const t = '我们😀👍🏽 ok';
		const toCp = utf16ToCodePoints(t);
		const start = t.indexOf('👍'),
			end = t.indexOf(' ok');
		const cps = [...t].slice(toCp(start), toCp(end)).join('');
		expect(cps).toBe('👍🏽');
	});
});

describe('mapping positions through normalisation', () => {
	it('shifts positions after a CRLF by one when CRLF counts as 2', () => {
		const raw = 'ab\r\ncd\r\nef';
		const m = mapThroughNormalisation(raw, { unit: 'codepoint', crlf: 2 });
		expect(m.text).toBe('ab\ncd\nef');
		// "cd" is raw 4..6, "ef" raw 8..10
		expect(m.text.slice(m.start(4) as number, m.end(6) as number)).toBe('cd');
		expect(m.text.slice(m.start(8) as number, m.end(10) as number)).toBe('ef');
		expect(m.length).toBe(10);
		expect(m.end(11)).toBeNull();
		// An end between CR and LF stops before the line break.
		expect(m.text.slice(m.start(0) as number, m.end(3) as number)).toBe('ab');
	});
	it('reads CRLF counted as one', () => {
		const m = mapThroughNormalisation('ab\r\ncd', { unit: 'codepoint', crlf: 1 });
		expect(m.length).toBe(5);
		expect(m.text.slice(m.start(3) as number, m.end(5) as number)).toBe('cd');
	});
	it('strips a BOM and maps lone CRs', () => {
		const m = mapThroughNormalisation('\uFEFFx\ry', { unit: 'codepoint', crlf: 2 });
		expect(m.text).toBe('x\ny');
		expect(m.text.slice(m.start(2) as number, m.end(3) as number)).toBe('y');
	});
	it('maps code points and UTF-16 units over emoji onto Gloss offsets', () => {
		const raw = 'I 😀 like 中文\r\nyes';
		const cp = mapThroughNormalisation(raw, { unit: 'codepoint', crlf: 2 });
		const u16 = mapThroughNormalisation(raw, { unit: 'utf16', crlf: 2 });
		expect(cp.text).toBe(normaliseText(raw));
		// "like" is code points 4..8, UTF-16 units 5..9
		expect(cp.text.slice(cp.start(4) as number, cp.end(8) as number)).toBe('like');
		expect(u16.text.slice(u16.start(5) as number, u16.end(9) as number)).toBe('like');
		// "yes" after the CRLF: code points 13..16, units 14..17
		expect(cp.text.slice(cp.start(13) as number, cp.end(16) as number)).toBe('yes');
		expect(u16.text.slice(u16.start(14) as number, u16.end(17) as number)).toBe('yes');
		// A UTF-16 position inside the emoji: a start rounds down, an end rounds up (never half a character).
		expect(u16.text.slice(u16.start(3) as number, u16.end(3) as number)).toBe('😀');
		expect(u16.text.slice(u16.start(2) as number, u16.end(3) as number)).toBe('😀');
	});
	it('maps through NFC composition without splitting a character', () => {
		const raw = 'Cafe\u0301 ole\u0301!'; // decomposed é twice
		const m = mapThroughNormalisation(raw, { unit: 'codepoint', crlf: 2 });
		expect(m.text).toBe('Café olé!');
		// raw "ole\u0301" is 6..10 (code points), "!" is 10..11
		expect(m.text.slice(m.start(6) as number, m.end(10) as number)).toBe('olé');
		expect(m.text.slice(m.start(10) as number, m.end(11) as number)).toBe('!');
		// An end inside the decomposed é takes the whole é.
		expect(m.text.slice(m.start(0) as number, m.end(4) as number)).toBe('Café');
	});
	it('gives exactly normaliseText on awkward text', () => {
		const raw = '\uFEFFa\r\n\rb\u0065\u0301\u0323 \u1100\u1161\u11A8 \u2126 😀\r\n';
		for (const unit of ['codepoint', 'utf16'] as const)
			for (const crlf of [1, 2] as const) expect(mapThroughNormalisation(raw, { unit, crlf }).text).toBe(normaliseText(raw));
	});
});

describe('choosing a reading', () => {
	// Words separated by CRLF with an emoji in front: the readings disagree after both.
	const raw = '😀😀 alpha beta\r\ngamma delta\r\nepsilon zeta\r\n';
	const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
	const cpSel = words.map((w) => {
		const i = raw.indexOf(w);
		const start = [...raw.slice(0, i)].length;
		return { start, end: start + w.length };
	});
	const u16Sel = words.map((w) => ({ start: raw.indexOf(w), end: raw.indexOf(w) + w.length }));

	it('scores word-aligned selections higher', () => {
		const cp = mapThroughNormalisation(raw, { unit: 'codepoint', crlf: 2 });
		expect(plausibility(cp, cpSel)).toBe(1);
		expect(plausibility(cp, u16Sel)).toBeLessThan(0.5);
	});
	it('keeps the preferred reading when it fits and switches when another fits clearly better', () => {
		expect(chooseReading(raw, cpSel, { unit: 'codepoint', crlf: 2 }).reading).toEqual({ unit: 'codepoint', crlf: 2 });
		expect(chooseReading(raw, u16Sel, { unit: 'codepoint', crlf: 2 }).reading).toEqual({ unit: 'utf16', crlf: 2 });
		const r = chooseReading(raw, u16Sel, { unit: 'utf16', crlf: 2 });
		expect(words.map((_, i) => r.map.text.slice(r.map.start(u16Sel[i].start) as number, r.map.end(u16Sel[i].end) as number))).toEqual(words);
	});
	it('detects CRLF counted as one', () => {
		const lf = raw.replace(/\r\n/g, '\n');
		const sel = words.map((w) => {
			const i = lf.indexOf(w);
			const start = [...lf.slice(0, i)].length;
			return { start, end: start + w.length };
		});
		const r = chooseReading(raw, sel, { unit: 'codepoint', crlf: 2 });
		expect(r.reading).toEqual({ unit: 'codepoint', crlf: 1 });
	});
});
