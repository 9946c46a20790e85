/** The analysis worker (workers/analysis.ts): one connection to the page's database, the study held between jobs, results posted back. */
import { GlossDB } from '../db/db';
import { AnalysisComputer, type AnalysisWorkerReply, type AnalysisWorkerRequest } from './analysis';

let computer: AnalysisComputer | null = null;

self.onmessage = async (e: MessageEvent<AnalysisWorkerRequest>) => {
	const { id, dbName, studyId, version, job } = e.data;
	const post = (m: AnalysisWorkerReply) => (self as unknown as { postMessage: (m: unknown) => void }).postMessage(m);
	if (computer?.db.name !== dbName) {
		computer?.db.close();
		computer = new AnalysisComputer(new GlossDB(dbName));
	}
	let result: AnalysisWorkerReply['result'];
	try {
		result = await computer.run(id, studyId, version, job);
	} catch (err) {
		result = { ok: false, errors: [(err as Error).message] };
	}
	post({ id, result });
};
