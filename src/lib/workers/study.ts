/**
 * Work over a whole study in a Web Worker (src/lib/workers/study.worker.ts): the worker reads the
 * study from IndexedDB itself (its own connection to the page's database) and computes with core,
 * so the page never reads, holds or clones the study's rows: at 100,000 segments and 5 million
 * words that alone would freeze the page for seconds. Only the result comes back: a CSV as a Blob made
 * in the worker (posting a Blob hands over a reference, not 40 MB of text to copy and encode again).
 * The page keeps one worker while it offers the downloads (`StudyJobs`); the worker keeps the study
 * it read until the study's change time moves, so the next download does not read it again.
 * Where there is no Worker (Node tests), the same runs on this thread with the caller's database.
 */
import type { AnalysisFilter } from '../core/analysis';
import type { CsvOptions } from '../core/csv';
import { matrixCsv, segmentsCsvParts, type MatrixCsvOptions } from '../core/exports';
import type { Result, StudyData } from '../core/types';
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

/** `job` null: read the study now (the page expects to ask for a download), answer nothing. */
export type StudyWorkerRequest = { id: number; dbName: string; studyId: string; version: string; job: StudyJob | null };
export type StudyWorkerReply = { id: number; result: Result<StudyJobResult> };

/** Run a job over the study in `db` on this thread. */
export async function runStudyJobHere(db: GlossDB, studyId: string, job: StudyJob): Promise<Result<StudyJobResult>> {
	return jobOn(await loadStudyData(db, studyId), job);
}

function jobOn(data: StudyData | null, job: StudyJob): Result<StudyJobResult> {
	if (!data) return { ok: false, errors: ['the study is no longer in this browser'] };
	if (job.kind === 'segments-csv') {
		const blob = new Blob(segmentsCsvParts(data, job.filter, job.opts), { type: CSV_TYPE });
		return { ok: true, value: { blob, rows: data.segments.length } };
	}
	return { ok: true, value: { blob: new Blob([matrixCsv(data, job.filter, job.opts)], { type: CSV_TYPE }), rows: data.cases.length } };
}

/** The study as read at one change time, kept between jobs (by the worker, or here where there is none). */
export class HeldStudy {
	readonly db: GlossDB;
	#held: { at: string; data: Promise<StudyData | null> } | null = null;
	/** How many times the study was read (for tests). */
	reads = 0;
	constructor(db: GlossDB) {
		this.db = db;
	}
	read(studyId: string, version: string): Promise<StudyData | null> {
		const at = `${studyId}\n${version}`;
		if (this.#held?.at === at) return this.#held.data;
		this.reads++;
		const data = loadStudyData(this.db, studyId);
		const held = { at, data };
		this.#held = held;
		data.catch(() => {
			if (this.#held === held) this.#held = null;
		});
		return data;
	}
	async run(studyId: string, version: string, job: StudyJob): Promise<Result<StudyJobResult>> {
		return jobOn(await this.read(studyId, version), job);
	}
}

/**
 * The page's side: one worker for as long as the downloads are offered, holding the study read at
 * its change time, so several downloads in a row read it once; `warm` reads it before the first.
 */
export class StudyJobs {
	readonly #db: GlossDB;
	readonly #studyId: string;
	#worker: Worker | null = null;
	#here: HeldStudy | null = null;
	#next = 0;
	#waiting = new Map<number, (r: Result<StudyJobResult>) => void>();

	constructor(db: GlossDB, studyId: string) {
		this.#db = db;
		this.#studyId = studyId;
	}

	/** Have the study read at this change time, ahead of a job. */
	warm(version: string): void {
		if (typeof Worker === 'undefined') return;
		this.#start().postMessage({ id: ++this.#next, dbName: this.#db.name, studyId: this.#studyId, version, job: null } satisfies StudyWorkerRequest);
	}

	run(version: string, job: StudyJob): Promise<Result<StudyJobResult>> {
		if (typeof Worker === 'undefined') {
			this.#here ??= new HeldStudy(this.#db);
			return this.#here.run(this.#studyId, version, job);
		}
		const w = this.#start();
		const id = ++this.#next;
		return new Promise((resolve) => {
			this.#waiting.set(id, resolve);
			w.postMessage({ id, dbName: this.#db.name, studyId: this.#studyId, version, job } satisfies StudyWorkerRequest);
		});
	}

	#start(): Worker {
		if (this.#worker) return this.#worker;
		const w = new Worker(new URL('./study.worker.ts', import.meta.url), { type: 'module' });
		w.onmessage = (e: MessageEvent<StudyWorkerReply>) => {
			const resolve = this.#waiting.get(e.data.id);
			this.#waiting.delete(e.data.id);
			resolve?.(e.data.result);
		};
		w.onerror = (e) => {
			e.preventDefault();
			this.#stop(e.message || 'the worker stopped');
		};
		return (this.#worker = w);
	}

	#stop(message: string): void {
		this.#worker?.terminate();
		this.#worker = null;
		const waiting = [...this.#waiting.values()];
		this.#waiting.clear();
		for (const resolve of waiting) resolve({ ok: false, errors: [message] });
	}

	/** Stop the worker (jobs still waiting fail). */
	close(): void {
		this.#stop('the downloads were closed');
	}
}

/** Run one job over a study in a worker (here where there is none), reading the study for it. */
export async function runStudyJob(db: GlossDB, studyId: string, job: StudyJob): Promise<Result<StudyJobResult>> {
	const jobs = new StudyJobs(db, studyId);
	try {
		return await jobs.run(String(Date.now()), job);
	} finally {
		jobs.close();
	}
}
