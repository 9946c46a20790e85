/**
 * Schema upgrades keep every earlier study. Each file in tests/fixtures/db/ is a database as an
 * earlier Gloss wrote it: its Dexie schema (as that version declared it) and every record of every
 * table. The raw IndexedDB is built from the file alone (Dexie stores version × 10 as the IndexedDB
 * version), filled, closed, and then opened with today's GlossDB: every record must read back, and
 * the study must pass the integrity check. A schema bump adds one file (v<n>.json); nothing here changes.
 */
import 'fake-indexeddb/auto';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newId } from '../core/ids';
import { paragraphs } from '../core/text';
import type { Segment } from '../core/types';
import { GlossDB, joinDocument, type DocumentRow, type TextRow } from './db';
import { idRowsFor, packSegments } from './packs';
import { checkStudy, loadStudyData } from './studies';

interface DbFixture {
	about: string;
	dexieVersion: number;
	/** Dexie `stores()` syntax: the primary key first, then the indexes. */
	schema: Record<string, string>;
	data: Record<string, unknown[]>;
}

const DIR = resolve(import.meta.dirname, '../../../tests/fixtures/db');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

/** A Dexie key or index spec as IndexedDB wants it: "[a+b]" is the compound key path [a, b]. */
function keyPath(spec: string): string | string[] {
	const s = spec.replace(/^(\+\+|&|\*)/, '');
	return s.startsWith('[') ? s.slice(1, -1).split('+') : s;
}

type Blobbed = { $blob: { type: string; base64: string } };
const isBlobbed = (v: unknown): v is Blobbed => typeof v === 'object' && v !== null && '$blob' in v;

/** A record as stored: a field written as {"$blob": {type, base64}} becomes a Blob (recordings). */
function revive(row: unknown): unknown {
	if (typeof row !== 'object' || row === null) return row;
	const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
	for (const [k, v] of Object.entries(out))
		if (isBlobbed(v)) out[k] = new Blob([Buffer.from(v.$blob.base64, 'base64')], { type: v.$blob.type });
	return out;
}

/** A record as the fixture writes it: Blobs back to {"$blob": {type, base64}}. */
async function flatten(row: unknown): Promise<unknown> {
	if (typeof row !== 'object' || row === null) return row;
	const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
	for (const [k, v] of Object.entries(out))
		if (v instanceof Blob) out[k] = { $blob: { type: v.type, base64: Buffer.from(await v.arrayBuffer()).toString('base64') } };
	return out;
}

/** Build the IndexedDB an earlier version made, from the fixture alone, and fill it. */
function createRaw(name: string, fx: DbFixture): Promise<void> {
	return new Promise((done, fail) => {
		const req = indexedDB.open(name, fx.dexieVersion * 10);
		req.onerror = () => fail(req.error);
		req.onupgradeneeded = () => {
			const idb = req.result;
			for (const [table, spec] of Object.entries(fx.schema)) {
				const [primary, ...indexes] = spec.split(',').map((x) => x.trim()).filter(Boolean);
				const store = idb.createObjectStore(table, { keyPath: keyPath(primary), autoIncrement: primary.startsWith('++') });
				for (const ix of indexes)
					store.createIndex(ix.replace(/^(&|\*)/, ''), keyPath(ix), { unique: ix.startsWith('&'), multiEntry: ix.startsWith('*') });
			}
		};
		req.onsuccess = () => {
			const idb = req.result;
			const tables = Object.keys(fx.data);
			const tx = idb.transaction(tables, 'readwrite');
			for (const t of tables) for (const row of fx.data[t]) tx.objectStore(t).add(revive(row));
			tx.oncomplete = () => {
				idb.close();
				done();
			};
			tx.onerror = () => fail(tx.error);
		};
	});
}

/**
 * A fixture's tables as today's schema holds them. Version 4 moved each document's text into
 * `texts` (keyed [studyId+documentId]), leaving its length and paragraph count on the row.
 * Version 5 stores segments in `segmentPacks`, one per document and coder (`segments` reads them),
 * with `segmentIds` saying which pack holds each id.
 */
function asStoredNow(fx: DbFixture): Record<string, unknown[]> {
	let data = fx.data;
	if (fx.dexieVersion < 4) {
		const docs = fx.data.documents as { id: string; studyId: string; text: string }[];
		data = {
			...data,
			documents: docs.map(({ text, ...d }) => ({ ...d, textLength: text.length, paragraphCount: paragraphs(text).length })),
			texts: docs.map((d) => ({ studyId: d.studyId, documentId: d.id, text: d.text }))
		};
	}
	if (fx.dexieVersion < 5) data = { ...data, segmentPacks: packSegments(data.segments as Segment[]), segmentIds: idRowsFor(data.segments as Segment[]) };
	return data;
}

it('has a database fixture for every schema version before the current one', () => {
	const current = new GlossDB('versions-' + newId()).verno;
	const versions = files.map((f) => (JSON.parse(readFileSync(resolve(DIR, f), 'utf8')) as DbFixture).dexieVersion);
	for (let v = 1; v < current; v++) expect(versions, `tests/fixtures/db has no fixture for schema version ${v}`).toContain(v);
});

describe.each(files)('%s opened by the current GlossDB', (file) => {
	const fx = JSON.parse(readFileSync(resolve(DIR, file), 'utf8')) as DbFixture;

	it('reads back every record of every table, and the study passes the integrity check', async () => {
		const name = `upgrade-${file}-${newId()}`;
		await createRaw(name, fx);
		const db = new GlossDB(name);
		await db.open();
		expect(db.verno).toBeGreaterThanOrEqual(fx.dexieVersion);
		// Every table of today's schema exists and reads (the upgrade made the ones added since).
		const tables = asStoredNow(fx);
		for (const t of db.tables) expect(await t.count(), `table ${t.name}`).toBe(tables[t.name]?.length ?? 0);
		for (const [table, rows] of Object.entries(tables)) {
			const stored = await Promise.all((await db.table(table).toArray()).map(flatten));
			expect(stored, `table ${table}`).toHaveLength(rows.length);
			for (const row of rows) expect(stored, `table ${table}`).toContainEqual(row);
		}
		for (const study of fx.data.studies as { id: string }[]) {
			const data = await loadStudyData(db, study.id);
			expect(data, `study ${study.id}`).not.toBeNull();
			for (const t of ['coders', 'attributes', 'cases', 'documents', 'codes', 'segments', 'memos'] as const)
				expect(data?.[t].length, `${t} of study ${study.id}`).toBe(fx.data[t].filter((r) => (r as { studyId: string }).studyId === study.id).length);
			// Each document reads back whole, its text with it (from version 4 the text is stored apart).
			const texts = new Map((fx.data.texts as TextRow[] | undefined)?.map((t) => [t.documentId, t.text]));
			for (const d of fx.data.documents as DocumentRow[])
				if (d.studyId === study.id) expect(data?.documents).toContainEqual(fx.dexieVersion >= 4 ? joinDocument(d, texts.get(d.id)!) : d);
			expect(await checkStudy(db, study.id)).toEqual({ ok: true, value: [] });
		}
		// The indexes the app queries by work on the upgraded database, and each segment reads by its key.
		const segs = fx.data.segments as Segment[];
		for (const seg of segs) {
			expect(await db.segments.get([seg.studyId, seg.id])).toEqual(seg);
			for (const f of ['documentId', 'codeId', 'coderId'] as const)
				expect(await db.segments.where(`[studyId+${f}]`).equals([seg.studyId, seg[f]]).toArray()).toEqual(
					segs.filter((s) => s.studyId === seg.studyId && s[f] === seg[f]).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
				);
		}
		db.close();
	});

	it('describes itself and holds a complete study', () => {
		expect(fx.about.length).toBeGreaterThan(20);
		for (const t of ['studies', 'coders', 'attributes', 'cases', 'documents', 'codes', 'segments', 'memos', 'settings'])
			expect(fx.data[t]?.length, `${file}: table ${t}`).toBeGreaterThan(0);
		expect((fx.data.coders as { isConsensus?: boolean }[]).some((c) => c.isConsensus)).toBe(true);
		expect((fx.data.codes as { favourite: number | null }[]).some((c) => c.favourite !== null)).toBe(true);
		expect(new Set((fx.data.memos as { targetType: string }[]).map((m) => m.targetType))).toEqual(new Set(['study', 'document', 'code', 'case']));
	});
});
