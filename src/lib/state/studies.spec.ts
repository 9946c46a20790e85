import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { backupToJson } from '../core/backup';
import { newId } from '../core/ids';
import { GlossDB } from '../db/db';
import { loadStudyData } from '../db/studies';
import { sampleStudy } from '../../../tests/fixtures/sample-study';
import { restoreAsNewStudy, restoreBackupFile } from './studies.svelte';

describe('restoreAsNewStudy', () => {
	it('keeps the backup’s name when it is free, and numbers a copy restored beside the original', async () => {
		const db = new GlossDB('test-' + newId());
		const data = sampleStudy();
		const json = backupToJson(data);
		const first = await restoreAsNewStudy(db, json, 'a.gloss.json');
		const second = await restoreAsNewStudy(db, json, 'a.gloss.json');
		const third = await restoreAsNewStudy(db, json, 'a.gloss.json');
		if (!first.ok || !second.ok || !third.ok) throw new Error('restore failed');
		expect(first.value.study.name).toBe(data.study.name);
		expect(second.value.study.name).toBe(`${data.study.name} (2)`);
		expect(third.value.study.name).toBe(`${data.study.name} (3)`);
		const stored = (await db.studies.toArray()).map((s) => s.name).sort();
		expect(stored).toEqual([data.study.name, `${data.study.name} (2)`, `${data.study.name} (3)`].sort());
		// Only the name differs: the copy holds the same coding.
		const copy = await loadStudyData(db, second.value.study.id);
		expect(copy?.segments.map((s) => [s.id, s.codeId, s.start, s.end])).toEqual(data.segments.map((s) => [s.id, s.codeId, s.start, s.end]));
	});

	it('stores nothing and renames nothing when the backup is invalid', async () => {
		const db = new GlossDB('test-' + newId());
		const r = await restoreAsNewStudy(db, '{"format": ', 'broken.gloss.json');
		expect(r.ok).toBe(false);
		expect(await db.studies.count()).toBe(0);
	});
});

describe('restoreBackupFile', () => {
	const file = (name: string, bytes: Uint8Array) => new File([bytes.slice().buffer], name, { type: 'application/json' });

	it('restores a backup file', async () => {
		const db = new GlossDB('test-' + newId());
		const r = await restoreBackupFile(db, file('a.gloss.json', new TextEncoder().encode(backupToJson(sampleStudy()))));
		expect(r.ok).toBe(true);
		expect(await db.studies.count()).toBe(1);
	});

	it('refuses a backup whose bytes are not UTF-8 (not read as U+FFFD) and stores nothing', async () => {
		const db = new GlossDB('test-' + newId());
		const json = backupToJson(sampleStudy());
		const bytes = new Uint8Array([...new TextEncoder().encode(json.slice(0, 100)), 0xc3, 0x28, 0xff, ...new TextEncoder().encode(json.slice(100))]);
		const r = await restoreBackupFile(db, file('study.gloss.json', bytes));
		expect(r).toEqual({
			ok: false,
			errors: ['study.gloss.json: not readable as text (it is neither UTF-8 nor UTF-16; save it as UTF-8 and import it again)']
		});
		expect(await db.studies.count()).toBe(0);
	});
});
