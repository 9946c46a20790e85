/**
 * Segment (and in-vivo code) writes. Every coding action is written at once; a batch (auto-code,
 * an undo of a batch) is written in one transaction so it is all there or none of it is.
 */
import type { SegmentChange } from '../core/segments';
import type { Id, Memo, Segment } from '../core/types';
import type { CodeChange } from '../core/undo';
import type { GlossDB } from './db';

export async function listSegments(db: GlossDB, studyId: Id, documentId?: Id): Promise<Segment[]> {
	if (documentId) return db.segments.where('[studyId+documentId]').equals([studyId, documentId]).toArray();
	return db.segments.where('studyId').equals(studyId).toArray();
}

/**
 * Write the changes of one coding action: `after` rows are put, rows whose `after` is null are
 * deleted. Code changes (in-vivo codes and their undo) go in the same transaction.
 */
export async function writeChanges(
	db: GlossDB,
	studyId: Id,
	changes: readonly SegmentChange[],
	codes: readonly CodeChange[] = []
): Promise<void> {
	if (changes.length === 0 && codes.length === 0) return;
	const puts: Segment[] = [];
	const dels: [string, string][] = [];
	for (const c of changes) {
		if (c.after) {
			if (c.after.studyId !== studyId) throw new Error('A segment of another study cannot be written here');
			puts.push(c.after);
		} else if (c.before) dels.push([studyId, c.before.id]);
	}
	const codePuts = codes.filter((c) => c.after).map((c) => c.after!);
	const codeDels = codes.filter((c) => !c.after && c.before).map((c) => [studyId, c.before!.id] as [string, string]);
	await db.transaction('rw', [db.segments, db.codes, db.studies], async () => {
		// codes first: a new code exists before the segment that uses it
		if (codePuts.length) await db.codes.bulkPut(codePuts);
		if (dels.length) await db.segments.bulkDelete(dels);
		if (puts.length) await db.segments.bulkPut(puts);
		if (codeDels.length) await db.codes.bulkDelete(codeDels);
		await db.studies.update(studyId, { updatedAt: new Date().toISOString() });
	});
}

// ------------------------------------------------------------------ memos

export async function listMemos(db: GlossDB, studyId: Id): Promise<Memo[]> {
	return db.memos.where('studyId').equals(studyId).toArray();
}

/** Add or update a memo (study, document, code or case). An empty memo is deleted. */
export async function saveMemo(db: GlossDB, memo: Memo): Promise<void> {
	await db.transaction('rw', [db.memos, db.studies], async () => {
		if (memo.text.trim() === '' && memo.title.trim() === '') await db.memos.delete([memo.studyId, memo.id]);
		else await db.memos.put(memo);
		await db.studies.update(memo.studyId, { updatedAt: new Date().toISOString() });
	});
}
