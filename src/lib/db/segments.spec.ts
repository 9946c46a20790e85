import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { newId } from '../core/ids';
import { applyChanges, invertChanges, planApply, planApplyMany } from '../core/segments';
import type { Code, Segment } from '../core/types';
import { GlossDB } from './db';
import { putDocuments } from './documents';
import { listMemos, listSegments, readSegmentsInChunks, saveMemo, SEGMENT_READ_CHUNK, writeChanges } from './segments';

const T = '2026-01-01T00:00:00.000Z';
const code = (id: string, name: string): Code => ({
	id, studyId: 'st', parentId: null, name, definition: '', inclusion: '', exclusion: '', example: '', colour: '#0072b2', order: 0, createdAt: T, updatedAt: T
});
const d = (documentId: string, codeId: string, start: number, end: number) => ({ studyId: 'st', documentId, codeId, coderId: 'ann', start, end });

async function fresh() {
	const db = new GlossDB('test-' + newId());
	await db.studies.add({ id: 'st', name: 'S', description: '', createdAt: T, updatedAt: T });
	await db.coders.add({ id: 'ann', studyId: 'st', name: 'Ann', createdAt: T });
	for (const id of ['d1', 'd2'])
		await putDocuments(db, [{ id, studyId: 'st', name: id, text: 'x'.repeat(40), caseId: null, order: 0, createdAt: T, updatedAt: T }], 'add');
	await db.codes.add(code('cost', 'Cost'));
	return db;
}

describe('segment writes', () => {
	it('writes applies, merges and their undo, so a reload sees the same coding', async () => {
		const db = await fresh();
		let segs: Segment[] = [];
		const c1 = planApply(segs, d('d1', 'cost', 0, 5), newId, T);
		await writeChanges(db, 'st', c1);
		segs = applyChanges(segs, c1);
		const c2 = planApply(segs, d('d1', 'cost', 3, 9), newId, T);
		await writeChanges(db, 'st', c2);
		segs = applyChanges(segs, c2);
		expect(await listSegments(db, 'st', 'd1')).toEqual(segs);
		expect(segs[0]).toMatchObject({ start: 0, end: 9 });
		await writeChanges(db, 'st', invertChanges(c2));
		expect((await listSegments(db, 'st', 'd1'))[0]).toMatchObject({ start: 0, end: 5 });
		await writeChanges(db, 'st', invertChanges(c1));
		expect(await listSegments(db, 'st')).toEqual([]);
	});

	it('writes an auto-code batch in one transaction: a bad row leaves nothing written', async () => {
		const db = await fresh();
		const batch = planApplyMany([], [d('d1', 'cost', 0, 2), d('d2', 'cost', 4, 6)], newId, T);
		const broken = [...batch, { before: null, after: { ...batch[0].after!, id: undefined as unknown as string } }];
		await expect(writeChanges(db, 'st', broken)).rejects.toThrow();
		expect(await listSegments(db, 'st')).toEqual([]);
		await writeChanges(db, 'st', batch);
		expect(await listSegments(db, 'st')).toHaveLength(2);
		expect((await listSegments(db, 'st', 'd2'))[0]).toMatchObject({ start: 4, end: 6 });
	});

	it('writes an in-vivo code with its segment, and removes both on undo', async () => {
		const db = await fresh();
		const code: Code = {
			id: 'cv', studyId: 'st', parentId: null, name: 'fines were high', definition: '', inclusion: '', exclusion: '', example: '',
			colour: '#0072b2', order: 0, createdAt: T, updatedAt: T
		};
		const segs = planApply([], d('d1', 'cv', 0, 5), newId, T);
		await writeChanges(db, 'st', segs, [{ before: null, after: code }]);
		expect(await db.codes.get(['st', 'cv'])).toEqual(code);
		await writeChanges(db, 'st', invertChanges(segs), [{ before: code, after: null }]);
		expect(await db.codes.get(['st', 'cv'])).toBeUndefined();
		expect(await listSegments(db, 'st')).toEqual([]);
	});

	it('refuses a segment of another study', async () => {
		const db = await fresh();
		const c = planApply([], { ...d('d1', 'x', 0, 1), studyId: 'other' }, newId, T);
		await expect(writeChanges(db, 'st', c)).rejects.toThrow(/another study/);
	});

	it('saves memos and deletes an emptied one', async () => {
		const db = await fresh();
		const m = { id: 'm1', studyId: 'st', targetType: 'study' as const, targetId: null, title: 'Thoughts', text: 'Fines matter', coderId: null, createdAt: T, updatedAt: T };
		await saveMemo(db, m);
		expect(await listMemos(db, 'st')).toEqual([m]);
		await saveMemo(db, { ...m, title: '', text: '  ' });
		expect(await listMemos(db, 'st')).toEqual([]);
	});

	it('refuses, writing nothing, a segment whose code, document or coder another window deleted', async () => {
		const db = await fresh();
		const names = (_k: string, id: string) => ({ 'code-savings': 'Savings', d9: 'Interview 9' })[id];
		const c = planApply([], d('d1', 'code-savings', 0, 5), newId, T);
		expect(await writeChanges(db, 'st', c, [], { nameOf: names, notDone: 'the passage was not coded' })).toEqual({
			ok: false,
			errors: ["The code 'Savings' was deleted in another window; the passage was not coded"]
		});
		expect((await writeChanges(db, 'st', planApply([], d('d9', 'cost', 0, 5), newId, T), [], { nameOf: names })).ok).toBe(false);
		expect((await writeChanges(db, 'st', planApply([], { ...d('d1', 'cost', 0, 5), coderId: 'bob' }, newId, T))).ok).toBe(false);
		expect(await listSegments(db, 'st')).toEqual([]);
		// a change to a segment another window removed is refused too (it would come back)
		const seg = planApply([], d('d1', 'cost', 0, 5), newId, T);
		expect((await writeChanges(db, 'st', seg)).ok).toBe(true);
		await db.segments.clear();
		const memo = [{ before: seg[0].after, after: { ...seg[0].after!, memo: 'x' } }];
		expect(await writeChanges(db, 'st', memo)).toEqual({ ok: false, errors: ['The passage was deleted in another window; nothing was saved'] });
		expect(await listSegments(db, 'st')).toEqual([]);
	});

	it('refuses a memo on a code, document or case that is gone', async () => {
		const db = await fresh();
		const m = { id: 'm1', studyId: 'st', targetType: 'code' as const, targetId: 'gone', title: '', text: 'Why', coderId: null, createdAt: T, updatedAt: T };
		expect(await saveMemo(db, m, { nameOf: () => 'Savings' })).toEqual({
			ok: false,
			errors: ["The code 'Savings' was deleted in another window; the memo was not saved"]
		});
		expect((await saveMemo(db, { ...m, targetType: 'document', targetId: 'd9' })).ok).toBe(false);
		expect((await saveMemo(db, { ...m, targetType: 'case', targetId: 'c9' })).ok).toBe(false);
		expect((await saveMemo(db, { ...m, targetId: 'cost' })).ok).toBe(true);
		expect(await listMemos(db, 'st')).toHaveLength(1);
	});

	it('refuses to undo an in-vivo code that another window has used since', async () => {
		const db = await fresh();
		const cv = code('cv', 'fines were high');
		const mine = planApply([], d('d1', 'cv', 0, 5), newId, T);
		expect((await writeChanges(db, 'st', mine, [{ before: null, after: cv }])).ok).toBe(true);
		const theirs = planApply([], { ...d('d2', 'cv', 0, 5) }, newId, T);
		expect((await writeChanges(db, 'st', theirs)).ok).toBe(true);
		const undo = await writeChanges(db, 'st', invertChanges(mine), [{ before: cv, after: null }], { nameOf: () => 'fines were high' });
		expect(undo).toEqual({ ok: false, errors: ["The code 'fines were high' has been used in another window since; nothing was saved"] });
		expect(await listSegments(db, 'st')).toHaveLength(2);
		expect(await db.codes.get(['st', 'cv'])).toEqual(cv);
	});
});

describe('readSegmentsInChunks', () => {
	it('reads every segment of the study over several chunks, none twice, none of another study, and leaves out the document asked', async () => {
		const db = await fresh();
		const n = SEGMENT_READ_CHUNK * 2 + 7;
		const seg = (studyId: string, i: number): Segment => ({
			id: `s${String(i).padStart(5, '0')}`, studyId, documentId: i % 3 ? 'd1' : 'd2', codeId: 'cost', coderId: 'ann', start: 0, end: 5, memo: '', createdAt: T, updatedAt: T
		});
		await db.segments.bulkAdd(Array.from({ length: n }, (_, i) => seg('st', i)));
		await db.segments.bulkAdd(Array.from({ length: 10 }, (_, i) => seg('other', i)));
		const all = await readSegmentsInChunks(db, 'st');
		expect(all.length).toBe(n);
		expect(new Set(all.map((s) => s.id)).size).toBe(n);
		expect(all.every((s) => s.studyId === 'st')).toBe(true);
		const rest = await readSegmentsInChunks(db, 'st', 'd2');
		expect(rest.length).toBe(all.filter((s) => s.documentId !== 'd2').length);
		expect(rest.every((s) => s.documentId === 'd1')).toBe(true);
	});
});
