/** Coders of a study, and which coder is coding now in this browser (the `settings` table). */
import { lastUseByCoder } from '../core/coders';
import { newId, nowIso } from '../core/ids';
import type { Coder, Result } from '../core/types';
import { ofStudy, type GlossDB } from './db';
import { packSizes, readSegmentPacks } from './segments';

/** The settings key that holds the current coder's id for one study. */
export const currentCoderKey = (studyId: string) => `coder:${studyId}`;

export async function listCoders(db: GlossDB, studyId: string): Promise<Coder[]> {
	const all = await db.coders.where('studyId').equals(studyId).toArray();
	return all.sort((a, b) => a.name.localeCompare(b.name));
}

/** Add a coder. Names are unique in a study (ignoring case and surrounding space). */
export async function addCoder(db: GlossDB, studyId: string, name: string): Promise<Result<Coder>> {
	const n = name.trim().replace(/\s+/g, ' ');
	if (!n) return { ok: false, errors: ['Coder name: must not be empty'] };
	if (n.length > 80) return { ok: false, errors: ['Coder name: at most 80 characters'] };
	return db.transaction('rw', [db.studies, db.coders], async () => {
		if (!(await db.studies.get(studyId))) return { ok: false, errors: ['This study no longer exists'] } as const;
		const existing = await db.coders.where('studyId').equals(studyId).toArray();
		if (existing.some((c) => c.name.toLowerCase() === n.toLowerCase()))
			return { ok: false, errors: [`Coder name: "${n}" is already a coder in this study`] } as const;
		const coder: Coder = { id: newId(), studyId, name: n, createdAt: nowIso() };
		await db.coders.add(coder);
		return { ok: true, value: coder } as const;
	});
}

export async function renameCoder(db: GlossDB, studyId: string, coderId: string, name: string): Promise<Result<Coder>> {
	const n = name.trim().replace(/\s+/g, ' ');
	if (!n) return { ok: false, errors: ['Coder name: must not be empty'] };
	return db.transaction('rw', [db.coders], async () => {
		const coder = await db.coders.get([studyId, coderId]);
		if (!coder) return { ok: false, errors: ['This coder no longer exists'] } as const;
		const all = await db.coders.where('studyId').equals(studyId).toArray();
		if (all.some((c) => c.id !== coderId && c.name.toLowerCase() === n.toLowerCase()))
			return { ok: false, errors: [`Coder name: "${n}" is already a coder in this study`] } as const;
		const updated = { ...coder, name: n };
		await db.coders.put(updated);
		return { ok: true, value: updated } as const;
	});
}

/** The id of the coder chosen in this browser for the study, or null when none is chosen yet. */
export async function getCurrentCoderId(db: GlossDB, studyId: string): Promise<string | null> {
	const row = await db.settings.get(currentCoderKey(studyId));
	return typeof row?.value === 'string' ? row.value : null;
}

export async function setCurrentCoder(db: GlossDB, studyId: string, coderId: string): Promise<Result<Coder>> {
	return db.transaction('rw', [db.coders, db.settings], async () => {
		const coder = await db.coders.get([studyId, coderId]);
		if (!coder) return { ok: false, errors: ['This coder is not in the study'] } as const;
		await db.settings.put({ key: currentCoderKey(studyId), value: coderId });
		return { ok: true, value: coder } as const;
	});
}

/**
 * "I am only reviewing": nobody codes in this browser for the study (read-only), until a coder is
 * chosen. Stored in the current-coder setting as `{ reviewing: true }`, so it and a coder never
 * both hold.
 */
export async function setReviewing(db: GlossDB, studyId: string): Promise<Result<true>> {
	await db.settings.put({ key: currentCoderKey(studyId), value: { reviewing: true } });
	return { ok: true, value: true };
}

/** Add a coder and make them the current coder, in one transaction. An existing name is reused. */
export async function addAndSelectCoder(db: GlossDB, studyId: string, name: string): Promise<Result<Coder>> {
	const n = name.trim().replace(/\s+/g, ' ');
	if (!n) return { ok: false, errors: ['Coder name: must not be empty'] };
	return db.transaction('rw', [db.studies, db.coders, db.settings], async () => {
		const existing = (await db.coders.where('studyId').equals(studyId).toArray()).find(
			(c) => c.name.toLowerCase() === n.toLowerCase()
		);
		let coder = existing;
		if (!coder) {
			const r = await addCoder(db, studyId, n);
			if (!r.ok) return r;
			coder = r.value;
		}
		await db.settings.put({ key: currentCoderKey(studyId), value: coder.id });
		return { ok: true, value: coder } as const;
	});
}

/** When each coder of the study last changed a segment or a memo (ISO time), for ordering them. */
export async function coderLastUse(db: GlossDB, studyId: string): Promise<Map<string, string>> {
	const rows: { coderId: string | null; updatedAt: string }[] = [];
	for (const p of await readSegmentPacks(db, studyId)) for (const s of p.segments) rows.push({ coderId: s.coderId, updatedAt: s.updatedAt });
	await db.memos
		.where('studyId')
		.equals(studyId)
		.each((m) => rows.push({ coderId: m.coderId, updatedAt: m.updatedAt }));
	return lastUseByCoder(rows);
}

/** How many segments deleting a coder takes with it (for the confirmation). */
export async function coderSegmentCount(db: GlossDB, studyId: string, coderId: string): Promise<number> {
	return (await packSizes(db, studyId)).reduce((n, [, c, k]) => n + (c === coderId ? k : 0), 0);
}

/**
 * Delete a coder with every segment they coded, in one transaction (ask first, with
 * `coderSegmentCount`). Their memos stay, without a coder; this browser forgets them as the
 * current coder.
 */
export async function deleteCoder(db: GlossDB, studyId: string, coderId: string): Promise<Result<{ segments: number }>> {
	return db.transaction('rw', [db.studies, db.coders, db.segments, db.memos, db.settings], async () => {
		const coder = await db.coders.get([studyId, coderId]);
		if (!coder) return { ok: false, errors: ['This coder no longer exists'] } as const;
		const segments = await db.segments.where('[studyId+coderId]').equals([studyId, coderId]).delete();
		const memos = await db.memos.where('studyId').equals(studyId).filter((m) => m.coderId === coderId).toArray();
		if (memos.length) await db.memos.bulkPut(memos.map((m) => ({ ...m, coderId: null })));
		const current = await db.settings.get(currentCoderKey(studyId));
		if (current?.value === coderId) await db.settings.delete(currentCoderKey(studyId));
		await db.coders.delete([studyId, coderId]);
		await db.studies.update(studyId, { updatedAt: nowIso() });
		return { ok: true, value: { segments } } as const;
	});
}
