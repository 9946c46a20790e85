/** Repository functions for whole studies. Multi-table writes run in one transaction. */
import { parseBackupReport, type ReadBackup } from '../core/backup';
import { checkIntegrity, type Repair } from '../core/integrity';
import { newId, nowIso } from '../core/ids';
import { roomFor, writeFailure } from './storage';
import type { Result, Study, StudyData } from '../core/types';
import type { Table } from 'dexie';
import { joinDocument, ofStudy, splitDocument, type GlossDB } from './db';
import { putDocuments } from './documents';
import { countSegments, putSegmentPacks, readSegmentPacks } from './segments';

export async function listStudies(db: GlossDB): Promise<Study[]> {
	const all = await db.studies.toArray();
	return all.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
}

export async function createStudy(db: GlossDB, name: string, description = ''): Promise<Result<Study>> {
	const n = name.trim();
	if (!n) return { ok: false, errors: ['Study name: must not be empty'] };
	const now = nowIso();
	const study: Study = { id: newId(), name: n, description, createdAt: now, updatedAt: now };
	await db.studies.add(study);
	return { ok: true, value: study };
}

export async function renameStudy(db: GlossDB, id: string, name: string): Promise<Result<Study>> {
	const n = name.trim();
	if (!n) return { ok: false, errors: ['Study name: must not be empty'] };
	const study = await db.studies.get(id);
	if (!study) return { ok: false, errors: ['This study no longer exists'] };
	const updated = { ...study, name: n, updatedAt: nowIso() };
	await db.studies.put(updated);
	return { ok: true, value: updated };
}

/** Mark the study as changed now (shown as "last changed" on the start page). */
/** Mark the study changed now; returns the time written (so this window knows its own changes). */
export async function touchStudy(db: GlossDB, id: string): Promise<string> {
	const at = nowIso();
	await db.studies.update(id, { updatedAt: at });
	return at;
}

export interface StudyCounts {
	documents: number;
	cases: number;
	codes: number;
	segments: number;
	/** Every memo: on the study, documents, codes and cases, and on coded segments. */
	memos: number;
	coders: number;
}

/**
 * A study's row counts. Memos on coded segments are counted only with `segmentMemos` (it reads
 * every segment: the Start page's list leaves them out and counts them when a delete is asked).
 */
export async function studyCounts(db: GlossDB, studyId: string, segmentMemos = true): Promise<StudyCounts> {
	const [documents, cases, codes, segments, memos, packs, coders] = await Promise.all([
		db.documents.where('studyId').equals(studyId).count(),
		db.cases.where('studyId').equals(studyId).count(),
		db.codes.where('studyId').equals(studyId).count(),
		// segments: counted by an index of the packs (db/packs.ts), none read
		countSegments(db, studyId),
		db.memos.where('studyId').equals(studyId).count(),
		segmentMemos ? readSegmentPacks(db, studyId) : [],
		db.coders.where('studyId').equals(studyId).count()
	]);
	let segMemos = 0;
	for (const p of packs) for (const s of p.segments) if (s.memo.trim() !== '') segMemos++;
	return { documents, cases, codes, segments, memos: memos + segMemos, coders };
}

export async function deleteStudy(db: GlossDB, id: string): Promise<void> {
	await db.transaction('rw', [db.studies, db.media, ...db.studyTables], async () => {
		for (const t of db.studyTables) await ofStudy(t as Table<unknown, unknown>, id).delete();
		await db.media.where('studyId').equals(id).delete();
		await db.studies.delete(id);
	});
}

/**
 * Every row of one study, for analysis and backup. `texts: false` leaves every document's text
 * empty (the tables of Analyse never read them; `getDocumentText` reads one when it is needed).
 */
export async function loadStudyData(db: GlossDB, studyId: string, opts: { texts?: boolean } = {}): Promise<StudyData | null> {
	return db.transaction('r', [db.studies, ...db.studyTables], async () => {
		const study = await db.studies.get(studyId);
		if (!study) return null;
		const [coders, attributes, cases, rows, texts, codes, segments, memos] = await Promise.all([
			ofStudy(db.coders, studyId).toArray(),
			ofStudy(db.attributes, studyId).toArray(),
			ofStudy(db.cases, studyId).toArray(),
			ofStudy(db.documents, studyId).toArray(),
			opts.texts === false ? [] : ofStudy(db.texts, studyId).toArray(),
			ofStudy(db.codes, studyId).toArray(),
			ofStudy(db.segments, studyId).toArray(),
			ofStudy(db.memos, studyId).toArray()
		]);
		const textOf = new Map(texts.map((t) => [t.documentId, t.text]));
		const documents = rows.map((r) => joinDocument(r, textOf.get(r.id) ?? ''));
		return { study, coders, attributes, cases, documents, codes, segments, memos } as StudyData;
	});
}

/** Add a study's rows (not its study row), inside the caller's transaction. */
export async function addRows(db: GlossDB, data: StudyData): Promise<void> {
	await db.coders.bulkAdd(data.coders);
	await db.attributes.bulkAdd(data.attributes);
	await db.cases.bulkAdd(data.cases);
	await putDocuments(db, data.documents, 'add');
	await db.codes.bulkAdd(data.codes);
	// the study has no segments yet (new, or all deleted by the caller): packs written at once
	await putSegmentPacks(db, data.segments);
	await db.memos.bulkAdd(data.memos);
}

/** Rows per bulkAdd while storing a large study with progress. */
export const STORE_CHUNK = 2_000;

/**
 * Write a whole study (already validated) in one transaction, in chunks of `STORE_CHUNK` rows,
 * calling `onProgress(rowsWritten, rowsTotal)` after each (restoring a large backup shows it).
 */
export async function insertStudyDataWithProgress(db: GlossDB, data: StudyData, onProgress: (done: number, total: number) => void): Promise<void> {
	const split = data.documents.map(splitDocument);
	// [table, rows, rows per bulkAdd, whether they count as the file's records (a document counts once, with its text)]
	const parts = [
		[db.coders, data.coders, STORE_CHUNK, true],
		[db.attributes, data.attributes, STORE_CHUNK, true],
		[db.cases, data.cases, STORE_CHUNK, true],
		[db.documents, split.map((s) => s.row), STORE_CHUNK, false],
		// texts are large: smaller chunks keep the progress moving
		[db.texts, split.map((s) => s.text), 50, true],
		[db.codes, data.codes, STORE_CHUNK, true],
		// segments: written as packs (`putSegmentPacks`), ~100 to a record
		[db.segmentPacks, data.segments, STORE_CHUNK, true],
		[db.memos, data.memos, STORE_CHUNK, true]
	] as const;
	const total = parts.reduce((n, [, rows, , counts]) => n + (counts ? rows.length : 0), 0);
	await db.transaction('rw', [db.studies, db.segmentPacks, db.segmentIds, ...db.studyTables], async () => {
		await db.studies.add(data.study);
		let done = 0;
		for (const [table, rows, size, counts] of parts) {
			if (table === db.segmentPacks) {
				await putSegmentPacks(db, data.segments, size, (n) => onProgress((done += n), total));
				continue;
			}
			for (let i = 0; i < rows.length; i += size) {
				const chunk = rows.slice(i, i + size);
				await (table as unknown as { bulkAdd(r: readonly unknown[]): Promise<unknown> }).bulkAdd(chunk);
				if (!counts) continue;
				done += chunk.length;
				onProgress(done, total);
			}
		}
	});
}

/** Write a whole study (already validated) in one transaction. */
export async function insertStudyData(db: GlossDB, data: StudyData): Promise<void> {
	await db.transaction('rw', [db.studies, db.segmentPacks, db.segmentIds, ...db.studyTables], async () => {
		await db.studies.add(data.study);
		await addRows(db, data);
	});
}

/** A restored study and the repairs its file needed (empty when the file was sound). */
export interface Restored {
	study: Study;
	repairs: Repair[];
	/** A backup with recordings whose recordings could not be stored (the study was). */
	mediaError?: string;
}

/**
 * Restore a backup file's text as a new study, with what could not be placed repaired
 * (core/integrity.ts) and reported. Refused, with nothing written, only when the file is not a
 * Gloss backup or cannot be read.
 */
export async function restoreBackupReport(db: GlossDB, text: string, fileName: string): Promise<Result<Restored>> {
	const parsed = parseBackupReport(text, newId(), fileName);
	if (!parsed.ok) return parsed;
	return storeRestored(db, parsed.value, text.length, fileName);
}

/**
 * Store a backup already read and checked (in a worker: workers/backup.ts) as a new study, in one
 * transaction, after checking there is room for about `size` characters.
 */
export async function storeRestored(
	db: GlossDB,
	read: ReadBackup,
	size: number,
	fileName: string,
	onProgress?: (done: number, total: number) => void
): Promise<Result<Restored>> {
	const noRoom = await roomFor(size, fileName);
	if (noRoom) return { ok: false, errors: [noRoom] };
	try {
		if (onProgress) await insertStudyDataWithProgress(db, read.data, onProgress);
		else await insertStudyData(db, read.data);
	} catch (e) {
		return { ok: false, errors: [writeFailure(e, fileName)] };
	}
	return { ok: true, value: { study: read.data.study, repairs: read.repairs } };
}

/** `restoreBackupReport` without the repairs. */
export async function restoreBackup(db: GlossDB, text: string, fileName: string): Promise<Result<Study>> {
	const r = await restoreBackupReport(db, text, fileName);
	return r.ok ? { ok: true, value: r.value.study } : r;
}

/** Check a study in the database (the same checks as restoring its backup). Nothing is written. */
export async function checkStudy(db: GlossDB, studyId: string): Promise<Result<Repair[]>> {
	const data = await loadStudyData(db, studyId);
	if (!data) return { ok: false, errors: ['This study no longer exists'] };
	return { ok: true, value: checkIntegrity(data).repairs };
}

/**
 * Check a study and make the repairs, in one transaction: the study's rows are replaced by the
 * repaired ones. Returns the repairs made (none: nothing was written).
 */
export async function repairStudy(db: GlossDB, studyId: string): Promise<Result<Repair[]>> {
	return db.transaction('rw', [db.studies, db.segmentPacks, db.segmentIds, ...db.studyTables], async () => {
		const data = await loadStudyData(db, studyId);
		if (!data) return { ok: false, errors: ['This study no longer exists'] } as const;
		const { data: fixed, repairs } = checkIntegrity(data);
		if (repairs.length === 0) return { ok: true, value: repairs } as const;
		for (const t of db.studyTables) await ofStudy(t as Table<unknown, unknown>, studyId).delete();
		await addRows(db, fixed);
		await db.studies.update(studyId, { updatedAt: nowIso() });
		return { ok: true, value: repairs } as const;
	});
}
