/** The study worker (workers/study.ts): its own connection to the database, the study held between jobs, each job's result posted back. */
import { GlossDB } from '../db/db';
import { HeldStudy, type StudyWorkerReply, type StudyWorkerRequest } from './study';

let held: HeldStudy | null = null;

self.onmessage = async (e: MessageEvent<StudyWorkerRequest>) => {
	const { id, dbName, studyId, version, job } = e.data;
	const post = (m: StudyWorkerReply) => (self as unknown as { postMessage: (m: unknown) => void }).postMessage(m);
	if (held?.db.name !== dbName) {
		held?.db.close();
		held = new HeldStudy(new GlossDB(dbName));
	}
	try {
		if (!job) {
			await held.read(studyId, version).catch(() => null);
			return;
		}
		post({ id, result: await held.run(studyId, version, job) });
	} catch (err) {
		post({ id, result: { ok: false, errors: [(err as Error).message] } });
	}
};
