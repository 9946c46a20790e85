import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { newId } from '../core/ids';
import { GlossDB } from './db';
import { importTranscript } from './documents';
import { deleteDocument } from './documents';
import { attachMedia, detachMedia, getMedia, listMedia, mediaForBackup, restoreMedia } from './media';
import { createStudy, deleteStudy, loadStudyData } from './studies';

function unwrap<T>(r: { ok: true; value: T } | { ok: false; errors: unknown }): T {
	if (!r.ok) throw new Error(JSON.stringify(r.errors));
	return r.value;
}
const wav = (name = 'Interview 1.wav', bytes = 44) => Object.assign(new Blob([new Uint8Array(bytes)], { type: 'audio/wav' }), { name });

async function setup() {
	const db = new GlossDB('test-' + newId());
	const s = unwrap(await createStudy(db, 'S')).id;
	const d = unwrap(await importTranscript(db, s, { name: 'Interview 1', text: 'A: hello\n', sourceName: 'i1.vtt', times: [{ offset: 0, seconds: 1 }] })).document;
	return { db, s, d };
}

describe('recordings linked to documents', () => {
	it('are stored as Blobs, listed without their bytes, and replaced by a new one', async () => {
		const { db, s, d } = await setup();
		expect(d.times).toEqual([{ offset: 0, seconds: 1 }]);
		const info = unwrap(await attachMedia(db, s, d.id, wav()));
		expect(info).toMatchObject({ studyId: s, documentId: d.id, name: 'Interview 1.wav', kind: 'audio', type: 'audio/wav', size: 44 });
		expect('blob' in info).toBe(false);
		const rec = await getMedia(db, s, d.id);
		expect(rec?.blob.size).toBe(44);
		unwrap(await attachMedia(db, s, d.id, wav('take 2.wav', 100)));
		const list = await listMedia(db, s);
		expect([...list.values()].map((m) => [m.name, m.size])).toEqual([['take 2.wav', 100]]);
		await detachMedia(db, s, d.id);
		expect(await getMedia(db, s, d.id)).toBeUndefined();
	});

	it('refuse a file that is not a recording, or a missing document, storing nothing', async () => {
		const { db, s, d } = await setup();
		const pdf = Object.assign(new Blob(['%PDF']), { name: 'notes.pdf' });
		expect(await attachMedia(db, s, d.id, pdf)).toEqual({ ok: false, errors: [expect.stringMatching(/^notes\.pdf: not an audio or video file/)] });
		expect(await attachMedia(db, s, 'nope', wav())).toEqual({ ok: false, errors: ['This document no longer exists'] });
		expect(await db.media.count()).toBe(0);
	});

	it('go with their document and their study, and stay out of the study data (backups, analysis)', async () => {
		const { db, s, d } = await setup();
		unwrap(await attachMedia(db, s, d.id, wav()));
		const data = await loadStudyData(db, s);
		expect(JSON.stringify(data)).not.toContain('Interview 1.wav');
		unwrap(await deleteDocument(db, s, d.id));
		expect(await db.media.count()).toBe(0);
		const d2 = unwrap(await importTranscript(db, s, { name: 'Two', text: 'x\n', sourceName: 'two.txt' })).document;
		unwrap(await attachMedia(db, s, d2.id, wav()));
		await deleteStudy(db, s);
		expect(await db.media.count()).toBe(0);
	});
});

describe('recordings in a backup', () => {
	it('are read with their bytes and stored again with the documents they belong to', async () => {
		const { db, s, d } = await setup();
		unwrap(await attachMedia(db, s, d.id, wav('Interview 1.wav', 64)));
		const media = await mediaForBackup(db, s);
		expect(media.map((m) => [m.documentId, m.name, m.kind, m.bytes.length])).toEqual([[d.id, 'Interview 1.wav', 'audio', 64]]);
		await detachMedia(db, s, d.id);
		expect(unwrap(await restoreMedia(db, s, [...media, { ...media[0], documentId: 'gone' }], 'x.gloss.zip'))).toEqual({ stored: 1, skipped: 1 });
		const rec = await getMedia(db, s, d.id);
		expect(rec?.blob.size).toBe(64);
		expect(rec?.blob.type).toBe('audio/wav');
	});
});
