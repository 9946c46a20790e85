/**
 * Transcript texts live in their own table (schema version 4): lists of documents hold no text,
 * a text is read when asked, and everything that writes or deletes a document writes or deletes
 * its text with it. Backups and exports see documents with their texts, as before.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { backupToJson } from '../core/backup';
import { newId } from '../core/ids';
import { ofStudy, GlossDB } from './db';
import { deleteDocument, getDocument, getDocumentText, importTranscript, listDocuments, readDocumentTexts } from './documents';
import { createStudy, deleteStudy, loadStudyData, restoreBackup } from './studies';

async function withTwo() {
	const db = new GlossDB('test-' + newId());
	const s = await createStudy(db, 'Texts');
	if (!s.ok) throw new Error(s.errors.join('\n'));
	const studyId = s.value.id;
	const a = await importTranscript(db, studyId, { name: 'A', text: 'I: Hello\n\nR: 你好 💧\n', sourceName: 'A.txt' });
	const b = await importTranscript(db, studyId, { name: 'B', text: 'One line', sourceName: 'B.txt' });
	if (!a.ok || !b.ok) throw new Error('import failed');
	return { db, studyId, a: a.value.document, b: b.value.document };
}

describe('texts apart from documents', () => {
	it('lists documents without their texts, with each text\'s length and paragraphs, and reads a text when asked', async () => {
		const { db, studyId, a, b } = await withTwo();
		const rows = await listDocuments(db, studyId);
		expect(rows.map((d) => d.name)).toEqual(['A', 'B']);
		for (const r of rows) expect(r).not.toHaveProperty('text');
		expect(rows.map((d) => [d.textLength, d.paragraphCount])).toEqual([
			[a.text.length, 2],
			[b.text.length, 1]
		]);
		expect(await getDocumentText(db, studyId, a.id)).toBe('I: Hello\n\nR: 你好 💧\n');
		expect(await readDocumentTexts(db, studyId)).toEqual(new Map([[a.id, a.text], [b.id, b.text]]));
		expect(await getDocument(db, studyId, b.id)).toEqual(b);
		expect((await loadStudyData(db, studyId))?.documents.sort((x, y) => x.order - y.order)).toEqual([a, b]);
	});

	it('deletes a document\'s text with it, and a study\'s texts with the study', async () => {
		const { db, studyId, a, b } = await withTwo();
		const r = await deleteDocument(db, studyId, a.id);
		expect(r.ok).toBe(true);
		expect(await getDocumentText(db, studyId, a.id)).toBe('');
		expect([...(await readDocumentTexts(db, studyId)).keys()]).toEqual([b.id]);
		await deleteStudy(db, studyId);
		expect(await ofStudy(db.texts, studyId).count()).toBe(0);
		expect(await db.texts.count()).toBe(0);
	});

	it('a backup restores with every text, and backs up again the same', async () => {
		const { db, studyId } = await withTwo();
		const data = (await loadStudyData(db, studyId))!;
		const json = backupToJson(data, '2025-11-03T09:15:00.000Z');
		const r = await restoreBackup(db, json, 'texts.gloss.json');
		if (!r.ok) throw new Error(r.errors.join('\n'));
		const back = (await loadStudyData(db, r.value.id))!;
		expect(back.documents.map((d) => d.text)).toEqual(data.documents.map((d) => d.text));
		expect(JSON.parse(backupToJson({ ...back, study: data.study }, '2025-11-03T09:15:00.000Z'))).toEqual(JSON.parse(json));
	});
});
