/**
 * Packed segments (schema version 5). IndexedDB in Chromium costs a few hundred µs per write
 * request whatever the record, so a study's 100,000 segments are stored ~100 to a record: one
 * `segmentPacks` row per document and coder, keyed `[studyId+documentId+coderId]`; `segmentIds`
 * says which pack holds a segment id (sharded: ~400 ids to a row at 100,000 segments) and keeps
 * each study's segment count.
 *
 * `db.segments` stays the Table every caller uses: `segmentsOverPacks` is a DBCore middleware that
 * answers the `segments` table from the packs (get, getMany, query, count, openCursor on the
 * primary key and the indexes, with IndexedDB's order: index key, then primary key; add, put,
 * delete, deleteRange grouped per pack). It sits below Dexie's own middlewares and the sync
 * middleware (db/sync.ts), so liveQuery, hooks and sync still see segment-level reads and writes
 * with segment keys. The real `segments` object store stays declared and empty. A new study's
 * packs may be added directly, with their `segmentIds` rows (db/segments.ts `putSegmentPacks`).
 */
import Dexie, { cmp, mergeRanges, RangeSet, type IndexableType, type DBCore, type DBCoreCursor, type DBCoreIndex, type DBCoreKeyRange, type DBCoreMutateRequest, type DBCoreMutateResponse, type DBCoreQuery, type DBCoreTable, type DBCoreTransaction, type Middleware } from 'dexie';
import type { Segment } from '../core/types';

export const SEGMENTS = 'segments';
export const PACKS = 'segmentPacks';

export const IDS = 'segmentIds';

/** One document's segments by one coder (schema version 5). */
export interface SegmentPack {
	studyId: string;
	documentId: string;
	coderId: string;
	segments: Segment[];
}

export type PackKey = [string, string, string];

/**
 * Where a study's segments are, by id: one row per study and shard (`shardOf(id)`), each segment
 * id mapped to its pack's `[documentId, coderId]`; the row of shard -1 holds the study's segment
 * count, in all and per pack. (A multiEntry index over every segment's key did the same job but cost as much as
 * writing the segments one by one.)
 */
export type SegmentIdRow = { studyId: string; shard: number; ids: Map<string, [string, string]> } | SegmentCountRow;

/**
 * A study's segment count, per pack (`sizes`, by `sizeKey(documentId, coderId)`) and per code and
 * coder (`codes`, by `sizeKey(codeId, coderId)`): counts read no segment.
 */
export interface SegmentCountRow {
	studyId: string;
	shard: -1;
	count: number;
	sizes: Map<string, number>;
	codes: Map<string, number>;
}

/** The `sizes` key of a document (or, in `codes`, a code) and a coder. */
export const sizeKey = (documentId: string, coderId: string) => `${documentId}\u0000${coderId}`;

/** Dexie's schema strings (version 5). */
export const PACKS_SCHEMA = '[studyId+documentId+coderId], [studyId+coderId]';
export const IDS_SCHEMA = '[studyId+shard]';
export const COUNT_SHARD = -1;
const SHARDS = 256;

/** A segment id's shard (FNV-1a over its UTF-16 code units). */
export function shardOf(id: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
	return (h >>> 0) % SHARDS;
}

/** Group segments into packs (their order kept within each pack). */
export function packSegments(segments: readonly Segment[]): SegmentPack[] {
	const packs = new Map<string, SegmentPack>();
	for (const s of segments) {
		checkSegment(s);
		const k = packId(s.studyId, s.documentId, s.coderId);
		let p = packs.get(k);
		if (!p) packs.set(k, (p = { studyId: s.studyId, documentId: s.documentId, coderId: s.coderId, segments: [] }));
		p.segments.push(s);
	}
	return [...packs.values()];
}

/** The `segmentIds` rows of segments stored in packs (the upgrade to version 5; tests). */
export function idRowsFor(segments: readonly Segment[]): SegmentIdRow[] {
	const rows = new Map<string, SegmentIdRow & { ids: Map<string, [string, string]> }>();
	const counts = new Map<string, SegmentCountRow>();
	for (const s of segments) {
		const shard = shardOf(s.id);
		const k = `${s.studyId}\u0000${shard}`;
		let r = rows.get(k);
		if (!r) rows.set(k, (r = { studyId: s.studyId, shard, ids: new Map() }));
		if (r.ids.has(s.id)) continue;
		r.ids.set(s.id, [s.documentId, s.coderId]);
		let c = counts.get(s.studyId);
		if (!c) counts.set(s.studyId, (c = { studyId: s.studyId, shard: COUNT_SHARD, count: 0, sizes: new Map(), codes: new Map() }));
		c.count++;
		const z = sizeKey(s.documentId, s.coderId);
		c.sizes.set(z, (c.sizes.get(z) ?? 0) + 1);
		const y = sizeKey(s.codeId, s.coderId);
		c.codes.set(y, (c.codes.get(y) ?? 0) + 1);
	}
	return [...rows.values(), ...counts.values()];
}

function packId(studyId: string, documentId: string, coderId: string): string {
	return `${studyId}\u0000${documentId}\u0000${coderId}`;
}

function checkSegment(s: Segment) {
	for (const f of ['studyId', 'id', 'documentId', 'coderId'] as const)
		if (typeof s?.[f] !== 'string') throw new DOMException(`A segment's ${f} must be a string`, 'DataError');
}

// ------------------------------------------------------------------ keys as IndexedDB orders them

/** IndexedDB's key order (numbers < dates < strings < binary < arrays), fast for strings and arrays. */
export function compareKeys(a: unknown, b: unknown): number {
	if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
	if (Array.isArray(a) && Array.isArray(b)) {
		const n = Math.min(a.length, b.length);
		for (let i = 0; i < n; i++) {
			const c = compareKeys(a[i], b[i]);
			if (c !== 0) return c;
		}
		return a.length - b.length < 0 ? -1 : a.length > b.length ? 1 : 0;
	}
	return cmp(a, b);
}

function validKey(k: unknown): boolean {
	if (typeof k === 'string') return true;
	if (typeof k === 'number') return !Number.isNaN(k);
	if (Array.isArray(k)) return k.every(validKey);
	return k instanceof Date || k instanceof ArrayBuffer || ArrayBuffer.isView(k);
}

function inRange(k: unknown, r: DBCoreKeyRange): boolean {
	if (r.type === 3) return true;
	if (r.type === 4) return false;
	if (r.lower !== undefined) {
		const c = compareKeys(k, r.lower);
		if (c < 0 || (c === 0 && r.lowerOpen)) return false;
	}
	if (r.upper !== undefined) {
		const c = compareKeys(k, r.upper);
		if (c > 0 || (c === 0 && r.upperOpen)) return false;
	}
	return true;
}

const ALL: DBCoreKeyRange = { type: 3, lower: undefined, upper: undefined };
const equal = (k: unknown): DBCoreKeyRange => ({ type: 1, lower: k, upper: k });
/** Every key that begins with `prefix` (arrays sort after every string, `[[]]` after every array of strings). */
const prefixRange = (prefix: unknown[]): DBCoreKeyRange => ({ type: 2, lower: prefix, upper: [...prefix, [[]]] });

// ------------------------------------------------------------------ the middleware

interface Row {
	key: unknown;
	primaryKey: [string, string];
	value: Segment;
}

type Failure = { [i: number]: Error };

/** The middleware that makes `segments` a view of `segmentPacks` (installed by GlossDB). */
export function segmentsOverPacks(): Middleware<DBCore> {
	return {
		stack: 'dbcore',
		name: 'gloss-segment-packs',
		// below Dexie's cache-existing-values (-1), observability and cache (0), virtual index (1), hooks (2) and sync (10)
		level: -10,
		create(down: DBCore): Partial<DBCore> {
			const names = new Set(down.schema.tables.map((t) => t.name));
			if (!names.has(PACKS) || !names.has(SEGMENTS) || !names.has(IDS)) return {};
			const segTable = down.table(SEGMENTS);
			const P = down.table(PACKS);
			const D = down.table(IDS);
			const pk = segTable.schema.primaryKey;
			const coderIndex = P.schema.indexes.find((i) => i.name === '[studyId+coderId]')!;

			const readPacks = async (trans: DBCoreTransaction, index: DBCoreIndex, range: DBCoreKeyRange): Promise<SegmentPack[]> =>
				(await P.query({ trans, values: true, query: { index, range } })).result as SegmentPack[];

			// ---- the id directory (segmentIds), read and changed per request
			type Dir = { studyId: string; shard: number; ids: Map<string, [string, string]>; dirty: boolean };
			type Deltas = { sizes: Map<string, number>; codes: Map<string, number> };
			type Dirs = { rows: Map<string, Dir>; counts: Map<string, Deltas> };
			const dirId = (studyId: string, shard: number) => `${studyId}\u0000${shard}`;
			const loadDirs = async (trans: DBCoreTransaction, ids: readonly [string, string][], dirs: Dirs = { rows: new Map(), counts: new Map() }) => {
				const want = new Map<string, [string, number]>();
				for (const [studyId, id] of ids) {
					const shard = shardOf(id);
					const k = dirId(studyId, shard);
					if (!dirs.rows.has(k)) want.set(k, [studyId, shard]);
				}
				if (want.size === 0) return dirs;
				const got = (await D.getMany({ trans, keys: [...want.values()] })) as ({ ids: Map<string, [string, string]> } | undefined)[];
				[...want.values()].forEach(([studyId, shard], i) => dirs.rows.set(dirId(studyId, shard), { studyId, shard, ids: got[i]?.ids ?? new Map(), dirty: false }));
				return dirs;
			};
			const dirOf = (dirs: Dirs, studyId: string, id: string) => dirs.rows.get(dirId(studyId, shardOf(id)))!;
			const bump = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
			/** Segment `id` is now `now` (null: gone); `was` is the segment it replaces or removes. */
			const setId = (dirs: Dirs, studyId: string, id: string, now: Segment | null, was: Segment | undefined) => {
				const d = dirOf(dirs, studyId, id);
				if (now) d.ids.set(id, [now.documentId, now.coderId]);
				else d.ids.delete(id);
				d.dirty = true;
				// the counts: one fewer where it was, one more where it is
				let c = dirs.counts.get(studyId);
				if (!c) dirs.counts.set(studyId, (c = { sizes: new Map(), codes: new Map() }));
				for (const [seg, n] of [[was, -1], [now, 1]] as const) {
					if (!seg) continue;
					bump(c.sizes, sizeKey(seg.documentId, seg.coderId), n);
					bump(c.codes, sizeKey(seg.codeId, seg.coderId), n);
				}
			};
			const writeDirs = async (trans: DBCoreTransaction, dirs: Dirs) => {
				const puts: unknown[] = [];
				const dels: [string, number][] = [];
				for (const d of dirs.rows.values()) {
					if (!d.dirty) continue;
					if (d.ids.size === 0) dels.push([d.studyId, d.shard]);
					else puts.push({ studyId: d.studyId, shard: d.shard, ids: d.ids });
				}
				const studies = [...dirs.counts].filter(([, c]) => [...c.sizes.values(), ...c.codes.values()].some((n) => n !== 0));
				if (studies.length) {
					const keys = studies.map(([studyId]) => [studyId, COUNT_SHARD]);
					const got = (await D.getMany({ trans, keys })) as (SegmentCountRow | undefined)[];
					const apply = (m: Map<string, number>, deltas: Map<string, number>) => {
						for (const [k, n] of deltas) {
							if (n === 0) continue;
							const z = (m.get(k) ?? 0) + n;
							if (z > 0) m.set(k, z);
							else m.delete(k);
						}
					};
					studies.forEach(([studyId, deltas], i) => {
						const row: SegmentCountRow = { studyId, shard: COUNT_SHARD, count: got[i]?.count ?? 0, sizes: new Map(got[i]?.sizes), codes: new Map(got[i]?.codes) };
						for (const n of deltas.sizes.values()) row.count += n;
						apply(row.sizes, deltas.sizes);
						apply(row.codes, deltas.codes);
						if (row.count > 0) puts.push(row);
						else dels.push([studyId, COUNT_SHARD]);
					});
				}
				if (dels.length) await failOn(D.mutate({ type: 'delete', trans, keys: dels }));
				if (puts.length) await failOn(D.mutate({ type: 'put', trans, values: puts }));
				if (dels.length || puts.length) note(trans, IDS, [...dels, ...puts.map((r) => [(r as Dir).studyId, (r as Dir).shard])], []);
			};

			/** Where segments are: their packs by segment key (absent ones are not in `where`), and the directory rows read. */
			const locate = async (trans: DBCoreTransaction, keys: readonly unknown[]) => {
				const valid = keys.filter((k): k is [string, string] => Array.isArray(k) && typeof k[0] === 'string' && typeof k[1] === 'string');
				const dirs = await loadDirs(trans, valid);
				const packKeys = new Map<string, PackKey>();
				for (const [studyId, id] of valid) {
					const at = dirOf(dirs, studyId, id).ids.get(id);
					if (at) packKeys.set(packId(studyId, at[0], at[1]), [studyId, at[0], at[1]]);
				}
				const packs = packKeys.size ? ((await P.getMany({ trans, keys: [...packKeys.values()] })) as (SegmentPack | undefined)[]) : [];
				const where = new Map<string, SegmentPack>();
				for (const p of packs) if (p) for (const s of p.segments) where.set(packId(s.studyId, s.id, ''), p);
				return { where, dirs };
			};
			const segId = (k: [string, string]) => packId(k[0], k[1], '');

			/** The packs that can hold segments of `query` (a superset). */
			const candidatePacks = async (trans: DBCoreTransaction, query: DBCoreQuery): Promise<SegmentPack[]> => {
				const { index, range } = query;
				const lo = range.lower as unknown;
				const hi = range.upper as unknown;
				if (range.type === 4) return [];
				if (range.type === 3 || !Array.isArray(lo) || !Array.isArray(hi) || typeof lo[0] !== 'string' || typeof hi[0] !== 'string')
					return readPacks(trans, P.schema.primaryKey, ALL);
				// one segment by its key: its pack, found in the directory
				if (index.isPrimaryKey && compareKeys(lo, hi) === 0 && !range.lowerOpen && !range.upperOpen) return [...new Set((await locate(trans, [lo])).where.values())];
				const sameStudy = lo[0] === hi[0];
				if (sameStudy && index.name === '[studyId+documentId]' && typeof lo[1] === 'string' && lo[1] === hi[1])
					return readPacks(trans, P.schema.primaryKey, prefixRange([lo[0], lo[1]]));
				if (sameStudy && index.name === '[studyId+coderId]' && typeof lo[1] === 'string' && lo[1] === hi[1])
					return readPacks(trans, coderIndex, equal([lo[0], lo[1]]));
				return readPacks(trans, P.schema.primaryKey, { type: 2, lower: [lo[0]], upper: [hi[0], [[]]] });
			};

			/** The segments of `query`, in IndexedDB's order (index key, then primary key). */
			const rowsOf = async (trans: DBCoreTransaction, query: DBCoreQuery, sorted = true): Promise<Row[]> => {
				const packs = await candidatePacks(trans, query);
				const index = query.index.isPrimaryKey ? pk : query.index;
				const extract = index.extractKey!;
				const rows: Row[] = [];
				for (const p of packs)
					for (const s of p.segments) {
						const key = extract(s);
						if (!validKey(key) || !inRange(key, query.range)) continue;
						rows.push({ key, primaryKey: [s.studyId, s.id], value: s });
					}
				if (sorted)
					rows.sort(index.isPrimaryKey ? (a, b) => compareKeys(a.primaryKey, b.primaryKey) : (a, b) => compareKeys(a.key, b.key) || compareKeys(a.primaryKey, b.primaryKey));
				return rows;
			};

			const getMany = async (trans: DBCoreTransaction, keys: readonly unknown[]): Promise<(Segment | undefined)[]> => {
				const { where } = await locate(trans, keys);
				return keys.map((k) => {
					if (!Array.isArray(k)) return undefined;
					const p = where.get(segId(k as [string, string]));
					return p?.segments.find((s) => s.id === k[1]);
				});
			};

			const write = async (trans: DBCoreTransaction, dels: PackKey[], puts: SegmentPack[], dirs: Dirs) => {
				if (dels.length) await failOn(P.mutate({ type: 'delete', trans, keys: dels }));
				if (puts.length) await failOn(P.mutate({ type: 'put', trans, values: puts }));
				if (dels.length || puts.length) note(trans, PACKS, [...dels, ...puts.map((x) => [x.studyId, x.documentId, x.coderId])], packIndexes);
				await writeDirs(trans, dirs);
			};

			const mutate = async (req: DBCoreMutateRequest): Promise<DBCoreMutateResponse> => {
				const { trans } = req;
				if (req.type === 'deleteRange') {
					// the packs the range can touch, read once: emptied ones deleted, the others rewritten
					const packs = await candidatePacks(trans, { index: pk, range: req.range });
					const dels: PackKey[] = [];
					const puts: SegmentPack[] = [];
					const gone: Segment[] = [];
					for (const p of packs) {
						const keep: Segment[] = [];
						for (const s of p.segments) {
							if (inRange([s.studyId, s.id], req.range)) gone.push(s);
							else keep.push(s);
						}
						if (keep.length === p.segments.length) continue;
						if (keep.length === 0) dels.push([p.studyId, p.documentId, p.coderId]);
						else puts.push({ ...p, segments: keep });
					}
					const dirs = await loadDirs(
						trans,
						gone.map((s) => [s.studyId, s.id])
					);
					for (const s of gone) setId(dirs, s.studyId, s.id, null, s);
					await write(trans, dels, puts, dirs);
					return { numFailures: 0, failures: {}, results: [], lastResult: undefined };
				}
				const isWrite = req.type === 'add' || req.type === 'put';
				const values = isWrite ? (req.values as Segment[]) : [];
				if (isWrite) for (const v of values) checkSegment(v);
				const keys: [string, string][] = isWrite ? values.map((v) => [v.studyId, v.id]) : (req.keys as [string, string][]);
				const { where, dirs } = await locate(trans, keys);
				// the working set: every touched pack, its segments by id (insertion order kept)
				const work = new Map<string, { key: PackKey; segs: Map<string, Segment>; dirty: boolean }>();
				const entry = (p: SegmentPack) => {
					const id = packId(p.studyId, p.documentId, p.coderId);
					let w = work.get(id);
					if (!w) work.set(id, (w = { key: [p.studyId, p.documentId, p.coderId], segs: new Map(p.segments.map((s) => [s.id, s])), dirty: false }));
					return w;
				};
				for (const p of where.values()) entry(p);
				if (isWrite) {
					const missing = new Map<string, PackKey>();
					for (const v of values) {
						const id = packId(v.studyId, v.documentId, v.coderId);
						if (!work.has(id)) missing.set(id, [v.studyId, v.documentId, v.coderId]);
					}
					if (missing.size) {
						const got = (await P.getMany({ trans, keys: [...missing.values()] })) as (SegmentPack | undefined)[];
						[...missing.values()].forEach((k, i) => {
							const p = got[i] ?? { studyId: k[0], documentId: k[1], coderId: k[2], segments: [] };
							entry(p);
						});
					}
				}
				// where each segment is now, as the request proceeds
				const at = new Map<string, string>();
				for (const [id, w] of work) for (const sid of w.segs.keys()) at.set(packId(w.key[0], sid, ''), id);
				const failures: Failure = {};
				let numFailures = 0;
				const results: unknown[] = [];
				for (let i = 0; i < keys.length; i++) {
					const k = keys[i];
					if (!Array.isArray(k)) {
						results.push(undefined);
						continue;
					}
					const sid = segId(k);
					const cur = at.get(sid);
					if (req.type === 'add' && cur !== undefined) {
						failures[i] = new DOMException('Key already exists in the object store.', 'ConstraintError');
						numFailures++;
						results.push(undefined);
						continue;
					}
					if (cur !== undefined) {
						const w = work.get(cur)!;
						const was = w.segs.get(k[1]);
						w.segs.delete(k[1]);
						w.dirty = true;
						at.delete(sid);
						setId(dirs, k[0], k[1], null, was);
					}
					if (isWrite) {
						const v = values[i];
						const id = packId(v.studyId, v.documentId, v.coderId);
						const w = work.get(id)!;
						w.segs.set(v.id, v);
						w.dirty = true;
						at.set(sid, id);
						setId(dirs, v.studyId, v.id, v, undefined);
					}
					results.push(k);
				}
				const puts: SegmentPack[] = [];
				const dels: PackKey[] = [];
				for (const w of work.values()) {
					if (!w.dirty) continue;
					if (w.segs.size === 0) dels.push(w.key);
					else {
						puts.push({ studyId: w.key[0], documentId: w.key[1], coderId: w.key[2], segments: [...w.segs.values()] });
					}
				}
				await write(trans, dels, puts, dirs);
				// as IndexedDB answers: a delete request's result is undefined, a put's or add's the key
				return { numFailures, failures, results: isWrite ? results : keys, lastResult: isWrite ? results[results.length - 1] : undefined };
			};

			const openCursor = async (req: Parameters<DBCoreTable['openCursor']>[0]): Promise<DBCoreCursor | null> => {
				let rows = await rowsOf(req.trans, req.query);
				if (req.reverse) rows = rows.reverse();
				if (req.unique) rows = rows.filter((r, i) => i === 0 || compareKeys(r.key, rows[i - 1].key) !== 0);
				if (rows.length === 0) return null;
				return arrayCursor(req.trans, rows, !!req.reverse);
			};

			const query = async (req: Parameters<DBCoreTable['query']>[0]) => {
				const desc = req.direction === 'prev' || req.direction === 'prevunique';
				let rows = await rowsOf(req.trans, req.query);
				if (desc) rows.reverse();
				if (req.direction === 'nextunique' || req.direction === 'prevunique') rows = rows.filter((r, i) => i === 0 || compareKeys(r.key, rows[i - 1].key) !== 0);
				if (req.limit !== undefined && req.limit < rows.length) rows = rows.slice(0, req.limit);
				return { result: rows.map((r) => (req.values ? r.value : r.primaryKey)) };
			};
			// Dexie's own promises: the middlewares above read Dexie's zone (the transaction) in their callbacks
			const dx = <T>(p: Promise<T>): Promise<T> => Dexie.Promise.resolve(p) as unknown as Promise<T>;
			// One request at a time per transaction, in the order they were made, as IndexedDB does:
			// a write reads packs, the directory and the counts and writes them back, so two writes
			// made together (Promise.all) would otherwise each write over the other's.
			const queues = new WeakMap<DBCoreTransaction, Promise<unknown>>();
			const inTurn = <T>(trans: DBCoreTransaction, run: () => Promise<T>): Promise<T> => {
				const prev = queues.get(trans);
				const next = prev ? prev.then(run, run) : run();
				queues.set(trans, next.catch(() => {}));
				return dx(next);
			};
			const segments: DBCoreTable = {
				name: SEGMENTS,
				schema: segTable.schema,
				mutate: (req) => inTurn(req.trans, () => mutate(req)),
				get: ({ trans, key }) => inTurn(trans, () => getMany(trans, [key]).then((r) => r[0])),
				getMany: ({ trans, keys }) => inTurn(trans, () => getMany(trans, keys)),
				query: (req) => inTurn(req.trans, () => query(req)),
				count: (req) => inTurn(req.trans, () => rowsOf(req.trans, req.query, false).then((r) => r.length)),
				openCursor: (req) => inTurn(req.trans, () => openCursor(req))
			};

			// liveQuery: writes through `segments` are seen above as segment writes; readers of the
			// packs themselves (counts, chunked reads) must hear them too, and readers of `segments`
			// must hear packs written directly (a restored study): each side's parts are added to
			// what the transaction reports when it commits (Dexie's `mutatedParts`).
			const dbName = down.schema.name;
			const note = (trans: DBCoreTransaction, table: string, keys: IndexableType[] | null, indexes: string[]) => {
				const t = trans as unknown as { mutatedParts?: Record<string, RangeSet> };
				const parts = (t.mutatedParts ??= {});
				const add = (name: string, set: RangeSet) => {
					const part = `idb://${dbName}/${table}/${name}`;
					if (parts[part]) mergeRanges(parts[part], set);
					else parts[part] = set;
				};
				const full = () => new RangeSet(down.MIN_KEY, down.MAX_KEY);
				add('', keys ? new RangeSet().addKeys(keys) : full());
				add(':dels', keys ? new RangeSet().addKeys(keys) : full());
				for (const i of indexes) add(i, full());
			};
			const packIndexes = P.schema.indexes.map((i) => i.name!);
			const segIndexes = segTable.schema.indexes.map((i) => i.name!);
			/** Packs added directly (a new study's, with its `segmentIds` rows: db/segments.ts `putSegmentPacks`). */
			const packsTable: DBCoreTable = {
				...P,
				mutate(req) {
					if (req.type !== 'add') throw new Error('Segment packs are only added directly (a new study); change segments through db.segments');
					note(req.trans, SEGMENTS, null, segIndexes);
					return P.mutate(req);
				}
			};

			return {
				transaction(stores, mode, options) {
					// a transaction over segments (or packs) holds the packs and the id directory
					const all = stores.includes(SEGMENTS) || stores.includes(PACKS) ? [...new Set([...stores, PACKS, IDS])] : stores;
					return down.transaction(all, mode, options);
				},
				table(name: string) {
					return name === SEGMENTS ? segments : name === PACKS ? packsTable : down.table(name);
				}
			};
		}
	};
}

async function failOn(p: Promise<DBCoreMutateResponse>) {
	const r = await p;
	if (r.numFailures) throw Object.values(r.failures)[0];
}

/** A DBCore cursor over rows already read, with IndexedDB's continue(key), continuePrimaryKey and advance. */
function arrayCursor(trans: DBCoreTransaction, rows: Row[], reverse: boolean): DBCoreCursor {
	let pos = 0;
	const dir = reverse ? -1 : 1;
	let running = false;
	let pending = false;
	let onNext: (() => void) | null = null;
	let finish: ((v?: unknown) => void) | null = null;
	let failIt: ((e: Error) => void) | null = null;
	const notStarted = () => {
		throw new Error('Cursor not started');
	};
	const cursor = {
		trans,
		done: false,
		key: rows[0].key,
		primaryKey: rows[0].primaryKey as unknown,
		value: rows[0].value as unknown,
		continue: notStarted as (key?: unknown) => void,
		continuePrimaryKey: notStarted as (key: unknown, primaryKey: unknown) => void,
		advance: notStarted as (n: number) => void,
		stop: notStarted as (v?: unknown) => void,
		fail(e: Error) {
			failIt?.(e);
		},
		start(callback: () => void): Promise<unknown> {
			onNext = callback;
			const p = new Promise((res, rej) => {
				finish = res;
				failIt = rej;
			});
			const stopped = () => {
				throw new Error('Cursor not stopped');
			};
			cursor.stop = (v?: unknown) => {
				cursor.stop = cursor.continue = cursor.continuePrimaryKey = cursor.advance = stopped;
				finish!(v);
			};
			const go = (to: number) => {
				pos = to;
				pending = true;
				if (!running) pump();
			};
			cursor.continue = (key?: unknown) => {
				if (key === undefined) return go(pos + 1);
				let i = pos + 1;
				while (i < rows.length && compareKeys(rows[i].key, key) * dir < 0) i++;
				go(i);
			};
			cursor.continuePrimaryKey = (key: unknown, primaryKey: unknown) => {
				let i = pos + 1;
				while (i < rows.length && (compareKeys(rows[i].key, key) * dir < 0 || (compareKeys(rows[i].key, key) === 0 && compareKeys(rows[i].primaryKey, primaryKey) * dir < 0))) i++;
				go(i);
			};
			cursor.advance = (n: number) => go(pos + n);
			pending = true;
			pump();
			return Dexie.Promise.resolve(p) as unknown as Promise<unknown>;
		},
		next(): Promise<DBCoreCursor> {
			let gotOne = 1;
			return cursor.start(() => (gotOne-- ? cursor.continue() : cursor.stop())).then(() => cursor as unknown as DBCoreCursor);
		}
	};
	// runs the callback for each position asked for, in a loop while continue() is called synchronously
	function pump() {
		running = true;
		try {
			while (pending) {
				pending = false;
				if (pos >= rows.length) {
					cursor.done = true;
					cursor.start = () => {
						throw new Error('Cursor behind last entry');
					};
					cursor.stop();
					return;
				}
				const r = rows[pos];
				cursor.key = r.key;
				cursor.primaryKey = r.primaryKey;
				cursor.value = r.value;
				try {
					onNext!();
				} catch (e) {
					cursor.fail(e as Error);
					return;
				}
			}
		} finally {
			running = false;
		}
	}
	return cursor as unknown as DBCoreCursor;
}
