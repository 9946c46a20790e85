/**
 * Recordings linked to documents, kept in IndexedDB as Blobs.
 *
 * Why Blobs and not file handles: a Blob in IndexedDB works in every browser, offline, and after
 * the original file is moved or the laptop restarts; a File System Access handle exists only in
 * Chromium and asks for permission again after each restart. The cost is storage, so the room is
 * checked before the write and a recording that does not fit is refused whole, with a message.
 */
import { checkMediaFile } from '../core/media';
import type { BackupMedia } from '../core/backup-zip';
import type { Result } from '../core/types';
import { nowIso } from '../core/ids';
import type { GlossDB, MediaRecord } from './db';
import { roomForBytes, writeFailure } from './storage';

/** What a list shows of a recording, without touching its bytes. */
export type MediaInfo = Omit<MediaRecord, 'blob'>;

/** Link a recording to a document, replacing the one it had. Checked first; nothing stored on failure. */
export async function attachMedia(
	db: GlossDB,
	studyId: string,
	documentId: string,
	file: { name: string; size: number; type?: string } & Blob
): Promise<Result<MediaInfo>> {
	const checked = checkMediaFile(file);
	if (!checked.ok) return { ok: false, errors: [checked.errors] };
	const noRoom = await roomForBytes(file.size, file.name);
	if (noRoom) return { ok: false, errors: [noRoom] };
	try {
		return await db.transaction('rw', [db.documents, db.media], async () => {
			if (!(await db.documents.get([studyId, documentId]))) return { ok: false, errors: ['This document no longer exists'] } as const;
			const rec: MediaRecord = {
				studyId,
				documentId,
				name: file.name,
				type: checked.value.type,
				kind: checked.value.kind,
				size: file.size,
				blob: file,
				addedAt: nowIso()
			};
			await db.media.put(rec);
			const { blob: _blob, ...info } = rec;
			return { ok: true, value: info } as const;
		});
	} catch (e) {
		return { ok: false, errors: [writeFailure(e, file.name)] };
	}
}

export async function getMedia(db: GlossDB, studyId: string, documentId: string): Promise<MediaRecord | undefined> {
	return db.media.get([studyId, documentId]);
}

/** The study's recordings, by document id, without their bytes. */
export async function listMedia(db: GlossDB, studyId: string): Promise<Map<string, MediaInfo>> {
	const out = new Map<string, MediaInfo>();
	await db.media
		.where('studyId')
		.equals(studyId)
		.each((r) => {
			const { blob: _blob, ...info } = r;
			out.set(r.documentId, info);
		});
	return out;
}

export async function detachMedia(db: GlossDB, studyId: string, documentId: string): Promise<void> {
	await db.media.delete([studyId, documentId]);
}

/** The study's recordings with their bytes, for a backup that includes them. */
export async function mediaForBackup(db: GlossDB, studyId: string): Promise<BackupMedia[]> {
	const recs = await db.media.where('studyId').equals(studyId).toArray();
	const out: BackupMedia[] = [];
	for (const r of recs)
		out.push({ documentId: r.documentId, name: r.name, type: r.type, kind: r.kind, bytes: new Uint8Array(await r.blob.arrayBuffer()) });
	return out;
}

/**
 * Store a restored backup's recordings with the study's documents, in one transaction (a
 * recording whose document the study does not have is left out and counted).
 */
export async function restoreMedia(db: GlossDB, studyId: string, media: readonly BackupMedia[], fileName: string): Promise<Result<{ stored: number; skipped: number }>> {
	const bytes = media.reduce((n, m) => n + m.bytes.length, 0);
	const noRoom = await roomForBytes(bytes, `The recordings in ${fileName}`);
	if (noRoom) return { ok: false, errors: [noRoom] };
	try {
		return await db.transaction('rw', [db.documents, db.media], async () => {
			let stored = 0;
			let skipped = 0;
			const now = nowIso();
			for (const m of media) {
				if (!(await db.documents.get([studyId, m.documentId]))) {
					skipped++;
					continue;
				}
				const blob = new Blob([m.bytes as Uint8Array<ArrayBuffer>], { type: m.type });
				await db.media.put({ studyId, documentId: m.documentId, name: m.name, type: m.type, kind: m.kind, size: m.bytes.length, blob, addedAt: now });
				stored++;
			}
			return { ok: true, value: { stored, skipped } } as const;
		});
	} catch (e) {
		return { ok: false, errors: [writeFailure(e, `The recordings in ${fileName}`)] };
	}
}
