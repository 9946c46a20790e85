/**
 * A page's jobs in its own worker, shared by Analyse (`analysis.ts`) and Review (`review.ts`): the
 * page side (`PageJobs`: one worker for the life of the page, so the study it holds survives
 * setting changes) and the worker side (`serveJobs`). A job is answered by a `JobComputer`, which
 * holds the study until its change time moves and answers null for a job that a newer one of the
 * same kind overtook.
 */
import { GlossDB } from '../db/db';
import type { Id, Result } from '../core/types';

export interface JobComputer<Job> {
	readonly db: GlossDB;
	run(id: number, studyId: Id, version: string, job: Job): Promise<Result<unknown>>;
}

export interface JobRequest<Job> {
	id: number;
	dbName: string;
	studyId: Id;
	/** The study's change time: the worker reads the study again when it differs from the one it holds. */
	version: string;
	job: Job;
}
/** `value` null: a newer request of the same kind overtook this one. */
export type JobReply = { id: number; result: Result<unknown> };

/**
 * `run` resolves with the job's result, or null when a newer request of the same kind made it
 * stale (the worker skipped it, or the page asked again before it came back). Without `Worker`
 * (Node tests) the same computer runs on the page.
 */
export class PageJobs<Job extends { kind: string }, Values extends { [K in Job['kind']]: unknown }> {
	readonly #db: GlossDB;
	readonly #studyId: Id;
	readonly #spawn: () => Worker;
	readonly #compute: (db: GlossDB) => JobComputer<Job>;
	#worker: Worker | null = null;
	#here: JobComputer<Job> | null = null;
	#next = 0;
	#latest = new Map<Job['kind'], number>();
	#waiting = new Map<number, (r: Result<unknown>) => void>();

	constructor(db: GlossDB, studyId: Id, spawn: () => Worker, compute: (db: GlossDB) => JobComputer<Job>) {
		this.#db = db;
		this.#studyId = studyId;
		this.#spawn = spawn;
		this.#compute = compute;
	}

	async run<J extends Job>(version: string, job: J): Promise<Result<Values[J['kind']]> | null> {
		const id = ++this.#next;
		this.#latest.set(job.kind, id);
		let r: Result<unknown>;
		// $state proxies cannot be cloned: send plain data
		const plain = JSON.parse(JSON.stringify(job)) as J;
		if (typeof Worker === 'undefined') {
			this.#here ??= this.#compute(this.#db);
			r = await this.#here.run(id, this.#studyId, version, plain).catch((e: unknown) => ({ ok: false as const, errors: [(e as Error).message] }));
		} else {
			const w = this.#start();
			r = await new Promise((resolve) => {
				this.#waiting.set(id, resolve);
				w.postMessage({ id, dbName: this.#db.name, studyId: this.#studyId, version, job: plain } satisfies JobRequest<Job>);
			});
		}
		if (this.#latest.get(job.kind) !== id || (r.ok && r.value === null)) return null;
		return r as Result<Values[J['kind']]>;
	}

	#start(): Worker {
		if (this.#worker) return this.#worker;
		const w = this.#spawn();
		w.onmessage = (e: MessageEvent<JobReply>) => {
			const resolve = this.#waiting.get(e.data.id);
			this.#waiting.delete(e.data.id);
			resolve?.(e.data.result);
		};
		w.onerror = (e) => {
			e.preventDefault();
			// the worker is gone: every job waiting fails, the next one starts a new worker
			this.#settle({ ok: false, errors: [e.message || 'the worker stopped'] });
		};
		this.#worker = w;
		return w;
	}

	#settle(result: Result<unknown>): void {
		this.#worker?.terminate();
		this.#worker = null;
		const waiting = [...this.#waiting.values()];
		this.#waiting.clear();
		for (const resolve of waiting) resolve(result);
	}

	/** Stop the worker; jobs still waiting resolve as stale. */
	close(): void {
		this.#latest.clear();
		this.#settle({ ok: true, value: null });
	}
}

/** The worker's side: one connection to the page's database, the computer held between jobs, results posted back. */
export function serveJobs<Job>(compute: (db: GlossDB) => JobComputer<Job>): void {
	let computer: JobComputer<Job> | null = null;
	self.onmessage = async (e: MessageEvent<JobRequest<Job>>) => {
		const { id, dbName, studyId, version, job } = e.data;
		if (computer?.db.name !== dbName) {
			computer?.db.close();
			computer = compute(new GlossDB(dbName));
		}
		let result: Result<unknown>;
		try {
			result = await computer.run(id, studyId, version, job);
		} catch (err) {
			result = { ok: false, errors: [(err as Error).message] };
		}
		(self as unknown as { postMessage: (m: JobReply) => void }).postMessage({ id, result });
	};
}

/**
 * What a computer holds of one study: read again only when the study or its change time differs
 * (a failed read is forgotten, so the next job reads again).
 */
export class Holding<H> {
	#held: Promise<H | null> | null = null;
	#for = '';

	get(studyId: Id, version: string, read: () => Promise<H | null>): Promise<H | null> {
		const at = `${studyId}\n${version}`;
		if (this.#held && this.#for === at) return this.#held;
		const held = read();
		this.#held = held;
		this.#for = at;
		held.catch(() => {
			if (this.#held === held) this.#held = null;
		});
		return held;
	}
}
