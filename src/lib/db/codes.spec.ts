import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildTree, walk } from '../core/codebook';
import { newId } from '../core/ids';
import { segmentCounts } from './segments';
import type { Segment } from '../core/types';
import { GlossDB } from './db';
import { putDocuments } from './documents';
import {
	addChildCode,
	addSiblingCode,
	deleteCodeWithSegments,
	deleteImpact,
	importCodebook,
	listCodes,
	mergeCodeInto,
	moveCodeStep,
	moveCodeTo,
	setCodeFavourite,
	updateCodeFields
} from './codes';
import { createStudy, loadStudyData } from './studies';

const freshDb = () => new GlossDB('test-' + newId());
function unwrap<T>(r: { ok: true; value: T } | { ok: false; errors: unknown }): T {
	if (!r.ok) throw new Error(JSON.stringify(r.errors));
	return r.value;
}
async function setup() {
	const db = freshDb();
	const s = unwrap(await createStudy(db, 'S')).id;
	return { db, s };
}
const outline = async (db: GlossDB, s: string) => walk(buildTree(await listCodes(db, s))).map((w) => '  '.repeat(w.depth) + w.code.name);
const seg = (studyId: string, codeId: string, start = 0, end = 5, coderId = 'ana'): Segment => ({
	id: newId(),
	studyId,
	documentId: 'd',
	codeId,
	coderId,
	start,
	end,
	memo: '',
	createdAt: 't',
	updatedAt: 't'
});

describe('codebook writes', () => {
	it('adds children and siblings, renames and refuses a duplicate sibling name', async () => {
		const { db, s } = await setup();
		const a = unwrap(await addChildCode(db, s, null, { name: 'Motivations' })).code;
		const b = unwrap(await addChildCode(db, s, a.id, { name: 'Economic' })).code;
		unwrap(await addChildCode(db, s, a.id, { name: 'Social' }));
		unwrap(await addSiblingCode(db, s, b.id, { name: 'Policy' }));
		unwrap(await addChildCode(db, s, null, { name: 'Leadership' }));
		expect(await outline(db, s)).toEqual(['Motivations', '  Economic', '  Policy', '  Social', 'Leadership']);
		const dup = await addChildCode(db, s, a.id, { name: 'economic' });
		expect(dup.ok).toBe(false);
		expect(!dup.ok && dup.errors[0]).toMatch(/already exists under "Motivations"/);
		unwrap(await updateCodeFields(db, s, b.id, { name: 'Economic motives', definition: 'Money', colour: '#112233' }));
		const after = (await listCodes(db, s)).find((c) => c.id === b.id)!;
		expect(after).toMatchObject({ name: 'Economic motives', definition: 'Money', colour: '#112233' });
		expect((await updateCodeFields(db, s, b.id, { colour: 'red' })).ok).toBe(false);
	});

	it('sets a number key, unique in the study: the code that had it loses it', async () => {
		const { db, s } = await setup();
		const a = unwrap(await addChildCode(db, s, null, { name: 'A' })).code;
		const b = unwrap(await addChildCode(db, s, null, { name: 'B' })).code;
		unwrap(await setCodeFavourite(db, s, a.id, 2));
		unwrap(await setCodeFavourite(db, s, b.id, 2));
		const keys = async () => new Map((await listCodes(db, s)).map((c) => [c.name, c.favourite ?? null]));
		expect(await keys()).toEqual(new Map([['A', null], ['B', 2]]));
		unwrap(await setCodeFavourite(db, s, b.id, null));
		expect(await keys()).toEqual(new Map([['A', null], ['B', null]]));
		expect((await setCodeFavourite(db, s, a.id, 11)).ok).toBe(false);
	});

	it('moves codes from the keyboard and by drag and drop, refusing to move a code under itself', async () => {
		const { db, s } = await setup();
		const a = unwrap(await addChildCode(db, s, null, { name: 'A' })).code;
		const b = unwrap(await addChildCode(db, s, null, { name: 'B' })).code;
		const c = unwrap(await addChildCode(db, s, null, { name: 'C' })).code;
		unwrap(await moveCodeStep(db, s, c.id, 'up'));
		expect(await outline(db, s)).toEqual(['A', 'C', 'B']);
		unwrap(await moveCodeStep(db, s, c.id, 'indent'));
		expect(await outline(db, s)).toEqual(['A', '  C', 'B']);
		expect((await moveCodeStep(db, s, a.id, 'up')).ok).toBe(false);
		unwrap(await moveCodeTo(db, s, a.id, b.id, 0));
		expect(await outline(db, s)).toEqual(['B', '  A', '    C']);
		expect((await moveCodeTo(db, s, b.id, c.id, 0)).ok).toBe(false);
		unwrap(await moveCodeStep(db, s, c.id, 'outdent'));
		expect(await outline(db, s)).toEqual(['B', '  A', '  C']);
	});

	it('deletes a code with its subcodes, their segments and memos, saying how many first', async () => {
		const { db, s } = await setup();
		const a = unwrap(await addChildCode(db, s, null, { name: 'A' })).code;
		const a1 = unwrap(await addChildCode(db, s, a.id, { name: 'A1' })).code;
		const b = unwrap(await addChildCode(db, s, null, { name: 'B' })).code;
		await db.segments.bulkAdd([seg(s, a.id), seg(s, a1.id), seg(s, a1.id, 6, 9), seg(s, b.id)]);
		await db.memos.add({ id: 'm', studyId: s, targetType: 'code', targetId: a1.id, title: '', text: 'x', coderId: null, createdAt: 't', updatedAt: 't' });
		expect(await deleteImpact(db, s, a.id)).toEqual({ subcodes: 1, segments: 3 });
		expect(unwrap(await deleteCodeWithSegments(db, s, a.id))).toEqual({ codes: 2, segments: 3 });
		const data = (await loadStudyData(db, s))!;
		expect(data.codes.map((c) => c.name)).toEqual(['B']);
		expect(data.codes[0].order).toBe(0);
		expect(data.segments.map((x) => x.codeId)).toEqual([b.id]);
		expect(data.memos).toEqual([]);
	});

	it('merges two codes, moving segments and subcodes and dropping exact duplicates', async () => {
		const { db, s } = await setup();
		const a = unwrap(await addChildCode(db, s, null, { name: 'Cost' })).code;
		const sub = unwrap(await addChildCode(db, s, a.id, { name: 'Energy' })).code;
		const b = unwrap(await addChildCode(db, s, null, { name: 'Costs' })).code;
		await db.segments.bulkAdd([seg(s, a.id, 0, 5), seg(s, a.id, 10, 20), seg(s, b.id, 0, 5), seg(s, sub.id, 30, 40)]);
		expect(unwrap(await mergeCodeInto(db, s, a.id, b.id))).toEqual({ recoded: 1, dropped: 1 });
		expect(await outline(db, s)).toEqual(['Costs', '  Energy']);
		const counts = (await segmentCounts(db, s, 'codeId', null)).all;
		expect(counts.get(b.id)).toBe(2);
		expect(counts.get(sub.id)).toBe(1);
		expect(counts.has(a.id)).toBe(false);
		// Blind coding counts one coder's: Ana has all three, nobody else any; by document, one document.
		expect((await segmentCounts(db, s, 'codeId', 'ana')).shown).toEqual(counts);
		expect((await segmentCounts(db, s, 'codeId', 'bob')).shown.size).toBe(0);
		// by document: counts are kept for the study's documents
		await putDocuments(db, [{ id: 'd', studyId: s, name: 'D', text: 'x'.repeat(50), caseId: null, order: 0, createdAt: '', updatedAt: '' }]);
		expect((await segmentCounts(db, s, 'documentId', null)).all).toEqual(new Map([['d', 3]]));
		expect((await segmentCounts(db, s, 'documentId', 'ana')).all).toEqual(new Map([['d', 3]]));
		expect((await mergeCodeInto(db, s, b.id, sub.id)).ok).toBe(false);
	});

	it('imports a codebook after the existing codes, or nothing when any entry is bad', async () => {
		const { db, s } = await setup();
		unwrap(await addChildCode(db, s, null, { name: 'Mine' }));
		const bad = JSON.stringify({
			format: 'gloss-codebook',
			version: 1,
			name: 'x',
			codes: [{ name: 'Fine', children: [{ definition: 'no name' }] }, { name: 'Mine' }]
		});
		const r = await importCodebook(db, s, bad, 'bad.json');
		expect(r.ok).toBe(false);
		expect(!r.ok && r.errors.join('\n')).toContain('codes[0].children[0].name');
		expect(await outline(db, s)).toEqual(['Mine']);
		const clash = await importCodebook(db, s, JSON.stringify({ format: 'gloss-codebook', version: 1, name: 'x', codes: [{ name: 'mine' }] }), 'c.json');
		expect(!clash.ok && clash.errors).toEqual(['c.json: codes[0].name: the study already has a top-level code named "Mine"']);
		expect((await importCodebook(db, s, '', 'empty.json')).ok).toBe(false);
		expect((await importCodebook(db, s, '{oops', 'broken.json')).ok).toBe(false);
		const good = JSON.stringify({
			format: 'gloss-codebook',
			version: 1,
			name: 'x',
			codes: [{ name: 'Motivations', children: [{ name: 'Economic', definition: 'd' }] }]
		});
		expect(unwrap(await importCodebook(db, s, good, 'good.json')).length).toBe(2);
		expect(await outline(db, s)).toEqual(['Mine', 'Motivations', '  Economic']);
	});

	it('imports the shipped Cleaner Production codebook into an empty study', async () => {
		const { db, s } = await setup();
		const text = readFileSync(fileURLToPath(new URL('../../../codebooks/cleaner-production.json', import.meta.url)), 'utf8');
		const codes = unwrap(await importCodebook(db, s, text, 'cleaner-production.json'));
		expect(codes.length).toBeGreaterThan(30);
		const names = await outline(db, s);
		expect(names.some((n) => n.trim() === 'Production cost reduction')).toBe(true);
		// Importing it twice clashes at the top level and changes nothing.
		const again = await importCodebook(db, s, text, 'cleaner-production.json');
		expect(again.ok).toBe(false);
		expect((await listCodes(db, s)).length).toBe(codes.length);
	});
});
