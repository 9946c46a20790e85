/**
 * Review's agreement work in a Web Worker (src/lib/workers/review.worker.ts), so that the page never
 * freezes: at 100,000 segments and 5 million words, reading the study and computing a report and its
 * disagreements take seconds. The worker opens its own connection to the page's database, reads the
 * study there and keeps it (`ReviewComputer`) until the study's change time moves, so a change of
 * unit, coders or threshold computes again without reading the study again. Only the results come
 * back: the coders and their counts, the documents and codes by name, the report, the passages with
 * their context. A request a newer one of the same kind overtook while the study was read is
 * answered `null` (stale), and the page ignores answers to requests it no longer waits for.
 * Where there is no Worker (Node tests), the same runs on this thread with the caller's database.
 */
import {
	reviewDisagreements,
	tryAgreementReport,
	type AgreementReport,
	type AgreementRow,
	type AgreementUnit,
	type CharacterPooling,
	type Disagreement
} from '../core/agreement';
import type { Code, Coder, Id, Result, StudyData } from '../core/types';
import type { GlossDB } from '../db/db';
import { loadStudyData } from '../db/studies';

/** The comparison's documents: 'default' those both coders coded, 'all', or one document's id. */
export type DocMode = 'default' | 'all' | Id;

export interface ReviewSettings {
	/** null: the default (the coder with the most coding; for B the next). */
	coderA: Id | null;
	coderB: Id | null;
	unit: AgreementUnit;
	threshold: number;
	docMode: DocMode;
	includeDescendants: boolean;
	pooling: CharacterPooling;
}

export interface CoderCount {
	coder: Coder;
	/** Segments with some extent. */
	segments: number;
}

/** What Review shows of the study besides the figures (small: no texts, no segments). */
export interface ReviewMeta {
	/** Every coder but the consensus coder, most segments first. */
	coders: CoderCount[];
	consensus: Coder | null;
	/** In the study's stored order. */
	documents: { id: Id; name: string }[];
	codes: Code[];
}

/** A disagreement with the document's text around it (up to 90 characters, within its line). */
export interface ReviewPassage extends Disagreement {
	before: string;
	after: string;
}

export interface ReviewResult {
	meta: ReviewMeta;
	/** The compared coders (the choice, or the default), null when fewer than two have coded. */
	a: Id | null;
	b: Id | null;
	report: Result<AgreementReport> | null;
	/** Every disagreement over the report's codes and documents, each once (reviewDisagreements). */
	passages: ReviewPassage[];
}

export interface DocumentRowsRequest {
	a: Id;
	b: Id;
	unit: AgreementUnit;
	threshold: number;
	includeDescendants: boolean;
	documentIds: Id[];
	codeIds: Id[];
	codeId: Id;
}

export type ReviewJob = { kind: 'review'; settings: ReviewSettings } | { kind: 'document-rows'; request: DocumentRowsRequest };
export type ReviewJobValue<J extends ReviewJob> = J extends { kind: 'review' } ? ReviewResult : AgreementRow[];

export interface ReviewWorkerRequest {
	id: number;
	dbName: string;
	studyId: Id;
	/** The study's change time: the worker reads the study again when it differs from the one it holds. */
	version: string;
	job: ReviewJob;
}
/** `value` null: a newer request of the same kind overtook this one. */
export type ReviewWorkerReply = { id: number; result: Result<ReviewResult | AgreementRow[] | null> };

export function reviewMeta(data: StudyData): ReviewMeta {
	const n = new Map<Id, number>();
	for (const s of data.segments) if (s.end > s.start) n.set(s.coderId, (n.get(s.coderId) ?? 0) + 1);
	return {
		coders: data.coders
			.filter((c) => !c.isConsensus)
			.map((coder) => ({ coder, segments: n.get(coder.id) ?? 0 }))
			.sort((a, b) => b.segments - a.segments || a.coder.name.localeCompare(b.coder.name)),
		consensus: data.coders.find((c) => c.isConsensus) ?? null,
		documents: data.documents.map((d) => ({ id: d.id, name: d.name })),
		codes: data.codes
	};
}

/**
 * The two coders compared: those chosen, or by default the coders with the most coding. Only coders
 * who have coded something can be compared (comparing with one who has not would show
 * plausible-looking statistics).
 */
export function pickCoders(all: readonly CoderCount[], coderA: Id | null, coderB: Id | null): { a: Coder | null; b: Coder | null } {
	const list = all.filter((c) => c.segments > 0);
	const a = list.find((c) => c.coder.id === coderA)?.coder ?? list.find((c) => c.coder.id !== coderB)?.coder ?? null;
	const b = list.find((c) => c.coder.id === coderB && c.coder.id !== a?.id)?.coder ?? list.find((c) => c.coder.id !== a?.id)?.coder ?? null;
	return { a, b };
}

/** The documents a `docMode` stands for (undefined: the report's default, those both coders coded). */
export function documentIdsFor(documents: readonly { id: Id }[], docMode: DocMode): Id[] | undefined {
	if (docMode === 'default') return undefined;
	if (docMode === 'all') return documents.map((x) => x.id);
	return documents.some((x) => x.id === docMode) ? [docMode] : undefined;
}

function withContext(p: Disagreement, text: string): ReviewPassage {
	let before = text.slice(Math.max(0, p.start - 90), p.start);
	const nl = before.lastIndexOf('\n');
	if (nl >= 0) before = before.slice(nl + 1);
	let after = text.slice(p.end, p.end + 90);
	const nl2 = after.indexOf('\n');
	if (nl2 >= 0) after = after.slice(0, nl2);
	return { ...p, before, after };
}

/** Everything Review shows for these settings, from the study's rows. */
export function computeReview(data: StudyData, s: ReviewSettings): ReviewResult {
	const meta = reviewMeta(data);
	const { a, b } = pickCoders(meta.coders, s.coderA, s.coderB);
	if (!a || !b) return { meta, a: a?.id ?? null, b: b?.id ?? null, report: null, passages: [] };
	const report = tryAgreementReport(data, {
		coderIds: [a.id, b.id],
		unit: s.unit,
		threshold: s.threshold,
		documentIds: documentIdsFor(data.documents, s.docMode),
		includeDescendants: s.includeDescendants,
		pooling: s.pooling,
		// the character unit also shows NVivo's table per code and document
		byDocument: s.unit === 'character'
	});
	let passages: ReviewPassage[] = [];
	if (report.ok) {
		const texts = new Map(data.documents.map((d) => [d.id, d.text] as const));
		passages = reviewDisagreements(data, a.id, b.id, s.threshold, {
			codeIds: report.value.codeIds,
			documentIds: report.value.documentIds,
			includeDescendants: s.includeDescendants
		}).map((p) => withContext(p, texts.get(p.documentId) ?? ''));
	}
	return { meta, a: a.id, b: b.id, report, passages };
}

/** One code's figures per document (NVivo's per-source comparison), for units whose report has none. */
export function computeDocumentRows(data: StudyData, r: DocumentRowsRequest): AgreementRow[] {
	const per = tryAgreementReport(data, {
		coderIds: [r.a, r.b],
		unit: r.unit,
		threshold: r.threshold,
		documentIds: r.documentIds,
		codeIds: r.codeIds, // all codes: the segment unit's chance agreement counts the codes in use
		includeDescendants: r.includeDescendants,
		byDocument: true
	});
	return per.ok ? per.value.documentRows.filter((row) => row.codeId === r.codeId) : [];
}

/**
 * Runs review jobs over one database, holding the study it read last (by study and change time).
 * The worker keeps one; so does the page where there is no Worker.
 */
export class ReviewComputer {
	readonly db: GlossDB;
	#held: { studyId: Id; version: string; data: Promise<StudyData | null> } | null = null;
	#latest = new Map<ReviewJob['kind'], number>();
	/** How many times the study was read (for tests). */
	reads = 0;

	constructor(db: GlossDB) {
		this.db = db;
	}

	#study(studyId: Id, version: string): Promise<StudyData | null> {
		const h = this.#held;
		if (h && h.studyId === studyId && h.version === version) return h.data;
		this.reads++;
		const data = loadStudyData(this.db, studyId);
		this.#held = { studyId, version, data };
		data.catch(() => {
			if (this.#held?.data === data) this.#held = null;
		});
		return data;
	}

	/** The job's result; value null when a newer request of the same kind came while the study was read. */
	async run(id: number, studyId: Id, version: string, job: ReviewJob): Promise<Result<ReviewResult | AgreementRow[] | null>> {
		this.#latest.set(job.kind, id);
		const data = await this.#study(studyId, version);
		if (this.#latest.get(job.kind) !== id) return { ok: true, value: null };
		if (!data) return { ok: false, errors: ['the study is no longer in this browser'] };
		return { ok: true, value: job.kind === 'review' ? computeReview(data, job.settings) : computeDocumentRows(data, job.request) };
	}
}

/**
 * The page's side: one worker for the life of a Review page (so the study it holds survives setting
 * changes), `run` resolving with the job's result, or null when a newer request of the same kind
 * made it stale (the worker skipped it, or the page asked again before it came back).
 */
export class ReviewJobs {
	readonly #db: GlossDB;
	readonly #studyId: Id;
	#worker: Worker | null = null;
	#here: ReviewComputer | null = null;
	#next = 0;
	#latest = new Map<ReviewJob['kind'], number>();
	#waiting = new Map<number, (r: Result<ReviewResult | AgreementRow[] | null>) => void>();

	constructor(db: GlossDB, studyId: Id) {
		this.#db = db;
		this.#studyId = studyId;
	}

	async run<J extends ReviewJob>(version: string, job: J): Promise<Result<ReviewJobValue<J>> | null> {
		const id = ++this.#next;
		this.#latest.set(job.kind, id);
		let r: Result<ReviewResult | AgreementRow[] | null>;
		if (typeof Worker === 'undefined') {
			this.#here ??= new ReviewComputer(this.#db);
			r = await this.#here.run(id, this.#studyId, version, job).catch((e: unknown) => ({ ok: false as const, errors: [(e as Error).message] }));
		} else {
			const w = this.#start();
			r = await new Promise((resolve) => {
				this.#waiting.set(id, resolve);
				w.postMessage({ id, dbName: this.#db.name, studyId: this.#studyId, version, job } satisfies ReviewWorkerRequest);
			});
		}
		if (this.#latest.get(job.kind) !== id || (r.ok && r.value === null)) return null;
		return r as Result<ReviewJobValue<J>>;
	}

	#start(): Worker {
		if (this.#worker) return this.#worker;
		const w = new Worker(new URL('./review.worker.ts', import.meta.url), { type: 'module' });
		w.onmessage = (e: MessageEvent<ReviewWorkerReply>) => {
			const resolve = this.#waiting.get(e.data.id);
			this.#waiting.delete(e.data.id);
			resolve?.(e.data.result);
		};
		w.onerror = (e) => {
			e.preventDefault();
			// the worker is gone: every job waiting fails, the next one starts a new worker
			this.#fail(e.message || 'the worker stopped');
		};
		this.#worker = w;
		return w;
	}

	#fail(message: string): void {
		this.#worker?.terminate();
		this.#worker = null;
		const waiting = [...this.#waiting.values()];
		this.#waiting.clear();
		for (const resolve of waiting) resolve({ ok: false, errors: [message] });
	}

	/** Stop the worker; jobs still waiting resolve as stale. */
	close(): void {
		this.#worker?.terminate();
		this.#worker = null;
		this.#latest.clear();
		const waiting = [...this.#waiting.values()];
		this.#waiting.clear();
		for (const resolve of waiting) resolve({ ok: true, value: null });
	}
}
