/**
 * The Start page's state: every study in this browser with its counts, live, and the commands
 * that create, rename, delete and restore studies.
 */
import { getDb, type GlossDB } from '../db/db';
import { createStudy, deleteStudy, renameStudy, studyCounts, type Restored, type StudyCounts } from '../db/studies';
import { BACKUP_CANCELLED, runBackupJob, type BackupProgress } from '../workers/backup';
import { newId } from '../core/ids';
import { MAX_BACKUP_BYTES } from '../core/backup';
import { isZip, readBackupZip } from '../core/backup-zip';
import { restoreMedia } from '../db/media';
import type { Result, Study } from '../core/types';
import { currentCoderKey } from '../db/coders';
import { Live } from './live.svelte';

export interface StudyRow {
	study: Study;
	counts: StudyCounts;
}

/** Progress of reading a backup (in a worker), a signal to cancel it, and a call as the write begins (no cancel from then on). */
export interface RestoreOptions {
	onProgress?: BackupProgress;
	signal?: AbortSignal;
	onWrite?: () => void;
}

export const DEMO_URL = '/demo/cleaner-production.gloss.json';

/**
 * Restore a backup's text as a new study. When a study of the same name is already in this
 * browser (the original beside its restored copy, or the demo loaded twice), the new one is
 * named "Name (2)", "Name (3)"… so the researcher can tell them apart on the Start page.
 */
export async function restoreAsNewStudy(db: GlossDB, text: string | File, fileName: string, opts: RestoreOptions = {}): Promise<Result<Restored>> {
	const taken = (await db.studies.toArray()).map((s) => s.name);
	// Read, checked and written in a worker (progress, cancel until the write begins), in one transaction.
	let writing = false;
	const job = await runBackupJob(
		{ kind: 'store', text, fileName, studyId: newId(), dbName: db.name, taken },
		(done, total, label, unit) => {
			if (unit === 'records' && !writing) {
				writing = true;
				opts.onWrite?.();
			}
			opts.onProgress?.(done, total, label, unit);
		},
		opts.signal,
		db
	);
	if (!job.ok) return job;
	if (job.value.kind !== 'stored') return { ok: false, errors: [BACKUP_CANCELLED] };
	// The worker wrote the study: this window's live queries hear of it through Dexie's
	// cross-context channel, which a browser may hold back (a background tab); the study's row
	// written again here tells them now.
	const row = await db.studies.get(job.value.restored.study.id);
	if (row) await db.studies.put(row);
	return { ok: true, value: job.value.restored };
}

/**
 * Restore a `.gloss.json` file as a new study, with the repairs it needed (shown to the
 * researcher). Too large, empty or unreadable files (not UTF-8 or UTF-16, binary) are refused,
 * naming the file, and nothing is stored.
 */
export async function restoreBackupFile(db: GlossDB, file: File, opts: RestoreOptions = {}): Promise<Result<Restored>> {
	if (file.size === 0) return { ok: false, errors: [`${file.name}: the file is empty`] };
	const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
	if (isZip(head)) return restoreBackupZip(db, file, opts);
	if (file.size > MAX_BACKUP_BYTES)
		return {
			ok: false,
			errors: [`${file.name}: too large (${Math.round(file.size / 1048576)} MB); a Gloss backup is at most ${MAX_BACKUP_BYTES / 1048576} MB`]
		};
	// The file is decoded in the worker too (a large backup's text never passes through this thread).
	return restoreAsNewStudy(db, file, file.name, opts);
}

/**
 * Restore a `.gloss.zip` (a backup with its recordings): the backup as any other, then its
 * recordings with their documents. Should the recordings not fit, the study is kept and the
 * message says the recordings were left out.
 */
async function restoreBackupZip(db: GlossDB, file: File, opts: RestoreOptions): Promise<Result<Restored>> {
	const read = readBackupZip(new Uint8Array(await file.arrayBuffer()), file.name);
	if (!read.ok) return { ok: false, errors: [read.errors] };
	const r = await restoreAsNewStudy(db, read.value.json, file.name, opts);
	if (!r.ok || read.value.media.length === 0) return r;
	const m = await restoreMedia(db, r.value.study.id, read.value.media, file.name);
	if (!m.ok) return { ok: true, value: { ...r.value, mediaError: `${m.errors[0]} The study was restored without its recordings.` } };
	return r;
}

export class StudyList {
	readonly db: GlossDB;
	#rows: Live<StudyRow[]>;

	constructor(db: GlossDB = getDb()) {
		this.db = db;
		this.#rows = new Live(async () => {
			const studies = await db.studies.toArray();
			studies.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
			// without memos on segments: counting them reads every segment (`withAllCounts` adds them)
			return Promise.all(studies.map(async (study) => ({ study, counts: await studyCounts(db, study.id, false) })));
		}, []);
	}

	get rows(): StudyRow[] {
		return this.#rows.current;
	}

	/** The row with every count, memos on coded segments included (what deleting it loses). */
	async withAllCounts(row: StudyRow): Promise<StudyRow> {
		return { ...row, counts: await studyCounts(this.db, row.study.id) };
	}
	get loaded(): boolean {
		return this.#rows.loaded;
	}

	create(name: string): Promise<Result<Study>> {
		return createStudy(this.db, name);
	}

	rename(id: string, name: string): Promise<Result<Study>> {
		return renameStudy(this.db, id, name);
	}

	async remove(id: string): Promise<Result<null>> {
		try {
			await deleteStudy(this.db, id);
			await this.db.settings.delete(currentCoderKey(id));
			return { ok: true, value: null };
		} catch (e) {
			return { ok: false, errors: [`Could not delete the study: ${(e as Error).message}`] };
		}
	}

	/** Restore a `.gloss.json` file as a new study (`restoreBackupFile`). */
	restoreFile(file: File, opts: RestoreOptions = {}): Promise<Result<Restored>> {
		return restoreBackupFile(this.db, file, opts);
	}

	/** Fetch the demo study shipped with Gloss and restore it as a new study. */
	async loadDemo(fetcher: typeof fetch = fetch): Promise<Result<Restored>> {
		let text: string;
		try {
			const res = await fetcher(DEMO_URL);
			if (!res.ok) return { ok: false, errors: [`The demo study could not be loaded (HTTP ${res.status}).`] };
			if ((res.headers.get('content-type') ?? '').includes('text/html'))
				return { ok: false, errors: ['The demo study is not part of this build of Gloss (static/demo is missing).'] };
			text = await res.text();
		} catch (e) {
			return { ok: false, errors: [`The demo study could not be loaded (${(e as Error).message}).`] };
		}
		return restoreAsNewStudy(this.db, text, 'cleaner-production.gloss.json');
	}
}
