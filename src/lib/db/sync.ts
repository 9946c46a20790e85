/**
 * The IndexedDB side of sync (src/lib/sync holds the Yjs side):
 * - `syncMiddleware`: a Dexie DBCore middleware that sees every write to a shared study's tables,
 *   whatever wrote it (repositories, imports, merges, repairs), and, once the transaction has
 *   committed, tells the study's running sync engine which rows changed. Writes that came from
 *   the server are made in transactions marked remote (`writeRemote`) and are not echoed back.
 * - the sync tables (schema version 3): `syncLinks` (one per shared study) and `syncUpdates`
 *   (the Yjs updates of the study's documents, local ones until the server has acknowledged them).
 */
import type { DBCore, DBCoreMutateRequest, DBCoreTable, DBCoreTransaction, Middleware } from 'dexie';
import type { GlossDB, SyncLink, SyncUpdate } from './db';
import type { StudyData } from '../core/types';
import { addRows } from './studies';

/** The study tables the middleware watches, and the studies table itself. */
export const WATCHED_TABLES = ['studies', 'coders', 'attributes', 'cases', 'documents', 'codes', 'segments', 'memos'] as const;

/** Rows changed by one committed transaction, per table: the ids, or 'all' (a range delete). */
export type ChangedRows = Map<string, Set<string> | 'all'>;
export type LocalChangeListener = (changes: ChangedRows) => void;

const REMOTE = '__glossSyncRemote';
const PENDING = '__glossSyncChanges';

/** Shared studies and the engines listening to them. One per GlossDB (`db.sync`). */
export class SyncRegistry {
	#shared = new Set<string>();
	#listeners = new Map<string, Set<LocalChangeListener>>();
	/** Rows written while no engine listened, per study; the engine reads them when it starts. */
	#missed = new Map<string, ChangedRows>();
	#leftListeners = new Set<(studyId: string) => void>();

	setShared(ids: Iterable<string>) {
		for (const id of ids) this.#shared.add(id);
	}
	addShared(id: string) {
		this.#shared.add(id);
	}
	removeShared(id: string) {
		this.#shared.delete(id);
		this.#missed.delete(id);
	}
	isShared(id: string): boolean {
		return this.#shared.has(id);
	}
	get anyShared(): boolean {
		return this.#shared.size > 0;
	}
	listen(studyId: string, fn: LocalChangeListener): () => void {
		let set = this.#listeners.get(studyId);
		if (!set) this.#listeners.set(studyId, (set = new Set()));
		set.add(fn);
		return () => set.delete(fn);
	}
	/** Rows written while no engine was listening (cleared by reading). */
	takeMissed(studyId: string): ChangedRows | undefined {
		const m = this.#missed.get(studyId);
		this.#missed.delete(studyId);
		return m;
	}
	onLeft(fn: (studyId: string) => void): () => void {
		this.#leftListeners.add(fn);
		return () => this.#leftListeners.delete(fn);
	}
	/** @internal called by the middleware after a commit. */
	emit(studyId: string, changes: ChangedRows) {
		const set = this.#listeners.get(studyId);
		if (set && set.size) {
			for (const fn of set) fn(changes);
			return;
		}
		const m = this.#missed.get(studyId) ?? new Map();
		mergeChanges(m, changes);
		this.#missed.set(studyId, m);
	}
	/** @internal the study's row was deleted locally: this browser leaves the study. */
	left(studyId: string) {
		this.removeShared(studyId);
		for (const fn of this.#leftListeners) fn(studyId);
	}
}

export function mergeChanges(into: ChangedRows, from: ChangedRows) {
	for (const [table, ids] of from) {
		const cur = into.get(table);
		if (cur === 'all') continue;
		if (ids === 'all') into.set(table, 'all');
		else if (!cur) into.set(table, new Set(ids));
		else for (const id of ids) cur.add(id);
	}
}

type Pending = { byStudy: Map<string, ChangedRows>; deletedStudies: Set<string> };

function note(trans: DBCoreTransaction, reg: SyncRegistry, table: string, req: DBCoreMutateRequest) {
	const t = trans as unknown as Record<string, unknown>;
	const add = (studyId: unknown, id: string | 'all') => {
		if (typeof studyId !== 'string' || !reg.isShared(studyId)) return;
		let p = t[PENDING] as Pending | undefined;
		if (!p) {
			p = { byStudy: new Map(), deletedStudies: new Set() };
			t[PENDING] = p;
			const tx = trans as unknown as IDBTransaction;
			tx.addEventListener('complete', () => {
				const pend = t[PENDING] as Pending;
				for (const s of pend.deletedStudies) reg.left(s);
				for (const [s, ch] of pend.byStudy) if (!pend.deletedStudies.has(s)) reg.emit(s, ch);
			});
		}
		if (table === 'studies' && req.type !== 'put' && req.type !== 'add') {
			p.deletedStudies.add(studyId);
			return;
		}
		let ch = p.byStudy.get(studyId);
		if (!ch) p.byStudy.set(studyId, (ch = new Map()));
		const cur = ch.get(table);
		if (id === 'all') ch.set(table, 'all');
		else if (cur !== 'all') (cur ?? ch.set(table, new Set()).get(table) as Set<string>).add(id);
	};
	if (req.type === 'add' || req.type === 'put') {
		for (const v of req.values) {
			const row = v as { id?: string; studyId?: string };
			if (table === 'studies') add(row.id, row.id ?? 'all');
			else add(row.studyId, row.id ?? 'all');
		}
	} else if (req.type === 'delete') {
		for (const k of req.keys) {
			if (table === 'studies') add(k, k as string);
			else if (Array.isArray(k)) add(k[0], k[1] as string);
		}
	} else if (req.type === 'deleteRange') {
		const lo = req.range.lower as unknown;
		const hi = req.range.upper as unknown;
		if (table === 'studies') {
			if (typeof lo === 'string' && lo === hi) add(lo, lo);
		} else if (Array.isArray(lo) && Array.isArray(hi) && lo[0] === hi[0]) add(lo[0], 'all');
	}
}

/** The middleware (installed by GlossDB's constructor). Costs nothing while no study is shared. */
export function syncMiddleware(reg: SyncRegistry): Middleware<DBCore> {
	const watched = new Set<string>(WATCHED_TABLES);
	return {
		stack: 'dbcore',
		name: 'gloss-sync',
		create(down: DBCore): DBCore {
			return {
				...down,
				table(name: string): DBCoreTable {
					const t = down.table(name);
					if (!watched.has(name)) return t;
					return {
						...t,
						mutate(req: DBCoreMutateRequest) {
							if (reg.anyShared && !(req.trans as unknown as Record<string, unknown>)[REMOTE]) note(req.trans, reg, name, req);
							return t.mutate(req);
						}
					};
				}
			};
		}
	};
}

/** All study tables, the studies table and syncUpdates: the scope of a remote write. */
export function remoteScope(db: GlossDB) {
	return [db.studies, ...db.studyTables, db.segmentPacks, db.segmentIds, db.syncUpdates, db.syncLinks];
}

/** Run `fn` in one rw transaction whose writes are marked as coming from the server. */
export async function writeRemote<T>(db: GlossDB, fn: () => Promise<T>): Promise<T> {
	return db.transaction('rw', remoteScope(db), async (tx) => {
		(tx.idbtrans as unknown as Record<string, unknown>)[REMOTE] = true;
		return fn();
	});
}

export function getLink(db: GlossDB, studyId: string): Promise<SyncLink | undefined> {
	return db.syncLinks.get(studyId);
}

export async function putLink(db: GlossDB, link: SyncLink): Promise<void> {
	await db.syncLinks.put(link);
	db.sync.addShared(link.studyId);
}

export async function loadUpdates(db: GlossDB, studyId: string): Promise<SyncUpdate[]> {
	return db.syncUpdates.where('studyId').equals(studyId).sortBy('seq');
}

export async function appendUpdate(db: GlossDB, u: SyncUpdate): Promise<number> {
	return db.syncUpdates.add(u);
}

/** The server has everything of `docName` up to `seq`: those updates are no longer pending. */
export async function ackUpdates(db: GlossDB, docName: string, seq: number): Promise<void> {
	await db.syncUpdates
		.where('docName')
		.equals(docName)
		.filter((u) => u.local === 1 && (u.seq ?? 0) <= seq)
		.modify({ local: 0 });
}

/** Replace a document's stored updates by one (its whole state), when none is pending. */
export async function compactUpdates(db: GlossDB, studyId: string, docName: string, state: Uint8Array): Promise<void> {
	await db.transaction('rw', db.syncUpdates, async () => {
		const rows = await db.syncUpdates.where('docName').equals(docName).toArray();
		if (rows.some((r) => r.local === 1)) return;
		await db.syncUpdates.bulkDelete(rows.map((r) => r.seq!));
		await db.syncUpdates.add({ studyId, docName, update: state, local: 0 });
	});
}

export async function countUpdates(db: GlossDB, docName: string): Promise<number> {
	return db.syncUpdates.where('docName').equals(docName).count();
}

/** Forget that a study is shared (its rows stay, as a local study). */
export async function dropSync(db: GlossDB, studyId: string): Promise<void> {
	await db.transaction('rw', [db.syncLinks, db.syncUpdates], async () => {
		await db.syncLinks.delete(studyId);
		await db.syncUpdates.where('studyId').equals(studyId).delete();
	});
	db.sync.removeShared(studyId);
}

/** A joined study: its rows, its link and its documents' state, in one transaction. */
export async function insertJoined(db: GlossDB, data: StudyData, link: SyncLink, updates: SyncUpdate[]): Promise<void> {
	await writeRemote(db, async () => {
		await db.studies.add(data.study);
		await addRows(db, data);
		await db.syncLinks.put(link);
		await db.syncUpdates.bulkAdd(updates);
	});
	db.sync.addShared(link.studyId);
}
