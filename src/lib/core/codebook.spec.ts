import { describe, expect, it } from 'vitest';
import {
	CODEBOOK_FORMAT,
	MAX_CODEBOOK_BYTES,
	PALETTE,
	addChild,
	addSibling,
	buildTree,
	codePath,
	codePathText,
	codebookCsv,
	codebookSizeError,
	codebookToCodes,
	codesToCodebookJson,
	countSegments,
	deleteCode,
	descendants,
	flatten,
	mergeCodes,
	moveCode,
	moveCodeBy,
	parseCodebook,
	parseCodebookCsv,
	parseCodebookFile,
	updateCode,
	validateCodes,
	type CodebookEntry,
	type SegmentRef
} from './codebook';
import { readFileSync } from 'node:fs';
import { parseCsv } from './csv';
import type { Code, Result } from './types';

const NOW = '2026-01-01T00:00:00.000Z';
const LATER = '2026-02-02T00:00:00.000Z';

function value<T>(r: Result<T>): T {
	if (!r.ok) throw new Error(`expected ok, got: ${r.errors.join('; ')}`);
	return r.value;
}
function errorsOf<T>(r: Result<T>): string[] {
	if (r.ok) throw new Error('expected an error');
	return r.errors;
}

const file = (codes: unknown, extra: Record<string, unknown> = {}) =>
	JSON.stringify({ format: 'gloss-codebook', version: 1, name: 'Test book', description: 'd', codes, ...extra });

const entry = (name: string, children: unknown[] = [], more: Record<string, unknown> = {}) => ({ name, children, ...more });

let counter = 0;
const seqId = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

/** A small study codebook: A (A1, A2 (A2x)), B. */
function sample(): Code[] {
	counter = 0;
	const tree = value(
		parseCodebook(file([entry('A', [entry('A1'), entry('A2', [entry('A2x')])]), entry('B')]), 'book.json')
	).codes;
	return value(codebookToCodes(tree, 'study-1', [], { now: NOW, makeId: seqId }));
}
const byName = (codes: Code[], name: string) => codes.find((c) => c.name === name)!;
/** Apply an edit the way the db layer will: put the upserts, delete the removed ids. */
function apply(codes: Code[], edit: { upserts: Code[]; removedIds: string[] }): Code[] {
	const gone = new Set(edit.removedIds);
	const map = new Map(codes.filter((c) => !gone.has(c.id)).map((c) => [c.id, c]));
	for (const u of edit.upserts) map.set(u.id, u);
	return [...map.values()];
}
const names = (codes: Code[]) => flatten(codes).map((c) => codePathText(codes, c.id));

describe('parseCodebook', () => {
	it('reads a valid codebook with nested codes, ids and colours', () => {
		const text = file([
			entry('Motivations', [entry('Economic', [], { id: '3F2B8C1E-5D4A-4E7F-9A10-2B3C4D5E6F70', colour: '#E69F00' })], {
				definition: 'Why',
				inclusion: 'use',
				exclusion: 'not',
				example: '"We save money."'
			})
		]);
		const book = value(parseCodebook(text, 'cb.json'));
		expect(book.name).toBe('Test book');
		expect(book.description).toBe('d');
		expect(book.codes[0]).toMatchObject({ name: 'Motivations', definition: 'Why', inclusion: 'use', exclusion: 'not' });
		expect(book.codes[0].id).toBeUndefined();
		expect(book.codes[0].children[0]).toMatchObject({
			name: 'Economic',
			id: '3f2b8c1e-5d4a-4e7f-9a10-2b3c4d5e6f70',
			colour: '#e69f00',
			children: []
		});
	});

	it('accepts a byte-order mark, trims names and normalises text fields', () => {
		const book = value(parseCodebook('\ufeff' + file([entry('  Cost  ', [], { definition: 'a\r\nb' })]), 'x'));
		expect(book.codes[0].name).toBe('Cost');
		expect(book.codes[0].definition).toBe('a\nb');
	});

	it('reports every problem with its path, prefixed by the file name', () => {
		const text = file([
			entry('ok'),
			entry('p', []),
			{ definition: 'no name' },
			entry('parent', [entry('fine'), { name: '' }, { name: 7 }, 'text', entry('c', 'nope' as unknown as [])])
		]);
		const errors = errorsOf(parseCodebook(text, 'cb.json'));
		expect(errors).toEqual([
			'cb.json: codes[2].name: missing',
			'cb.json: codes[3].children[1].name: must not be empty',
			'cb.json: codes[3].children[2].name: must be text, found number 7',
			'cb.json: codes[3].children[3]: must be an object, found string "text"',
			'cb.json: codes[3].children[4].children: must be a list, found string "nope"'
		]);
	});

	it('rejects duplicate sibling names case-insensitively, but allows the same name under different parents', () => {
		const errors = errorsOf(
			parseCodebook(file([entry('Training', [entry('Cost')]), entry('Other', [entry('Cost')]), entry('training ')]), 'f')
		);
		expect(errors).toEqual(['f: codes[2].name: "training" is used twice among sibling codes (also at codes[0])']);
	});

	it('rejects malformed and duplicate ids, bad colours and wrong field types', () => {
		const id = '3f2b8c1e-5d4a-4e7f-9a10-2b3c4d5e6f70';
		const errors = errorsOf(
			parseCodebook(
				file([
					entry('a', [], { id }),
					entry('b', [entry('c', [], { id: id.toUpperCase() })]),
					entry('d', [], { id: 'not-a-guid', colour: 'red', definition: 3 })
				]),
				'f'
			)
		);
		expect(errors).toEqual([
			`f: codes[1].children[0].id: duplicate id "${id}" (also at codes[0])`,
			'f: codes[2].definition: must be text, found number 3',
			'f: codes[2].id: must be a GUID such as "3f2b8c1e-5d4a-4e7f-9a10-2b3c4d5e6f70", found string "not-a-guid"',
			'f: codes[2].colour: must be a colour written #rrggbb, found string "red"'
		]);
	});

	it('gives a clear message for bad JSON, an empty file, a wrong format or version, and a missing name or code list', () => {
		expect(errorsOf(parseCodebook('{"format": "gloss-codebook",', 'a.json'))[0]).toMatch(/^a\.json: not valid JSON \(/);
		expect(errorsOf(parseCodebook('  \n', 'a.json'))).toEqual(['a.json: the file is empty']);
		expect(errorsOf(parseCodebook('[1,2]', 'a.json'))[0]).toMatch(/^a\.json: not a Gloss codebook .*found a list/);
		expect(errorsOf(parseCodebook(JSON.stringify({ format: 'refi', version: 1 }), 'a.json'))).toEqual([
			'a.json: format: expected "gloss-codebook", found "refi"'
		]);
		expect(errorsOf(parseCodebook(JSON.stringify({ format: 'gloss-study', version: 2 }), 'a.json'))[0]).toContain(
			'study backup'
		);
		expect(errorsOf(parseCodebook(file([], { version: 2 }), 'a.json'))).toEqual([
			'a.json: version: this Gloss reads codebook version 1, found 2 (written by a newer Gloss)'
		]);
		expect(errorsOf(parseCodebook(file([], { version: '1' }), 'a.json'))).toEqual([
			'a.json: version: this Gloss reads codebook version 1, found "1"'
		]);
		expect(errorsOf(parseCodebook(JSON.stringify({ format: CODEBOOK_FORMAT, version: 1 }), 'a.json'))).toEqual([
			'a.json: codebook.name: missing',
			'a.json: codes: missing'
		]);
		expect(errorsOf(parseCodebook(file({}, { name: ' ' }), 'a.json'))).toEqual([
			'a.json: codebook.name: must not be empty',
			'a.json: codes: must be a list, found an object'
		]);
	});

	it('refuses a file that is too large, and says so before reading one', () => {
		const big = file([entry('a', [], { definition: 'x'.repeat(MAX_CODEBOOK_BYTES) })]);
		expect(errorsOf(parseCodebook(big, 'big.json'))).toEqual([
			expect.stringMatching(/^big\.json: the file is too large \(5\.0 MB\); a codebook file may be at most 5 MB$/)
		]);
		expect(codebookSizeError(50 * 1024 * 1024, 'huge.json')).toBe(
			'huge.json: the file is too large (50.0 MB); a codebook file may be at most 5 MB'
		);
		expect(codebookSizeError(1000, 'small.json')).toBeNull();
	});

	it('refuses codes nested too deep, long names and names with line breaks', () => {
		let deep: unknown = entry('leaf');
		for (let i = 0; i < 13; i++) deep = entry(`level ${i}`, [deep]);
		expect(errorsOf(parseCodebook(file([deep]), 'f'))[0]).toMatch(/children: codes are nested more than 12 levels deep$/);
		expect(errorsOf(parseCodebook(file([entry('x'.repeat(201)), entry('a\nb')]), 'f'))).toEqual([
			'f: codes[0].name: is too long (201 characters; at most 200)',
			'f: codes[1].name: must be one line'
		]);
	});

	it('lists at most 50 problems and counts the rest', () => {
		const errors = errorsOf(parseCodebook(file(Array.from({ length: 60 }, () => ({}))), 'f'));
		expect(errors).toHaveLength(51);
		expect(errors[50]).toBe('f: … and 10 more problems');
	});
});

describe('codebookToCodes', () => {
	it('flattens the tree with parents, sibling order, fresh ids and palette colours in codebook order', () => {
		const codes = sample();
		expect(codes.map((c) => [c.name, c.parentId && byName(codes, c.name).parentId, c.order])).toHaveLength(5);
		const a = byName(codes, 'A');
		expect(a).toMatchObject({ parentId: null, order: 0, studyId: 'study-1', createdAt: NOW, colour: PALETTE[0] });
		expect(byName(codes, 'A1')).toMatchObject({ parentId: a.id, order: 0, colour: PALETTE[1] });
		expect(byName(codes, 'A2')).toMatchObject({ parentId: a.id, order: 1, colour: PALETTE[2] });
		expect(byName(codes, 'A2x')).toMatchObject({ parentId: byName(codes, 'A2').id, order: 0, colour: PALETTE[3] });
		expect(byName(codes, 'B')).toMatchObject({ parentId: null, order: 1, colour: PALETTE[4] });
		expect(new Set(codes.map((c) => c.id)).size).toBe(5);
	});

	it('keeps given ids and colours and makes real GUIDs by default', () => {
		const id = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
		const tree = value(parseCodebook(file([entry('X', [], { id, colour: '#123456' }), entry('Y')]), 'f')).codes;
		const codes = value(codebookToCodes(tree, 's'));
		expect(codes[0]).toMatchObject({ id, colour: '#123456' });
		expect(codes[1].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(codes[1].colour).toBe(PALETTE[1]);
	});

	it('appends to a study that has codes, continuing orders and colours, and refuses clashes', () => {
		const existing = sample();
		const tree = value(parseCodebook(file([entry('C')]), 'f')).codes;
		const added = value(codebookToCodes(tree, 'study-1', existing, { now: NOW, makeId: () => 'new-c' }));
		expect(added).toEqual([expect.objectContaining({ id: 'new-c', parentId: null, order: 2, colour: PALETTE[5] })]);
		const clash: CodebookEntry[] = [
			{ id: existing[0].id, name: 'a', definition: '', inclusion: '', exclusion: '', example: '', children: [] }
		];
		expect(errorsOf(codebookToCodes(clash, 'study-1', existing))).toEqual([
			'codes[0].id: the study already has a code with this id ("A")',
			'codes[0].name: the study already has a top-level code named "A"'
		]);
	});

	it('wraps the palette after its last colour', () => {
		const tree = value(parseCodebook(file(Array.from({ length: PALETTE.length + 2 }, (_, i) => entry(`c${i}`))), 'f')).codes;
		const codes = value(codebookToCodes(tree, 's'));
		expect(codes[PALETTE.length].colour).toBe(PALETTE[0]);
		expect(codes[PALETTE.length + 1].colour).toBe(PALETTE[1]);
	});
});

describe('export', () => {
	it('writes a codebook file that reads back to the same codes', () => {
		const codes = sample();
		const json = codesToCodebookJson(codes, 'Mine', 'About it');
		const back = value(parseCodebook(json, 'mine.json'));
		expect(back.name).toBe('Mine');
		expect(back.description).toBe('About it');
		expect(JSON.parse(json)).toMatchObject({ format: 'gloss-codebook', version: 1 });
		const again = value(codebookToCodes(back.codes, 'study-1', [], { now: NOW }));
		expect(again).toEqual(codes);
	});

	it('writes CSV with one row per code, its path, level and parent', () => {
		const codes = sample();
		const a2 = byName(codes, 'A2');
		const withText = codes.map((c) => (c.id === a2.id ? { ...c, definition: 'has, comma', example: '=SUM(1)' } : c));
		const csv = codebookCsv(withText);
		const parsed = parseCsv(csv);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		const rows = parsed.value.rows;
		expect(parsed.value.header).toEqual([
			'code_id',
			'path',
			'name',
			'parent_id',
			'level',
			'definition',
			'inclusion',
			'exclusion',
			'example',
			'colour'
		]);
		expect(rows.map((r) => r[1])).toEqual(['A', 'A > A1', 'A > A2', 'A > A2 > A2x', 'B']);
		expect(rows[2]).toEqual([a2.id, 'A > A2', 'A2', byName(codes, 'A').id, '2', 'has, comma', '', '', "'=SUM(1)", a2.colour]);
		expect(rows[0][3]).toBe('');
		expect(rows[3][4]).toBe('3');
		expect(codebookCsv(codes, { bom: true }).startsWith('\ufeffcode_id,')).toBe(true);
	});
});

describe('codebook CSV import', () => {
	const strip = (c: Code) => ({ ...c, createdAt: '', updatedAt: '' });

	it("re-imports Gloss's own CSV export to the same tree, ids, fields and colours", () => {
		const codes = sample().map((c) =>
			c.name === 'A2' ? { ...c, definition: 'has, comma\nand a line', example: '=SUM(1)', exclusion: '- not this', colour: '#123abc' } : c
		);
		const csv = codebookCsv(codes, { bom: true });
		const book = value(parseCodebookFile(csv, 'book.csv'));
		expect(book.name).toBe('book');
		const again = value(codebookToCodes(book.codes, 'study-1', [], { now: NOW }));
		expect(again.map(strip)).toEqual(codes.map(strip));
		// Into a study that has them already: refused by row, nothing written.
		expect(errorsOf(codebookToCodes(book.codes, 'study-1', codes))).toContain(
			`row 2: code_id: the study already has a code with this id ("A")`
		);
	});

	it('reads the cleaner production codebook back from its CSV export', () => {
		const book = value(parseCodebook(readFileSync(new URL('../../../codebooks/cleaner-production.json', import.meta.url), 'utf8'), 'cp'));
		const codes = value(codebookToCodes(book.codes, 's', [], { now: NOW }));
		const again = value(codebookToCodes(value(parseCodebookCsv(codebookCsv(codes), 'cp.csv')).codes, 's', [], { now: NOW }));
		expect(again).toEqual(codes);
	});

	it('reads a hand-made sheet by paths, by levels, or flat, with any column order and case', () => {
		const byPath = value(parseCodebookCsv('Path,Definition\nMotives,why\nMotives > Cost,money\nMotives > Cost > Energy,\nBarriers,\n', 'p.csv'));
		const shape = (l: CodebookEntry[]): unknown[] => l.map((e) => (e.children.length ? [e.name, shape(e.children)] : e.name));
		expect(shape(byPath.codes)).toEqual([['Motives', [['Cost', ['Energy']]]], 'Barriers']);
		expect(byPath.codes[0].definition).toBe('why');
		const byLevel = value(parseCodebookCsv('level,name\n1,Motives\n2,Cost\n3,Energy\n2,Policy\n1,Barriers\n', 'l.csv'));
		expect(shape(byLevel.codes)).toEqual([['Motives', [['Cost', ['Energy']], 'Policy']], 'Barriers']);
		const flat = value(parseCodebookCsv('name,colour\nA,#E69F00\nB,\n', 'f.csv'));
		expect(flat.codes.map((e) => [e.name, e.colour])).toEqual([
			['A', '#e69f00'],
			['B', undefined]
		]);
		const ids = value(parseCodebookCsv('id,parent,name\n1,,Top\n2,1,Child\n', 'i.csv'));
		expect(shape(ids.codes)).toEqual([['Top', ['Child']]]);
		// "1" and "2" only link the rows: the codes get GUIDs when they are made.
		expect(ids.codes[0].id).toBeUndefined();
	});

	it('lists every problem by row number, and writes nothing', () => {
		const text = [
			'code_id,name,parent_id,level,colour',
			'x1,Motives,,1,#e69f00',
			'x2,,x1,2,',
			'x3,Cost,x9,2,',
			'x4,cost,x1,2,red',
			'x5,Cost,x1,2,',
			'x6,Later,x7,2,',
			'x7,Top,,1,',
			'x1,Again,,1,',
			'x8,Deep,x7,3,'
		].join('\n');
		expect(errorsOf(parseCodebookCsv(text, 'book.csv'))).toEqual([
			'book.csv: row 3: name: missing',
			'book.csv: row 4: parent_id: no row has the code_id "x9"',
			'book.csv: row 5: colour: must be a colour written #rrggbb, found "red"',
			'book.csv: row 6: name: "Cost" is used twice among sibling codes (also on row 5)',
			'book.csv: row 7: parent_id: the parent "x7" must come on an earlier row',
			'book.csv: row 9: code_id: "x1" is used twice (also on row 2)',
			"book.csv: row 10: level: is 3, but the code's parent puts it at level 2"
		]);
		expect(errorsOf(parseCodebookCsv('level,name\n2,A\n', 'l.csv'))).toEqual([
			'l.csv: row 2: level: 2 comes after no code; a code can be at most one level below the row above it'
		]);
		expect(errorsOf(parseCodebookCsv('path\nA > B\n', 'p.csv'))).toEqual(['p.csv: row 2: path: no earlier row is the code "A"']);
		expect(errorsOf(parseCodebookCsv('code,definition\nA,x\n', 'h.csv'))[0]).toMatch(/^h\.csv: row 1: no "name" or "path" column/);
		expect(errorsOf(parseCodebookCsv('name\n', 'e.csv'))).toEqual(['e.csv: the file has a header but no codes']);
		expect(errorsOf(parseCodebookCsv('name,definition\nA,x,y\n', 'r.csv'))).toEqual(['r.csv: row 2: has 3 cells, the header has 2']);
	});
});

describe('reading the tree', () => {
	it('builds the tree and flattens it in display order regardless of input order', () => {
		const codes = sample().reverse();
		const tree = buildTree(codes);
		expect(tree.map((n) => n.code.name)).toEqual(['A', 'B']);
		expect(tree[0].children[1].children[0]).toMatchObject({ depth: 2, code: expect.objectContaining({ name: 'A2x' }) });
		expect(flatten(codes).map((c) => c.name)).toEqual(['A', 'A1', 'A2', 'A2x', 'B']);
	});

	it('never loses a code whose parent is missing or that sits in a cycle', () => {
		const codes = sample();
		const a = byName(codes, 'A');
		const broken = codes.map((c) => (c.id === a.id ? { ...c, parentId: byName(codes, 'A2x').id } : c));
		expect(flatten(broken)).toHaveLength(5);
		expect(validateCodes(broken)).toContain('code "A": it is its own ancestor');
		const orphan = codes.map((c) => (c.name === 'B' ? { ...c, parentId: 'gone' } : c));
		expect(flatten(orphan).map((c) => c.name)).toContain('B');
		expect(validateCodes(orphan)).toEqual(['code "B": its parent gone does not exist']);
	});

	it('gives a code path and descendants', () => {
		const codes = sample();
		expect(codePath(codes, byName(codes, 'A2x').id)).toEqual(['A', 'A2', 'A2x']);
		expect(codePathText(codes, byName(codes, 'A2x').id)).toBe('A > A2 > A2x');
		expect(codePath(codes, 'nope')).toEqual([]);
		expect(descendants(codes, byName(codes, 'A').id)).toEqual(['A1', 'A2', 'A2x'].map((n) => byName(codes, n).id));
		expect(descendants(codes, byName(codes, 'B').id)).toEqual([]);
	});

	it('validates duplicate ids, sibling names and colours', () => {
		const codes = sample();
		expect(validateCodes(codes)).toEqual([]);
		const dup = [...codes, { ...byName(codes, 'A1'), name: 'a2' }];
		expect(validateCodes(dup)).toEqual([
			`code "a2": duplicate id "${byName(codes, 'A1').id}"`,
			expect.stringMatching(/^under "A": "(A2|a2)" and "(A2|a2)" are the same name$/)
		]);
		expect(validateCodes([{ ...codes[0], colour: 'blue' }])).toEqual(['code "A": colour must be #rrggbb, found "blue"']);
	});
});

describe('editing', () => {
	it('adds a child at the end of its parent and a top-level code', () => {
		const codes = sample();
		const a = byName(codes, 'A');
		const r = value(addChild(codes, a.id, { name: ' A3 ', definition: 'd' }, { studyId: 'study-1', id: 'a3', now: LATER }));
		expect(r.code).toMatchObject({ id: 'a3', name: 'A3', parentId: a.id, order: 2, definition: 'd', createdAt: LATER });
		expect(r.upserts).toEqual([r.code]);
		const top = value(addChild(codes, null, { name: 'C', colour: '#ABCDEF' }, { studyId: 'study-1' }));
		expect(top.code).toMatchObject({ parentId: null, order: 2, colour: '#abcdef' });
	});

	it('refuses a duplicate sibling name (any case), an empty name, a bad colour and a missing parent', () => {
		const codes = sample();
		const a = byName(codes, 'A');
		expect(errorsOf(addChild(codes, a.id, { name: 'a1' }, { studyId: 's' }))).toEqual([
			'A code named "A1" already exists under "A". Sibling codes need different names.'
		]);
		expect(errorsOf(addChild(codes, null, { name: 'b' }, { studyId: 's' }))).toEqual([
			'A code named "B" already exists at the top level. Sibling codes need different names.'
		]);
		expect(errorsOf(addChild(codes, a.id, { name: '  ' }, { studyId: 's' }))).toEqual(['The code name must not be empty.']);
		expect(errorsOf(addChild(codes, a.id, { name: 'ok', colour: 'red' }, { studyId: 's' }))).toEqual([
			'The colour must be written #rrggbb, found "red".'
		]);
		expect(errorsOf(addChild(codes, 'gone', { name: 'ok' }, { studyId: 's' }))).toEqual(['The parent code no longer exists.']);
		// The same name under a different parent is fine.
		expect(addChild(codes, byName(codes, 'B').id, { name: 'A1' }, { studyId: 's' }).ok).toBe(true);
	});

	it('refuses to edit a codebook that is already broken', () => {
		const codes = [...sample(), { ...sample()[1] }];
		expect(errorsOf(addChild(codes, null, { name: 'new' }, { studyId: 's' }))[0]).toBe('The codebook has problems to fix first:');
	});

	it('adds a sibling right after a code and moves later siblings down', () => {
		const codes = sample();
		const r = value(addSibling(codes, byName(codes, 'A1').id, { name: 'A1b' }, { studyId: 'study-1', id: 'a1b', now: LATER }));
		const after = apply(codes, r);
		expect(names(after)).toEqual(['A', 'A > A1', 'A > A1b', 'A > A2', 'A > A2 > A2x', 'B']);
		expect(r.upserts.map((c) => [c.name, c.order])).toEqual([
			['A1b', 1],
			['A2', 2]
		]);
		expect(errorsOf(addSibling(codes, byName(codes, 'A1').id, { name: 'A2' }, { studyId: 's' }))[0]).toMatch(/already exists/);
		expect(errorsOf(addSibling(codes, 'gone', { name: 'x' }, { studyId: 's' }))).toEqual([
			'The code to add a sibling to no longer exists.'
		]);
	});

	it('renames and edits fields, checking the name among siblings but not against itself', () => {
		const codes = sample();
		const a1 = byName(codes, 'A1');
		const r = value(updateCode(codes, a1.id, { name: 'a1', definition: 'new def', colour: '#FFFFFF' }, LATER));
		expect(r.code).toMatchObject({ name: 'a1', definition: 'new def', colour: '#ffffff', updatedAt: LATER, order: 0 });
		expect(errorsOf(updateCode(codes, a1.id, { name: 'A2' }))[0]).toMatch(/A code named "A2" already exists under "A"/);
		expect(errorsOf(updateCode(codes, a1.id, { colour: '#12' }))).toEqual(['The colour must be written #rrggbb, found "#12".']);
		expect(errorsOf(updateCode(codes, 'gone', { name: 'x' }))).toEqual(['The code no longer exists.']);
	});

	it('moves a code to another parent at a position and renumbers both sibling lists', () => {
		const codes = sample();
		const r = value(moveCode(codes, byName(codes, 'A1').id, byName(codes, 'A2').id, 0, LATER));
		const after = apply(codes, r);
		expect(names(after)).toEqual(['A', 'A > A2', 'A > A2 > A1', 'A > A2 > A2x', 'B']);
		expect(validateCodes(after)).toEqual([]);
		expect(byName(after, 'A2').order).toBe(0);
		expect(byName(after, 'A2x').order).toBe(1);
		expect(r.upserts.every((c) => c.updatedAt === LATER)).toBe(true);
		// Only changed rows are returned.
		expect(r.upserts.map((c) => c.name).sort()).toEqual(['A1', 'A2', 'A2x']);
	});

	it('reorders within the same parent and to the top level, clamping the index', () => {
		const codes = sample();
		const after = apply(codes, value(moveCode(codes, byName(codes, 'B').id, null, 0)));
		expect(flatten(after).map((c) => c.name)).toEqual(['B', 'A', 'A1', 'A2', 'A2x']);
		const out = apply(codes, value(moveCode(codes, byName(codes, 'A2x').id, null, 99)));
		expect(names(out)).toEqual(['A', 'A > A1', 'A > A2', 'B', 'A2x']);
		expect(byName(out, 'A2x').order).toBe(2);
	});

	it('refuses to move a code under itself, under its own subcode, or next to a sibling of the same name', () => {
		const codes = sample();
		const a = byName(codes, 'A');
		expect(errorsOf(moveCode(codes, a.id, a.id, 0))).toEqual(['"A" cannot be moved under itself.']);
		expect(errorsOf(moveCode(codes, a.id, byName(codes, 'A2x').id, 0))).toEqual([
			'"A" cannot be moved under one of its own subcodes.'
		]);
		const withB1 = apply(codes, value(addChild(codes, byName(codes, 'B').id, { name: 'a1' }, { studyId: 's' })));
		expect(errorsOf(moveCode(withB1, byName(withB1, 'A1').id, byName(withB1, 'B').id, 0))[0]).toMatch(
			/A code named "a1" already exists under "B"/
		);
		expect(errorsOf(moveCode(codes, 'gone', null, 0))).toEqual(['The code to move no longer exists.']);
	});

	it('moves from the keyboard: up, down, indent, outdent, with a reason at the edges', () => {
		const codes = sample();
		const a2 = byName(codes, 'A2').id;
		expect(names(apply(codes, value(moveCodeBy(codes, a2, 'up'))))).toEqual(['A', 'A > A2', 'A > A2 > A2x', 'A > A1', 'B']);
		expect(names(apply(codes, value(moveCodeBy(codes, byName(codes, 'A1').id, 'down'))))[1]).toBe('A > A2');
		expect(names(apply(codes, value(moveCodeBy(codes, a2, 'indent'))))).toEqual(['A', 'A > A1', 'A > A1 > A2', 'A > A1 > A2 > A2x', 'B']);
		expect(names(apply(codes, value(moveCodeBy(codes, a2, 'outdent'))))).toEqual(['A', 'A > A1', 'A2', 'A2 > A2x', 'B']);
		expect(errorsOf(moveCodeBy(codes, byName(codes, 'A').id, 'up'))).toEqual(['"A" is already first.']);
		expect(errorsOf(moveCodeBy(codes, byName(codes, 'B').id, 'down'))).toEqual(['"B" is already last.']);
		expect(errorsOf(moveCodeBy(codes, byName(codes, 'A1').id, 'indent'))).toEqual(['"A1" has no code above it to go under.']);
		expect(errorsOf(moveCodeBy(codes, byName(codes, 'B').id, 'outdent'))).toEqual(['"B" is already at the top level.']);
	});

	it('merges two codes: recodes segments, drops exact duplicates, moves subcodes, removes the source', () => {
		const codes = sample();
		const a2 = byName(codes, 'A2').id;
		const b = byName(codes, 'B').id;
		const segs: SegmentRef[] = [
			{ id: 's1', codeId: a2, documentId: 'd', coderId: 'k', start: 0, end: 5 },
			{ id: 's2', codeId: a2, documentId: 'd', coderId: 'k', start: 10, end: 15 },
			{ id: 's3', codeId: b, documentId: 'd', coderId: 'k', start: 10, end: 15 },
			{ id: 's4', codeId: a2, documentId: 'd', coderId: 'other', start: 10, end: 15 },
			{ id: 's5', codeId: 'x', documentId: 'd', coderId: 'k', start: 0, end: 5 }
		];
		const r = value(mergeCodes(codes, segs, a2, b, LATER));
		expect(r.removedIds).toEqual([a2]);
		expect(r.recodeSegmentIds).toEqual(['s1', 's4']);
		expect(r.dropSegmentIds).toEqual(['s2']);
		const after = apply(codes, r);
		expect(names(after)).toEqual(['A', 'A > A1', 'B', 'B > A2x']);
		expect(validateCodes(after)).toEqual([]);
	});

	it('merges a subcode into its parent, and refuses merging into itself, into a subcode, or with clashing subcode names', () => {
		const codes = sample();
		const a = byName(codes, 'A').id;
		const a2 = byName(codes, 'A2').id;
		const r = value(mergeCodes(codes, [], a2, a));
		expect(names(apply(codes, r))).toEqual(['A', 'A > A1', 'A > A2x', 'B']);
		expect(errorsOf(mergeCodes(codes, [], a, a))).toEqual(['A code cannot be merged into itself.']);
		expect(errorsOf(mergeCodes(codes, [], a, a2))).toEqual(['"A" cannot be merged into its own subcode "A2".']);
		const withClash = apply(codes, value(addChild(codes, byName(codes, 'B').id, { name: 'a2X' }, { studyId: 's' })));
		expect(errorsOf(mergeCodes(withClash, [], a2, byName(withClash, 'B').id))[0]).toMatch(
			/^The subcode "A2x" cannot move under "B": A code named "a2X" already exists under "B"/
		);
	});

	it('deletes a code with its subcodes, renumbers the rest, and counts the segments that go with them', () => {
		const codes = sample();
		const a = byName(codes, 'A').id;
		const r = value(deleteCode(codes, a, LATER));
		expect(r.removedIds).toEqual([a, ...descendants(codes, a)]);
		expect(r.removedIds).toHaveLength(4);
		const after = apply(codes, r);
		expect(after.map((c) => [c.name, c.order])).toEqual([['B', 0]]);
		const segs = [{ codeId: byName(codes, 'A2x').id }, { codeId: a }, { codeId: byName(codes, 'B').id }];
		expect(countSegments(segs, r.removedIds)).toBe(2);
		expect(errorsOf(deleteCode(codes, 'gone'))).toEqual(['The code to delete no longer exists.']);
	});
});

describe('codebooks/cleaner-production.json', () => {
	const book = value(parseCodebook(readFileSync(new URL('../../../codebooks/cleaner-production.json', import.meta.url), 'utf8'), 'cp'));
	const codes = value(codebookToCodes(book.codes, 's', [], { now: NOW }));

	it('is a valid codebook whose codes all have stable GUIDs, a definition, criteria and an example', () => {
		expect(codes).toHaveLength(41);
		expect(validateCodes(codes)).toEqual([]);
		const walkAll = (list: CodebookEntry[]): CodebookEntry[] => list.flatMap((e) => [e, ...walkAll(e.children)]);
		for (const e of walkAll(book.codes)) {
			expect(e.id, e.name).toMatch(/^cb0c0de0-0000-4000-8000-000000000\d{3}$/);
			for (const field of ['definition', 'inclusion', 'exclusion', 'example'] as const) expect(e[field].length, `${e.name}.${field}`).toBeGreaterThan(15);
		}
	});

	it('holds the codes issue 2 lists, in the researcher\'s words', () => {
		const paths = flatten(codes).map((c) => codePathText(codes, c.id));
		expect(buildTree(codes).map((n) => n.code.name)).toEqual([
			'Motivations for adopting CP measures',
			'Leadership commitment',
			'Preexisting technology renovation plans',
			'External technical support',
			'Internal factors',
			'City-level CP actions received',
			'Response to the CP audit requirement',
			'Pollution control approach'
		]);
		for (const p of [
			'Motivations for adopting CP measures > Economic motivations > Production cost reduction',
			'Motivations for adopting CP measures > Economic motivations > Abatement cost reductions',
			'Motivations for adopting CP measures > Environmental policy pressure > Energy and water conservation requirements',
			"Motivations for adopting CP measures > Social and individual motivations > Residents' complaints",
			'Internal factors > Sectoral characteristics',
			'City-level CP actions received > Financial incentives',
			'Response to the CP audit requirement > (A) Report written without an audit study',
			'Response to the CP audit requirement > (B) Audit study conducted genuinely > (B1) CP measures implemented after the audit > (B1-b) CP audit continued on own initiative',
			'Response to the CP audit requirement > (B) Audit study conducted genuinely > (B2) No CP measures adopted after the audit',
			'Response to the CP audit requirement > Token compliance',
			'Response to the CP audit requirement > Integrating CP into later decisions > CP audit components integrated into decision making',
			'Pollution control approach > End-of-pipe treatment'
		])
			expect(paths).toContain(p);
	});
});
