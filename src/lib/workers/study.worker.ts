/** The study worker (workers/study.ts): reads the study from its own connection to the database, runs the job, posts the result. */
import { GlossDB } from '../db/db';
import { runStudyJobHere, type StudyWorkerRequest } from './study';

self.onmessage = async (e: MessageEvent<StudyWorkerRequest>) => {
	const post = (m: unknown) => (self as unknown as { postMessage: (m: unknown) => void }).postMessage(m);
	const db = new GlossDB(e.data.dbName);
	try {
		post(await runStudyJobHere(db, e.data.studyId, e.data.job));
	} catch (err) {
		post({ ok: false, errors: [(err as Error).message] });
	} finally {
		db.close();
	}
};
