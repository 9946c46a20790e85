/**
 * How a study maps onto Yjs documents, as pure functions over plain records (no Yjs here).
 *
 *   gloss/<studyId>/shared            maps 'study', 'coders', 'attributes', 'cases', 'documents'
 *                                     (metadata, no text), 'codes', 'memos' (memos with no coder)
 *   gloss/<studyId>/coder/<coderId>   maps 'segments', 'memos' (that coder's)
 *   gloss/<studyId>/consensus         maps 'segments', 'memos' of the consensus coder
 *   gloss/<studyId>/text/<documentId> map 'text': key 'text' the transcript, 'times' its timings
 *
 * A value is the Dexie row as plain JSON without `studyId` (and, for documents, without `text` and
 * `times`, which live in the text document),
 * keyed by its id. A delete is a tombstone `{ id, deleted: true, updatedAt }`.
 *
 * Records of the shared document carry `fieldTimes` (field → ISO time of its last change) so that
 * concurrent edits merge field by field, last writer wins (`mergeRecords`). Segments and memos,
 * each written by one coder, are whole values: Yjs's own rule keeps one of two concurrent writes.
 */
import { docName, type DocRef } from './protocol';
import type { Code, GlossDocument, Id, StudyData } from '../types';
import { repairCycles } from './cycles';

export const SHARED_KINDS = ['study', 'coders', 'attributes', 'cases', 'documents', 'codes'] as const;
export const CODING_KINDS = ['segments', 'memos'] as const;
export type SharedKind = (typeof SHARED_KINDS)[number];
export type CodingKind = (typeof CODING_KINDS)[number];
export type RecordKind = SharedKind | CodingKind;
export const RECORD_KINDS: readonly RecordKind[] = [...SHARED_KINDS, ...CODING_KINDS];

/** The Dexie table each kind lives in. */
export const TABLE_OF: Record<RecordKind, string> = {
	study: 'studies',
	coders: 'coders',
	attributes: 'attributes',
	cases: 'cases',
	documents: 'documents',
	codes: 'codes',
	segments: 'segments',
	memos: 'memos'
};
export const KIND_OF_TABLE: Record<string, RecordKind> = Object.fromEntries(
	Object.entries(TABLE_OF).map(([k, t]) => [t, k as RecordKind])
);

/** A value in a document's map: a record as plain JSON. */
export interface SyncRecord {
	id: string;
	deleted?: true;
	updatedAt?: string;
	createdAt?: string;
	fieldTimes?: Record<string, string>;
	[field: string]: unknown;
}

/** A document's content as plain maps: map name → key → value. */
export type DocMaps = Record<string, Record<string, unknown>>;

/** Kinds whose records carry per-field times and merge field by field. */
export function mergesByField(kind: RecordKind): boolean {
	return (SHARED_KINDS as readonly string[]).includes(kind);
}

export const isTombstone = (v: unknown): boolean => !!v && typeof v === 'object' && (v as SyncRecord).deleted === true;

/** Equal as JSON values, whatever the key order; `undefined` properties count as absent. */
export function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	if (Array.isArray(a)) {
		const bb = b as unknown[];
		return a.length === bb.length && a.every((x, i) => sameJson(x, bb[i]));
	}
	const ao = a as Record<string, unknown>;
	const bo = b as Record<string, unknown>;
	const ka = Object.keys(ao).filter((k) => ao[k] !== undefined);
	const kb = Object.keys(bo).filter((k) => bo[k] !== undefined);
	if (ka.length !== kb.length) return false;
	return ka.every((k) => sameJson(ao[k], bo[k]));
}

/** The record's own fields (no bookkeeping): what is compared to decide whether anything changed. */
function content(r: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(r)) if (k !== 'fieldTimes' && v !== undefined) out[k] = v;
	return out;
}

/** The time of one field: its own entry in `fieldTimes`, else the record's updatedAt/createdAt. */
export function fieldTime(r: SyncRecord, f: string): string {
	return r.fieldTimes?.[f] ?? (r.deleted ? (f === 'deleted' || f === 'id' || f === 'updatedAt' ? (r.updatedAt ?? '') : '') : (r.updatedAt ?? r.createdAt ?? ''));
}

function latestTime(r: SyncRecord): string {
	let t = r.updatedAt ?? r.createdAt ?? '';
	for (const v of Object.values(r.fieldTimes ?? {})) if (v > t) t = v;
	return t;
}

/** An ISO time strictly later than `after` and not earlier than `now` (clocks may be behind). */
export function laterThan(now: string, after: string): string {
	if (!after || now > after) return now;
	const ms = Date.parse(after);
	return Number.isFinite(ms) ? new Date(ms + 1).toISOString() : now;
}

/** The value a row is stored as (no studyId, no document text). */
export function rowContent(kind: RecordKind, row: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(row)) {
		if (v === undefined || k === 'studyId') continue;
		// the text and what describes it (schema version 4 keeps its length and paragraphs with the row) live in the text document
		if (kind === 'documents' && (k === 'text' || k === 'times' || k === 'textLength' || k === 'paragraphCount')) continue;
		out[k] = v;
	}
	return out;
}

/**
 * The record to store for a row, given the one stored now (`prev`), or null when nothing changed.
 * Shared kinds get per-field times: a changed field gets a time later than any in `prev`, so a
 * write that follows another always wins over it field by field.
 */
export function recordFor(kind: RecordKind, row: Record<string, unknown>, prev: SyncRecord | undefined, now: string): SyncRecord | null {
	const next = rowContent(kind, row) as SyncRecord;
	if (prev && !isTombstone(prev) && sameJson(content(prev), next)) return null;
	if (!mergesByField(kind)) return next;
	if (!prev) {
		const t = (next.updatedAt as string | undefined) ?? (next.createdAt as string | undefined) ?? now;
		next.fieldTimes = Object.fromEntries(Object.keys(next).map((f) => [f, t]));
		return next;
	}
	const t = laterThan(now, latestTime(prev));
	const times: Record<string, string> = {};
	const fields = new Set([...Object.keys(next), ...Object.keys(content(prev))]);
	if (isTombstone(prev)) fields.add('deleted');
	for (const f of fields) times[f] = sameJson(next[f], prev[f]) && !(isTombstone(prev) && f !== 'id') ? fieldTime(prev, f) : t;
	next.fieldTimes = times;
	return next;
}

/** The tombstone that deletes `prev` (for shared kinds, later than every field of it). */
export function tombstoneFor(kind: RecordKind, id: string, prev: SyncRecord | undefined, now: string): SyncRecord {
	const t = prev && mergesByField(kind) ? laterThan(now, latestTime(prev)) : now;
	return { id, deleted: true, updatedAt: t };
}

const jsonKey = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));

/**
 * Field-wise last writer wins: each field from the record whose time for it is later; equal times
 * are broken by the value's JSON, so every client picks the same. Associative, commutative and
 * idempotent, so any order of merging gives the same record. A record is deleted when its
 * `deleted` field (from a tombstone) is the latest.
 */
/** Whether two records hold the same fields (their times aside). */
export function sameContent(a: SyncRecord, b: SyncRecord): boolean {
	return sameJson(content(a), content(b));
}

export function mergeRecords(a: SyncRecord, b: SyncRecord): SyncRecord {
	if (sameJson(a, b)) return a;
	const fields = new Set([...Object.keys(a), ...Object.keys(b)]);
	fields.delete('fieldTimes');
	const out: SyncRecord = { id: a.id };
	const times: Record<string, string> = {};
	for (const f of fields) {
		const ta = fieldTime(a, f);
		const tb = fieldTime(b, f);
		const pickA = ta > tb || (ta === tb && jsonKey(a[f]) >= jsonKey(b[f]));
		const v = pickA ? a[f] : b[f];
		if (v !== undefined) out[f] = v;
		const t = pickA ? ta : tb;
		if (t) times[f] = t;
	}
	if (out.deleted !== true) delete out.deleted;
	out.fieldTimes = times;
	return out;
}

/**
 * The row a stored record stands for, or null for a tombstone. Documents get `text` ('' until
 * loaded) and `times` (the paragraph start times of a timed transcript) from their text document.
 */
export function rowFor(kind: RecordKind, rec: SyncRecord, studyId: string, text?: string, times?: unknown): Record<string, unknown> | null {
	if (isTombstone(rec)) return null;
	const row: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(rec)) if (k !== 'fieldTimes' && k !== 'deleted' && v !== undefined) row[k] = v;
	if (kind !== 'study') row.studyId = studyId;
	if (kind === 'documents') {
		row.text = text ?? '';
		if (Array.isArray(times) && times.length) row.times = times;
	}
	return row;
}

/** The consensus coders' ids (their coding goes to the consensus document). */
export function consensusIds(coders: Iterable<{ id: string; isConsensus?: boolean; deleted?: true }>): Set<string> {
	const s = new Set<string>();
	for (const c of coders) if (c.isConsensus && !c.deleted) s.add(c.id);
	return s;
}

/** The document a row of a kind belongs in. */
export function docRefFor(studyId: string, kind: RecordKind, row: { coderId?: unknown }, consensus: Set<string>): DocRef {
	if (kind === 'segments' || (kind === 'memos' && typeof row.coderId === 'string')) {
		const coderId = row.coderId as string;
		return consensus.has(coderId) ? { kind: 'consensus', studyId } : { kind: 'coder', studyId, coderId };
	}
	return { kind: 'shared', studyId };
}

export const TEXT_MAP = 'text';
export const TEXT_KEY = 'text';
/** Beside the text: a timed transcript's paragraph start times (offsets count over the text). */
export const TIMES_KEY = 'times';

/** A whole study as its documents' content: doc name → maps. Shared records carry fieldTimes. */
export function studyToDocs(data: StudyData): Map<string, DocMaps> {
	const studyId = data.study.id;
	const out = new Map<string, DocMaps>();
	const put = (ref: DocRef, kind: string, key: string, value: unknown) => {
		const name = docName(ref);
		let doc = out.get(name);
		if (!doc) out.set(name, (doc = {}));
		(doc[kind] ??= {})[key] = value;
	};
	const consensus = consensusIds(data.coders);
	const shared: DocRef = { kind: 'shared', studyId };
	const T = data.study.createdAt;
	put(shared, 'study', studyId, recordFor('study', data.study as never, undefined, T));
	const tables: [RecordKind, { id: string }[]][] = [
		['coders', data.coders],
		['attributes', data.attributes],
		['cases', data.cases],
		['documents', data.documents],
		['codes', data.codes],
		['segments', data.segments],
		['memos', data.memos]
	];
	for (const [kind, rows] of tables)
		for (const row of rows) put(docRefFor(studyId, kind, row as never, consensus), kind, row.id, recordFor(kind, row as never, undefined, T));
	// Every coder has a document, even with no coding yet, so joining members see it exist.
	for (const c of data.coders) {
		const ref = docRefFor(studyId, 'segments', { coderId: c.id }, consensus);
		if (!out.has(docName(ref))) out.set(docName(ref), { segments: {}, memos: {} });
	}
	if (!out.has(docName({ kind: 'consensus', studyId }))) out.set(docName({ kind: 'consensus', studyId }), { segments: {}, memos: {} });
	for (const d of data.documents) {
		put({ kind: 'text', studyId, documentId: d.id }, TEXT_MAP, TEXT_KEY, d.text);
		if (d.times?.length) put({ kind: 'text', studyId, documentId: d.id }, TEXT_MAP, TIMES_KEY, d.times);
	}
	return out;
}

function liveRecords(doc: DocMaps | undefined, kind: string): SyncRecord[] {
	const m = doc?.[kind];
	if (!m) return [];
	return Object.values(m).filter((v) => !isTombstone(v)) as SyncRecord[];
}

/** Codes as stored, with any cycle broken the same way on every client. */
export function projectCodes(records: SyncRecord[], studyId: string): Code[] {
	const codes = records.map((r) => rowFor('codes', r, studyId) as unknown as Code);
	const times = new Map(records.map((r) => [r.id, fieldTime(r, 'parentId')]));
	return repairCycles(codes, (c) => times.get(c.id) ?? c.updatedAt);
}

/** A study back from its documents' content. Tombstones are dropped; code cycles repaired. */
export function docsToStudy(studyId: string, docs: Map<string, DocMaps>): StudyData | null {
	const shared = docs.get(docName({ kind: 'shared', studyId }));
	const studyRec = shared?.study?.[studyId] as SyncRecord | undefined;
	if (!studyRec || isTombstone(studyRec)) return null;
	const rows = <T>(kind: RecordKind, recs: SyncRecord[]) => recs.map((r) => rowFor(kind, r, studyId) as T);
	const segments: StudyData['segments'] = [];
	const memos: StudyData['memos'] = rows('memos', liveRecords(shared, 'memos'));
	for (const [name, doc] of docs) {
		if (!name.includes('/coder/') && !name.endsWith('/consensus')) continue;
		segments.push(...rows<StudyData['segments'][number]>('segments', liveRecords(doc, 'segments')));
		memos.push(...rows<StudyData['memos'][number]>('memos', liveRecords(doc, 'memos')));
	}
	const documents = liveRecords(shared, 'documents').map((r) => {
		const m = docs.get(docName({ kind: 'text', studyId, documentId: r.id }))?.[TEXT_MAP];
		const t = m?.[TEXT_KEY];
		return rowFor('documents', r, studyId, typeof t === 'string' ? t : '', m?.[TIMES_KEY]) as unknown as GlossDocument;
	});
	return {
		study: rowFor('study', studyRec, studyId) as unknown as StudyData['study'],
		coders: rows('coders', liveRecords(shared, 'coders')),
		attributes: rows('attributes', liveRecords(shared, 'attributes')),
		cases: rows('cases', liveRecords(shared, 'cases')),
		documents,
		codes: projectCodes(liveRecords(shared, 'codes'), studyId),
		segments,
		memos
	};
}

export type { Id };
