/**
 * Read a backup (to restore it, or to merge a coder's copy into a study) in a Web Worker
 * (src/lib/workers/backup.worker.ts), with progress and cancel: parsing, the integrity check and
 * the merge plan run off the main thread. The page then writes the result in one transaction;
 * cancelling terminates the worker, which has written nothing. Where the browser has no workers
 * (or in a test without one) the same steps run on this thread.
 */
import { parseBackupReport, readBackupReport, type ReadBackup } from '../core/backup';
import { uniqueName } from '../core/import';
import { readTextFile } from '../core/text';
import type { GlossDB } from '../db/db';
import { storeRestored, type Restored } from '../db/studies';
import { mergeStudy, type MergeReport } from '../core/merge';
import type { Result, StudyData } from '../core/types';

export type BackupJob =
	| { kind: 'restore'; text: string; fileName: string; studyId: string }
	/**
	 * Restore and store: read the file (decoded there when `text` is a File), check as 'restore', then write the study into the database
	 * `dbName` in one transaction (with progress per 2,000 rows), named apart from `taken`.
	 * Run in the worker, the page never holds the study's rows.
	 */
	| { kind: 'store'; text: string | File; fileName: string; studyId: string; dbName: string; taken: string[] }
	/** `master` is the study as it was when the merge began; the write checks it is still so. */
	| { kind: 'merge'; text: string; fileName: string; master: StudyData };
export type BackupJobResult =
	| { kind: 'restore'; read: ReadBackup }
	| { kind: 'stored'; restored: Restored }
	| { kind: 'merge'; incoming: ReadBackup; plan: { data: StudyData; report: MergeReport } };
/** Step `done` of `total` finished (`unit`: steps, or records while saving); `label` is the step now under way. */
export type BackupProgress = (done: number, total: number, label: string, unit?: 'steps' | 'records') => void;

export type BackupWorkerReply =
	| { kind: 'progress'; done: number; total: number; label: string; unit?: 'steps' | 'records' }
	| { kind: 'result'; result: Result<BackupJobResult> };

export const BACKUP_CANCELLED = 'Cancelled: nothing was changed.';

/**
 * Progress as the worker posts it to the page: each step, but records saved at most once per
 * `everyMs` (each message is a task, a re-render and a frame on the page while it should stay
 * smooth), always the first (the write began: no cancel from then on) and the last.
 */
export function throttledProgress(send: BackupProgress, everyMs = 100, now: () => number = () => performance.now()): BackupProgress {
	let last = -Infinity;
	return (done, total, label, unit) => {
		if (unit === 'records') {
			const t = now();
			if (done < total && t - last < everyMs) return;
			last = t;
		}
		send(done, total, label, unit);
	};
}

/** The steps, as the worker runs them (and this thread, where there is no worker). */
export function runBackupJobHere(job: Exclude<BackupJob, { kind: 'store' }>, onProgress?: BackupProgress): Result<BackupJobResult> {
	const total = job.kind === 'restore' ? 3 : 4;
	onProgress?.(0, total, `Reading ${job.fileName}`);
	const studyId = job.kind === 'restore' ? job.studyId : `incoming-${job.master.study.id}`;
	let raw: unknown;
	try {
		raw = job.text.trim() === '' ? undefined : JSON.parse(job.text.charCodeAt(0) === 0xfeff ? job.text.slice(1) : job.text);
	} catch {
		raw = undefined;
	}
	onProgress?.(1, total, 'Checking every record');
	// A file that is not JSON gets parseBackupReport's message, naming the file.
	const read = raw === undefined ? parseBackupReport(job.text, studyId, job.fileName) : readBackupReport(raw, studyId, job.fileName);
	if (!read.ok) return read;
	if (job.kind === 'restore') {
		onProgress?.(2, total, 'Saving');
		return { ok: true, value: { kind: 'restore', read: read.value } };
	}
	onProgress?.(2, total, 'Matching documents, codes and coders');
	const plan = mergeStudy(job.master, read.value.data);
	onProgress?.(3, total, 'Saving');
	return { ok: true, value: { kind: 'merge', incoming: read.value, plan } };
}

/** A 'store' job: read and check, then write into `db` (the worker opens its own connection to `job.dbName`). */
export async function runStoreJobHere(
	db: GlossDB,
	job: Extract<BackupJob, { kind: 'store' }>,
	onProgress?: BackupProgress
): Promise<Result<BackupJobResult>> {
	let text: string;
	if (typeof job.text === 'string') text = job.text;
	else {
		onProgress?.(0, 3, `Reading ${job.fileName}`);
		const decoded = await readTextFile(job.text);
		if (!decoded.ok) return { ok: false, errors: [decoded.errors] };
		text = decoded.value;
	}
	const read = runBackupJobHere({ kind: 'restore', text, fileName: job.fileName, studyId: job.studyId }, onProgress);
	if (!read.ok || read.value.kind !== 'restore') return read;
	const { data, repairs } = read.value.read;
	const name = uniqueName(data.study.name, job.taken);
	const named = name === data.study.name ? data : { ...data, study: { ...data.study, name } };
	const r = await storeRestored(db, { data: named, repairs }, text.length, job.fileName, (done, total) =>
		onProgress?.(done, total, `Saving ${done.toLocaleString('en')} of ${total.toLocaleString('en')} records`, 'records')
	);
	return r.ok ? { ok: true, value: { kind: 'stored', restored: r.value } } : r;
}

/**
 * Run a job in a Web Worker (here where there is none). A 'store' job's write is in the worker
 * too, into its own connection to the same database; here it uses `db`.
 */
export function runBackupJob(job: BackupJob, onProgress?: BackupProgress, signal?: AbortSignal, db?: GlossDB): Promise<Result<BackupJobResult>> {
	if (signal?.aborted) return Promise.resolve({ ok: false, errors: [BACKUP_CANCELLED] });
	if (typeof Worker === 'undefined') {
		if (job.kind !== 'store') return Promise.resolve(runBackupJobHere(job, onProgress));
		if (!db) return Promise.resolve({ ok: false, errors: [`${job.fileName}: no database to restore into`] });
		return runStoreJobHere(db, job, onProgress);
	}
	return new Promise((resolve) => {
		const worker = new Worker(new URL('./backup.worker.ts', import.meta.url), { type: 'module' });
		const finish = (r: Result<BackupJobResult>) => {
			worker.terminate();
			signal?.removeEventListener('abort', abort);
			resolve(r);
		};
		const abort = () => finish({ ok: false, errors: [BACKUP_CANCELLED] });
		signal?.addEventListener('abort', abort);
		worker.onmessage = (e: MessageEvent<BackupWorkerReply>) => {
			if (e.data.kind === 'progress') onProgress?.(e.data.done, e.data.total, e.data.label, e.data.unit);
			else finish(e.data.result);
		};
		worker.onerror = (e) => {
			e.preventDefault();
			finish({ ok: false, errors: [`${job.fileName}: could not be read (${e.message || 'the reader stopped'})`] });
		};
		worker.postMessage(job);
	});
}
