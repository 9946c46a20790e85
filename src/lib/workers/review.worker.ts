/** The review worker (workers/review.ts): one connection to the page's database, the study held between jobs, results posted back. */
import { GlossDB } from '../db/db';
import { ReviewComputer, type ReviewWorkerReply, type ReviewWorkerRequest } from './review';

let computer: ReviewComputer | null = null;

self.onmessage = async (e: MessageEvent<ReviewWorkerRequest>) => {
	const { id, dbName, studyId, version, job } = e.data;
	const post = (m: ReviewWorkerReply) => (self as unknown as { postMessage: (m: unknown) => void }).postMessage(m);
	if (computer?.db.name !== dbName) {
		computer?.db.close();
		computer = new ReviewComputer(new GlossDB(dbName));
	}
	let result: ReviewWorkerReply['result'];
	try {
		result = await computer.run(id, studyId, version, job);
	} catch (err) {
		result = { ok: false, errors: [(err as Error).message] };
	}
	post({ id, result });
};
