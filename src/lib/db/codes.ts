/**
 * Codebook writes. Each command reads the study's codes inside its transaction, asks the pure
 * editing function in core/codebook.ts what to change, and writes all of it (codes, segments,
 * memos) in that one transaction, or nothing.
 */
import {
	addChild,
	addSibling,
	codebookToCodes,
	countSegments,
	deleteCode,
	mergeCodes,
	moveCode,
	moveCodeBy,
	parseCodebookFile,
	updateCode,
	type CodeEdit,
	type CodeFields,
	type MoveDirection
} from '../core/codebook';
import { setFavourite } from '../core/favourites';
import { nowIso } from '../core/ids';
import type { Code, Id, Result } from '../core/types';
import { ofStudy, type GlossDB } from './db';

export async function listCodes(db: GlossDB, studyId: Id): Promise<Code[]> {
	return db.codes.where('studyId').equals(studyId).toArray();
}

async function putEdit(db: GlossDB, studyId: Id, edit: CodeEdit): Promise<void> {
	if (edit.upserts.length) await db.codes.bulkPut(edit.upserts);
	if (edit.removedIds.length) await db.codes.bulkDelete(edit.removedIds.map((id) => [studyId, id] as [string, string]));
}

/** Run a pure edit over the study's codes and write its result, in one transaction. */
async function edit<T extends CodeEdit>(db: GlossDB, studyId: Id, make: (codes: Code[]) => Result<T>): Promise<Result<T>> {
	return db.transaction('rw', [db.codes], async () => {
		const codes = await db.codes.where('studyId').equals(studyId).toArray();
		const r = make(codes);
		if (r.ok) await putEdit(db, studyId, r.value);
		return r;
	});
}

/** Add a code as the last child of `parentId` (null: a new top-level code). */
export function addChildCode(db: GlossDB, studyId: Id, parentId: Id | null, fields: CodeFields) {
	return edit(db, studyId, (codes) => addChild(codes, parentId, fields, { studyId }));
}

/** Add a code right after `siblingId`. */
export function addSiblingCode(db: GlossDB, studyId: Id, siblingId: Id, fields: CodeFields) {
	return edit(db, studyId, (codes) => addSibling(codes, siblingId, fields, { studyId }));
}

/** Rename a code or change its definition, inclusion, exclusion, example or colour. */
export function updateCodeFields(db: GlossDB, studyId: Id, id: Id, patch: Partial<CodeFields>) {
	return edit(db, studyId, (codes) => updateCode(codes, id, patch));
}

/** Give a code number key 1–9 (null: none); the code that had the key loses it. */
export function setCodeFavourite(db: GlossDB, studyId: Id, id: Id, key: number | null) {
	return edit(db, studyId, (codes) => setFavourite(codes, id, key));
}

/** Move a code (with its subcodes) under `parentId` at `index` among its new siblings. */
export function moveCodeTo(db: GlossDB, studyId: Id, id: Id, parentId: Id | null, index: number) {
	return edit(db, studyId, (codes) => moveCode(codes, id, parentId, index));
}

/** Move a code one step: up, down, indent (under the code above) or outdent. */
export function moveCodeStep(db: GlossDB, studyId: Id, id: Id, direction: MoveDirection) {
	return edit(db, studyId, (codes) => moveCodeBy(codes, id, direction));
}

/** What deleting a code takes with it: its subcodes and every segment coded with any of them. */
export async function deleteImpact(db: GlossDB, studyId: Id, id: Id): Promise<{ subcodes: number; segments: number }> {
	return db.transaction('r', [db.codes, db.segments], async () => {
		const codes = await db.codes.where('studyId').equals(studyId).toArray();
		const r = deleteCode(codes, id);
		if (!r.ok) return { subcodes: 0, segments: 0 };
		const segs = await ofStudy(db.segments, studyId).toArray();
		return { subcodes: r.value.removedIds.length - 1, segments: countSegments(segs, r.value.removedIds) };
	});
}

/** Delete a code, its subcodes, their segments and their memos. Returns what went. */
export async function deleteCodeWithSegments(
	db: GlossDB,
	studyId: Id,
	id: Id
): Promise<Result<{ codes: number; segments: number }>> {
	return db.transaction('rw', [db.codes, db.segments, db.memos], async () => {
		const codes = await db.codes.where('studyId').equals(studyId).toArray();
		const r = deleteCode(codes, id);
		if (!r.ok) return r;
		const keys = r.value.removedIds.map((c) => [studyId, c] as [string, string]);
		const segments = await db.segments.where('[studyId+codeId]').anyOf(keys).delete();
		await db.memos
			.where('[studyId+targetType+targetId]')
			.anyOf(r.value.removedIds.map((c) => [studyId, 'code', c]))
			.delete();
		await putEdit(db, studyId, r.value);
		return { ok: true, value: { codes: r.value.removedIds.length, segments } } as const;
	});
}

/**
 * Merge `sourceId` into `targetId`: its segments are recoded (an exact duplicate of one already
 * on the target is dropped), its subcodes and memos move to the target, and it is removed.
 */
export async function mergeCodeInto(
	db: GlossDB,
	studyId: Id,
	sourceId: Id,
	targetId: Id
): Promise<Result<{ recoded: number; dropped: number }>> {
	return db.transaction('rw', [db.codes, db.segments, db.memos], async () => {
		const codes = await db.codes.where('studyId').equals(studyId).toArray();
		const segs = await db.segments
			.where('[studyId+codeId]')
			.anyOf([
				[studyId, sourceId],
				[studyId, targetId]
			])
			.toArray();
		const r = mergeCodes(codes, segs, sourceId, targetId);
		if (!r.ok) return r;
		const now = nowIso();
		const recode = new Set(r.value.recodeSegmentIds);
		const recoded = segs.filter((s) => recode.has(s.id)).map((s) => ({ ...s, codeId: targetId, updatedAt: now }));
		if (recoded.length) await db.segments.bulkPut(recoded);
		if (r.value.dropSegmentIds.length)
			await db.segments.bulkDelete(r.value.dropSegmentIds.map((s) => [studyId, s] as [string, string]));
		const memos = await db.memos.where('[studyId+targetType+targetId]').equals([studyId, 'code', sourceId]).toArray();
		if (memos.length) await db.memos.bulkPut(memos.map((m) => ({ ...m, targetId, updatedAt: now })));
		await putEdit(db, studyId, r.value);
		return { ok: true, value: { recoded: recoded.length, dropped: r.value.dropSegmentIds.length } } as const;
	});
}

/**
 * Import a codebook file's text (JSON, or CSV when the name ends in .csv) into the study: its
 * codes go after the study's own. Every problem is reported with its path
 * (`codes[3].children[1].name: missing`) or CSV row, and nothing is written.
 */
export async function importCodebook(db: GlossDB, studyId: Id, text: string, fileName: string): Promise<Result<Code[]>> {
	const parsed = parseCodebookFile(text, fileName);
	if (!parsed.ok) return parsed;
	return db.transaction('rw', [db.studies, db.codes], async () => {
		if (!(await db.studies.get(studyId))) return { ok: false, errors: ['This study no longer exists'] } as const;
		const existing = await db.codes.where('studyId').equals(studyId).toArray();
		const r = codebookToCodes(parsed.value.codes, studyId, existing);
		if (!r.ok) return { ok: false, errors: r.errors.map((e) => `${fileName}: ${e}`) } as const;
		await db.codes.bulkAdd(r.value);
		return r;
	});
}
