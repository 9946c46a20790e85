import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { sampleStudy, T } from '../../../tests/fixtures/sample-study';
import { backupToJson } from '../core/backup';
import { newId } from '../core/ids';
import type { StudyData } from '../core/types';
import { GlossDB } from './db';
import { mergeBackupIntoStudy } from './merge';
import { loadStudyData, restoreBackup, studyCounts } from './studies';

const freshDb = () => new GlossDB('test-' + newId());

/** The sample study as a second coder's copy: Bea coded one more passage, filled in a value, renamed a code. */
function beasCopy(): StudyData {
	const d = sampleStudy();
	d.coders.push({ id: 'k2', studyId: d.study.id, name: 'Bea', createdAt: T });
	d.attributes.push({ id: 'a2', studyId: d.study.id, name: 'Sector', type: 'category', order: 1 });
	d.cases[0].attributes.a2 = 'Textiles';
	d.cases[0].attributes.a1 = 'N'; // differs from the master's "C": a conflict, master kept
	d.codes[1].name = 'Costs'; // renamed: a conflict, master's name kept
	d.segments.push(
		{ id: 'x2', studyId: d.study.id, documentId: 'd1', codeId: 'g2', coderId: 'k2', start: 3, end: 13, memo: '', createdAt: T, updatedAt: T }
	);
	return d;
}

async function master(db: GlossDB): Promise<string> {
	const r = await restoreBackup(db, backupToJson(sampleStudy()), 'master.gloss.json');
	if (!r.ok) throw new Error(r.errors.join('\n'));
	return r.value.id;
}

describe('mergeBackupIntoStudy', () => {
	it('adds the new coder, segments and attribute, fills a missing value, keeps the master, and lists conflicts', async () => {
		const db = freshDb();
		const id = await master(db);
		const r = await mergeBackupIntoStudy(db, id, backupToJson(beasCopy()), 'bea.gloss.json');
		if (!r.ok) throw new Error(r.errors.join('\n'));
		const { report, summary, incomingCoders } = r.value;
		expect(report.segments).toEqual({ added: 1, duplicates: 1, skipped: 0 });
		expect(report.coders).toEqual({ matched: 1, added: 1 });
		expect(report.valuesFilled).toBe(1);
		expect(report.conflicts.map((c) => c.kind).sort()).toEqual(['case-attribute', 'code-renamed']);
		expect(summary).toMatch(/^Added 1 segment, 1 coder, 1 attribute\./);
		expect(incomingCoders).toEqual(['Ann', 'Bea']);

		const data = (await loadStudyData(db, id))!;
		expect(data.coders.map((c) => c.name).sort()).toEqual(['Ann', 'Bea']);
		const bea = data.coders.find((c) => c.name === 'Bea')!;
		expect(data.segments.filter((s) => s.coderId === bea.id).map((s) => [s.codeId, s.start, s.end])).toEqual([['g2', 3, 13]]);
		expect(data.codes.find((c) => c.id === 'g2')!.name).toBe('Cost');
		expect(data.cases[0].attributes).toEqual({ a1: 'C', a2: 'Textiles' });
		expect(data.segments.every((s) => s.studyId === id)).toBe(true);
	});

	it('adds nothing when the same file is imported twice', async () => {
		const db = freshDb();
		const id = await master(db);
		const json = backupToJson(beasCopy());
		const first = await mergeBackupIntoStudy(db, id, json, 'bea.gloss.json');
		expect(first.ok).toBe(true);
		const counts = await studyCounts(db, id);
		const again = await mergeBackupIntoStudy(db, id, json, 'bea.gloss.json');
		if (!again.ok) throw new Error(again.errors.join('\n'));
		expect(again.value.report.unchanged).toBe(true);
		expect(again.value.report.segments.added).toBe(0);
		expect(again.value.report.segments.duplicates).toBe(2);
		expect(again.value.summary).toBe('Added nothing. 2 segments were already there. 2 conflicts to review.');
		expect(await studyCounts(db, id)).toEqual(counts);
		expect(counts.segments).toBe(2);
	});

	it('writes nothing for an invalid file or a missing study', async () => {
		const db = freshDb();
		const id = await master(db);
		const before = await loadStudyData(db, id);
		const bad = await mergeBackupIntoStudy(db, id, '{"format":"gloss-study"', 'broken.gloss.json');
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.errors[0]).toMatch(/^broken\.gloss\.json: not valid JSON/);
		const gone = await mergeBackupIntoStudy(db, 'nope', backupToJson(beasCopy()), 'bea.gloss.json');
		expect(gone).toEqual({ ok: false, errors: ['This study no longer exists'] });
		expect(await loadStudyData(db, id)).toEqual(before);
		expect(await db.coders.count()).toBe(1);
	});
});
