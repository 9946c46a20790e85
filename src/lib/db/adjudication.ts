/**
 * Writes for the Review screen's adjudication (issue 5 §5): the consensus coder, and each
 * decision on a passage written in one transaction so that it can be undone exactly.
 *
 * A decision REPLACES the consensus coder's coding of the passage's codes inside the passage,
 * then adds the segments `adjudicate()` returned. A 'drop' leaves no segment, so drops are
 * remembered in the settings table (key `review-drops:<studyId>`), by a key naming the two
 * coders, the code and the passage id. Every decision is remembered too (key
 * `review-decisions:<studyId>`, the same key → the decision), because different decisions can
 * leave the same coding (keep both on a passage only A coded writes what accept A writes).
 */
import { newId, nowIso } from '../core/ids';
import type { Coder, Id, Result, Segment } from '../core/types';
import type { Decision, NewSegment } from '../core/agreement';
import type { GlossDB } from './db';

export const CONSENSUS_NAME = 'Consensus';
export const dropsKey = (studyId: Id) => `review-drops:${studyId}`;
export const decisionsKey = (studyId: Id) => `review-decisions:${studyId}`;

const DECISION_NAMES: readonly string[] = ['accept-a', 'accept-b', 'keep-both', 'drop'];

/** The decisions the reviewer took, by passage key. */
export async function readDecisions(db: GlossDB, studyId: Id): Promise<Record<string, Decision>> {
	const row = await db.settings.get(decisionsKey(studyId));
	const out: Record<string, Decision> = {};
	if (row?.value && typeof row.value === 'object' && !Array.isArray(row.value))
		for (const [k, v] of Object.entries(row.value as Record<string, unknown>)) if (typeof v === 'string' && DECISION_NAMES.includes(v)) out[k] = v as Decision;
	return out;
}

async function rememberDecision(db: GlossDB, studyId: Id, key: string, decision: Decision | null): Promise<void> {
	const all = await readDecisions(db, studyId);
	if (decision) all[key] = decision;
	else delete all[key];
	await db.settings.put({ key: decisionsKey(studyId), value: all });
}

/** The study's consensus coder, created (named "Consensus", or "Consensus 2"… when taken) on first use. */
export async function ensureConsensusCoder(db: GlossDB, studyId: Id): Promise<Result<Coder>> {
	return db.transaction('rw', [db.studies, db.coders], async () => {
		if (!(await db.studies.get(studyId))) return { ok: false, errors: ['This study no longer exists'] } as const;
		const coders = await db.coders.where('studyId').equals(studyId).toArray();
		const existing = coders.find((c) => c.isConsensus);
		if (existing) return { ok: true, value: existing } as const;
		const taken = new Set(coders.map((c) => c.name.toLowerCase()));
		let name = CONSENSUS_NAME;
		for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${CONSENSUS_NAME} ${i}`;
		const coder: Coder = { id: newId(), studyId, name, isConsensus: true, createdAt: nowIso() };
		await db.coders.add(coder);
		return { ok: true, value: coder } as const;
	});
}

export async function readDrops(db: GlossDB, studyId: Id): Promise<string[]> {
	const row = await db.settings.get(dropsKey(studyId));
	return Array.isArray(row?.value) ? (row.value as unknown[]).filter((x): x is string => typeof x === 'string') : [];
}

export interface DecisionWrite {
	/** The consensus coder. */
	coderId: Id;
	documentId: Id;
	/** The codes of the passage (the code reviewed, and the codes of its segments). */
	codeIds: Id[];
	/** The passage's extent. */
	start: number;
	end: number;
	/** What adjudicate() returned (empty for 'drop'). */
	segments: NewSegment[];
	/** The drop key of this passage; `dropped` says whether it is now dropped. */
	dropKey: string;
	dropped: boolean;
	/** The decision taken, remembered under `dropKey`. */
	decision?: Decision;
}

/** Everything needed to undo one decision. */
export interface DecisionUndo {
	studyId: Id;
	added: Segment[];
	removed: Segment[];
	dropKey: string;
	wasDropped: boolean;
	/** The decision remembered before this one (null: none). */
	previous?: Decision | null;
}

/** Write one decision; returns what undoes it. */
export async function writeDecision(db: GlossDB, studyId: Id, w: DecisionWrite): Promise<Result<DecisionUndo>> {
	for (const s of w.segments)
		if (s.studyId !== studyId || s.coderId !== w.coderId || s.documentId !== w.documentId)
			return { ok: false, errors: ['A consensus segment must belong to this study, document and consensus coder'] };
	return db.transaction('rw', [db.studies, db.coders, db.documents, db.codes, db.segments, db.settings], async () => {
		if (!(await db.coders.get([studyId, w.coderId]))) return { ok: false, errors: ['The consensus coder no longer exists'] } as const;
		// another window may have deleted the document or a code since the passage was shown
		if (!(await db.documents.get([studyId, w.documentId])))
			return { ok: false, errors: ['The document was deleted in another window; the decision was not saved'] } as const;
		const codeIds = [...new Set(w.segments.map((s) => s.codeId))];
		const found = await db.codes.bulkGet(codeIds.map((c) => [studyId, c] as [string, string]));
		const i = found.findIndex((c) => c === undefined);
		if (i >= 0) return { ok: false, errors: [`The code "${codeIds[i]}" was deleted in another window; the decision was not saved`] } as const;
		const codes = new Set(w.codeIds);
		const removed = (await db.segments.where('[studyId+documentId]').equals([studyId, w.documentId]).toArray()).filter(
			(s) => s.coderId === w.coderId && codes.has(s.codeId) && s.start < w.end && s.end > w.start
		);
		const now = nowIso();
		const added: Segment[] = w.segments.map((s) => ({ ...s, id: newId(), createdAt: now, updatedAt: now }));
		if (removed.length) await db.segments.bulkDelete(removed.map((s) => [studyId, s.id] as [string, string]));
		if (added.length) await db.segments.bulkAdd(added);
		const drops = new Set(await readDrops(db, studyId));
		const wasDropped = drops.has(w.dropKey);
		if (w.dropped) drops.add(w.dropKey);
		else drops.delete(w.dropKey);
		await db.settings.put({ key: dropsKey(studyId), value: [...drops] });
		const previous = (await readDecisions(db, studyId))[w.dropKey] ?? null;
		if (w.decision) await rememberDecision(db, studyId, w.dropKey, w.decision);
		await db.studies.update(studyId, { updatedAt: now });
		return { ok: true, value: { studyId, added, removed, dropKey: w.dropKey, wasDropped, previous } } as const;
	});
}

/** Undo a decision: remove what it added, put back what it replaced, restore the drop mark. */
export async function undoDecision(db: GlossDB, u: DecisionUndo): Promise<Result<true>> {
	return db.transaction('rw', [db.studies, db.codes, db.documents, db.coders, db.segments, db.settings], async () => {
		// what comes back must still have its code, document and coder
		for (const s of u.removed) {
			if (!(await db.codes.get([u.studyId, s.codeId])) || !(await db.documents.get([u.studyId, s.documentId])) || !(await db.coders.get([u.studyId, s.coderId])))
				return { ok: false, errors: ['A code or document of this decision was deleted in another window; it was not undone'] } as const;
		}
		if (u.added.length) await db.segments.bulkDelete(u.added.map((s) => [u.studyId, s.id] as [string, string]));
		if (u.removed.length) await db.segments.bulkPut(u.removed);
		const drops = new Set(await readDrops(db, u.studyId));
		if (u.wasDropped) drops.add(u.dropKey);
		else drops.delete(u.dropKey);
		await db.settings.put({ key: dropsKey(u.studyId), value: [...drops] });
		if (u.previous !== undefined) await rememberDecision(db, u.studyId, u.dropKey, u.previous);
		await db.studies.update(u.studyId, { updatedAt: nowIso() });
		return { ok: true, value: true } as const;
	});
}
