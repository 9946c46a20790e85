/**
 * Gloss domain types. Pure data: no Svelte, Dexie or DOM.
 *
 * Text positions: every `start`/`end` is a JavaScript string offset (UTF-16 code unit),
 * zero-based, end exclusive, over `GlossDocument.text` as stored (LF line endings, NFC).
 *
 * Times are ISO 8601 strings (UTC), so a backup round-trips byte for byte.
 */

export type Id = string;

export interface Study {
	id: Id;
	name: string;
	description: string;
	createdAt: string;
	updatedAt: string;
}

export interface Coder {
	id: Id;
	studyId: Id;
	name: string;
	/** The consensus coder holds adjudicated coding; it is a coder like any other in the analysis. */
	isConsensus?: boolean;
	createdAt: string;
}

export interface Code {
	/** A GUID, kept stable across export and import (REFI-QDA guid). */
	id: Id;
	studyId: Id;
	parentId: Id | null;
	name: string;
	definition: string;
	/** When to use the code. */
	inclusion: string;
	/** When not to use the code. */
	exclusion: string;
	example: string;
	/** CSS hex colour, `#rrggbb`. */
	colour: string;
	/** Position among its siblings, 0-based. */
	order: number;
	/** 1–9: the number key that applies this code; null when not a favourite. */
	favourite?: number | null;
	createdAt: string;
	updatedAt: string;
}

export type AttributeType = 'category' | 'text' | 'number' | 'date';
export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['category', 'text', 'number', 'date'];

/** What an attribute describes: a case (an enterprise, a person) or a document (one interview). */
export type AttributeScope = 'case' | 'document';

export interface Attribute {
	id: Id;
	studyId: Id;
	name: string;
	type: AttributeType;
	order: number;
	/** Absent means 'case' (every attribute of a study made before document attributes existed). */
	scope?: AttributeScope;
}

/** An attribute's scope: 'case' unless it says 'document'. */
export const scopeOf = (a: Pick<Attribute, 'scope'>): AttributeScope => (a.scope === 'document' ? 'document' : 'case');

/** A category, text or date (ISO `YYYY-MM-DD`) value is a string; a number is a number. */
export type AttributeValue = string | number | null;

export interface Case {
	id: Id;
	studyId: Id;
	name: string;
	/** Keyed by attribute id. A missing key or null means no value. */
	attributes: Record<Id, AttributeValue>;
	createdAt: string;
	updatedAt: string;
}

export interface GlossDocument {
	id: Id;
	studyId: Id;
	name: string;
	/** Normalised text: LF line endings, NFC. Offsets count over this string. */
	text: string;
	caseId: Id | null;
	/**
	 * Values of the document attributes (scope 'document'), keyed by attribute id, like
	 * `Case.attributes`. Absent, a missing key or null means no value.
	 */
	attributes?: Record<Id, AttributeValue>;
	/** The file it was imported from, if any. */
	sourceName?: string;
	/**
	 * When each timed paragraph was spoken: `offset` is where the paragraph starts in `text`,
	 * `seconds` its time in the recording. In text order; absent for an untimed transcript.
	 */
	times?: { offset: number; seconds: number }[];
	/** Where each page starts in `text` (a PDF): `pages[0]` is 0. Absent for a document without pages. */
	pages?: number[];
	order: number;
	createdAt: string;
	updatedAt: string;
}

export interface Segment {
	id: Id;
	studyId: Id;
	documentId: Id;
	codeId: Id;
	coderId: Id;
	start: number;
	end: number;
	memo: string;
	createdAt: string;
	updatedAt: string;
}

export type MemoTarget = 'study' | 'document' | 'code' | 'case';

/** A memo on the study, a document, a code or a case. Memos on a segment live in `Segment.memo`. */
export interface Memo {
	id: Id;
	studyId: Id;
	targetType: MemoTarget;
	/** The document, code or case id; null for a study memo. */
	targetId: Id | null;
	title: string;
	text: string;
	coderId: Id | null;
	/**
	 * A document memo may be anchored to a passage of its document (as f4 writes a memo on a
	 * selection): UTF-16 offsets into the document's text, end exclusive, `start <= end`. Both or
	 * neither; only when `targetType` is `'document'`.
	 */
	start?: number;
	end?: number;
	createdAt: string;
	updatedAt: string;
}

/** A whole study, as held in a backup file and as handed to the pure analysis functions. */
export interface StudyData {
	study: Study;
	coders: Coder[];
	attributes: Attribute[];
	cases: Case[];
	documents: GlossDocument[];
	codes: Code[];
	segments: Segment[];
	memos: Memo[];
}

/** Commands validate first and return an error value instead of throwing through the UI. */
export type Result<T, E = string[]> = { ok: true; value: T } | { ok: false; errors: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E = string[]>(errors: E): Result<never, E> => ({ ok: false, errors });
