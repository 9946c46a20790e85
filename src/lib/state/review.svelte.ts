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
	disagreements,
	inferDecision,
	tryAgreementReport,
	type AgreementReport,
	type AgreementRow,
	type AgreementUnit,
	type Decision,
	type Disagreement
} from '../core/agreement';
import type { Coder, Id, Result, StudyData } from '../core/types';
import { ensureConsensusCoder, readDrops, undoDecision, writeDecision, type DecisionUndo } from '../db/adjudication';
import { mergeBackupIntoStudy, type MergeOutcome } from '../db/merge';
import { loadStudyData } from '../db/studies';
import { MAX_BACKUP_BYTES } from '../core/backup';
import { Live } from './live.svelte';
import type { StudySession } from './session.svelte';

export type DocMode = 'default' | 'all' | Id;
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

	/** null: the default (the two coders with the most coding). */
	coderA = $state<Id | null>(null);
	coderB = $state<Id | null>(null);
	unit = $state<AgreementUnit>('presence');
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
	}

	get loaded(): boolean {
		return this.#data.loaded;
	}
	get data(): StudyData | null {
		return this.#data.current;
	}

	/** Coders who can be compared (not the consensus coder), most segments first. */
	readonly coders = $derived.by((): { coder: Coder; segments: number }[] => {
		const d = this.#data.current;
		if (!d) return [];
		const n = new Map<Id, number>();
		for (const s of d.segments) n.set(s.coderId, (n.get(s.coderId) ?? 0) + 1);
		return d.coders
			.filter((c) => !c.isConsensus)
			.map((coder) => ({ coder, segments: n.get(coder.id) ?? 0 }))
			.sort((a, b) => b.segments - a.segments || a.coder.name.localeCompare(b.coder.name));
	});

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
			includeDescendants: this.includeDescendants
		});
	});

	/** The chosen code's figures per document (NVivo's per-source comparison), computed only for it. */
	readonly documentRows = $derived.by((): AgreementRow[] => {
		const d = this.#data.current;
		const r = this.report;
		const code = this.selectedCodeId;
		if (!d || !r?.ok || !code || !this.a || !this.b) return [];
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

	/** Passages per code (only-a, only-b, boundaries) over the report's documents. */
	readonly passagesByCode = $derived.by((): Map<Id, Disagreement[]> => {
		const d = this.#data.current;
		const r = this.report;
		const out = new Map<Id, Disagreement[]>();
		if (!d || !r?.ok || !this.a || !this.b) return out;
		for (const codeId of r.value.codeIds)
			out.set(
				codeId,
				disagreements(d, codeId, this.a.id, this.b.id, this.threshold, {
					documentIds: r.value.documentIds,
					includeDescendants: this.includeDescendants
				})
			);
		return out;
	});

	readonly passages = $derived(this.selectedCodeId ? (this.passagesByCode.get(this.selectedCodeId) ?? []) : []);

	dropKey(p: Disagreement): string {
		return `${this.a?.id}|${this.b?.id}|${p.codeId}|${p.id}`;
	}

	/** The study with only the consensus coder's segments, for reading decisions back cheaply. */
	readonly #consensusData = $derived.by((): StudyData | null => {
		const d = this.#data.current;
		const c = this.consensus;
		if (!d || !c) return null;
		return { ...d, segments: d.segments.filter((s) => s.coderId === c.id) };
	});

	/** Every listed passage's decision, by drop key. */
	readonly #decisions = $derived.by((): Map<string, ShownDecision> => {
		const cd = this.#consensusData;
		const c = this.consensus;
		const drops = new Set(this.#drops.current);
		const out = new Map<string, ShownDecision>();
		for (const list of this.passagesByCode.values())
			for (const p of list) {
				const key = this.dropKey(p);
				const inferred = cd && c ? inferDecision(p, cd, c.id) : null;
				out.set(key, inferred ?? (drops.has(key) ? 'drop' : null));
			}
		return out;
	});

	/** The decision on a passage, read back from the consensus coder's coding (and remembered drops). */
	decisionOf(p: Disagreement): ShownDecision {
		return this.#decisions.get(this.dropKey(p)) ?? null;
	}

	/** How many of a code's passages have a decision. */
	progress(codeId: Id): { done: number; total: number } {
		const list = this.passagesByCode.get(codeId) ?? [];
		return { done: list.filter((p) => this.decisionOf(p) !== null).length, total: list.length };
	}

	/** Every code's passages together. */
	get totalProgress(): { done: number; total: number } {
		let done = 0;
		let total = 0;
		for (const list of this.passagesByCode.values())
			for (const p of list) {
				total++;
				if (this.decisionOf(p) !== null) done++;
			}
		return { done, total };
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
				codeIds: [...new Set([p.codeId, ...p.a.map((s) => s.codeId), ...p.b.map((s) => s.codeId)])],
				start: p.start,
				end: p.end,
				segments,
				dropKey: this.dropKey(p),
				// a decision that leaves nothing coded (drop, or accepting the coder who did not code it) is remembered as a drop
				dropped: segments.length === 0
			});
		});
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
		const r = await this.session.save(() => undoDecision(this.session.db, last.undo));
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
		return r?.ok ? agreementCsv(r.value.rows, { bom }) : null;
	}

	/** Merge a coder's .gloss.json backup into this study. */
	async mergeFile(file: File): Promise<Result<MergeOutcome>> {
		if (file.size > MAX_BACKUP_BYTES)
			return { ok: false, errors: [`${file.name}: too large (${Math.round(file.size / 1e6)} MB; a backup may be at most ${MAX_BACKUP_BYTES / 1024 / 1024} MB)`] };
		let text: string;
		try {
			text = await file.text();
		} catch (e) {
			return { ok: false, errors: [`${file.name}: could not be read (${(e as Error).message})`] };
		}
		return this.session.save(() => mergeBackupIntoStudy(this.session.db, this.session.studyId, text, file.name));
	}
}
