/** Yjs glue: plain document content (core/sync/records.ts) in and out of Y.Docs. */
import * as Y from 'yjs';
import { mergeRecords, mergesByField, sameContent, type DocMaps, type RecordKind, type SyncRecord } from '../core/sync/records';

/** Transaction origins: this client's own writes, and stored updates loaded at start. */
export const LOCAL = 'gloss-local';
export const LOAD = 'gloss-load';

/** Write plain maps into a Y.Doc (one transaction). */
export function writeMaps(doc: Y.Doc, maps: DocMaps, origin: unknown = LOCAL): void {
	doc.transact(() => {
		for (const [kind, entries] of Object.entries(maps)) {
			const m = doc.getMap(kind);
			for (const [k, v] of Object.entries(entries)) m.set(k, v);
		}
	}, origin);
}

/** A Y.Doc holding plain maps. */
export function docFromMaps(maps: DocMaps): Y.Doc {
	const doc = new Y.Doc();
	writeMaps(doc, maps);
	return doc;
}

/** A Y.Doc's top-level maps as plain values. */
export function mapsOf(doc: Y.Doc): DocMaps {
	const out: DocMaps = {};
	for (const kind of [...doc.share.keys()]) {
		const m = doc.getMap(kind);
		const entries: Record<string, unknown> = {};
		for (const [k, v] of m.entries()) entries[k] = v;
		out[kind] = entries;
	}
	return out;
}

/**
 * A remote change replaced `old` by `cur` in a map of `kind`. When the two were concurrent, Yjs
 * kept one whole value; for field-merged kinds the record to write back is their field-wise merge
 * (null when `cur` already is it, as it is when the change followed `old`).
 */
export function conflictRepair(kind: string, old: unknown, cur: unknown): SyncRecord | null {
	if (!mergesByField(kind as RecordKind) || !old || !cur || typeof old !== 'object' || typeof cur !== 'object') return null;
	const merged = mergeRecords(old as SyncRecord, cur as SyncRecord);
	return sameContent(merged, cur as SyncRecord) ? null : merged;
}
