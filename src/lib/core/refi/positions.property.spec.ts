/**
 * Properties of REFI-QDA positions (fast-check): over random text with emoji, CJK, combining
 * marks and CRLF, converting UTF-16 offsets to code points and back is the identity on the
 * normalised text; reading raw text maps onto `normaliseText(raw)`; and a random study exported
 * with `projectQdpx` and read with `parseQdpx` keeps every segment's text slice.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { studyArb } from '../../../../tests/fuzz/study-arbitrary';
import { normaliseText } from '../text';
import type { StudyData } from '../types';
import { projectQdpx } from './export';
import { parseQdpx } from './import';
import { codePointLength, codePointsToUtf16, mapThroughNormalisation, utf16ToCodePoints } from './positions';

const PARAMS = { numRuns: 150, seed: 20261202 };
const T = '2026-12-02T00:00:00.000Z';

const rawText = fc
	.array(
		fc.oneof(
			fc.constantFrom('😀', '👩‍👩‍👧', '🇫🇷', '中文字', '日本語', '한국어', '\u1100\u1161\u11a8', 'e\u0301', 'a\u0308\u0301', '\u0301', 'Å', '\r\n', '\r', '\n', '\ufeff', ' ', 'x'),
			fc.string({ unit: 'grapheme', maxLength: 3 }),
			fc.string({ maxLength: 3 })
		),
		{ maxLength: 12 }
	)
	.map((p) => p.join(''));

/** UTF-16 offsets that start a code point (and the end). */
function boundaries(text: string): number[] {
	const out = [0];
	let k = 0;
	for (const ch of text) out.push((k += ch.length));
	return out;
}

describe('REFI-QDA position properties', () => {
	it('UTF-16 → code points → UTF-16 is the identity on normalised text', () => {
		fc.assert(
			fc.property(rawText, (raw) => {
				const t = normaliseText(raw);
				const toCp = utf16ToCodePoints(t);
				const toU = codePointsToUtf16(t);
				const bs = boundaries(t);
				expect(bs.length - 1).toBe(codePointLength(t));
				bs.forEach((o, cp) => {
					expect(toCp(o)).toBe(cp);
					expect(toU(cp)).toBe(o);
				});
			}),
			PARAMS
		);
	});

	it('raw text read in code points maps onto its normalised text; on normalised text every position maps to itself', () => {
		fc.assert(
			fc.property(rawText, (raw) => {
				const norm = normaliseText(raw);
				for (const crlf of [1, 2] as const) {
					const m = mapThroughNormalisation(raw, { unit: 'codepoint', crlf });
					expect(m.text).toBe(norm);
					expect(m.end(m.length)).toBe(norm.length);
				}
				const m = mapThroughNormalisation(norm, { unit: 'codepoint', crlf: 1 });
				const toU = codePointsToUtf16(norm);
				expect(m.length).toBe(codePointLength(norm));
				for (let p = 0; p <= m.length; p++) {
					expect(m.start(p)).toBe(toU(p));
					expect(m.end(p)).toBe(toU(p));
				}
			}),
			PARAMS
		);
	});

	it('projectQdpx → parseQdpx keeps every segment’s text slice', () => {
		const slices = (d: StudyData) => {
			const doc = new Map(d.documents.map((x) => [x.id, x]));
			const code = new Map(d.codes.map((x) => [x.id, x.name]));
			const coder = new Map(d.coders.map((x) => [x.id, x.name]));
			return d.segments
				.map((s) => {
					const x = doc.get(s.documentId);
					return JSON.stringify([x?.name, code.get(s.codeId), coder.get(s.coderId), x?.text.slice(s.start, s.end)]);
				})
				.sort();
		};
		fc.assert(
			fc.property(studyArb, (study) => {
				const r = parseQdpx(projectQdpx(study, T), 'p.qdpx', 'new-study', T);
				expect(r.ok ? null : r.errors).toBeNull();
				if (!r.ok) return;
				expect(r.value.data.documents.map((d) => d.text)).toEqual(study.documents.map((d) => d.text));
				expect(slices(r.value.data)).toEqual(slices(study));
			}),
			{ ...PARAMS, numRuns: 100 }
		);
	});
});

describe('REFI-QDA counterexamples found by the properties', () => {
	it('a Gloss file is read in code points even when a selection ends inside a word (astral text made it guess UTF-16)', () => {
		const text = '\u{1D157}\u{1D165} 00'; // a musical half note, which NFC keeps decomposed
		const study: StudyData = {
			study: { id: 's', name: 'x', description: '', createdAt: T, updatedAt: T },
			coders: [{ id: 'k', studyId: 's', name: 'x', createdAt: T }],
			attributes: [],
			cases: [],
			documents: [{ id: 'd', studyId: 's', name: 'x', text, caseId: null, order: 0, createdAt: T, updatedAt: T }],
			codes: [{ id: 'c', studyId: 's', parentId: null, name: 'x', definition: '', inclusion: '', exclusion: '', example: '', colour: '#000000', order: 0, favourite: null, createdAt: T, updatedAt: T }],
			segments: [{ id: 'g', studyId: 's', documentId: 'd', codeId: 'c', coderId: 'k', start: 0, end: 6, memo: '', createdAt: T, updatedAt: T }],
			memos: []
		};
		const r = parseQdpx(projectQdpx(study, T), 'p.qdpx', 'new', T);
		expect(r.ok ? r.value.data.segments.map((s) => text.slice(s.start, s.end)) : r.errors).toEqual(['\u{1D157}\u{1D165} 0']);
	});
});
