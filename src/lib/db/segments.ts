/**
 * Segment (and in-vivo code) writes. Every coding action is written at once; a batch (auto-code,
 * an undo of a batch) is written in one transaction so it is all there or none of it is.
 */
import type { SegmentChange } from '../core/segments';
import type { Coder, Id, Memo, Result, Segment } from '../core/types';
import type { CodeChange } from '../core/undo';
import Dexie from 'dexie';
import { ofStudy, type GlossDB } from './db';
import { COUNT_SHARD, idRowsFor, packSegments, type SegmentPack } from './packs';

export async function listSegments(db: GlossDB, studyId: Id, documentId?: Id): Promise<Segment[]> {
	if (documentId) return db.segments.where('[studyId+documentId]').equals([studyId, documentId]).toArray();
	return ofStudy(db.segments, studyId).toArray();
}

/** The study's consensus coder (null when there is none) and, when `withSegments`, its segments. */
export async function readConsensusSegments(db: GlossDB, studyId: Id, withSegments: boolean): Promise<{ coder: Coder | null; segments: Segment[] }> {
	const coder = (await db.coders.where('studyId').equals(studyId).toArray()).find((c) => c.isConsensus) ?? null;
	const segments = coder && withSegments ? await db.segments.where('[studyId+coderId]').equals([studyId, coder.id]).toArray() : [];
	return { coder, segments };
}

/** Segments per read of `readSegmentsInChunks` (about): a few tens of ms of the page's time each. */
export const SEGMENT_READ_CHUNK = 2000;

/**
 * The study's segment packs (schema version 5: one per document and coder), in key order, for
 * counts. In a transaction of its own: inside a liveQuery, Dexie's cache would otherwise keep the
 * packs read and not see them change when segments are written through `db.segments`.
 */
export function readSegmentPacks(db: GlossDB, studyId: Id): Promise<SegmentPack[]> {
	return db.transaction('r', db.segmentPacks, () => ofStudy(db.segmentPacks, studyId).toArray());
}

/** The study's segment count, in all, per document and coder and per code and coder (`sizeKey`), kept in `segmentIds` (db/packs.ts): no segment read. */
export async function segmentSizes(db: GlossDB, studyId: Id): Promise<{ count: number; sizes: Map<string, number>; codes: Map<string, number> }> {
	const row = await db.segmentIds.get([studyId, COUNT_SHARD]);
	return row && 'count' in row ? row : { count: 0, sizes: new Map(), codes: new Map() };
}

/** How many segments the study has (no segment read). */
export async function countSegments(db: GlossDB, studyId: Id): Promise<number> {
	return (await segmentSizes(db, studyId)).count;
}

/** Segments per document, and per document and coder: `[documentId, coderId, n]` (no segment read). */
export async function packSizes(db: GlossDB, studyId: Id): Promise<[Id, Id, number][]> {
	return [...(await segmentSizes(db, studyId)).sizes].map(([k, n]) => {
		const [documentId, coderId] = k.split('\u0000');
		return [documentId, coderId, n];
	});
}

/**
 * Every segment of a study, read a few packs at a time (one short transaction each, about
 * `SEGMENT_READ_CHUNK` segments), yielding to the page between reads, so that reading 100,000
 * segments never holds a frame. `skipDocument`'s segments are left out (the caller has read them
 * already). Ordered by document and coder, not by id.
 */
export async function readSegmentsInChunks(db: GlossDB, studyId: Id, skipDocument?: Id): Promise<Segment[]> {
	const out: Segment[] = [];
	let after: [string, string, string] | null = null;
	let packs = 8;
	const pk = db.segmentPacks.schema.primKey.name;
	for (;;) {
		const chunk: SegmentPack[] = await db.segmentPacks
			.where(pk)
			.between(after ?? [studyId, Dexie.minKey], [studyId, Dexie.maxKey], after === null, true)
			.limit(packs)
			.toArray();
		let n = 0;
		for (const p of chunk) {
			n += p.segments.length;
			if (p.documentId !== skipDocument) for (const s of p.segments) out.push(s);
		}
		if (chunk.length < packs) return out;
		const last = chunk[chunk.length - 1];
		after = [last.studyId, last.documentId, last.coderId];
		// about SEGMENT_READ_CHUNK segments per read, whatever the packs' sizes
		packs = Math.max(1, Math.min(500, Math.round((packs * SEGMENT_READ_CHUNK) / Math.max(n, 1))));
		await new Promise((r) => setTimeout(r, 0));
	}
}

/**
 * Write a NEW study's segments straight into packs, inside the caller's transaction (which must
 * hold `db.segmentPacks` and `db.segmentIds`): restoring, joining, repairing (after the study's segments were deleted).
 * Faster than `db.segments.bulkAdd` (no pack is read): the study must have no segments yet (a
 * pack already there, or an id already stored, fails the write).
 * `onPacks(segments)` after each write of about `chunk` segments.
 */
export async function putSegmentPacks(db: GlossDB, segments: readonly Segment[], chunk = Infinity, onPacks?: (segments: number) => void): Promise<void> {
	const ids = idRowsFor(segments);
	const distinct = ids.reduce((n, r) => n + ('ids' in r ? r.ids.size : 0), 0);
	if (distinct !== segments.length) throw new Dexie.ConstraintError('Two segments have the same id');
	const packs = packSegments(segments);
	for (let i = 0; i < packs.length; ) {
		const part: SegmentPack[] = [];
		let n = 0;
		while (i < packs.length && (part.length === 0 || n + packs[i].segments.length <= chunk)) {
			n += packs[i].segments.length;
			part.push(packs[i++]);
		}
		await db.segmentPacks.bulkAdd(part);
		onPacks?.(n);
	}
	// the id directory and the count, once (a row there already: the study had segments, and it all fails)
	await db.segmentIds.bulkAdd(ids);
}

/** What a refused write tells the researcher: names of the rows it pointed to, and what did not happen. */
export interface WriteContext {
	/** The name of a code, document, coder or case as this window last saw it. */
	nameOf?: (kind: RefKind, id: Id) => string | undefined;
	/** What did not happen, e.g. "the passage was not coded" (the default: "nothing was saved"). */
	notDone?: string;
}

export type RefKind = 'code' | 'document' | 'coder' | 'case' | 'passage';

/** "The code 'Savings' was deleted in another window; the passage was not coded" */
export function goneMessage(kind: RefKind, name: string | undefined, notDone = 'nothing was saved'): string {
	return `The ${kind}${name ? ` '${name}'` : ''} was deleted in another window; ${notDone}`;
}

/**
 * Write the changes of one coding action: `after` rows are put, rows whose `after` is null are
 * deleted. Code changes (in-vivo codes and their undo) go in the same transaction.
 *
 * Inside the transaction, every code, document and coder the written segments point to must
 * still exist (another window may have deleted it), and a segment being changed must still be
 * there. Otherwise nothing is written and the error says what was deleted
 * ("The code 'Savings' was deleted in another window; the passage was not coded").
 */
export async function writeChanges(
	db: GlossDB,
	studyId: Id,
	changes: readonly SegmentChange[],
	codes: readonly CodeChange[] = [],
	ctx: WriteContext = {}
): Promise<Result<null>> {
	if (changes.length === 0 && codes.length === 0) return { ok: true, value: null };
	const puts: Segment[] = [];
	const dels: [string, string][] = [];
	const changed: Id[] = [];
	for (const c of changes) {
		if (c.after) {
			if (c.after.studyId !== studyId) throw new Error('A segment of another study cannot be written here');
			puts.push(c.after);
			if (c.before) changed.push(c.before.id);
		} else if (c.before) dels.push([studyId, c.before.id]);
	}
	const codePuts = codes.filter((c) => c.after).map((c) => c.after!);
	const codeDels = codes.filter((c) => !c.after && c.before).map((c) => [studyId, c.before!.id] as [string, string]);
	const made = new Set(codePuts.map((c) => c.id));
	const uniq = (xs: Iterable<Id>) => [...new Set(xs)];
	const codeIds = uniq(puts.map((s) => s.codeId).filter((id) => !made.has(id)));
	const parentIds = uniq(codePuts.map((c) => c.parentId).filter((id): id is Id => id !== null && !made.has(id)));
	const docIds = uniq(puts.map((s) => s.documentId));
	const coderIds = uniq(puts.map((s) => s.coderId));
	const key = (id: Id) => [studyId, id] as [string, string];
	return db.transaction('rw', [db.segments, db.codes, db.documents, db.coders, db.studies], async () => {
		const gone = async (kind: RefKind, table: typeof db.codes | typeof db.documents | typeof db.coders | typeof db.segments, ids: Id[]) => {
			if (ids.length === 0) return null;
			const rows = await table.bulkGet(ids.map(key));
			const i = rows.findIndex((r) => r === undefined);
			return i < 0 ? null : goneMessage(kind, ctx.nameOf?.(kind, ids[i]), ctx.notDone);
		};
		const refused =
			(await gone('code', db.codes, codeIds)) ??
			(await gone('code', db.codes, parentIds)) ??
			(await gone('document', db.documents, docIds)) ??
			(await gone('coder', db.coders, coderIds)) ??
			(await gone('passage', db.segments, changed));
		if (refused) return { ok: false, errors: [refused] } as const;
		// undoing an in-vivo code removes the code: not while another window has used it since
		if (codeDels.length) {
			const leaving = new Set(dels.map((k) => k[1]));
			for (const k of codeDels) {
				const used = await db.segments
					.where('[studyId+codeId]')
					.equals(k)
					.filter((s) => !leaving.has(s.id))
					.count();
				const children = await db.codes.where('[studyId+parentId]').equals(k).count();
				if (used || children) {
					const name = ctx.nameOf?.('code', k[1]);
					return {
						ok: false,
						errors: [`The code${name ? ` '${name}'` : ''} has been used in another window since; ${ctx.notDone ?? 'nothing was saved'}`]
					} as const;
				}
			}
		}
		// codes first: a new code exists before the segment that uses it
		if (codePuts.length) await db.codes.bulkPut(codePuts);
		if (dels.length) await db.segments.bulkDelete(dels);
		if (puts.length) await db.segments.bulkPut(puts);
		if (codeDels.length) await db.codes.bulkDelete(codeDels);
		await db.studies.update(studyId, { updatedAt: new Date().toISOString() });
		return { ok: true, value: null } as const;
	});
}

// ------------------------------------------------------------------ memos

export async function listMemos(db: GlossDB, studyId: Id): Promise<Memo[]> {
	return db.memos.where('studyId').equals(studyId).toArray();
}

/**
 * Add or update a memo (study, document, code or case). An empty memo is deleted. The document,
 * code or case it is written on must still exist (another window may have deleted it), else
 * nothing is written.
 */
export async function saveMemo(db: GlossDB, memo: Memo, ctx: WriteContext = {}): Promise<Result<null>> {
	return db.transaction('rw', [db.memos, db.studies, db.documents, db.codes, db.cases, db.coders], async () => {
		const empty = memo.text.trim() === '' && memo.title.trim() === '';
		if (!empty) {
			const k = memo.targetId === null ? null : ([memo.studyId, memo.targetId] as [string, string]);
			const table = memo.targetType === 'document' ? db.documents : memo.targetType === 'code' ? db.codes : memo.targetType === 'case' ? db.cases : null;
			if (memo.targetType !== 'study' && (!table || !k || !(await table.get(k))))
				return { ok: false, errors: [goneMessage(memo.targetType as RefKind, memo.targetId ? ctx.nameOf?.(memo.targetType as RefKind, memo.targetId) : undefined, ctx.notDone ?? 'the memo was not saved')] } as const;
			if (memo.targetType === 'study' && memo.targetId !== null) return { ok: false, errors: ['A study memo has no target id'] } as const;
			if (!(await db.studies.get(memo.studyId))) return { ok: false, errors: ['This study no longer exists'] } as const;
			if (memo.coderId !== null && !(await db.coders.get([memo.studyId, memo.coderId])))
				return { ok: false, errors: [goneMessage('coder', ctx.nameOf?.('coder', memo.coderId), ctx.notDone ?? 'the memo was not saved')] } as const;
		}
		if (empty) await db.memos.delete([memo.studyId, memo.id]);
		else await db.memos.put(memo);
		await db.studies.update(memo.studyId, { updatedAt: new Date().toISOString() });
		return { ok: true, value: null } as const;
	});
}

/** Segments per code or per document: those shown (blind coding: one coder's) and every coder's. */
export interface SegmentCounts {
	shown: Map<Id, number>;
	all: Map<Id, number>;
}

/**
 * Count the study's segments by `codeId` (each code's own, not its subcodes') or by `documentId`,
 * all of them and those of `shownCoderId` (null: every coder's are shown).
 */
export async function segmentCounts(db: GlossDB, studyId: Id, by: 'codeId' | 'documentId', shownCoderId: Id | null): Promise<SegmentCounts> {
	const counts: SegmentCounts = { shown: new Map(), all: new Map() };
	const add = (m: Map<Id, number>, k: Id, n: number) => m.set(k, (m.get(k) ?? 0) + n);
	if (by === 'documentId') {
		// per document and coder, kept with the study's count: no segment read
		for (const [documentId, coderId, n] of await packSizes(db, studyId)) {
			add(counts.all, documentId, n);
			if (shownCoderId === null || coderId === shownCoderId) add(counts.shown, documentId, n);
		}
		return counts;
	}
	// per code and coder, kept with the study's count too
	for (const [k, n] of (await segmentSizes(db, studyId)).codes) {
		const [codeId, coderId] = k.split('\u0000');
		add(counts.all, codeId, n);
		if (shownCoderId === null || coderId === shownCoderId) add(counts.shown, codeId, n);
	}
	return counts;
}
