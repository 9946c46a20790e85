import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { backupToJson } from '../core/backup';
import { sampleStudy } from '../../../tests/fixtures/sample-study';
import { newId } from '../core/ids';
import { GlossDB } from './db';
import { createStudy, deleteStudy, listStudies, loadStudyData, renameStudy, restoreBackup, studyCounts } from './studies';

const freshDb = () => new GlossDB('test-' + newId());

describe('study repository', () => {
	it('creates, renames, lists and deletes studies, refusing an empty name', async () => {
		const db = freshDb();
		expect(await createStudy(db, '   ')).toEqual({ ok: false, errors: ['Study name: must not be empty'] });
		const a = await createStudy(db, 'Alpha');
		const b = await createStudy(db, 'Beta');
		if (!a.ok || !b.ok) throw new Error('create failed');
		const renamed = await renameStudy(db, a.value.id, 'Alpha 2');
		expect(renamed.ok && renamed.value.name).toBe('Alpha 2');
		expect((await listStudies(db)).map((s) => s.name).sort()).toEqual(['Alpha 2', 'Beta']);
		await deleteStudy(db, a.value.id);
		expect((await listStudies(db)).map((s) => s.name)).toEqual(['Beta']);
	});

	it('restores a backup as a new study, twice side by side, and deletes one without touching the other', async () => {
		const db = freshDb();
		const json = backupToJson(sampleStudy());
		const r1 = await restoreBackup(db, json, 'a.gloss.json');
		const r2 = await restoreBackup(db, json, 'a.gloss.json');
		if (!r1.ok || !r2.ok) throw new Error('restore failed');
		expect(r1.value.id).not.toBe(r2.value.id);
		const d1 = await loadStudyData(db, r1.value.id);
		expect(d1?.segments.map((s) => [s.id, s.codeId, s.start, s.end])).toEqual([['x1', 'g2', 3, 5]]);
		await deleteStudy(db, r1.value.id);
		expect(await loadStudyData(db, r1.value.id)).toBeNull();
		// The segment's memo counts as a memo too.
		expect(await studyCounts(db, r2.value.id)).toEqual({ documents: 1, cases: 1, codes: 2, segments: 1, memos: 2, coders: 1 });
	});

	it('stores nothing when a backup is invalid', async () => {
		const db = freshDb();
		const r = await restoreBackup(db, '{"format":"gloss-study","version":2}', 'bad.gloss.json');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors[0]).toMatch(/^bad\.gloss\.json: /);
		expect(await listStudies(db)).toEqual([]);
		expect(await db.codes.count()).toBe(0);
	});
});
