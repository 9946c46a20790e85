/**
 * The Review screen: the agreement report between two coders, the disagreements on one code,
 * their adjudication into the consensus coder, and importing a coder's backup (merge).
 *
 * Everything is computed from a live snapshot of the study (loadStudyData), so the table and the
 * decisions follow every write, including the consensus coder's own segments.
 */
import {
	adjudicate,
	agreementCsv,
	inferDecision,
	passageCodeIds,
	reviewDisagreements,
	tryAgreementReport,
	type AgreementReport,
	type AgreementRow,
	type AgreementUnit,
	type CharacterPooling,
	type Decision,
	type Disagreement
} from '../core/agreement';
import type { Coder, Id, Result, StudyData } from '../core/types';
import { ensureConsensusCoder, readDecisions, readDrops, undoDecision, writeDecision, type DecisionUndo } from '../db/adjudication';
import { masterJson, storeMerge, type MergeOutcome } from '../db/merge';
import { BACKUP_CANCELLED, runBackupJob } from '../workers/backup';
import type { RestoreOptions } from './studies.svelte';
import { loadStudyData } from '../db/studies';
import { MAX_BACKUP_BYTES } from '../core/backup';
import { readTextFile } from '../core/text';
import { Live } from './live.svelte';
import type { StudySession } from './session.svelte';

export type DocMode = 'default' | 'all' | Id;

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

export class ReviewState {
	readonly session: StudySession;
	#data: Live<StudyData | null>;
	#drops: Live<string[]>;
	#remembered: Live<Record<string, Decision>>;

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
		this.#data = new Live(() => loadStudyData(db, studyId), null);
		this.#drops = new Live(() => readDrops(db, studyId), []);
		this.#remembered = new Live(() => readDecisions(db, studyId), {});
	}

	get loaded(): boolean {
		return this.#data.loaded;
	}
	get data(): StudyData | null {
		return this.#data.current;
	}

	/** Every coder but the consensus coder, most segments first. */
	readonly allCoders = $derived.by((): { coder: Coder; segments: number }[] => {
		const d = this.#data.current;
		if (!d) return [];
		const n = new Map<Id, number>();
		for (const s of d.segments) if (s.end > s.start) n.set(s.coderId, (n.get(s.coderId) ?? 0) + 1);
		return d.coders
			.filter((c) => !c.isConsensus)
			.map((coder) => ({ coder, segments: n.get(coder.id) ?? 0 }))
			.sort((a, b) => b.segments - a.segments || a.coder.name.localeCompare(b.coder.name));
	});

	/**
	 * Coders who can be compared: those who have coded something. A coder who has not coded yet
	 * is not a second coder (comparing with them would show plausible-looking statistics).
	 */
	readonly coders = $derived(this.allCoders.filter((c) => c.segments > 0));

	readonly consensus = $derived.by(() => this.#data.current?.coders.find((c) => c.isConsensus) ?? null);

	readonly a = $derived.by((): Coder | null => {
		const list = this.coders;
		return list.find((c) => c.coder.id === this.coderA)?.coder ?? list.find((c) => c.coder.id !== this.coderB)?.coder ?? null;
	});
	readonly b = $derived.by((): Coder | null => {
		const list = this.coders;
		const a = this.a;
		const chosen = list.find((c) => c.coder.id === this.coderB && c.coder.id !== a?.id)?.coder;
		return chosen ?? list.find((c) => c.coder.id !== a?.id)?.coder ?? null;
	});

	readonly documentIds = $derived.by((): Id[] | undefined => {
		const d = this.#data.current;
		if (!d || this.docMode === 'default') return undefined;
		if (this.docMode === 'all') return d.documents.map((x) => x.id);
		return d.documents.some((x) => x.id === this.docMode) ? [this.docMode] : undefined;
	});

	readonly report = $derived.by((): Result<AgreementReport> | null => {
		const d = this.#data.current;
		const a = this.a;
		const b = this.b;
		if (!d || !a || !b) return null;
		return tryAgreementReport(d, {
			coderIds: [a.id, b.id],
			unit: this.unit,
			threshold: this.threshold,
			documentIds: this.documentIds,
			includeDescendants: this.includeDescendants,
			pooling: this.pooling,
			// the character unit also shows NVivo's table per code and document
			byDocument: this.unit === 'character'
		});
	});

	/** The chosen code's figures per document (NVivo's per-source comparison), computed only for it. */
	readonly documentRows = $derived.by((): AgreementRow[] => {
		const d = this.#data.current;
		const r = this.report;
		const code = this.selectedCodeId;
		if (!d || !r?.ok || !code || code === ALL_CODES_SELECTED || !this.a || !this.b) return [];
		if (r.value.documentRows.length) return r.value.documentRows.filter((row) => row.codeId === code);
		const per = tryAgreementReport(d, {
			coderIds: [this.a.id, this.b.id],
			unit: this.unit,
			threshold: this.threshold,
			documentIds: r.value.documentIds,
			codeIds: r.value.codeIds, // all codes: the segment unit's chance agreement counts the codes in use
			includeDescendants: this.includeDescendants,
			byDocument: true
		});
		return per.ok ? per.value.documentRows.filter((row) => row.codeId === code) : [];
	});

	/** Every disagreement over the report's codes and documents, each once (reviewDisagreements). */
	readonly allPassages = $derived.by((): Disagreement[] => {
		const d = this.#data.current;
		const r = this.report;
		if (!d || !r?.ok || !this.a || !this.b) return [];
		return reviewDisagreements(d, this.a.id, this.b.id, this.threshold, {
			codeIds: r.value.codeIds,
			documentIds: r.value.documentIds,
			includeDescendants: this.includeDescendants
		});
	});

	/** Passages per code: a 'different codes' passage is listed under each of its codes. */
	readonly passagesByCode = $derived.by((): Map<Id, Disagreement[]> => {
		const out = new Map<Id, Disagreement[]>();
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

	/**
	 * Per document, the study with only the consensus coder's segments in that document, for reading
	 * decisions back cheaply: each passage looks only at its own document's (at 100,000 segments and
	 * thousands of disagreements, scanning them all for each passage froze the page for minutes).
	 */
	readonly #consensusData = $derived.by((): Map<Id, StudyData> | null => {
		const d = this.#data.current;
		const c = this.consensus;
		if (!d || !c) return null;
		const byDoc = new Map<Id, StudyData>();
		for (const s of d.segments) {
			if (s.coderId !== c.id) continue;
			let doc = byDoc.get(s.documentId);
			if (!doc) byDoc.set(s.documentId, (doc = { ...d, segments: [] }));
			doc.segments.push(s);
		}
		return byDoc;
	});
	#noSegments: StudyData | null = null;

	/** Every listed passage's decision, by drop key. */
	readonly #decisions = $derived.by((): Map<string, ShownDecision> => {
		const cd = this.#consensusData;
		const c = this.consensus;
		const drops = new Set(this.#drops.current);
		const remembered = this.#remembered.current;
		const out = new Map<string, ShownDecision>();
		for (const p of this.allPassages) {
			const key = this.dropKey(p);
			const hint = remembered[key] ?? (drops.has(key) ? 'drop' : null);
			// the consensus coder's coding, read as the decision remembered for it when that is what it wrote
			const docData = cd?.get(p.documentId) ?? (this.#noSegments ??= { ...this.#data.current!, segments: [] });
			out.set(key, cd && c ? inferDecision(p, docData, c.id, hint) : null);
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
