/**
 * A fast-check arbitrary of a random valid study (for the property specs of the backup and
 * REFI-QDA formats): names with unicode and HTML, nested codes, documents of normalised text
 * with emoji, CJK, combining marks and line breaks, segments within the text (on code point
 * boundaries), case attributes and memos on every kind of target.
 */
import fc from 'fast-check';
import { normaliseText } from '../../src/lib/core/text';
import type { Attribute, Case, Code, Coder, GlossDocument, Memo, Segment, StudyData } from '../../src/lib/core/types';

const T = '2026-12-02T00:00:00.000Z';

const piece = fc.oneof(
	fc.constantFrom('<script>alert(1)</script>', '<b>x</b>', '&amp;', '"', "'", ',', '=1+1', 'é', 'e\u0301', '😀', '👩‍👩‍👧', '中文字', '한국어', '\u200b', ' ', '__proto__', '\n', '\r\n', '\t'),
	fc.string({ maxLength: 5 }),
	fc.string({ unit: 'grapheme', maxLength: 4 })
);
/** Normalised text (LF, NFC), possibly multi-line. */
export const textArb = fc.array(piece, { maxLength: 8 }).map((p) => normaliseText(p.join('')));
/** A one-line, non-blank name. */
export const nameArb = fc
	.array(piece, { maxLength: 3 })
	.map((p) => normaliseText(p.join('')).replace(/[\n\t]/g, ' ').trim())
	.map((s) => s || 'x');

/** Code point boundaries of a text, as UTF-16 offsets. */
function boundaries(text: string): number[] {
	const out = [0];
	let k = 0;
	for (const ch of text) out.push((k += ch.length));
	return out;
}

export const studyArb: fc.Arbitrary<StudyData> = fc
	.record({
		name: nameArb,
		description: textArb,
		coders: fc.array(nameArb, { minLength: 1, maxLength: 3 }),
		attributes: fc.array(fc.record({ name: nameArb, type: fc.constantFrom('category', 'text', 'number', 'date') as fc.Arbitrary<Attribute['type']> }), { maxLength: 2 }),
		cases: fc.array(fc.record({ name: nameArb, values: fc.array(fc.oneof(nameArb, fc.integer({ min: -50, max: 50 }), fc.constant(null)), { minLength: 2, maxLength: 2 }) }), { maxLength: 3 }),
		documents: fc.array(fc.record({ name: nameArb, text: textArb.filter((t) => t.length > 0), caseIx: fc.nat(5) }), { minLength: 1, maxLength: 3 }),
		codes: fc.array(fc.record({ name: nameArb, parent: fc.integer({ min: -1, max: 10 }), definition: textArb, colour: fc.integer({ min: 0, max: 0xffffff }) }), { minLength: 1, maxLength: 8 }),
		segments: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.nat(), textArb), { maxLength: 10 }),
		memos: fc.array(fc.tuple(fc.constantFrom('study', 'document', 'code', 'case') as fc.Arbitrary<Memo['targetType']>, fc.nat(), nameArb, textArb, fc.boolean()), { maxLength: 4 })
	})
	.map((r) => {
		const studyId = 'study-1';
		const coders: Coder[] = r.coders.map((name, i) => ({ id: `coder-${i}`, studyId, name, createdAt: T }));
		const attributes: Attribute[] = r.attributes.map((a, i) => ({ id: `attr-${i}`, studyId, name: a.name, type: a.type, order: i }));
		const cases: Case[] = r.cases.map((c, i) => {
			const attrs: Record<string, string | number | null> = {};
			attributes.forEach((a, j) => (attrs[a.id] = c.values[j]));
			return { id: `case-${i}`, studyId, name: c.name, attributes: attrs, createdAt: T, updatedAt: T };
		});
		const documents: GlossDocument[] = r.documents.map((d, i) => ({
			id: `doc-${i}`,
			studyId,
			name: d.name,
			text: d.text,
			caseId: cases.length && d.caseIx < cases.length ? cases[d.caseIx].id : null,
			order: i,
			createdAt: T,
			updatedAt: T
		}));
		const depth: number[] = [];
		const codes: Code[] = r.codes.map((c, i) => {
			let p = c.parent >= 0 && c.parent < i ? c.parent : -1;
			if (p >= 0 && depth[p] >= 10) p = -1;
			depth.push(p < 0 ? 0 : depth[p] + 1);
			return {
				id: `code-${i}`,
				studyId,
				parentId: p < 0 ? null : `code-${p}`,
				name: `${c.name} ${i}`, // unique among siblings
				definition: c.definition,
				inclusion: '',
				exclusion: '',
				example: '',
				colour: '#' + c.colour.toString(16).padStart(6, '0'),
				order: i,
				favourite: null,
				createdAt: T,
				updatedAt: T
			};
		});
		const segments: Segment[] = r.segments
			.map(([d, c, k, a, b, _x, memo], i) => {
			const doc = documents[d % documents.length];
			const bs = boundaries(doc.text);
			let s = bs[a % bs.length];
			let e = bs[b % bs.length];
			if (s > e) [s, e] = [e, s];
			if (s === e) {
				s = 0;
				e = doc.text.length;
			}
			return { id: `seg-${i}`, studyId, documentId: doc.id, codeId: codes[c % codes.length].id, coderId: coders[k % coders.length].id, start: s, end: e, memo, createdAt: T, updatedAt: T };
		})
			// one coder codes a passage with a code once (the app's coding rule)
			.filter((s, i, all) => all.findIndex((o) => o.documentId === s.documentId && o.codeId === s.codeId && o.coderId === s.coderId && o.start === s.start && o.end === s.end) === i);
		const memos: Memo[] = r.memos.map(([type, n, title, text, withCoder], i) => {
			const targets = type === 'study' ? [null] : type === 'document' ? documents : type === 'code' ? codes : cases;
			const target = targets.length ? targets[n % targets.length] : null;
			return {
				id: `memo-${i}`,
				studyId,
				targetType: target === null ? 'study' : type,
				targetId: target === null ? null : target.id,
				title,
				text,
				coderId: withCoder ? coders[n % coders.length].id : null,
				createdAt: T,
				updatedAt: T
			};
		});
		return { study: { id: studyId, name: r.name, description: r.description, createdAt: T, updatedAt: T }, coders, attributes, cases, documents, codes, segments, memos };
	});
