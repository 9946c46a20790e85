/**
 * The one Dexie database. The only module (with its siblings in src/lib/db) that touches IndexedDB.
 *
 * Every row but a study's carries `studyId`, and its primary key is `[studyId+id]`: ids (code
 * GUIDs above all) stay stable when a study is restored next to its original, which merging
 * coders' copies relies on.
 */
import Dexie, { type EntityTable, type Table } from 'dexie';
import type { Attribute, Case, Code, Coder, GlossDocument, Memo, Segment, Study } from '../core/types';

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

export class GlossDB extends Dexie {
	studies!: EntityTable<Study, 'id'>;
	coders!: Table<Coder, [string, string]>;
	attributes!: Table<Attribute, [string, string]>;
	cases!: Table<Case, [string, string]>;
	documents!: Table<GlossDocument, [string, string]>;
	codes!: Table<Code, [string, string]>;
	segments!: Table<Segment, [string, string]>;
	memos!: Table<Memo, [string, string]>;
	settings!: EntityTable<Setting, 'key'>;
	media!: Table<MediaRecord, [string, string]>;

	constructor(name = 'gloss') {
		super(name);
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
	}

	/** The tables that hold a study's rows (everything but `studies` and `settings`). */
	get studyTables() {
		return [this.coders, this.attributes, this.cases, this.documents, this.codes, this.segments, this.memos] as const;
	}
}

let instance: GlossDB | null = null;

/** The singleton used by the app. Tests make their own `new GlossDB(name)` over fake-indexeddb. */
export function getDb(): GlossDB {
	instance ??= new GlossDB();
	return instance;
}
