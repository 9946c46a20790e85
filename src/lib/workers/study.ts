/**
 * Work over a whole study in a Web Worker (src/lib/workers/study.worker.ts): the worker reads the
 * study from IndexedDB itself (its own connection to the page's database) and computes with core,
 * so the page never reads, holds or clones the study's rows: at 100,000 segments and 5 million
 * words that alone would freeze the page for seconds. Only the result comes back: a CSV as a Blob made
 * in the worker (posting a Blob hands over a reference, not 40 MB of text to copy and encode again).
 * Where there is no Worker (Node tests), the same runs on this thread with the caller's database.
 */
import type { AnalysisFilter } from '../core/analysis';
import type { CsvOptions } from '../core/csv';
import { matrixCsv, segmentsCsvParts, type MatrixCsvOptions } from '../core/exports';
import type { Result } from '../core/types';
import type { GlossDB } from '../db/db';
import { loadStudyData } from '../db/studies';

export type StudyJob =
	| { kind: 'segments-csv'; filter: AnalysisFilter; opts: CsvOptions }
	| { kind: 'matrix-csv'; filter: AnalysisFilter; opts: MatrixCsvOptions };

export const CSV_TYPE = 'text/csv;charset=utf-8';

export interface StudyJobResult {
	/** The CSV, UTF-8 (`CSV_TYPE`). */
	blob: Blob;
	/** Rows of the table (cases of a matrix, segments of the segments CSV). */
	rows: number;
}

export type StudyWorkerRequest = { dbName: string; studyId: string; job: StudyJob };

/** Run a job over the study in `db` on this thread. */
export async function runStudyJobHere(db: GlossDB, studyId: string, job: StudyJob): Promise<Result<StudyJobResult>> {
	const data = await loadStudyData(db, studyId);
	if (!data) return { ok: false, errors: ['the study is no longer in this browser'] };
	if (job.kind === 'segments-csv') {
		const blob = new Blob(segmentsCsvParts(data, job.filter, job.opts), { type: CSV_TYPE });
		return { ok: true, value: { blob, rows: data.segments.length } };
	}
	return { ok: true, value: { blob: new Blob([matrixCsv(data, job.filter, job.opts)], { type: CSV_TYPE }), rows: data.cases.length } };
}

/** Run a job over a study in a worker (here where there is none). */
export function runStudyJob(db: GlossDB, studyId: string, job: StudyJob): Promise<Result<StudyJobResult>> {
	if (typeof Worker === 'undefined') return runStudyJobHere(db, studyId, job);
	return new Promise((resolve) => {
		const worker = new Worker(new URL('./study.worker.ts', import.meta.url), { type: 'module' });
		const finish = (r: Result<StudyJobResult>) => {
			worker.terminate();
			resolve(r);
		};
		worker.onmessage = (e: MessageEvent<Result<StudyJobResult>>) => finish(e.data);
		worker.onerror = (e) => {
			e.preventDefault();
			finish({ ok: false, errors: [e.message || 'the worker stopped'] });
		};
		worker.postMessage({ dbName: db.name, studyId, job } satisfies StudyWorkerRequest);
	});
}
