/**
 * Review's agreement work in a Web Worker (src/lib/workers/review.worker.ts), so that the page never
 * freezes: at 100,000 segments and 5 million words, reading the study, computing a report and
 * finding some 50,000 disagreements take seconds, and the disagreements alone would take seconds to
 * copy to the page. The worker opens its own connection to the page's database, reads the study
 * there and keeps it (`ReviewComputer`) until the study's change time moves, with the last report
 * and the last disagreements, so a change of unit computes the report again and nothing else.
 * Only what the page shows comes back, in separate jobs so the table paints first:
 * - 'review': the coders and their counts, the documents and codes by name, the report (its rows per
 *   code and document only when the page shows them: 22,000 at full scale);
 * - 'summary': per code, how many disagreements there are and how many have a decision;
 * - 'passages': the first `limit` of one code's disagreements (or of every one), with their context,
 *   and how many there are (52,000 passages at full scale would take seconds to copy and render);
 * - 'document-rows': one code's figures per document.
 * A request that a newer one of the same kind overtook while the worker was busy is answered `null`
 * (stale), and the page ignores answers to requests it no longer waits for.
 * Where there is no Worker (Node tests), the same runs on this thread with the caller's database.
 */
import {
	combineDisagreements,
	disagreements,
	inferDecision,
	reviewCodes,
	tryAgreementReport,
	type AgreementReport,
	type AgreementRow,
	type AgreementUnit,
	type CharacterPooling,
	type Decision,
	type Disagreement
} from '../core/agreement';
import type { Code, Coder, Id, Result, Segment, StudyData } from '../core/types';
import { readDecisions, readDrops } from '../db/adjudication';
import type { GlossDB } from '../db/db';
import { loadStudyData } from '../db/studies';
import { Holding, PageJobs } from './jobs';

/** The comparison's documents: 'default' those both coders coded, 'all', or one document's id. */
export type DocMode = 'default' | 'all' | Id;

/** `passages` of every code together (each passage once). */
export const ALL_CODES = '(all)';

export interface ReviewSettings {
	/** null: the default (the coder with the most coding; for B the next). */
	coderA: Id | null;
	coderB: Id | null;
	unit: AgreementUnit;
	threshold: number;
	docMode: DocMode;
	includeDescendants: boolean;
	pooling: CharacterPooling;
	/** Character unit: the report's rows per code and document are shown (otherwise not computed). */
	perDocument: boolean;
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
}

export interface Progress {
	done: number;
	total: number;
}

/** Disagreements per code (`ALL_CODES`: every one, each once), and how many have a decision. */
export type ReviewSummary = Record<Id, Progress>;

/** The first passages of a code's disagreements, and how many there are in all. */
export interface PassagePage {
	passages: ReviewPassage[];
	total: number;
}

export type ReviewJob =
	| { kind: 'review'; settings: ReviewSettings }
	| { kind: 'summary'; settings: ReviewSettings }
	| { kind: 'passages'; settings: ReviewSettings; codeId: Id; limit: number }
	| { kind: 'document-rows'; settings: ReviewSettings; codeId: Id };
type Values = { review: ReviewResult; summary: ReviewSummary; passages: PassagePage; 'document-rows': AgreementRow[] };
export type ReviewJobValue<J extends ReviewJob> = Values[J['kind']];
type AnyValue = Values[keyof Values];

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

/** The key under which a passage's dropped or remembered decision is kept (per pair of coders). */
export function dropKey(a: Id | undefined, b: Id | undefined, p: Disagreement): string {
	return `${a}|${b}|${p.codeId}|${p.id}`;
}

/** What the page and the worker read a passage's decision from. */
export interface DecisionSources {
	consensusId: Id | null;
	/** The consensus coder's segments per document. */
	consensusByDocument: Map<Id, Segment[]>;
	drops: ReadonlySet<string>;
	remembered: Record<string, Decision>;
}

/** A passage's decision, read back from the consensus coder's coding (and remembered decisions and drops). */
export function decisionOf(p: Disagreement, key: string, src: DecisionSources): Decision | 'other' | null {
	if (!src.consensusId) return null;
	const hint = src.remembered[key] ?? (src.drops.has(key) ? 'drop' : null);
	// each passage looks only at its own document's segments: thousands of passages over all of them took minutes
	return inferDecision(p, { segments: src.consensusByDocument.get(p.documentId) ?? [] }, src.consensusId, hint);
}

export function consensusByDocument(segments: readonly Segment[], consensusId: Id | null): Map<Id, Segment[]> {
	const out = new Map<Id, Segment[]>();
	if (!consensusId) return out;
	for (const s of segments) {
		if (s.coderId !== consensusId) continue;
		const list = out.get(s.documentId);
		if (list) list.push(s);
		else out.set(s.documentId, [s]);
	}
	return out;
}

/** The agreement report for these settings (with rows per code and document when the character unit shows them). */
export function computeReport(data: StudyData, meta: ReviewMeta, s: ReviewSettings): ReviewResult {
	const { a, b } = pickCoders(meta.coders, s.coderA, s.coderB);
	if (!a || !b) return { meta, a: a?.id ?? null, b: b?.id ?? null, report: null };
	const report = tryAgreementReport(data, {
		coderIds: [a.id, b.id],
		unit: s.unit,
		threshold: s.threshold,
		documentIds: documentIdsFor(data.documents, s.docMode),
		includeDescendants: s.includeDescendants,
		pooling: s.pooling,
		// NVivo's table per code and document, when it is shown (a chosen code's rows come from 'document-rows')
		byDocument: s.unit === 'character' && s.perDocument
	});
	return { meta, a: a.id, b: b.id, report };
}

/** One code's passages (a 'different codes' passage is listed under each of its codes), or every one. */
export function passagesOf(all: readonly ReviewPassage[], codeId: Id): ReviewPassage[] {
	return codeId === ALL_CODES ? [...all] : all.filter((p) => p.codeIds.includes(codeId));
}

export function summarise(all: readonly ReviewPassage[], a: Id, b: Id, src: DecisionSources): ReviewSummary {
	const out: ReviewSummary = { [ALL_CODES]: { done: 0, total: 0 } };
	for (const p of all) {
		const done = decisionOf(p, dropKey(a, b, p), src) !== null ? 1 : 0;
		for (const id of [ALL_CODES, ...p.codeIds]) {
			const x = (out[id] ??= { done: 0, total: 0 });
			x.total++;
			x.done += done;
		}
	}
	return out;
}

/** One code's figures per document (NVivo's per-source comparison): the report's own with the character unit. */
export function computeDocumentRows(data: StudyData, a: Id, b: Id, report: AgreementReport, s: ReviewSettings, codeId: Id): AgreementRow[] {
	if (report.documentRows.length) return report.documentRows.filter((row) => row.codeId === codeId);
	const per = tryAgreementReport(data, {
		coderIds: [a, b],
		unit: s.unit,
		threshold: s.threshold,
		documentIds: report.documentIds,
		codeIds: report.codeIds, // all codes: the segment unit's chance agreement counts the codes in use
		includeDescendants: s.includeDescendants,
		pooling: s.pooling,
		byDocument: true
	});
	return per.ok ? per.value.documentRows.filter((row) => row.codeId === codeId) : [];
}

interface Held {
	studyId: Id;
	version: string;
	data: StudyData;
	meta: ReviewMeta;
	decisions: DecisionSources;
	report?: { key: string; value: ReviewResult };
	/** The disagreements being found or found (null: given up for newer settings). */
	passages?: { key: string; value: Promise<ReviewPassage[] | null> };
}

const nextTask = () => new Promise((r) => setTimeout(r, 0));

/**
 * Runs review jobs over one database, holding the study it read last (by study and change time),
 * the last report and the last disagreements. The worker keeps one; so does the page where there
 * is no Worker.
 */
export class ReviewComputer {
	readonly db: GlossDB;
	#holding = new Holding<Held>();
	/** The study held once read. */
	#current: Held | null = null;
	#latest = new Map<ReviewJob['kind'], number>();
	/** How many times the study was read, reports and disagreements computed (for tests). */
	counts = { reads: 0, reports: 0, passages: 0 };

	constructor(db: GlossDB) {
		this.db = db;
	}

	#study(studyId: Id, version: string): Promise<Held | null> {
		return this.#holding.get(studyId, version, async () => {
			this.counts.reads++;
			const [data, drops, remembered] = await Promise.all([loadStudyData(this.db, studyId), readDrops(this.db, studyId), readDecisions(this.db, studyId)]);
			if (!data) return null;
			const meta = reviewMeta(data);
			const consensusId = meta.consensus?.id ?? null;
			const decisions = { consensusId, consensusByDocument: consensusByDocument(data.segments, consensusId), drops: new Set(drops), remembered };
			return (this.#current = { studyId, version, data, meta, decisions });
		});
	}

	#report(h: Held, s: ReviewSettings): ReviewResult {
		const key = JSON.stringify(s);
		if (h.report?.key !== key) {
			this.counts.reports++;
			h.report = { key, value: computeReport(h.data, h.meta, s) };
		}
		return h.report.value;
	}

	/**
	 * The disagreements of a report, found code by code with a task between codes (a report asked
	 * for meanwhile is computed in between), given up (null) when newer settings ask for others.
	 */
	#passages(h: Held, r: ReviewResult, s: ReviewSettings): Promise<ReviewPassage[] | null> {
		if (!r.report?.ok || !r.a || !r.b) return Promise.resolve([]);
		const [a, b, rep] = [r.a, r.b, r.report.value];
		const key = JSON.stringify([a, b, s.threshold, s.includeDescendants, rep.codeIds, rep.documentIds]);
		if (h.passages?.key === key) return h.passages.value;
		this.counts.passages++;
		const opts = { codeIds: rep.codeIds, documentIds: rep.documentIds, includeDescendants: s.includeDescendants };
		const value = (async () => {
			const all: Disagreement[] = [];
			for (const c of reviewCodes(h.data, opts)) {
				all.push(...disagreements(h.data, c.id, a, b, s.threshold, opts));
				await nextTask();
				if (h.passages?.key !== key || this.#current !== h) return null;
			}
			const texts = new Map(h.data.documents.map((d) => [d.id, d.text] as const));
			return combineDisagreements(h.data, all, opts).map((p) => withContext(p, texts.get(p.documentId) ?? ''));
		})();
		h.passages = { key, value };
		return value;
	}

	/** The job's result; value null when a newer request of the same kind came while this one waited. */
	async run(id: number, studyId: Id, version: string, job: ReviewJob): Promise<Result<AnyValue | null>> {
		this.#latest.set(job.kind, id);
		const h = await this.#study(studyId, version);
		// let requests already sent arrive (in a worker they are tasks behind this one) before computing
		await nextTask();
		if (this.#latest.get(job.kind) !== id) return { ok: true, value: null };
		if (!h) return { ok: false, errors: ['the study is no longer in this browser'] };
		const s = job.settings;
		const r = this.#report(h, s);
		if (job.kind === 'review') return { ok: true, value: r };
		if (job.kind === 'document-rows')
			return { ok: true, value: r.report?.ok && r.a && r.b ? computeDocumentRows(h.data, r.a, r.b, r.report.value, s, job.codeId) : [] };
		const all = await this.#passages(h, r, s);
		if (!all || this.#latest.get(job.kind) !== id) return { ok: true, value: null };
		if (job.kind === 'passages') {
			const mine = passagesOf(all, job.codeId);
			return { ok: true, value: { passages: mine.slice(0, Math.max(0, job.limit)), total: mine.length } };
		}
		return { ok: true, value: r.a && r.b ? summarise(all, r.a, r.b, h.decisions) : {} };
	}
}

/** The page's side: one worker per Review page (workers/jobs.ts). */
export class ReviewJobs extends PageJobs<ReviewJob, Values> {
	constructor(db: GlossDB, studyId: Id) {
		super(db, studyId, () => new Worker(new URL('./review.worker.ts', import.meta.url), { type: 'module' }), (db) => new ReviewComputer(db));
	}
}
