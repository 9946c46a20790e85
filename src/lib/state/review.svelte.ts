/**
 * The Review screen: the agreement report between two coders, the disagreements on one code,
 * their adjudication into the consensus coder, and importing a coder's backup (merge).
 *
 * The report and the disagreements are computed in a worker (workers/review.ts) that reads the
 * study itself and holds it until the study's change time moves, so the page never reads 100,000
 * segments nor freezes while they are compared; every write (another tab's too) moves that time,
 * and the figures are asked for again. Disagreements come a page at a time. The consensus coder's
 * segments in the documents of the passages shown, which their decisions are read back from, are
 * read here, live, so a decision shows at once.
 */
import {
	adjudicate,
	agreementCsv,
	passageCodeIds,
	type AgreementReport,
	type AgreementRow,
	type AgreementUnit,
	type CharacterPooling,
	type Decision,
	type Disagreement
} from '../core/agreement';
import type { Code, Coder, Id, Result } from '../core/types';
import { ensureConsensusCoder, readDecisions, readDrops, undoDecision, writeDecision, type DecisionUndo } from '../db/adjudication';
import { masterJson, storeMerge, type MergeOutcome } from '../db/merge';
import { BACKUP_CANCELLED, runBackupJob } from '../workers/backup';
import {
	ALL_CODES,
	consensusByDocument,
	decisionOf,
	documentIdsFor,
	dropKey,
	pickCoders,
	ReviewJobs,
	type CoderCount,
	type DecisionSources,
	type DocMode,
	type PassagePage,
	type Progress,
	type ReviewMeta,
	type ReviewPassage,
	type ReviewResult,
	type ReviewSettings,
	type ReviewSummary
} from '../workers/review';
import type { RestoreOptions } from './studies.svelte';
import { loadStudyData } from '../db/studies';
import { listSegments, readConsensusSegments } from '../db/segments';
import { MAX_BACKUP_BYTES } from '../core/backup';
import { readTextFile } from '../core/text';
import { Live } from './live.svelte';
import type { StudySession } from './session.svelte';

export type { DocMode, ReviewPassage };

/** `selectedCodeId` for the disagreements on every code together (each listed once). */
export const ALL_CODES_SELECTED = ALL_CODES;
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

const NO_PASSAGES: ReviewPassage[] = [];

/** How many disagreements the page asks for at a time (a code may have thousands; every code together 52,000 at full scale). */
export const PASSAGE_PAGE = 50;

export class ReviewState {
	readonly session: StudySession;
	#jobs: ReviewJobs;
	#consensus: Live<DecisionSources['consensusByDocument'] & { coder?: Coder | null }>;
	#drops: Live<string[]>;
	#remembered: Live<Record<string, Decision>>;
	/** The last report the worker gave, with the settings it was asked for. */
	#result = $state.raw<{ key: string; value: ReviewResult } | null>(null);
	#resultError = $state<string[] | null>(null);
	/** The settings of the report waiting for the worker (null: none waits). */
	#asked = $state<string | null>(null);
	/** Disagreements and decisions per code, for those settings. */
	#summary = $state.raw<{ key: string; value: ReviewSummary } | null>(null);
	/** The chosen code's first disagreements, and how many there are. */
	#passages = $state.raw<{ key: string; value: PassagePage } | null>(null);
	/** How many of the chosen code's disagreements are asked for. */
	#limit = $state(PASSAGE_PAGE);
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
		// The consensus coder's segments, read here (live) while disagreements are shown, so a decision shows at once.
		// Only the documents of the passages shown: the consensus coder may have a third of 100,000 segments.
		this.#consensus = new Live(
			async (documents: string) => {
				const { coder } = await readConsensusSegments(db, studyId, false);
				const ids = JSON.parse(documents) as Id[];
				const segments = coder ? (await Promise.all(ids.map((id) => listSegments(db, studyId, id)))).flat().filter((s) => s.coderId === coder.id) : [];
				return Object.assign(consensusByDocument(segments, coder?.id ?? null), { coder });
			},
			new Map(),
			() => JSON.stringify([...new Set(this.passages.map((p) => p.documentId))].sort())
		);
		this.#drops = new Live(() => readDrops(db, studyId), []);
		this.#remembered = new Live(() => readDecisions(db, studyId), {});

		// Ask the worker again whenever the settings or the study change; only the newest answer counts.
		// The report first (the table), then the disagreements per code (found after it).
		$effect(() => {
			const version = this.session.study?.updatedAt;
			const settings = this.#settings;
			if (version === undefined) return;
			const key = this.#key;
			this.#asked = key;
			void this.#jobs.run(version, { kind: 'review', settings }).then((r) => {
				if (!r) return;
				this.#asked = null;
				if (r.ok) {
					this.#result = { key, value: r.value };
					this.#resultError = null;
				} else this.#resultError = r.errors;
			});
			void this.#jobs.run(version, { kind: 'summary', settings }).then((r) => {
				if (r?.ok) this.#summary = { key, value: r.value };
			});
		});
		$effect(() => {
			const version = this.session.study?.updatedAt;
			const settings = this.#settings;
			const codeId = this.selectedCodeId;
			const limit = this.#limit;
			if (version === undefined || codeId === null) return;
			const key = JSON.stringify([this.#key, codeId]);
			void this.#jobs.run(version, { kind: 'passages', settings, codeId, limit }).then((r) => {
				if (r) this.#passages = { key, value: r.ok ? r.value : { passages: [], total: 0 } };
			});
		});
		// The chosen code's figures per document, when the report the page holds has none.
		$effect(() => {
			const version = this.session.study?.updatedAt;
			const settings = this.#settings;
			const codeId = this.selectedCodeId;
			const r = this.report;
			if (version === undefined || !r?.ok || !codeId || codeId === ALL_CODES_SELECTED || r.value.documentRows.length) return;
			const key = JSON.stringify([this.#key, codeId]);
			void this.#jobs.run(version, { kind: 'document-rows', settings, codeId }).then((x) => {
				if (x) this.#docRows = { key, rows: x.ok ? x.value : [] };
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
			pooling: this.pooling,
			perDocument: this.unit === 'character' && this.perDocument
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

	/**
	 * The report to show: the one for the settings chosen, or while it is computed (`computing`) the
	 * last one, so that a change of settings updates the table in place rather than taking it down
	 * and building it again (1,500 elements at full scale).
	 */
	readonly shownReport = $derived.by((): Result<AgreementReport> | null => {
		if (this.#resultError) return { ok: false, errors: this.#resultError };
		return this.#result?.value.report ?? null;
	});

	/** The chosen code's figures per document (NVivo's per-source comparison), computed only for it. */
	readonly documentRows = $derived.by((): AgreementRow[] => {
		const r = this.report;
		const code = this.selectedCodeId;
		if (!r?.ok || !code || code === ALL_CODES_SELECTED) return [];
		if (r.value.documentRows.length) return r.value.documentRows.filter((row) => row.codeId === code);
		const got = this.#docRows;
		return got && got.key === JSON.stringify([this.#key, code]) ? got.rows : [];
	});

	/** The chosen code's page of disagreements, for the settings chosen (null while it is found). */
	readonly #page = $derived.by((): PassagePage | null => {
		const got = this.#passages;
		if (!this.report?.ok || !this.selectedCodeId || !got || got.key !== JSON.stringify([this.#key, this.selectedCodeId])) return null;
		return got.value;
	});

	/**
	 * The chosen code's first disagreements (ALL_CODES_SELECTED: every one, each once), a page at a
	 * time (`showMore`); empty while they are found.
	 */
	readonly passages = $derived<ReviewPassage[]>(this.#page?.passages ?? NO_PASSAGES);
	/** How many disagreements the chosen code has (`passages` holds the first of them). */
	readonly passageTotal = $derived(this.#page?.total ?? 0);

	/** Ask for the next page of the chosen code's disagreements. */
	showMore(): void {
		if (this.passages.length < this.passageTotal) this.#limit = Math.max(this.#limit, this.passages.length) + PASSAGE_PAGE;
	}

	/** True while the chosen code's disagreements are being found. */
	get findingPassages(): boolean {
		return !!this.report?.ok && !!this.selectedCodeId && this.#passages?.key !== JSON.stringify([this.#key, this.selectedCodeId]);
	}

	dropKey(p: Disagreement): string {
		return dropKey(this.a?.id, this.b?.id, p);
	}

	/** The shown passages' decisions, by drop key. */
	readonly #decisions = $derived.by((): Map<string, ShownDecision> => {
		const byDocument = this.#consensus.current;
		const src: DecisionSources = {
			consensusId: byDocument.coder?.id ?? null,
			consensusByDocument: byDocument,
			drops: new Set(this.#drops.current),
			remembered: this.#remembered.current
		};
		const out = new Map<string, ShownDecision>();
		for (const p of this.passages) {
			const key = this.dropKey(p);
			out.set(key, decisionOf(p, key, src));
		}
		return out;
	});

	/** The decision on a passage, read back from the consensus coder's coding (and remembered drops). */
	decisionOf(p: Disagreement): ShownDecision {
		return this.#decisions.get(this.dropKey(p)) ?? null;
	}

	/**
	 * How many of a code's passages have a decision (ALL_CODES_SELECTED: every passage, each once):
	 * counted here for the code shown, by the worker for the others; null until known.
	 */
	progress(codeId: Id): Progress | null {
		// every passage of the code shown is here: counted at once as decisions are made (the worker's figures follow)
		if (codeId === this.selectedCodeId && this.#page && this.passages.length === this.passageTotal)
			return { done: this.passages.filter((p) => this.decisionOf(p) !== null).length, total: this.passages.length };
		const sum = this.#summary;
		if (!sum || sum.key !== this.#key) return null;
		return sum.value[codeId] ?? { done: 0, total: 0 };
	}

	/** Every passage, each once. */
	get totalProgress(): Progress | null {
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
		this.#limit = PASSAGE_PAGE;
	}

	move(by: number): void {
		const n = this.passages.length;
		if (!n) return;
		this.cursor = Math.min(n - 1, Math.max(0, this.cursor + by));
		// near the end of the page: the next one
		if (this.cursor >= n - 5) this.showMore();
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
