/**
 * The Review screen: the agreement report between two coders, the disagreements on one code,
 * their adjudication into the consensus coder, and importing a coder's backup (merge).
 *
 * The report and the disagreements are computed in a worker (workers/review.ts) that reads the
 * study itself and holds it until the study's change time moves, so the page never reads 100,000
 * segments nor freezes while they are compared; every write (another tab's too) moves that time,
 * and the figures are asked for again. The consensus coder's segments, which decisions are read
 * back from, are read here, live, so a decision shows at once.
 */
import {
	adjudicate,
	agreementCsv,
	inferDecision,
	passageCodeIds,
	type AgreementReport,
	type AgreementRow,
	type AgreementUnit,
	type CharacterPooling,
	type Decision,
	type Disagreement
} from '../core/agreement';
import type { Code, Coder, Id, Result, Segment } from '../core/types';
import { ensureConsensusCoder, readDecisions, readDrops, undoDecision, writeDecision, type DecisionUndo } from '../db/adjudication';
import { masterJson, storeMerge, type MergeOutcome } from '../db/merge';
import { BACKUP_CANCELLED, runBackupJob } from '../workers/backup';
import {
	documentIdsFor,
	pickCoders,
	ReviewJobs,
	type CoderCount,
	type DocMode,
	type ReviewMeta,
	type ReviewPassage,
	type ReviewResult,
	type ReviewSettings
} from '../workers/review';
import type { RestoreOptions } from './studies.svelte';
import { loadStudyData } from '../db/studies';
import { MAX_BACKUP_BYTES } from '../core/backup';
import { readTextFile } from '../core/text';
import { Live } from './live.svelte';
import type { StudySession } from './session.svelte';

export type { DocMode, ReviewPassage };

/** `selectedCodeId` for the disagreements on every code together (each listed once). */
export const ALL_CODES_SELECTED = '(all)';
export type ShownDecision = Decision | 'other' | null;

export const DECISION_LABEL: Record<Decision | 'other', string> = {
	'accept-a': 'Accepted A',
	'accept-b': 'Accepted B',
	'keep-both': 'Kept both',
	drop: 'Dropped',
	other: 'Consensus coded it differently'
};

interface UndoEntry {
	undo: DecisionUndo;
	label: string;
	passageId: string;
}

interface Consensus {
	coder: Coder | null;
	/** Its segments per document. */
	byDocument: Map<Id, Segment[]>;
}

const NO_PASSAGES: ReviewPassage[] = [];

export class ReviewState {
	readonly session: StudySession;
	#jobs: ReviewJobs;
	#consensus: Live<Consensus>;
	#drops: Live<string[]>;
	#remembered: Live<Record<string, Decision>>;
	/** The last result the worker gave, with the settings it was asked for. */
	#result = $state.raw<{ key: string; value: ReviewResult } | null>(null);
	#resultError = $state<string[] | null>(null);
	/** The settings of the job waiting for the worker (null: none waits). */
	#asked = $state<string | null>(null);
	#docRows = $state.raw<{ key: string; rows: AgreementRow[] } | null>(null);

	/** null: the default (the two coders with the most coding). */
	coderA = $state<Id | null>(null);
	coderB = $state<Id | null>(null);
	unit = $state<AgreementUnit>('presence');
	/** Character unit: how figures over several documents are combined. */
	pooling = $state<CharacterPooling>('pooled');
	/** Character unit: show the table per code and document (NVivo's figures). */
	perDocument = $state(false);
	/** Segment unit: overlap share for a match, 0–1. */
	threshold = $state(0.9);
	docMode = $state<DocMode>('default');
	includeDescendants = $state(false);
	selectedCodeId = $state<Id | null>(null);
	/** Index of the focused passage in `passages`. */
	cursor = $state(0);
	busy = $state(false);
	error = $state<string | null>(null);
	#undo = $state<UndoEntry[]>([]);

	constructor(session: StudySession) {
		this.session = session;
		const { db, studyId } = session;
		this.#jobs = new ReviewJobs(db, studyId);
		this.#consensus = new Live(
			async (): Promise<Consensus> => {
				const coder = (await db.coders.where('studyId').equals(studyId).toArray()).find((c) => c.isConsensus) ?? null;
				const byDocument = new Map<Id, Segment[]>();
				if (!coder) return { coder, byDocument };
				for (const s of await db.segments.where('[studyId+coderId]').equals([studyId, coder.id]).toArray()) {
					const list = byDocument.get(s.documentId);
					if (list) list.push(s);
					else byDocument.set(s.documentId, [s]);
				}
				return { coder, byDocument };
			},
			{ coder: null, byDocument: new Map() }
		);
		this.#drops = new Live(() => readDrops(db, studyId), []);
		this.#remembered = new Live(() => readDecisions(db, studyId), {});

		// Ask the worker again whenever the settings or the study change; only the newest answer counts.
		$effect(() => {
			const version = this.session.study?.updatedAt;
			const settings = this.#settings;
			if (version === undefined) return;
			const key = JSON.stringify(settings);
			this.#asked = key;
			void this.#jobs.run(version, { kind: 'review', settings }).then((r) => {
				if (!r) return;
				this.#asked = null;
				if (r.ok) {
					this.#result = { key, value: r.value };
					this.#resultError = null;
				} else this.#resultError = r.errors;
			});
		});
		// The chosen code's figures per document, for units whose report has none.
		$effect(() => {
			const req = this.#docRowsRequest;
			const version = this.session.study?.updatedAt;
			if (!req || version === undefined) return;
			const key = JSON.stringify(req);
			void this.#jobs.run(version, { kind: 'document-rows', request: req }).then((r) => {
				if (r) this.#docRows = { key, rows: r.ok ? r.value : [] };
			});
		});
		$effect(() => () => this.#jobs.close());
	}

	readonly #settings = $derived.by(
		(): ReviewSettings => ({
			coderA: this.coderA,
			coderB: this.coderB,
			unit: this.unit,
			threshold: this.threshold,
			docMode: this.docMode,
			includeDescendants: this.includeDescendants,
			pooling: this.pooling
		})
	);
	readonly #key = $derived(JSON.stringify(this.#settings));

	/** True once the worker has answered once (the coders are known). */
	get loaded(): boolean {
		return this.#result !== null || this.#resultError !== null;
	}
	/** True while the figures shown are not (yet) those of the settings chosen. */
	get computing(): boolean {
		return this.#asked !== null || (this.#result !== null && this.#result.key !== this.#key);
	}
	get meta(): ReviewMeta | null {
		return this.#result?.value.meta ?? null;
	}
	/** The study's documents, in stored order. */
	get documents(): { id: Id; name: string }[] {
		return this.meta?.documents ?? [];
	}
	get codes(): Code[] {
		return this.meta?.codes ?? [];
	}

	/** Every coder but the consensus coder, most segments first. */
	readonly allCoders = $derived<CoderCount[]>(this.meta?.coders ?? []);

	/**
	 * Coders who can be compared: those who have coded something. A coder who has not coded yet
	 * is not a second coder (comparing with them would show plausible-looking statistics).
	 */
	readonly coders = $derived(this.allCoders.filter((c) => c.segments > 0));

	readonly consensus = $derived.by(() => this.#consensus.current.coder ?? this.meta?.consensus ?? null);

	readonly #pair = $derived(pickCoders(this.allCoders, this.coderA, this.coderB));
	readonly a = $derived<Coder | null>(this.#pair.a);
	readonly b = $derived<Coder | null>(this.#pair.b);

	readonly documentIds = $derived(documentIdsFor(this.documents, this.docMode));

	/** The report for the settings chosen; null while it is computed (and with fewer than two coders). */
	readonly report = $derived.by((): Result<AgreementReport> | null => {
		if (this.#resultError) return { ok: false, errors: this.#resultError };
		const r = this.#result;
		if (!r || r.key !== this.#key) return null;
		return r.value.report;
	});

	readonly #docRowsRequest = $derived.by(() => {
		const r = this.report;
		const code = this.selectedCodeId;
		if (!r?.ok || !code || code === ALL_CODES_SELECTED || !this.a || !this.b || r.value.documentRows.length) return null;
		return {
			a: this.a.id,
			b: this.b.id,
			unit: this.unit,
			threshold: this.threshold,
			includeDescendants: this.includeDescendants,
			documentIds: r.value.documentIds,
			codeIds: r.value.codeIds,
			codeId: code
		};
	});

	/** The chosen code's figures per document (NVivo's per-source comparison), computed only for it. */
	readonly documentRows = $derived.by((): AgreementRow[] => {
		const r = this.report;
		const code = this.selectedCodeId;
		if (!r?.ok || !code || code === ALL_CODES_SELECTED) return [];
		if (r.value.documentRows.length) return r.value.documentRows.filter((row) => row.codeId === code);
		const req = this.#docRowsRequest;
		const got = this.#docRows;
		return req && got && got.key === JSON.stringify(req) ? got.rows : [];
	});

	/** Every disagreement over the report's codes and documents, each once (reviewDisagreements). */
	readonly allPassages = $derived.by((): ReviewPassage[] => (this.report?.ok ? this.#result!.value.passages : NO_PASSAGES));

	/** Passages per code: a 'different codes' passage is listed under each of its codes. */
	readonly passagesByCode = $derived.by((): Map<Id, ReviewPassage[]> => {
		const out = new Map<Id, ReviewPassage[]>();
		for (const p of this.allPassages)
			for (const id of p.codeIds) {
				const list = out.get(id) ?? [];
				list.push(p);
				out.set(id, list);
			}
		return out;
	});

	readonly passages = $derived(
		this.selectedCodeId === ALL_CODES_SELECTED
			? this.allPassages
			: this.selectedCodeId
				? (this.passagesByCode.get(this.selectedCodeId) ?? [])
				: []
	);

	dropKey(p: Disagreement): string {
		return `${this.a?.id}|${this.b?.id}|${p.codeId}|${p.id}`;
	}

	/** Every listed passage's decision, by drop key. */
	readonly #decisions = $derived.by((): Map<string, ShownDecision> => {
		const { coder: c, byDocument } = this.#consensus.current;
		const drops = new Set(this.#drops.current);
		const remembered = this.#remembered.current;
		const out = new Map<string, ShownDecision>();
		for (const p of this.allPassages) {
			const key = this.dropKey(p);
			const hint = remembered[key] ?? (drops.has(key) ? 'drop' : null);
			// the consensus coder's coding, read as the decision remembered for it when that is what it wrote
			// (each passage looks only at its own document's segments: thousands of passages over all of them froze the page)
			out.set(key, c ? inferDecision(p, { segments: byDocument.get(p.documentId) ?? [] }, c.id, hint) : null);
		}
		return out;
	});

	/** The decision on a passage, read back from the consensus coder's coding (and remembered drops). */
	decisionOf(p: Disagreement): ShownDecision {
		return this.#decisions.get(this.dropKey(p)) ?? null;
	}

	/** How many of a code's passages have a decision (ALL_CODES_SELECTED: every passage, each once). */
	progress(codeId: Id): { done: number; total: number } {
		const list = codeId === ALL_CODES_SELECTED ? this.allPassages : (this.passagesByCode.get(codeId) ?? []);
		return { done: list.filter((p) => this.decisionOf(p) !== null).length, total: list.length };
	}

	/** Every passage, each once. */
	get totalProgress(): { done: number; total: number } {
		return this.progress(ALL_CODES_SELECTED);
	}

	get canUndo(): boolean {
		return this.#undo.length > 0;
	}
	get undoLabel(): string {
		return this.#undo.at(-1)?.label ?? '';
	}

	select(codeId: Id | null): void {
		this.selectedCodeId = codeId;
		this.cursor = 0;
	}

	move(by: number): void {
		const n = this.passages.length;
		if (!n) return;
		this.cursor = Math.min(n - 1, Math.max(0, this.cursor + by));
	}

	/** Adjudicate a passage: the result goes to the consensus coder (created on first use). */
	async decide(p: Disagreement, decision: Decision): Promise<Result<true>> {
		const { db, studyId } = this.session;
		this.error = null;
		const r = await this.session.save(async () => {
			const c = await ensureConsensusCoder(db, studyId);
			if (!c.ok) return c;
			const segments = adjudicate(p, decision, { studyId, coderId: c.value.id });
			return writeDecision(db, studyId, {
				coderId: c.value.id,
				documentId: p.documentId,
				codeIds: passageCodeIds(p),
				start: p.start,
				end: p.end,
				segments,
				dropKey: this.dropKey(p),
				// a decision that leaves nothing coded (drop, or accepting the coder who did not code it) is remembered as a drop
				dropped: segments.length === 0,
				decision
			});
		}, { asReviewer: true });
		if (!r.ok) {
			this.error = r.errors.join('; ');
			return r;
		}
		this.#undo = [...this.#undo.slice(-49), { undo: r.value, label: `${DECISION_LABEL[decision]} in ${p.documentName}`, passageId: p.id }];
		return { ok: true, value: true };
	}

	async undo(): Promise<void> {
		const last = this.#undo.at(-1);
		if (!last) return;
		const r = await this.session.save(() => undoDecision(this.session.db, last.undo), { asReviewer: true });
		if (!r.ok) {
			this.error = r.errors.join('; ');
			return;
		}
		this.#undo = this.#undo.slice(0, -1);
		const i = this.passages.findIndex((p) => p.id === last.passageId);
		if (i >= 0) this.cursor = i;
	}

	/** The report rows as CSV (agreementCsv). */
	csv(bom: boolean): string | null {
		const r = this.report;
		if (!r?.ok) return null;
		return this.unit === 'character' && this.perDocument
			? agreementCsv(r.value.documentRows, { bom, withDocument: true })
			: agreementCsv(r.value.rows, { bom });
	}

	/** Merge a coder's .gloss.json backup into this study. */
	async mergeFile(file: File, opts: RestoreOptions = {}): Promise<Result<MergeOutcome>> {
		if (file.size > MAX_BACKUP_BYTES)
			return { ok: false, errors: [`${file.name}: too large (${Math.round(file.size / 1e6)} MB; a backup may be at most ${MAX_BACKUP_BYTES / 1024 / 1024} MB)`] };
		const read = await readTextFile(file);
		if (!read.ok) return { ok: false, errors: [read.errors] };
		const text = read.value;
		const { db, studyId } = this.session;
		// Read, checked and planned in a worker against the study as it is now; written in one
		// transaction, where the plan is made again if the study changed meanwhile.
		const master = await loadStudyData(db, studyId);
		if (!master) return { ok: false, errors: ['This study no longer exists'] };
		const job = await runBackupJob({ kind: 'merge', text, fileName: file.name, master }, opts.onProgress, opts.signal);
		if (!job.ok) return job;
		if (opts.signal?.aborted || job.value.kind !== 'merge') return { ok: false, errors: [BACKUP_CANCELLED] };
		opts.onWrite?.();
		const { incoming, plan } = job.value;
		return this.session.save(() => storeMerge(db, studyId, incoming, { plan, master: masterJson(master) }, file.name), { asReviewer: true });
	}
}
