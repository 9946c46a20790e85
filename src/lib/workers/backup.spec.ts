/**
 * Restore and merge read their file off the main thread (workers/backup.ts): where there is no
 * Worker (Node) the same steps run in place, with the same progress and cancel. The write stays
 * one transaction, and a merge planned against a study that changed meanwhile is planned again.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { sampleStudy, T } from '../../../tests/fixtures/sample-study';
import { backupToJson, parseBackupReport } from '../core/backup';
import { newId } from '../core/ids';
import { mergeStudy } from '../core/merge';
import type { StudyData } from '../core/types';
import { GlossDB } from '../db/db';
import { masterJson, storeMerge } from '../db/merge';
import { loadStudyData, restoreBackup, storeRestored } from '../db/studies';
import { BACKUP_CANCELLED, runBackupJob, throttledProgress } from './backup';

const freshDb = () => new GlossDB('test-' + newId());

/** A second coder's copy: Bea coded one more passage. */
function beasCopy(): StudyData {
	const d = sampleStudy();
	d.coders.push({ id: 'k2', studyId: d.study.id, name: 'Bea', createdAt: T });
	d.segments.push({ id: 'x2', studyId: d.study.id, documentId: 'd1', codeId: 'g2', coderId: 'k2', start: 3, end: 13, memo: '', createdAt: T, updatedAt: T });
	return d;
}

describe('runBackupJob: restore', () => {
	it('reads and checks a backup as parseBackupReport does, reporting each step', async () => {
		const text = backupToJson(sampleStudy(), T);
		const steps: [number, number, string][] = [];
		const r = await runBackupJob({ kind: 'restore', text, fileName: 'a.gloss.json', studyId: 'new' }, (d, t, l) => steps.push([d, t, l]));
		if (!r.ok || r.value.kind !== 'restore') throw new Error('not read');
		expect(r.value.read).toEqual((parseBackupReport(text, 'new', 'a.gloss.json') as { value: unknown }).value);
		expect(steps).toEqual([
			[0, 3, 'Reading a.gloss.json'],
			[1, 3, 'Checking every record'],
			[2, 3, 'Saving']
		]);
	});

	it('refuses what is not a backup with the reader’s own message, naming the file', async () => {
		for (const text of ['', '{not json', '[]']) {
			const r = await runBackupJob({ kind: 'restore', text, fileName: 'bad.json', studyId: 'new' });
			expect(r).toEqual(parseBackupReport(text, 'new', 'bad.json'));
			expect(r.ok).toBe(false);
		}
	});

	it('reads nothing once cancelled, and the database is unchanged', async () => {
		const db = freshDb();
		const c = new AbortController();
		c.abort();
		expect(await runBackupJob({ kind: 'restore', text: backupToJson(sampleStudy(), T), fileName: 'a', studyId: 'n' }, undefined, c.signal)).toEqual({
			ok: false,
			errors: [BACKUP_CANCELLED]
		});
		expect(await db.studies.count()).toBe(0);
	});

	it('stores what it read as a new study in one go', async () => {
		const db = freshDb();
		const text = backupToJson(sampleStudy(), T);
		const r = await runBackupJob({ kind: 'restore', text, fileName: 'a.gloss.json', studyId: 'restored' });
		if (!r.ok || r.value.kind !== 'restore') throw new Error('not read');
		const stored = await storeRestored(db, r.value.read, text.length, 'a.gloss.json');
		expect(stored.ok).toBe(true);
		expect((await loadStudyData(db, 'restored'))?.segments.length).toBe(sampleStudy().segments.length);
	});
});

describe('runBackupJob: store (restore and write, as the worker does)', () => {
	it('reads, checks and writes the study in one job, reporting the records saved, named apart from the studies there', async () => {
		const db = freshDb();
		const data = sampleStudy();
		const text = backupToJson(data, T);
		const steps: [number, number, string, string | undefined][] = [];
		const r = await runBackupJob(
			{ kind: 'store', text, fileName: 'a.gloss.json', studyId: 'restored', dbName: db.name, taken: [data.study.name] },
			(d, t, l, u) => steps.push([d, t, l, u]),
			undefined,
			db
		);
		if (!r.ok || r.value.kind !== 'stored') throw new Error('not stored');
		expect(r.value.restored.study.name).toBe(`${data.study.name} (2)`);
		const back = await loadStudyData(db, 'restored');
		expect(back?.segments.length).toBe(data.segments.length);
		expect(back?.documents.map((d) => d.text)).toEqual(data.documents.map((d) => d.text));
		const rows = data.coders.length + data.attributes.length + data.cases.length + data.documents.length + data.codes.length + data.segments.length + data.memos.length;
		expect(steps.slice(0, 3).map((s) => s[2])).toEqual(['Reading a.gloss.json', 'Checking every record', 'Saving']);
		expect(steps.at(-1)).toEqual([rows, rows, `Saving ${rows} of ${rows} records`, 'records']);
	});

	it('writes nothing for a file it refuses', async () => {
		const db = freshDb();
		const r = await runBackupJob({ kind: 'store', text: '{not json', fileName: 'bad.json', studyId: 'n', dbName: db.name, taken: [] }, undefined, undefined, db);
		expect(r.ok).toBe(false);
		expect(await db.studies.count()).toBe(0);
	});
});

describe('runBackupJob: merge', () => {
	async function setUp() {
		const db = freshDb();
		const m = await restoreBackup(db, backupToJson(sampleStudy()), 'master.gloss.json');
		if (!m.ok) throw new Error(m.errors.join('\n'));
		const master = (await loadStudyData(db, m.value.id)) as StudyData;
		const r = await runBackupJob({ kind: 'merge', text: backupToJson(beasCopy()), fileName: 'bea.gloss.json', master });
		if (!r.ok || r.value.kind !== 'merge') throw new Error('not read');
		return { db, id: m.value.id, master, job: r.value };
	}

	it('plans the merge off the main thread as mergeStudy does, and writes that plan', async () => {
		const { db, id, master, job } = await setUp();
		expect(job.plan.report).toEqual(mergeStudy(master, job.incoming.data).report);
		const r = await storeMerge(db, id, job.incoming, { plan: job.plan, master: masterJson(master) }, 'bea.gloss.json');
		if (!r.ok) throw new Error(r.errors.join('\n'));
		// The worker's plan itself was written (the study had not changed).
		expect(r.value.report).toBe(job.plan.report);
		expect(r.value.report.segments.added).toBe(1);
		expect((await loadStudyData(db, id))?.coders.map((c) => c.name).sort()).toEqual(['Ann', 'Bea']);
	});

	it('plans again inside the write when the study changed after the plan was made: nothing written meanwhile is lost', async () => {
		const { db, id, master, job } = await setUp();
		// Meanwhile, in another tab, Ana deletes the code Bea used and codes a new passage.
		const before = (await loadStudyData(db, id)) as StudyData;
		await db.segments.where('[studyId+codeId]').equals([id, 'g2']).delete();
		await db.codes.delete([id, 'g2']);
		await db.segments.add({ ...before.segments[0], id: 'late', start: 0, end: 2, codeId: 'g1' });
		const r = await storeMerge(db, id, job.incoming, { plan: job.plan, master: masterJson(master) }, 'bea.gloss.json');
		if (!r.ok) throw new Error(r.errors.join('\n'));
		expect(r.value.report).not.toBe(job.plan.report);
		const after = (await loadStudyData(db, id)) as StudyData;
		expect(after.segments.some((s) => s.id === 'late')).toBe(true);
		// Bea's segment on the deleted code comes with the code (added again from her file), never dangling.
		const codeIds = new Set(after.codes.map((c) => c.id));
		expect(after.segments.every((s) => codeIds.has(s.codeId))).toBe(true);
		expect(r.value.report).toEqual(mergeStudy({ ...before, codes: before.codes.filter((c) => c.id !== 'g2'), segments: [...before.segments.filter((s) => s.codeId !== 'g2'), { ...before.segments[0], id: 'late', start: 0, end: 2, codeId: 'g1' }].sort((a, b) => (a.id < b.id ? -1 : 1)) }, job.incoming.data).report);
	});
});

describe('throttledProgress', () => {
	it('passes every step, but records saved at most once per interval, always the first and the last', () => {
		let clock = 0;
		const sent: string[] = [];
		const p = throttledProgress((done, total, label, unit) => sent.push(`${done}/${total} ${unit ?? 'steps'} ${label}`), 100, () => clock);
		p(0, 3, 'Reading');
		p(1, 3, 'Checking');
		p(2, 3, 'Saving');
		for (let done = 2000; done <= 10000; done += 2000) {
			p(done, 10000, 'Saving', 'records');
			clock += 40;
		}
		expect(sent).toEqual(['0/3 steps Reading', '1/3 steps Checking', '2/3 steps Saving', '2000/10000 records Saving', '8000/10000 records Saving', '10000/10000 records Saving']);
	});
});
