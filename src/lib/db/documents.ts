/** Documents (transcripts): import, rename, delete, and which case each belongs to. */
import { newId, nowIso } from '../core/ids';
import { nameKey, sameTranscript, uniqueName, type Transcript } from '../core/import';
import { caseNameError } from '../core/cases';
import type { Case, GlossDocument, Result } from '../core/types';
import type { GlossDB } from './db';

export async function listDocuments(db: GlossDB, studyId: string): Promise<GlossDocument[]> {
	const docs = await db.documents.where('studyId').equals(studyId).toArray();
	return docs.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

/** Segments per document id. */
export async function segmentCountsByDocument(db: GlossDB, studyId: string): Promise<Map<string, number>> {
	const counts = new Map<string, number>();
	await db.segments
		.where('studyId')
		.equals(studyId)
		.each((s) => counts.set(s.documentId, (counts.get(s.documentId) ?? 0) + 1));
	return counts;
}

export interface ImportedTranscript {
	document: GlossDocument;
	/** The case it joined. */
	case: Case;
	caseCreated: boolean;
}

/** The study's document with this transcript's name and exactly its text, if any. */
export async function findSameDocument(db: GlossDB, studyId: string, t: Transcript): Promise<GlossDocument | undefined> {
	const docs = await db.documents.where('studyId').equals(studyId).toArray();
	return sameTranscript(t, docs);
}

/**
 * Store one transcript as a document, in one transaction. It joins the case named after it
 * (ignoring case and spacing), which is created when there is none. A document name already in
 * the study gets " (2)".
 */
export async function importTranscript(db: GlossDB, studyId: string, t: Transcript): Promise<Result<ImportedTranscript>> {
	if (!t.text.trim()) return { ok: false, errors: [`${t.sourceName}: the file holds no text`] };
	return db.transaction('rw', [db.studies, db.documents, db.cases], async () => {
		if (!(await db.studies.get(studyId))) return { ok: false, errors: ['This study no longer exists'] } as const;
		const now = nowIso();
		const docs = await db.documents.where('studyId').equals(studyId).toArray();
		const cases = await db.cases.where('studyId').equals(studyId).toArray();
		let theCase = cases.find((c) => nameKey(c.name) === nameKey(t.name));
		const caseCreated = !theCase;
		if (!theCase) {
			theCase = { id: newId(), studyId, name: t.name, attributes: {}, createdAt: now, updatedAt: now };
			await db.cases.add(theCase);
		}
		const document: GlossDocument = {
			id: newId(),
			studyId,
			name: uniqueName(t.name, docs.map((d) => d.name)),
			text: t.text,
			caseId: theCase.id,
			sourceName: t.sourceName,
			...(t.times?.length ? { times: t.times } : {}),
			order: docs.reduce((m, d) => Math.max(m, d.order + 1), 0),
			createdAt: now,
			updatedAt: now
		};
		await db.documents.add(document);
		return { ok: true, value: { document, case: theCase, caseCreated } } as const;
	});
}

export async function renameDocument(db: GlossDB, studyId: string, documentId: string, name: string): Promise<Result<GlossDocument>> {
	const n = name.normalize('NFC').replace(/\s+/g, ' ').trim();
	if (!n) return { ok: false, errors: ['Document name: must not be empty'] };
	if (n.length > 200) return { ok: false, errors: ['Document name: at most 200 characters'] };
	return db.transaction('rw', [db.documents], async () => {
		const doc = await db.documents.get([studyId, documentId]);
		if (!doc) return { ok: false, errors: ['This document no longer exists'] } as const;
		const others = await db.documents.where('studyId').equals(studyId).toArray();
		if (others.some((d) => d.id !== documentId && nameKey(d.name) === nameKey(n)))
			return { ok: false, errors: [`Document name: "${n}" is already a document in this study`] } as const;
		const updated = { ...doc, name: n, updatedAt: nowIso() };
		await db.documents.put(updated);
		return { ok: true, value: updated } as const;
	});
}

/** Delete a document with its segments and its memos, in one transaction. Returns how many segments went. */
export async function deleteDocument(db: GlossDB, studyId: string, documentId: string): Promise<Result<{ segments: number }>> {
	return db.transaction('rw', [db.documents, db.segments, db.memos, db.media], async () => {
		const doc = await db.documents.get([studyId, documentId]);
		if (!doc) return { ok: false, errors: ['This document no longer exists'] } as const;
		await db.media.delete([studyId, documentId]);
		const segments = await db.segments.where('[studyId+documentId]').equals([studyId, documentId]).delete();
		await db.memos.where('[studyId+targetType+targetId]').equals([studyId, 'document', documentId]).delete();
		await db.documents.delete([studyId, documentId]);
		return { ok: true, value: { segments } } as const;
	});
}

/** Move a document to another case of the study. */
export async function setDocumentCase(db: GlossDB, studyId: string, documentId: string, caseId: string): Promise<Result<GlossDocument>> {
	return db.transaction('rw', [db.documents, db.cases], async () => {
		const doc = await db.documents.get([studyId, documentId]);
		if (!doc) return { ok: false, errors: ['This document no longer exists'] } as const;
		if (!(await db.cases.get([studyId, caseId]))) return { ok: false, errors: ['This case no longer exists'] } as const;
		const updated = { ...doc, caseId, updatedAt: nowIso() };
		await db.documents.put(updated);
		return { ok: true, value: updated } as const;
	});
}

/** Put a document in a new case with the given name (default: the document's name); reuses a case of that name. */
export async function moveDocumentToNewCase(
	db: GlossDB,
	studyId: string,
	documentId: string,
	caseName?: string
): Promise<Result<{ document: GlossDocument; case: Case; created: boolean }>> {
	return db.transaction('rw', [db.documents, db.cases], async () => {
		const doc = await db.documents.get([studyId, documentId]);
		if (!doc) return { ok: false, errors: ['This document no longer exists'] } as const;
		const name = (caseName ?? doc.name).normalize('NFC').replace(/\s+/g, ' ').trim();
		const cases = await db.cases.where('studyId').equals(studyId).toArray();
		let theCase = cases.find((c) => nameKey(c.name) === nameKey(name));
		const created = !theCase;
		const now = nowIso();
		if (!theCase) {
			const err = caseNameError(cases, name);
			if (err) return { ok: false, errors: [err] } as const;
			theCase = { id: newId(), studyId, name, attributes: {}, createdAt: now, updatedAt: now };
			await db.cases.add(theCase);
		}
		const updated = { ...doc, caseId: theCase.id, updatedAt: now };
		await db.documents.put(updated);
		return { ok: true, value: { document: updated, case: theCase, created } } as const;
	});
}
