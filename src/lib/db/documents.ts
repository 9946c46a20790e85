/** Documents (transcripts): import, rename, delete, and which case each belongs to. */
import { newId, nowIso } from '../core/ids';
import { nameKey, sameTranscript, uniqueName, type Transcript } from '../core/import';
import { caseNameError } from '../core/cases';
import type { Case, GlossDocument, Result } from '../core/types';
import { joinDocument, ofStudy, splitDocument, type DocumentRow, type GlossDB } from './db';
import { packSizes } from './segments';

/** The study's documents in their order, without their texts (`getDocumentText` reads one). */
export async function listDocuments(db: GlossDB, studyId: string): Promise<DocumentRow[]> {
	const docs = await db.documents.where('studyId').equals(studyId).toArray();
	return docs.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

/** One document's text ('' for a document that is gone). */
export async function getDocumentText(db: GlossDB, studyId: string, documentId: string): Promise<string> {
	return (await db.texts.get([studyId, documentId]))?.text ?? '';
}

/** Every document text of a study, by document id. */
export async function readDocumentTexts(db: GlossDB, studyId: string): Promise<Map<string, string>> {
	const rows = await ofStudy(db.texts, studyId).toArray();
	return new Map(rows.map((r) => [r.documentId, r.text]));
}

/** One document with its text, as the domain has it (undefined when it is gone). */
export async function getDocument(db: GlossDB, studyId: string, documentId: string): Promise<GlossDocument | undefined> {
	return db.transaction('r', [db.documents, db.texts], async () => {
		const [row, text] = await Promise.all([db.documents.get([studyId, documentId]), db.texts.get([studyId, documentId])]);
		return row ? joinDocument(row, text?.text ?? '') : undefined;
	});
}

/** Every document of a study with its text (exports, backups, analysis drill-down). */
export async function readDocumentsWithTexts(db: GlossDB, studyId: string): Promise<GlossDocument[]> {
	return db.transaction('r', [db.documents, db.texts], async () => {
		const [rows, texts] = await Promise.all([db.documents.where('studyId').equals(studyId).toArray(), readDocumentTexts(db, studyId)]);
		return rows.map((r) => joinDocument(r, texts.get(r.id) ?? ''));
	});
}

/** Store documents with their texts, inside the caller's transaction (which holds documents and texts). */
export async function putDocuments(db: GlossDB, docs: readonly GlossDocument[], how: 'add' | 'put' = 'put'): Promise<void> {
	const split = docs.map(splitDocument);
	if (how === 'add') {
		await db.documents.bulkAdd(split.map((s) => s.row));
		await db.texts.bulkAdd(split.map((s) => s.text));
	} else {
		await db.documents.bulkPut(split.map((s) => s.row));
		await db.texts.bulkPut(split.map((s) => s.text));
	}
}

/** Segments per document id. */
export async function segmentCountsByDocument(db: GlossDB, studyId: string): Promise<Map<string, number>> {
	const counts = new Map<string, number>();
	// kept per document and coder with the study's count: no segment read
	for (const [documentId, , n] of await packSizes(db, studyId)) counts.set(documentId, (counts.get(documentId) ?? 0) + n);
	return counts;
}

export interface ImportedTranscript {
	document: GlossDocument;
	/** The case it joined. */
	case: Case;
	caseCreated: boolean;
}

/** The study's document with this transcript's name and exactly its text, if any. */
export async function findSameDocument(db: GlossDB, studyId: string, t: Transcript): Promise<DocumentRow | undefined> {
	const docs = await db.documents.where('studyId').equals(studyId).toArray();
	// Only documents whose name or source matches, and whose text is as long, have their text read.
	const key = nameKey(t.name);
	const source = nameKey(t.sourceName);
	const named = docs.filter((d) => d.textLength === t.text.length && (nameKey(d.name) === key || (d.sourceName !== undefined && nameKey(d.sourceName) === source)));
	if (named.length === 0) return undefined;
	const texts = await db.texts.bulkGet(named.map((d) => [studyId, d.id] as [string, string]));
	const same = sameTranscript(t, named.map((d, i) => ({ ...d, text: texts[i]?.text ?? '' })));
	return same && named.find((d) => d.id === same.id);
}

/**
 * Store one transcript as a document, in one transaction. It joins the case named after it
 * (ignoring case and spacing), which is created when there is none. A document name already in
 * the study gets " (2)".
 */
export async function importTranscript(db: GlossDB, studyId: string, t: Transcript): Promise<Result<ImportedTranscript>> {
	if (!t.text.trim()) return { ok: false, errors: [`${t.sourceName}: the file holds no text`] };
	return db.transaction('rw', [db.studies, db.documents, db.texts, db.cases], async () => {
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
			...(t.pages?.length ? { pages: t.pages } : {}),
			order: docs.reduce((m, d) => Math.max(m, d.order + 1), 0),
			createdAt: now,
			updatedAt: now
		};
		await putDocuments(db, [document], 'add');
		return { ok: true, value: { document, case: theCase, caseCreated } } as const;
	});
}

export async function renameDocument(db: GlossDB, studyId: string, documentId: string, name: string): Promise<Result<DocumentRow>> {
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
	return db.transaction('rw', [db.documents, db.texts, db.segments, db.memos, db.media], async () => {
		const doc = await db.documents.get([studyId, documentId]);
		if (!doc) return { ok: false, errors: ['This document no longer exists'] } as const;
		await db.media.delete([studyId, documentId]);
		await db.texts.delete([studyId, documentId]);
		const segments = await db.segments.where('[studyId+documentId]').equals([studyId, documentId]).delete();
		await db.memos.where('[studyId+targetType+targetId]').equals([studyId, 'document', documentId]).delete();
		await db.documents.delete([studyId, documentId]);
		return { ok: true, value: { segments } } as const;
	});
}

/** Move a document to another case of the study. */
export async function setDocumentCase(db: GlossDB, studyId: string, documentId: string, caseId: string): Promise<Result<DocumentRow>> {
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
): Promise<Result<{ document: DocumentRow; case: Case; created: boolean }>> {
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
