import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { sampleStudy, T } from '../../../tests/fixtures/sample-study';
import { backupToJson, toBackup } from '../core/backup';
import { newId } from '../core/ids';
import { UNKNOWN_CODE_NAME } from '../core/integrity';
import { deleteCase } from './cases';
import { coderSegmentCount, deleteCoder, getCurrentCoderId, setCurrentCoder } from './coders';
import { deleteCodeWithSegments } from './codes';
import { GlossDB } from './db';
import { deleteDocument } from './documents';
import { mergeBackupIntoStudy } from './merge';
import { checkStudy, loadStudyData, repairStudy, restoreBackupReport } from './studies';

async function restored(json = backupToJson(sampleStudy(), T)) {
	const db = new GlossDB('test-' + newId());
	const r = await restoreBackupReport(db, json, 'a.gloss.json');
	if (!r.ok) throw new Error(r.errors.join());
	return { db, id: r.value.study.id, repairs: r.value.repairs };
}

function withOrphans() {
	const j = toBackup(sampleStudy(), T) as unknown as { [k: string]: Record<string, unknown>[] };
	j.segments.push({ ...j.segments[0], id: 'x2', codeId: 'code-savings', start: 0, end: 2 });
	j.memos.push({ id: 'm2', targetType: 'document', targetId: 'gone', title: '', text: 'keep', coderId: null, createdAt: T, updatedAt: T });
	return JSON.stringify(j);
}

describe('restore and merge repair what they can', () => {
	it('restores a file with an orphan segment and a dangling memo, reporting both', async () => {
		const { db, id, repairs } = await restored(withOrphans());
		expect(repairs.map((r) => r.id)).toEqual(['x2', 'm2']);
		const data = (await loadStudyData(db, id))!;
		const unknown = data.codes.find((c) => c.name === UNKNOWN_CODE_NAME)!;
		expect(data.segments.find((s) => s.id === 'x2')!.codeId).toBe(unknown.id);
		expect(await checkStudy(db, id)).toEqual({ ok: true, value: [] });
	});

	it('merges a coder copy with orphans, repaired, and says so', async () => {
		const { db, id } = await restored();
		const r = await mergeBackupIntoStudy(db, id, withOrphans(), 'bea.gloss.json');
		if (!r.ok) throw new Error(r.errors.join());
		expect(r.value.repairs).toHaveLength(2);
		expect(await checkStudy(db, id)).toEqual({ ok: true, value: [] });
	});
});

describe('deletes take their dependents in the same transaction', () => {
	it('a code: its segments and memos', async () => {
		const { db, id } = await restored();
		await db.memos.add({ id: 'mc', studyId: id, targetType: 'code', targetId: 'g2', title: '', text: 'x', coderId: null, createdAt: T, updatedAt: T });
		expect((await deleteCodeWithSegments(db, id, 'g1')).ok).toBe(true);
		const d = (await loadStudyData(db, id))!;
		expect([d.codes, d.segments, d.memos.filter((m) => m.targetType === 'code')]).toEqual([[], [], []]);
		expect(await checkStudy(db, id)).toEqual({ ok: true, value: [] });
	});
	it('a document: its segments and memos; then its case (with its attribute values)', async () => {
		const { db, id } = await restored();
		await db.memos.add({ id: 'md', studyId: id, targetType: 'document', targetId: 'd1', title: '', text: 'x', coderId: null, createdAt: T, updatedAt: T });
		expect((await deleteCase(db, id, 'c1')).ok).toBe(false); // it still has a document
		expect((await deleteDocument(db, id, 'd1')).ok).toBe(true);
		expect((await deleteCase(db, id, 'c1')).ok).toBe(true);
		const d = (await loadStudyData(db, id))!;
		expect([d.documents, d.segments, d.cases, d.memos.map((m) => m.id)]).toEqual([[], [], [], ['m1']]);
		expect(await checkStudy(db, id)).toEqual({ ok: true, value: [] });
	});
	it('a coder: their segments (counted first); their memos keep no coder', async () => {
		const { db, id } = await restored();
		await setCurrentCoder(db, id, 'k1');
		expect(await coderSegmentCount(db, id, 'k1')).toBe(1);
		expect(await deleteCoder(db, id, 'k1')).toEqual({ ok: true, value: { segments: 1 } });
		const d = (await loadStudyData(db, id))!;
		expect([d.coders, d.segments, d.memos.map((m) => m.coderId)]).toEqual([[], [], [null]]);
		expect(await getCurrentCoderId(db, id)).toBeNull();
		expect(await checkStudy(db, id)).toEqual({ ok: true, value: [] });
		expect((await deleteCoder(db, id, 'k1')).ok).toBe(false);
	});
});

describe('check and repair a study in the database', () => {
	it('finds a segment left by an older Gloss, repairs it in one transaction, and then finds nothing', async () => {
		const { db, id } = await restored();
		await db.segments.add({ ...(await loadStudyData(db, id))!.segments[0], id: 'x9', codeId: 'code-savings' });
		const found = await checkStudy(db, id);
		expect(found.ok && found.value.map((r) => r.id)).toEqual(['x9']);
		const fixed = await repairStudy(db, id);
		expect(fixed.ok && fixed.value.length).toBe(1);
		expect(await checkStudy(db, id)).toEqual({ ok: true, value: [] });
		expect((await loadStudyData(db, id))!.segments.map((s) => s.id).sort()).toEqual(['x1', 'x9']);
	});
});
