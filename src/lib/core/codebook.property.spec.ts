/**
 * Properties of the codebook formats (fast-check): random code trees (up to 12 levels, sibling
 * names unique by `nameKey`) come back unchanged through the CSV export and import
 * (`codebookCsv` / `parseCodebookCsv`) and through the Gloss codebook file
 * (`codesToCodebookJson` / `parseCodebook`); no text makes either reader throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CodebookEntry, codebookCsv, codesToCodebook, codesToCodebookJson, MAX_CODE_DEPTH, parseCodebook, parseCodebookCsv, parseCodebookFile } from './codebook';
import { normaliseText } from './text';
import type { Code } from './types';

const PARAMS = { numRuns: 150, seed: 20261202 };
const T = '2026-12-02T00:00:00.000Z';

const piece = fc.oneof(
	fc.constantFrom('"', ',', ' > ', '>', '\ufeff', '=', '+', '-', '@', ';', '|', "'", 'é', '😀', '中文', '<b>', '&amp;', '__proto__', ' '),
	fc.string({ maxLength: 5 })
);
const oneLine = fc.array(piece, { maxLength: 4 }).map((p) => p.join('').replace(/[\r\n\t]/g, ' '));
const multiLine = fc.array(fc.oneof(piece, fc.constantFrom('\n', '\r\n')), { maxLength: 5 }).map((p) => p.join(''));
const colour = fc.integer({ min: 0, max: 0xffffff }).map((n) => '#' + n.toString(16).padStart(6, '0'));

/** Flat codes whose parent is an earlier code; chains stay within MAX_CODE_DEPTH levels. */
const codesArb: fc.Arbitrary<Code[]> = fc
	.array(
		fc.record({
			parent: fc.oneof(fc.constant(-1), fc.constant(-2), fc.nat(30)), // -2: the code just before
			name: oneLine,
			definition: multiLine,
			inclusion: multiLine,
			exclusion: oneLine,
			example: multiLine,
			colour,
			id: fc.uuid()
		}),
		{ minLength: 1, maxLength: 25 }
	)
	.map((raw) => {
		const depth: number[] = [];
		const codes: Code[] = [];
		const ids = new Set<string>();
		raw.forEach((r, i) => {
			let p = r.parent === -1 || i === 0 ? -1 : r.parent === -2 ? i - 1 : r.parent % i;
			if (p >= 0 && depth[p] + 1 >= MAX_CODE_DEPTH) p = -1;
			depth.push(p < 0 ? 0 : depth[p] + 1);
			const id = ids.has(r.id) ? `${r.id.slice(0, -4)}${String(i).padStart(4, '0')}` : r.id;
			ids.add(id);
			codes.push({
				id,
				studyId: 's',
				parentId: p < 0 ? null : codes[p].id,
				// unique among all codes, so among siblings by nameKey
				name: `${r.name.trim()} ${i}`.trim(),
				definition: r.definition,
				inclusion: r.inclusion,
				exclusion: r.exclusion,
				example: r.example,
				colour: r.colour,
				order: i,
				favourite: null,
				createdAt: T,
				updatedAt: T
			});
		});
		return codes;
	});

const strip = (list: readonly CodebookEntry[]): unknown[] =>
	list.map(({ source: _s, children, ...e }) => ({ ...e, children: strip(children) }));
/** What a reader gives back: the texts normalised as every imported text is (LF, NFC). */
const normalised = (list: readonly CodebookEntry[]): unknown[] =>
	list.map(({ source: _s, children, ...e }) => ({
		...e,
		name: normaliseText(e.name),
		definition: normaliseText(e.definition),
		inclusion: normaliseText(e.inclusion),
		exclusion: normaliseText(e.exclusion),
		example: normaliseText(e.example),
		children: normalised(children)
	}));

describe('codebook properties', () => {
	it('a random tree survives codebookCsv → parseCodebookCsv', () => {
		fc.assert(
			fc.property(codesArb, (codes) => {
				const r = parseCodebookCsv(codebookCsv(codes), 'book.csv');
				expect(r.ok ? null : r.errors).toBeNull();
				if (r.ok) expect(strip(r.value.codes)).toEqual(normalised(codesToCodebook(codes, '').codes));
			}),
			PARAMS
		);
	});

	it('a random tree survives codesToCodebookJson → parseCodebook', () => {
		fc.assert(
			fc.property(codesArb, oneLine, multiLine, (codes, name, description) => {
				const r = parseCodebook(codesToCodebookJson(codes, `Book ${name}`, description), 'book.json');
				expect(r.ok ? null : r.errors).toBeNull();
				if (r.ok) expect(strip(r.value.codes)).toEqual(normalised(codesToCodebook(codes, '').codes));
			}),
			PARAMS
		);
	});

	it('no text makes a codebook reader throw; errors name the file', () => {
		fc.assert(
			fc.property(fc.oneof(multiLine, fc.string({ unit: 'binary', maxLength: 200 }), fc.json({ maxDepth: 4 })), (t) => {
				for (const r of [parseCodebookCsv(t, 'f.csv'), parseCodebook(t, 'f.json'), parseCodebookFile(t, 'f.csv'), parseCodebookFile(t, 'f.json')])
					if (!r.ok) for (const e of r.errors) expect(e).toMatch(/^f\.(csv|json)/);
			}),
			PARAMS
		);
	});
});

describe('codebook counterexamples found by the properties', () => {
	const code = (id: string, name: string, parentId: string | null, text = ''): Code => ({
		id,
		studyId: 's',
		parentId,
		name,
		definition: text,
		inclusion: '',
		exclusion: '',
		example: '',
		colour: '#000000',
		order: 0,
		favourite: null,
		createdAt: T,
		updatedAt: T
	});
	const A = '00000000-0000-1000-8000-000000000000';
	const B = '00000000-0000-1000-8000-000000000001';
	it('a top-level code whose name holds " > " is read back from its own CSV', () => {
		const r = parseCodebookCsv(codebookCsv([code(A, '" > 0', null), code(B, 'x > y', A)]), 'b.csv');
		expect(r.ok ? strip(r.value.codes) : r.errors).toEqual(strip(codesToCodebook([code(A, '" > 0', null), code(B, 'x > y', A)], '').codes));
	});
	it('a text that starts with apostrophes and a formula character comes back as it was', () => {
		for (const t of ["'\n", "''\n", "'=x", "'''-1"]) {
			const r = parseCodebookCsv(codebookCsv([code(A, 'a', null, t)]), 'b.csv');
			expect(r.ok ? r.value.codes[0].definition : r.errors).toBe(t);
		}
	});
});
