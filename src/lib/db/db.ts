/**
 * The one Dexie database. The only module (with its siblings in src/lib/db) that touches IndexedDB.
 *
 * Every row but a study's carries `studyId`, and its primary key is `[studyId+id]`: ids (code
 * GUIDs above all) stay stable when a study is restored next to its original, which merging
 * coders' copies relies on.
 */
import Dexie, { type EntityTable, type Table } from 'dexie';
import type { Attribute, Case, Code, Coder, GlossDocument, Memo, Segment, Study } from '../core/types';
import type { Member, StudySettings } from '../core/sync/protocol';
import { paragraphCount as countParagraphs } from '../core/text';
import { SyncRegistry, dropSync, syncMiddleware } from './sync';
import { IDS, IDS_SCHEMA, PACKS, PACKS_SCHEMA, idRowsFor, packSegments, segmentsOverPacks, type SegmentIdRow, type SegmentPack } from './packs';

/**
 * A document as stored (schema version 4): its text lives in `texts`, so that lists of documents
 * never read transcripts. `textLength` and `paragraphCount` describe the text for those lists.
 */
export type DocumentRow = Omit<GlossDocument, 'text'> & { textLength: number; paragraphCount: number };

/** A document's normalised text (LF, NFC), keyed `[studyId+documentId]` (schema version 4). */
export interface TextRow {
	studyId: string;
	documentId: string;
	text: string;
}

/** A document split into its stored row and its text. */
export function splitDocument(d: GlossDocument): { row: DocumentRow; text: TextRow } {
	const { text, ...rest } = d;
	return { row: { ...rest, textLength: text.length, paragraphCount: countParagraphs(text) }, text: { studyId: d.studyId, documentId: d.id, text } };
}

/** A stored row and its text joined back into the domain's document (without the stored-only fields). */
export function joinDocument(row: DocumentRow, text: string): GlossDocument {
	const { textLength, paragraphCount, id, studyId, name, ...rest } = row;
	// the text where a document has always had it (after the name): backups come out byte for byte as before
	return { id, studyId, name, text, ...rest };
}

/** A recording linked to one document. It stays on this machine: never in backups by default, never synced. */
export interface MediaRecord {
	studyId: string;
	documentId: string;
	/** The file's name as chosen. */
	name: string;
	/** MIME type given to the player. */
	type: string;
	kind: 'audio' | 'video';
	size: number;
	blob: Blob;
	addedAt: string;
}

export interface Setting {
	key: string;
	value: unknown;
}

/** A study shared through a sync server: where, as whom (schema version 3). */
export interface SyncLink {
	studyId: string;
	/** The sync server, `ws://host:port` or `wss://host`. */
	server: string;
	/** This member's secret token. */
	token: string;
	member: Member;
	study: StudySettings;
	/** For a supervisor: the coder ids other members code as (their coding is theirs to write). */
	coderMembers?: string[];
}

/** One stored Yjs update of a shared study's document; `local` until the server has it. */
export interface SyncUpdate {
	seq?: number;
	studyId: string;
	docName: string;
	update: Uint8Array;
	local: 0 | 1;
	/** How many records a local update changed (what "N changes waiting" counts). */
	changes?: number;
}

export class GlossDB extends Dexie {
	studies!: EntityTable<Study, 'id'>;
	coders!: Table<Coder, [string, string]>;
	attributes!: Table<Attribute, [string, string]>;
	cases!: Table<Case, [string, string]>;
	documents!: Table<DocumentRow, [string, string]>;
	/** Transcript texts, read on demand (db/documents.ts `getDocumentText`, `readDocumentTexts`). */
	texts!: Table<TextRow, [string, string]>;
	codes!: Table<Code, [string, string]>;
	/**
	 * A study's segments. From schema version 5 they are stored in `segmentPacks` (db/packs.ts) and
	 * this table is a view of them: every query and write works as on a table of segments.
	 */
	segments!: Table<Segment, [string, string]>;
	/** Segments stored ~100 to a record, per document and coder (schema version 5; read through `segments`). */
	segmentPacks!: Table<SegmentPack, [string, string, string]>;
	/** Which pack holds each segment id, and each study's segment count (schema version 5; kept by db/packs.ts). */
	segmentIds!: Table<SegmentIdRow, [string, number]>;
	memos!: Table<Memo, [string, string]>;
	settings!: EntityTable<Setting, 'key'>;
	media!: Table<MediaRecord, [string, string]>;
	syncLinks!: EntityTable<SyncLink, 'studyId'>;
	syncUpdates!: Table<SyncUpdate, number>;
	/** Which studies are shared, and who listens for their local writes (src/lib/sync). */
	readonly sync = new SyncRegistry();

	/**
	 * `relaxed`: transactions commit without waiting for the disk (Chromium's relaxed durability).
	 * Only the restore's own connection (workers/backup.worker.ts) uses it: a restore lost to a
	 * power cut is lost whole and is simply made again.
	 */
	constructor(name = 'gloss', opts: { relaxed?: boolean } = {}) {
		// a modify or delete of segments by a query goes to the packs in one step, not 200 rows at a time
		super(name, { modifyChunkSize: { segments: 1e9 }, ...(opts.relaxed ? { chromeTransactionDurability: 'relaxed' as const } : {}) });
		this.version(1).stores({
			studies: 'id, name, updatedAt',
			coders: '[studyId+id], studyId',
			attributes: '[studyId+id], studyId',
			cases: '[studyId+id], studyId',
			documents: '[studyId+id], studyId, [studyId+caseId]',
			codes: '[studyId+id], studyId, [studyId+parentId]',
			segments: '[studyId+id], studyId, [studyId+documentId], [studyId+codeId], [studyId+coderId]',
			memos: '[studyId+id], studyId, [studyId+targetType+targetId]',
			settings: 'key'
		});
		// Version 2: recordings linked to documents, kept as Blobs (see db/media.ts).
		this.version(2).stores({
			media: '[studyId+documentId], studyId'
		});
		// Version 3: sync (src/lib/sync).
		this.version(3).stores({
			syncLinks: 'studyId',
			syncUpdates: '++seq, docName, studyId'
		});
		// Version 4: texts apart from documents (lists and the coding screen read a document's text
		// only when it is shown); segments lose the `studyId` index, which restoring paid for and
		// nothing needed (a prefix of the primary key: `ofStudy` below).
		this.version(4)
			.stores({
				texts: '[studyId+documentId]',
				segments: '[studyId+id], [studyId+documentId], [studyId+codeId], [studyId+coderId]'
			})
			.upgrade(async (tx) => {
				const docs = (await tx.table('documents').toArray()) as (GlossDocument | DocumentRow)[];
				const texts: TextRow[] = [];
				const rows: DocumentRow[] = [];
				for (const d of docs) {
					if (!('text' in d) || typeof d.text !== 'string') continue;
					const split = splitDocument(d);
					rows.push(split.row);
					texts.push(split.text);
				}
				await tx.table('texts').bulkPut(texts);
				await tx.table('documents').bulkPut(rows);
			});
		// Version 5: segments packed per document and coder (db/packs.ts): restoring 100,000 segments
		// writes ~1,500 records, not 100,000. The `segments` store stays, empty; `segments` reads
		// and writes go to the packs through the middleware.
		this.version(5)
			.stores({ segmentPacks: PACKS_SCHEMA, segmentIds: IDS_SCHEMA })
			.upgrade(async (tx) => {
				// raw IndexedDB: through Dexie, `segments` would already read the (empty) packs
				const idb = tx.idbtrans;
				const segs = await new Promise<Segment[]>((res, rej) => {
					const r = idb.objectStore('segments').getAll();
					r.onsuccess = () => res(r.result as Segment[]);
					r.onerror = () => rej(r.error);
				});
				await new Promise<void>((res, rej) => {
					const packs = idb.objectStore(PACKS);
					for (const p of packSegments(segs)) packs.put(p);
					const ids = idb.objectStore(IDS);
					for (const r of idRowsFor(segs)) ids.put(r);
					const last = idb.objectStore('segments').clear();
					last.onsuccess = () => res();
					last.onerror = () => rej(last.error);
				});
			});
		this.use(segmentsOverPacks());
		this.use(syncMiddleware(this.sync));
		// A shared study deleted here: this browser leaves it (nothing is deleted on the server).
		this.sync.onLeft((studyId) => void dropSync(this, studyId).catch(() => {}));
		this.on('ready', async () => {
			this.sync.setShared(await this.syncLinks.toCollection().primaryKeys());
		});
	}

	/** The tables that hold a study's rows (everything but `studies` and `settings`). */
	get studyTables() {
		return [this.coders, this.attributes, this.cases, this.documents, this.texts, this.codes, this.segments, this.memos] as const;
	}
}

/**
 * Every row of one study in a study table, by the primary key's range (`[studyId+id]`, or
 * `[studyId+documentId]` for texts): needs no `studyId` index.
 */
export function ofStudy<T, K, I>(table: Table<T, K, I>, studyId: string) {
	return table.where(table.schema.primKey.name).between([studyId, Dexie.minKey], [studyId, Dexie.maxKey], true, true);
}

let instance: GlossDB | null = null;

/** The singleton used by the app. Tests make their own `new GlossDB(name)` over fake-indexeddb. */
export function getDb(): GlossDB {
	instance ??= new GlossDB();
	return instance;
}
