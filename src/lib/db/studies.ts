/** Repository functions for whole studies. Multi-table writes run in one transaction. */
import { parseBackup } from '../core/backup';
import { newId, nowIso } from '../core/ids';
import type { Result, Study, StudyData } from '../core/types';
import type { GlossDB } from './db';

export async function listStudies(db: GlossDB): Promise<Study[]> {
	const all = await db.studies.toArray();
	return all.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
}

export async function createStudy(db: GlossDB, name: string, description = ''): Promise<Result<Study>> {
	const n = name.trim();
	if (!n) return { ok: false, errors: ['Study name: must not be empty'] };
	const now = nowIso();
	const study: Study = { id: newId(), name: n, description, createdAt: now, updatedAt: now };
	await db.studies.add(study);
	return { ok: true, value: study };
}

export async function renameStudy(db: GlossDB, id: string, name: string): Promise<Result<Study>> {
	const n = name.trim();
	if (!n) return { ok: false, errors: ['Study name: must not be empty'] };
	const study = await db.studies.get(id);
	if (!study) return { ok: false, errors: ['This study no longer exists'] };
	const updated = { ...study, name: n, updatedAt: nowIso() };
	await db.studies.put(updated);
	return { ok: true, value: updated };
}

/** Mark the study as changed now (shown as "last changed" on the start page). */
export async function touchStudy(db: GlossDB, id: string): Promise<void> {
	await db.studies.update(id, { updatedAt: nowIso() });
}

export interface StudyCounts {
	documents: number;
	cases: number;
	codes: number;
	segments: number;
	/** Every memo: on the study, documents, codes and cases, and on coded segments. */
	memos: number;
	coders: number;
}

export async function studyCounts(db: GlossDB, studyId: string): Promise<StudyCounts> {
	const [documents, cases, codes, segments, memos, segmentMemos, coders] = await Promise.all([
		db.documents.where('studyId').equals(studyId).count(),
		db.cases.where('studyId').equals(studyId).count(),
		db.codes.where('studyId').equals(studyId).count(),
		db.segments.where('studyId').equals(studyId).count(),
		db.memos.where('studyId').equals(studyId).count(),
		db.segments.where('studyId').equals(studyId).filter((s) => s.memo.trim() !== '').count(),
		db.coders.where('studyId').equals(studyId).count()
	]);
	return { documents, cases, codes, segments, memos: memos + segmentMemos, coders };
}

export async function deleteStudy(db: GlossDB, id: string): Promise<void> {
	await db.transaction('rw', [db.studies, ...db.studyTables], async () => {
		for (const t of db.studyTables) await t.where('studyId').equals(id).delete();
		await db.studies.delete(id);
	});
}

/** Every row of one study, for analysis and backup. */
export async function loadStudyData(db: GlossDB, studyId: string): Promise<StudyData | null> {
	return db.transaction('r', [db.studies, ...db.studyTables], async () => {
		const study = await db.studies.get(studyId);
		if (!study) return null;
		const q = <T>(t: { where(k: string): { equals(v: string): { toArray(): Promise<T[]> } } }) =>
			t.where('studyId').equals(studyId).toArray();
		const [coders, attributes, cases, documents, codes, segments, memos] = await Promise.all([
			q(db.coders),
			q(db.attributes),
			q(db.cases),
			q(db.documents),
			q(db.codes),
			q(db.segments),
			q(db.memos)
		]);
		return { study, coders, attributes, cases, documents, codes, segments, memos } as StudyData;
	});
}

/** Write a whole study (already validated) in one transaction. */
export async function insertStudyData(db: GlossDB, data: StudyData): Promise<void> {
	await db.transaction('rw', [db.studies, ...db.studyTables], async () => {
		await db.studies.add(data.study);
		await db.coders.bulkAdd(data.coders);
		await db.attributes.bulkAdd(data.attributes);
		await db.cases.bulkAdd(data.cases);
		await db.documents.bulkAdd(data.documents);
		await db.codes.bulkAdd(data.codes);
		await db.segments.bulkAdd(data.segments);
		await db.memos.bulkAdd(data.memos);
	});
}

/** Restore a backup file's text as a new study. Nothing is written unless all of it is valid. */
export async function restoreBackup(db: GlossDB, text: string, fileName: string): Promise<Result<Study>> {
	const parsed = parseBackup(text, newId(), fileName);
	if (!parsed.ok) return parsed;
	try {
		await insertStudyData(db, parsed.value);
	} catch (e) {
		return { ok: false, errors: [`${fileName}: could not be stored (${(e as Error).message})`] };
	}
	return { ok: true, value: parsed.value.study };
}
