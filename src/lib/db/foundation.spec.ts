import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../core/csv';
import { newId } from '../core/ids';
import { suggestMapping } from '../core/cases';
import type { Segment } from '../core/types';
import { GlossDB } from './db';
import {
	addAttribute,
	changeAttributeType,
	createCase,
	deleteAttribute,
	deleteCase,
	importAttributes,
	listAttributes,
	listCases,
	moveAttribute,
	renameAttribute,
	renameCase,
	setCaseValue
} from './cases';
import { addAndSelectCoder, addCoder, getCurrentCoderId, listCoders, renameCoder, setCurrentCoder } from './coders';
import { deleteDocument, importTranscript, listDocuments, moveDocumentToNewCase, renameDocument, setDocumentCase } from './documents';
import { createStudy, loadStudyData } from './studies';

const freshDb = () => new GlossDB('test-' + newId());

async function study(db: GlossDB, name = 'S') {
	const r = await createStudy(db, name);
	if (!r.ok) throw new Error('create failed');
	return r.value.id;
}
function unwrap<T>(r: { ok: true; value: T } | { ok: false; errors: unknown }): T {
	if (!r.ok) throw new Error(JSON.stringify(r.errors));
	return r.value;
}
const seg = (studyId: string, documentId: string, codeId = 'k', coderId = 'c'): Segment => ({
	id: newId(),
	studyId,
	documentId,
	codeId,
	coderId,
	start: 0,
	end: 3,
	memo: '',
	createdAt: 't',
	updatedAt: 't'
});

describe('coders', () => {
	it('adds coders with unique names and remembers the current coder per study', async () => {
		const db = freshDb();
		const s1 = await study(db, 'one');
		const s2 = await study(db, 'two');
		expect(await getCurrentCoderId(db, s1)).toBeNull();
		const ana = unwrap(await addCoder(db, s1, '  Ana  '));
		expect(ana.name).toBe('Ana');
		expect(await addCoder(db, s1, 'ana')).toEqual({ ok: false, errors: ['Coder name: "ana" is already a coder in this study'] });
		expect(await addCoder(db, s1, ' ')).toEqual({ ok: false, errors: ['Coder name: must not be empty'] });
		unwrap(await setCurrentCoder(db, s1, ana.id));
		expect(await getCurrentCoderId(db, s1)).toBe(ana.id);
		expect(await getCurrentCoderId(db, s2)).toBeNull();
		// A coder of another study cannot be current here.
		expect((await setCurrentCoder(db, s2, ana.id)).ok).toBe(false);
		// Adding by an existing name reuses the coder.
		const again = unwrap(await addAndSelectCoder(db, s1, 'ANA'));
		expect(again.id).toBe(ana.id);
		const ben = unwrap(await addAndSelectCoder(db, s1, 'Ben'));
		expect(await getCurrentCoderId(db, s1)).toBe(ben.id);
		expect((await listCoders(db, s1)).map((c) => c.name)).toEqual(['Ana', 'Ben']);
		expect((await renameCoder(db, s1, ben.id, 'ana')).ok).toBe(false);
		expect(unwrap(await renameCoder(db, s1, ben.id, 'Benedikt')).name).toBe('Benedikt');
	});
});

describe('documents', () => {
	it('imports a transcript into the case named after it, reusing an existing case and making names unique', async () => {
		const db = freshDb();
		const s = await study(db);
		const a = unwrap(await importTranscript(db, s, { name: 'C01', text: 'R: hi\n', sourceName: 'C01.txt' }));
		expect(a.caseCreated).toBe(true);
		expect(a.document).toMatchObject({ name: 'C01', caseId: a.case.id, order: 0, sourceName: 'C01.txt' });
		const b = unwrap(await importTranscript(db, s, { name: 'c01', text: 'R: wave 2\n', sourceName: 'c01.docx' }));
		expect(b.caseCreated).toBe(false);
		expect(b.case.id).toBe(a.case.id);
		expect(b.document.name).toBe('c01 (2)');
		expect(b.document.order).toBe(1);
		expect((await listCases(db, s)).length).toBe(1);
		expect((await importTranscript(db, s, { name: 'x', text: ' \n', sourceName: 'x.txt' })).ok).toBe(false);
		expect((await listDocuments(db, s)).length).toBe(2);
	});

	it('renames, moves between cases, and deletes a document with its segments and memos', async () => {
		const db = freshDb();
		const s = await study(db);
		const d1 = unwrap(await importTranscript(db, s, { name: 'One', text: 'abcdef', sourceName: 'One.txt' })).document;
		const d2 = unwrap(await importTranscript(db, s, { name: 'Two', text: 'ghijkl', sourceName: 'Two.txt' })).document;
		expect(await renameDocument(db, s, d1.id, 'two')).toEqual({ ok: false, errors: ['Document name: "two" is already a document in this study'] });
		expect(unwrap(await renameDocument(db, s, d1.id, ' Uno ')).name).toBe('Uno');
		const moved = unwrap(await moveDocumentToNewCase(db, s, d1.id, 'Wave 1 firm'));
		expect(moved.created).toBe(true);
		const two = (await listCases(db, s)).find((c) => c.name === 'Two')!;
		unwrap(await setDocumentCase(db, s, d1.id, two.id));
		expect((await setDocumentCase(db, s, d1.id, 'nope')).ok).toBe(false);

		await db.segments.bulkAdd([seg(s, d1.id), seg(s, d1.id), seg(s, d2.id)]);
		await db.memos.add({ id: 'm', studyId: s, targetType: 'document', targetId: d1.id, title: '', text: 'x', coderId: null, createdAt: 't', updatedAt: 't' });
		expect(unwrap(await deleteDocument(db, s, d1.id))).toEqual({ segments: 2 });
		const data = (await loadStudyData(db, s))!;
		expect(data.documents.map((d) => d.id)).toEqual([d2.id]);
		expect(data.segments.map((x) => x.documentId)).toEqual([d2.id]);
		expect(data.memos).toEqual([]);
	});
});

describe('cases and attributes', () => {
	it('creates, renames and deletes cases, refusing to delete one that still has documents', async () => {
		const db = freshDb();
		const s = await study(db);
		const c = unwrap(await createCase(db, s, 'Firm A'));
		expect((await createCase(db, s, 'firm a')).ok).toBe(false);
		expect(unwrap(await renameCase(db, s, c.id, 'Firm B')).name).toBe('Firm B');
		const d = unwrap(await importTranscript(db, s, { name: 'Firm B', text: 'x', sourceName: 'b.txt' }));
		expect(d.case.id).toBe(c.id);
		expect(await deleteCase(db, s, c.id)).toEqual({ ok: false, errors: ['The case "Firm B" has 1 document; move it to another case first'] });
		const empty = unwrap(await createCase(db, s, 'Empty'));
		unwrap(await deleteCase(db, s, empty.id));
		expect((await listCases(db, s)).map((x) => x.name)).toEqual(['Firm B']);
	});

	it('adds, renames, retypes, reorders and deletes attributes and their values', async () => {
		const db = freshDb();
		const s = await study(db);
		const c = unwrap(await createCase(db, s, 'A'));
		const size = unwrap(await addAttribute(db, s, 'Size', 'category'));
		const wave = unwrap(await addAttribute(db, s, 'Wave', 'text'));
		expect((await addAttribute(db, s, 'size', 'text')).ok).toBe(false);
		unwrap(await setCaseValue(db, s, c.id, wave.id, '2'));
		unwrap(await setCaseValue(db, s, c.id, size.id, 'Large'));
		// Wave "2" can become a number; Size "Large" cannot.
		expect(unwrap(await changeAttributeType(db, s, wave.id, 'number')).type).toBe('number');
		expect((await listCases(db, s))[0].attributes[wave.id]).toBe(2);
		expect(await changeAttributeType(db, s, size.id, 'number')).toEqual({
			ok: false,
			errors: ['Size cannot become a number attribute:', 'A: "Large" is not a number']
		});
		expect(await setCaseValue(db, s, c.id, wave.id, 'three')).toEqual({ ok: false, errors: ['Wave: "three" is not a number'] });
		unwrap(await setCaseValue(db, s, c.id, wave.id, ''));
		expect(wave.id in (await listCases(db, s))[0].attributes).toBe(false);
		unwrap(await renameAttribute(db, s, size.id, 'Firm size'));
		unwrap(await moveAttribute(db, s, wave.id, -1));
		expect((await listAttributes(db, s)).map((a) => a.name)).toEqual(['Wave', 'Firm size']);
		expect(unwrap(await deleteAttribute(db, s, size.id))).toEqual({ values: 1 });
		expect((await listCases(db, s))[0].attributes).toEqual({});
	});

	it('imports attributes from CSV all or nothing', async () => {
		const db = freshDb();
		const s = await study(db);
		unwrap(await createCase(db, s, 'Enterprise C01'));
		const before = await loadStudyData(db, s);

		const bad = parseCsv('case,City,Wave\nEnterprise C01,C,1\nenterprise c01,N,2\nEnterprise Y,S,two\n', 'bad.csv');
		if (!bad.ok) throw new Error('parse');
		const mapping = suggestMapping(bad.value, []);
		// One stray "two" among numbers keeps the guess a number, so the import reports that row.
		expect(mapping.targets[2]).toEqual({ kind: 'new', name: 'Wave', type: 'number' });
		const r = await importAttributes(db, s, bad.value, mapping, 'bad.csv');
		expect(r).toEqual({
			ok: false,
			errors: ['bad.csv: row 3: the case "enterprise c01" is already on row 2', 'bad.csv: row 4: Wave: "two" is not a number (the attribute is a number)']
		});
		expect(await loadStudyData(db, s)).toEqual(before);

		const good = parseCsv('case,City,Wave\nEnterprise C01,C,1\nEnterprise N07,N,2\n', 'good.csv');
		if (!good.ok) throw new Error('parse');
		const plan = unwrap(await importAttributes(db, s, good.value, suggestMapping(good.value, []), 'good.csv'));
		expect(plan.newCases.map((c) => c.name)).toEqual(['Enterprise N07']);
		const attrs = await listAttributes(db, s);
		expect(attrs.map((a) => [a.name, a.type])).toEqual([
			['City', 'category'],
			['Wave', 'number']
		]);
		const cases = await listCases(db, s);
		expect(cases.map((c) => [c.name, c.attributes[attrs[0].id], c.attributes[attrs[1].id]])).toEqual([
			['Enterprise C01', 'C', 1],
			['Enterprise N07', 'N', 2]
		]);
	});

	it('a ragged CSV never reaches the database', () => {
		const r = parseCsv('case,City\nA,C,extra\n', 'ragged.csv');
		expect(r).toEqual({ ok: false, errors: ['ragged.csv: row 2: has 3 cells, the header has 2'] });
	});
});
