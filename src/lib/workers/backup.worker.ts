/**
 * A Web Worker that reads a backup off the main thread (JSON, every record checked, repairs; for a
 * merge also the merge plan), posting its progress, then the result. A 'store' job (a restore) also
 * writes the study, in one transaction through its own connection to the page's database, so the
 * page never holds or clones the study's rows; the other jobs write nothing and the page stores
 * their result.
 */
import { GlossDB } from '../db/db';
import { runBackupJobHere, runStoreJobHere, throttledProgress, type BackupJob, type BackupWorkerReply } from './backup';

const post = (m: BackupWorkerReply) => (self as unknown as { postMessage: (m: BackupWorkerReply) => void }).postMessage(m);

self.onmessage = async (e: MessageEvent<BackupJob>) => {
	const progress = throttledProgress((done, total, label, unit) => post({ kind: 'progress', done, total, label, unit }));
	try {
		const job = e.data;
		if (job.kind === 'store') {
			// A restore written here: the page never holds the study's rows.
			const db = new GlossDB(job.dbName, { relaxed: true });
			try {
				post({ kind: 'result', result: await runStoreJobHere(db, job, progress) });
			} finally {
				db.close();
			}
			return;
		}
		const result = runBackupJobHere(job, progress);
		post({ kind: 'result', result });
	} catch (err) {
		post({ kind: 'result', result: { ok: false, errors: [`${e.data.fileName}: could not be read (${(err as Error).message})`] } });
	}
};
