/**
 * A Web Worker that reads a backup off the main thread (JSON, every record checked, repairs; for a
 * merge also the merge plan), posting its progress, then the result. It writes nothing; the page
 * stores the result in one transaction.
 */
import { runBackupJobHere, type BackupJob, type BackupWorkerReply } from './backup';

const post = (m: BackupWorkerReply) => (self as unknown as { postMessage: (m: BackupWorkerReply) => void }).postMessage(m);

self.onmessage = (e: MessageEvent<BackupJob>) => {
	try {
		const result = runBackupJobHere(e.data, (done, total, label) => post({ kind: 'progress', done, total, label }));
		post({ kind: 'result', result });
	} catch (err) {
		post({ kind: 'result', result: { ok: false, errors: [`${e.data.fileName}: could not be read (${(err as Error).message})`] } });
	}
};
