/**
 * Segment (and in-vivo code) writes. Every coding action is written at once; a batch (auto-code,
 * an undo of a batch) is written in one transaction so it is all there or none of it is.
 */
import type { SegmentChange } from '../core/segments';
import type { Id, Memo, Result, Segment } from '../core/types';
import type { CodeChange } from '../core/undo';
import Dexie from 'dexie';
import { ofStudy, type GlossDB } from './db';

export async function listSegments(db: GlossDB, studyId: Id, documentId?: Id): Promise<Segment[]> {
	if (documentId) return db.segments.where('[studyId+documentId]').equals([studyId, documentId]).toArray();
	return ofStudy(db.segments, studyId).toArray();
}

/** Rows per read of `readSegmentsInChunks`: a few tens of ms of the page's time each. */
export const SEGMENT_READ_CHUNK = 2000;

/**
 * Every segment of a study, read in chunks of `SEGMENT_READ_CHUNK` in key order (one short
 * transaction each), yielding to the page between chunks, so that reading 100,000 segments never
 * holds a frame. `skipDocument`'s segments are left out (the caller has read them already).
 */
export async function readSegmentsInChunks(db: GlossDB, studyId: Id, skipDocument?: Id): Promise<Segment[]> {
	const out: Segment[] = [];
	let after = '';
	for (;;) {
		const chunk = await db.segments
			.where('[studyId+id]')
			.between([studyId, after], [studyId, Dexie.maxKey], false, true)
			.limit(SEGMENT_READ_CHUNK)
			.toArray();
		for (const s of chunk) if (s.documentId !== skipDocument) out.push(s);
		if (chunk.length < SEGMENT_READ_CHUNK) return out;
		after = chunk[chunk.length - 1].id;
		await new Promise((r) => setTimeout(r, 0));
	}
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
	if (shownCoderId === null) {
		// Every coder's segments are shown: counted by the index, per code or document, without
		// reading a segment (at 100,000 segments reading them all takes seconds).
		const owners = by === 'codeId' ? db.codes : db.documents;
		const index = by === 'codeId' ? '[studyId+codeId]' : '[studyId+documentId]';
		return db.transaction('r', [owners, db.segments], async () => {
			const ids = (await ofStudy(owners as typeof db.codes, studyId).primaryKeys()).map((k) => k[1]);
			const ns = await Promise.all(ids.map((id) => db.segments.where(index).equals([studyId, id]).count()));
			ids.forEach((id, i) => {
				if (ns[i] === 0) return;
				counts.all.set(id, ns[i]);
				counts.shown.set(id, ns[i]);
			});
			return counts;
		});
	}
	await ofStudy(db.segments, studyId)
		.each((s) => {
			const k = s[by];
			counts.all.set(k, (counts.all.get(k) ?? 0) + 1);
			if (shownCoderId === null || s.coderId === shownCoderId) counts.shown.set(k, (counts.shown.get(k) ?? 0) + 1);
		});
	return counts;
}
