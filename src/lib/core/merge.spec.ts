import { describe, expect, it } from 'vitest';
import { fixture } from './agreement/fixture';
import { describeMerge, mergeStudy } from './merge';
import type { Segment, StudyData } from './types';

const T = '2026-02-01T00:00:00.000Z';
let counter = 0;
const ids = () => `new-${++counter}`;

function master(): StudyData {
	const d = fixture({
		docs: ['First transcript text.', 'Second transcript text.'],
		codes: [
			['care', 'Care'],
			['fam', 'Family', 'care']
		],
		coders: ['Ana'],
		segments: [
			[0, 'care', 'Ana', 0, 5],
			[1, 'fam', 'Ana', 7, 17]
		]
	});
	d.attributes = [{ id: 'attr-age', studyId: 'study', name: 'Age', type: 'number', order: 0 }];
	d.cases = [{ id: 'case-1', studyId: 'study', name: 'P01', attributes: { 'attr-age': 40 }, createdAt: T, updatedAt: T }];
	d.documents[0].caseId = 'case-1';
	return d;
}

/** A coder's copy: made from the master's backup, then coded by Ben. */
function bensCopy(): StudyData {
	const d = structuredClone(master());
	d.study.id = 'bens-copy';
	d.coders.push({ id: 'coder-Ben', studyId: 'bens-copy', name: 'Ben', createdAt: T });
	d.codes.push({ ...d.codes[0], id: 'work', name: 'Work', parentId: null, order: 1 });
	const seg = (id: string, documentId: string, codeId: string, start: number, end: number): Segment => ({
		id,
		studyId: 'bens-copy',
		documentId,
		codeId,
		coderId: 'coder-Ben',
		start,
		end,
		memo: '',
		createdAt: T,
		updatedAt: T
	});
	d.segments.push(seg('b1', 'doc0', 'care', 0, 6), seg('b2', 'doc1', 'work', 0, 6), seg('b3', 'doc1', 'fam', 7, 17));
	return d;
}

describe('mergeStudy', () => {
	it('brings in a second coder’s segments, codes and coder row, and reports the counts', () => {
		const { data, report } = mergeStudy(master(), bensCopy(), { newId: ids });
		expect(report.coders).toEqual({ matched: 1, added: 1 });
		expect(report.documents).toEqual({ matched: 2, added: 0 });
		expect(report.codes).toEqual({ matched: 2, added: 1 });
		expect(report.segments).toEqual({ added: 3, duplicates: 2, skipped: 0 });
		expect(report.conflicts).toEqual([]);
		expect(data.coders.map((c) => c.name)).toEqual(['Ana', 'Ben']);
		const ben = data.coders.find((c) => c.name === 'Ben')!;
		expect(data.segments.filter((s) => s.coderId === ben.id).map((s) => [s.documentId, s.codeId, s.start, s.end])).toEqual([
			['doc0', 'care', 0, 6],
			['doc1', 'work', 0, 6],
			['doc1', 'fam', 7, 17]
		]);
		expect(data.segments.every((s) => s.studyId === 'study')).toBe(true);
		expect(data.codes.find((c) => c.id === 'work')).toMatchObject({ studyId: 'study', parentId: null });
		expect(describeMerge(report)).toMatch(/Added 3 segments, 1 coder, 1 code\./);
	});

	it('importing the same file twice adds nothing', () => {
		const once = mergeStudy(master(), bensCopy(), { newId: ids }).data;
		const twice = mergeStudy(once, bensCopy(), { newId: ids });
		expect(twice.report.unchanged).toBe(true);
		expect(twice.report.segments).toEqual({ added: 0, duplicates: 5, skipped: 0 });
		expect(twice.data).toEqual(once);
		expect(describeMerge(twice.report)).toMatch(/Nothing new/);
	});

	it('brings in memos on passages with their passage (same document text, so the same offsets), once', () => {
		const copy = bensCopy();
		const memo = (id: string, start: number, end: number) => ({ id, studyId: 'bens-copy', targetType: 'document' as const, targetId: 'doc1', title: '', text: 'Note on this', coderId: 'coder-Ben', start, end, createdAt: T, updatedAt: T });
		copy.documents[1].id = 'other-id-same-text';
		copy.segments = copy.segments.map((s) => (s.documentId === 'doc1' ? { ...s, documentId: 'other-id-same-text' } : s));
		copy.memos.push({ ...memo('pm1', 0, 6), targetId: 'other-id-same-text' }, { ...memo('pm2', 7, 17), targetId: 'other-id-same-text' });
		const once = mergeStudy(master(), copy, { newId: ids });
		expect(once.report.memos).toEqual({ added: 2, duplicates: 0 });
		expect(once.data.memos.map((m) => [m.targetId, m.start, m.end, m.text])).toEqual([
			['doc1', 0, 6, 'Note on this'],
			['doc1', 7, 17, 'Note on this']
		]);
		const twice = mergeStudy(once.data, copy, { newId: ids });
		expect(twice.report.memos).toEqual({ added: 0, duplicates: 2 });
	});

	it('matches documents by identical text and codes by path when the ids differ; coders by name', () => {
		const inc = fixture({
			docs: ['Second transcript text.'],
			codes: [
				['other-care-guid', 'Care'],
				['other-fam-guid', 'Family', 'other-care-guid']
			],
			coders: ['Ana'],
			segments: [[0, 'other-fam-guid', 'Ana', 0, 6]]
		});
		for (const d of inc.documents) d.id = 'another-doc-id';
		for (const s of inc.segments) s.documentId = 'another-doc-id';
		inc.coders[0].id = 'ana-elsewhere';
		inc.segments[0].coderId = 'ana-elsewhere';
		const { data, report } = mergeStudy(master(), inc, { newId: ids });
		expect(report.documents).toEqual({ matched: 1, added: 0 });
		expect(report.codes).toEqual({ matched: 2, added: 0 });
		expect(report.coders).toEqual({ matched: 1, added: 0 });
		expect(data.segments.at(-1)).toMatchObject({ documentId: 'doc1', codeId: 'fam', coderId: 'coder-Ana', start: 0, end: 6 });
	});

	it('lists conflicts: a document id with a different text, a code GUID with a different name or place', () => {
		const inc = bensCopy();
		inc.documents[1].text = 'Second transcript, edited by Ben.';
		inc.codes.find((c) => c.id === 'fam')!.name = 'Kin';
		inc.codes.find((c) => c.id === 'care')!.parentId = 'work';
		const { data, report } = mergeStudy(master(), inc, { newId: ids });
		expect(report.conflicts.map((c) => c.kind).sort()).toEqual(['code-moved', 'code-renamed', 'document-text']);
		expect(report.conflicts.find((c) => c.kind === 'document-text')!.message).toMatch(/Document 1.*different text/);
		expect(report.conflicts.find((c) => c.kind === 'code-renamed')!.message).toMatch(/"Care > Family" is named "Kin"/);
		// the document's coding is not imported; the master keeps its text and names
		expect(report.segments.skipped).toBe(3);
		expect(data.documents[1].text).toBe('Second transcript text.');
		expect(data.codes.find((c) => c.id === 'fam')!.name).toBe('Family');
		expect(data.codes.find((c) => c.id === 'care')!.parentId).toBeNull();
	});

	it('adds new documents and cases, matches cases by name, fills missing values and reports differing ones', () => {
		const inc = bensCopy();
		inc.attributes.push({ id: 'attr-role', studyId: 'bens-copy', name: 'Role', type: 'category', order: 1 });
		inc.cases[0].attributes = { 'attr-age': 41, 'attr-role': 'carer' };
		inc.cases.push({ id: 'case-2', studyId: 'bens-copy', name: 'P02', attributes: { 'attr-role': 'nurse' }, createdAt: T, updatedAt: T });
		inc.documents.push({ ...inc.documents[0], id: 'doc-new', name: 'Third', text: 'A third transcript.', caseId: 'case-2', order: 2 });
		inc.segments.push({ ...inc.segments[2], id: 'b4', documentId: 'doc-new', start: 2, end: 7 });
		const { data, report } = mergeStudy(master(), inc, { newId: ids });
		expect(report.documents).toEqual({ matched: 2, added: 1 });
		expect(report.cases).toEqual({ matched: 1, added: 1 });
		expect(report.attributes).toEqual({ matched: 1, added: 1 });
		expect(report.valuesFilled).toBe(1);
		expect(report.conflicts).toHaveLength(1);
		expect(report.conflicts[0]).toMatchObject({ kind: 'case-attribute' });
		expect(report.conflicts[0].message).toMatch(/P01.*Age.*"41".*"40"/);
		expect(data.cases.find((c) => c.name === 'P01')!.attributes).toEqual({ 'attr-age': 40, 'attr-role': 'carer' });
		const third = data.documents.find((d) => d.name === 'Third')!;
		expect(third.caseId).toBe('case-2');
		expect(data.segments.some((s) => s.documentId === third.id && s.start === 2 && s.end === 7)).toBe(true);
	});

	it('document attributes: matched by name within their scope; values fill matched documents and come with new ones', () => {
		const m = master();
		m.attributes.push({ id: 'w-master', studyId: 'study', name: 'Wave', type: 'category', order: 1, scope: 'document' });
		m.documents[0].attributes = { 'w-master': '2001' };
		const inc = bensCopy();
		// a case attribute of the same name is another attribute
		inc.attributes.push({ id: 'w-case', studyId: 'bens-copy', name: 'Wave', type: 'category', order: 1 });
		inc.attributes.push({ id: 'w-inc', studyId: 'bens-copy', name: 'Wave', type: 'category', order: 2, scope: 'document' });
		inc.documents[0].attributes = { 'w-inc': '2004' };
		inc.documents[1].attributes = { 'w-inc': '2004' };
		inc.documents.push({ ...inc.documents[0], id: 'doc-new', name: 'Third', text: 'A third transcript.', attributes: { 'w-inc': '2002' }, order: 2 });
		const { data, report } = mergeStudy(m, inc, { newId: ids });
		expect(report.attributes).toEqual({ matched: 2, added: 1 });
		const waves = data.attributes.filter((a) => a.name === 'Wave');
		expect(waves.map((a) => a.scope ?? 'case').sort()).toEqual(['case', 'document']);
		expect(data.documents.map((d) => d.attributes)).toEqual([{ 'w-master': '2001' }, { 'w-master': '2004' }, { 'w-master': '2002' }]);
		expect(report.valuesFilled).toBe(1);
		expect(report.conflicts.map((c) => c.kind)).toEqual(['document-attribute']);
		expect(report.conflicts[0].message).toMatch(/Document 0.*Wave is "2004" in the incoming file and "2001" in the master/);
	});

	it('skips segments outside their text and gives fresh ids to rows whose id the master uses', () => {
		const inc = bensCopy();
		inc.segments.push({ ...inc.segments[2], id: 'b-bad', start: 5, end: 500 });
		inc.segments.push({ ...inc.segments[2], id: 'seg0', start: 1, end: 2 }); // id taken by the master
		const { data, report } = mergeStudy(master(), inc, { newId: () => 'fresh-id' });
		expect(report.conflicts.map((c) => c.kind)).toEqual(['segment-range']);
		expect(report.segments.skipped).toBe(1);
		const moved = data.segments.find((s) => s.start === 1 && s.end === 2)!;
		expect(moved.id).toBe('fresh-id');
		expect(new Set(data.segments.map((s) => s.id)).size).toBe(data.segments.length);
	});
});
