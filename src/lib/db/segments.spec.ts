import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { newId } from '../core/ids';
import { applyChanges, invertChanges, planApply, planApplyMany } from '../core/segments';
import type { Code, Segment } from '../core/types';
import { GlossDB } from './db';
import { listMemos, listSegments, saveMemo, writeChanges } from './segments';

const T = '2026-01-01T00:00:00.000Z';
const d = (documentId: string, codeId: string, start: number, end: number) => ({ studyId: 'st', documentId, codeId, coderId: 'ann', start, end });

async function fresh() {
	const db = new GlossDB('test-' + newId());
	await db.studies.add({ id: 'st', name: 'S', description: '', createdAt: T, updatedAt: T });
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
});
