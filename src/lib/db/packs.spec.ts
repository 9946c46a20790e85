/**
 * `db.segments` over `segmentPacks` (db/packs.ts) answers as a table of segments did: every query
 * shape the app uses gives the same rows in the same order as a plain IndexedDB table with schema
 * version 4's segments schema, and writes keep IndexedDB's rules.
 */
import 'fake-indexeddb/auto';
import Dexie, { liveQuery, type Table } from 'dexie';
import { describe, expect, it } from 'vitest';
import { newId } from '../core/ids';
import type { Segment } from '../core/types';
import { GlossDB, ofStudy } from './db';
import { idRowsFor, packSegments, type SegmentIdRow } from './packs';
import { countSegments, putSegmentPacks, readSegmentsInChunks, segmentCounts } from './segments';
import { coderSegmentCount } from './coders';
import { segmentCountsByDocument } from './documents';

const T = '2026-01-01T00:00:00.000Z';

/** Segments of two studies, several documents, codes and coders, ids in no particular order. */
function sample(n = 300): Segment[] {
	let seed = 7;
	const rnd = (k: number) => ((seed = (seed * 48271) % 2147483647), Math.floor((seed / 2147483647) * k));
	const out: Segment[] = [];
	for (let i = 0; i < n; i++) {
		const studyId = rnd(4) === 0 ? 'other' : 'st';
		out.push({
			id: `s${rnd(100000).toString(36)}-${i}`,
			studyId,
			documentId: `d${rnd(5)}`,
			codeId: `k${rnd(6)}`,
			coderId: `c${rnd(3)}`,
			start: rnd(100),
			end: 100 + rnd(100),
			memo: rnd(5) === 0 ? 'a memo' : '',
			createdAt: T,
			updatedAt: T
		});
	}
	return out;
}

/** A database with schema version 4's segments table: the reference. */
function plainDb() {
	const db = new Dexie('plain-' + newId()) as Dexie & { segments: Table<Segment, [string, string]> };
	db.version(1).stores({ segments: '[studyId+id], [studyId+documentId], [studyId+codeId], [studyId+coderId]' });
	return db;
}

async function pair(segs = sample()) {
	const packed = new GlossDB('packs-' + newId());
	const plain = plainDb();
	await packed.segments.bulkAdd(segs);
	await plain.segments.bulkAdd(segs);
	return { packed, plain, segs };
}

type Q = (t: Table<Segment, [string, string]>) => Promise<unknown>;

/** The same query on both tables gives the same answer. */
async function same(p: Awaited<ReturnType<typeof pair>>, q: Q, label: string) {
	const want = await q(p.plain.segments);
	expect(await q(p.packed.segments), label).toEqual(want);
	return want;
}

async function sameTables(p: Awaited<ReturnType<typeof pair>>) {
	await same(p, (t) => t.toArray(), 'every segment, in key order');
	// packs hold each segment exactly once
	const packs = await p.packed.segmentPacks.toArray();
	const ids = packs.flatMap((x) => x.segments.map((s) => `${s.studyId}/${s.id}`));
	expect(new Set(ids).size).toBe(ids.length);
	for (const x of packs) {
		expect(x.segments.length).toBeGreaterThan(0);
		for (const s of x.segments) expect([s.studyId, s.documentId, s.coderId]).toEqual([x.studyId, x.documentId, x.coderId]);
	}
	// the id directory says exactly where each segment is, and counts each study's
	const all = packs.flatMap((x) => x.segments);
	const rows = await p.packed.segmentIds.toArray();
	const sortRows = (rs: SegmentIdRow[]) =>
		rs.map((r) => JSON.stringify('ids' in r ? { ...r, ids: [...r.ids].sort() } : { ...r, sizes: [...r.sizes].sort(), codes: [...r.codes].sort() })).sort();
	expect(sortRows(rows)).toEqual(sortRows(idRowsFor(all)));
	for (const r of rows) if ('ids' in r) expect(r.ids.size).toBeGreaterThan(0);
}

describe('segments over packs: reads', () => {
	it('stores one pack per document and coder', async () => {
		const p = await pair();
		const packs = await p.packed.segmentPacks.toArray();
		expect(packs.length).toBe(packSegments(p.segs).length);
		expect(packs.length).toBeLessThan(40);
		expect(await p.packed.table('segments').count()).toBe(p.segs.length);
		await sameTables(p);
	});

	it('answers every query shape the app uses like a table of segments', async () => {
		const p = await pair();
		const one = p.segs[17];
		const shapes: [string, Q][] = [
			['get', (t) => t.get([one.studyId, one.id])],
			['get missing', (t) => t.get(['st', 'nope'])],
			['bulkGet', (t) => t.bulkGet([[one.studyId, one.id], ['st', 'nope'], [p.segs[3].studyId, p.segs[3].id], [p.segs[3].studyId, p.segs[3].id]])],
			['bulkGet many', (t) => t.bulkGet(p.segs.slice(0, 120).map((s) => [s.studyId, s.id] as [string, string]))],
			['ofStudy toArray', (t) => ofStudy(t, 'st').toArray()],
			['ofStudy count', (t) => ofStudy(t, 'st').count()],
			['ofStudy primaryKeys', (t) => ofStudy(t, 'st').primaryKeys()],
			['ofStudy reverse', (t) => ofStudy(t, 'st').reverse().toArray()],
			['ofStudy limit', (t) => ofStudy(t, 'st').limit(7).toArray()],
			['ofStudy offset', (t) => ofStudy(t, 'st').offset(5).limit(4).toArray()],
			['ofStudy filter count', (t) => ofStudy(t, 'st').filter((s) => s.memo.trim() !== '').count()],
			['ofStudy filter toArray', (t) => ofStudy(t, 'st').filter((s) => s.coderId === 'c1').toArray()],
			[
				'ofStudy each',
				async (t) => {
					const seen: string[] = [];
					await ofStudy(t, 'st').each((s) => seen.push(s.id));
					return seen;
				}
			],
			['where studyId (a virtual index)', (t) => t.where('studyId').equals('other').toArray()],
			['documentId', (t) => t.where('[studyId+documentId]').equals(['st', 'd2']).toArray()],
			['documentId count', (t) => t.where('[studyId+documentId]').equals(['st', 'd2']).count()],
			['documentId primaryKeys', (t) => t.where('[studyId+documentId]').equals(['st', 'd2']).primaryKeys()],
			['documentId filter count', (t) => t.where('[studyId+documentId]').equals(['st', 'd1']).filter((s) => s.start > 50).count()],
			['codeId', (t) => t.where('[studyId+codeId]').equals(['st', 'k3']).toArray()],
			['codeId count', (t) => t.where('[studyId+codeId]').equals(['st', 'k3']).count()],
			[
				'codeId anyOf',
				(t) =>
					t
						.where('[studyId+codeId]')
						.anyOf([
							['st', 'k4'],
							['st', 'k1'],
							['st', 'zz']
						])
						.toArray()
			],
			['coderId', (t) => t.where('[studyId+coderId]').equals(['st', 'c2']).toArray()],
			['coderId count', (t) => t.where('[studyId+coderId]').equals(['other', 'c0']).count()],
			['whole index in order', (t) => t.orderBy('[studyId+codeId]').primaryKeys()],
			['index reverse', (t) => t.orderBy('[studyId+documentId]').reverse().limit(30).primaryKeys()],
			['chunked read (readSegmentsInChunks)', (t) => t.where('[studyId+id]').between(['st', p.segs[40].id], ['st', Dexie.maxKey], false, true).limit(25).toArray()],
			['nothing', (t) => t.where('[studyId+documentId]').equals(['st', 'none']).toArray()],
			['sortBy', (t) => t.where('[studyId+coderId]').equals(['st', 'c0']).sortBy('start')]
		];
		for (const [label, q] of shapes) await same(p, q, label);
	});
});

describe('segments over packs: writes', () => {
	it('add refuses an id already there, like IndexedDB, and a refused bulkAdd writes nothing', async () => {
		const p = await pair();
		const dup = { ...p.segs[5], start: 1 };
		const fresh = { ...p.segs[5], id: 'brand-new' };
		for (const db of [p.packed, p.plain]) {
			await expect(db.segments.add(dup)).rejects.toMatchObject({ name: 'ConstraintError' });
			await expect(db.segments.bulkAdd([fresh, dup])).rejects.toMatchObject({ name: 'BulkError' });
			// in a transaction that fails: nothing of it stays
			await expect(
				db.transaction('rw', db.segments, async () => {
					await db.segments.bulkAdd([{ ...fresh, id: 'other-new' }, dup]);
				})
			).rejects.toBeTruthy();
		}
		await same(p, (t) => t.get(['st', 'other-new']), 'nothing of the failed transaction');
		await sameTables(p);
	});

	it('put, delete, bulkDelete, a collection delete, modify and a range delete', async () => {
		const p = await pair();
		const [a, b, c] = p.segs.filter((s) => s.studyId === 'st');
		const steps: Q[] = [
			(t) => t.put({ ...a, memo: 'changed' }),
			// moved to another document and coder: out of its pack, into another
			(t) => t.put({ ...b, documentId: 'd4', coderId: 'c9', codeId: 'k1' }),
			(t) => t.bulkPut([{ ...c, id: 'n1', documentId: 'new-doc' }, { ...c, id: 'n2' }, { ...c, id: 'n1', start: 3, documentId: 'new-doc' }]),
			(t) => t.delete([a.studyId, a.id]),
			(t) => t.bulkDelete(p.segs.slice(50, 90).map((s) => [s.studyId, s.id] as [string, string])),
			(t) => t.where('[studyId+codeId]').equals(['st', 'k2']).delete(),
			(t) => t.where('[studyId+coderId]').equals(['st', 'c0']).modify({ memo: 'seen' }),
			(t) => ofStudy(t, 'st').filter((s) => s.start < 20).modify((s) => void (s.end = s.end + 1)),
			(t) => t.where('[studyId+documentId]').equals(['st', 'd1']).filter((s) => s.start > 50).delete(),
			(t) => t.update(['st', c.id], { memo: 'updated' }),
			(t) => t.update(['st', 'missing'], { memo: 'nothing' }),
			// a range of keys within a study: some packs emptied, some rewritten
			(t) => t.where('[studyId+id]').between(['st', 's5'], ['st', 'sb'], true, false).delete(),
			(t) => ofStudy(t, 'other').delete()
		];
		for (const [i, step] of steps.entries()) {
			await same(p, (t) => step(t).catch((e) => `step ${i} failed: ${e} ${e.stack}`), `step ${i}`);
			await sameTables(p);
		}
		expect(await p.packed.segments.where('studyId').equals('other').count()).toBe(0);
		expect((await p.packed.segmentPacks.toArray()).every((x) => x.studyId === 'st')).toBe(true);
	});

	it('writes issued together in one transaction all land (each request reads and rewrites the same packs and counts)', async () => {
		const p = await pair();
		const st = p.segs.filter((s) => s.studyId === 'st');
		const doc = st[0].documentId;
		const coder = st[0].coderId;
		const fresh = (i: number): Segment => ({ ...st[0], id: `together-${i}`, start: i, end: i + 5 });
		const steps: Q[] = [
			(t) =>
				Promise.all([
					t.put(fresh(1)),
					t.put(fresh(2)),
					t.bulkPut([fresh(3), fresh(4)]),
					t.delete([st[1].studyId, st[1].id]),
					t.put({ ...st[2], documentId: doc, coderId: coder, memo: 'moved here' })
				])
		];
		for (const step of steps) {
			await same(p, (t) => (t.db as Dexie).transaction('rw', t, () => step(t)), 'together');
			await sameTables(p);
		}
	});

	it('an aborted transaction leaves the packs as they were', async () => {
		const p = await pair();
		const before = await p.packed.segmentPacks.toArray();
		await expect(
			p.packed.transaction('rw', p.packed.segments, async () => {
				await p.packed.segments.put({ ...p.segs[0], memo: 'lost' });
				await p.packed.segments.bulkDelete(p.segs.slice(1, 30).map((s) => [s.studyId, s.id] as [string, string]));
				await ofStudy(p.packed.segments, 'other').delete();
				throw new Error('stop');
			})
		).rejects.toThrow('stop');
		expect(await p.packed.segmentPacks.toArray()).toEqual(before);
	});

	it('a liveQuery of segments hears a write into a pack', async () => {
		const p = await pair();
		const seen: number[] = [];
		const sub = liveQuery(() => p.packed.segments.where('[studyId+documentId]').equals(['st', 'd3']).count()).subscribe((n) => seen.push(n));
		const until = async (f: () => boolean) => {
			for (let i = 0; i < 100 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
		};
		await until(() => seen.length === 1);
		const n = seen[0];
		await p.packed.segments.add({ ...p.segs[0], id: 'heard', studyId: 'st', documentId: 'd3' });
		await until(() => seen.at(-1) === n + 1);
		expect(seen.at(-1)).toBe(n + 1);
		await p.packed.segments.delete(['st', 'heard']);
		await until(() => seen.at(-1) === n);
		expect(seen.at(-1)).toBe(n);
		sub.unsubscribe();
	});
});

describe('packs read and written directly', () => {
	const until = async (f: () => boolean) => {
		for (let i = 0; i < 100 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
	};

	it('counts from the packs hear writes through db.segments, and readers of db.segments hear packs written directly', async () => {
		const p = await pair();
		const counts: number[] = [];
		const a = liveQuery(() => segmentCounts(p.packed, 'st', 'documentId', null)).subscribe((c) => counts.push(c.all.get('d3') ?? 0));
		const rows: number[] = [];
		const b = liveQuery(() => ofStudy(p.packed.segments, 'new').count()).subscribe((n) => rows.push(n));
		const totals: number[] = [];
		const c = liveQuery(() => countSegments(p.packed, 'st')).subscribe((n) => totals.push(n));
		await until(() => counts.length === 1 && rows.length === 1);
		const n = counts[0];
		await p.packed.segments.add({ ...p.segs[0], id: 'heard', studyId: 'st', documentId: 'd3' });
		await until(() => counts.at(-1) === n + 1 && totals.at(-1) === totals[0] + 1);
		expect(counts.at(-1)).toBe(n + 1);
		expect(totals.at(-1)).toBe(totals[0] + 1);
		await p.packed.transaction('rw', [p.packed.segmentPacks, p.packed.segmentIds], () => putSegmentPacks(p.packed, [{ ...p.segs[0], studyId: 'new' }]));
		await until(() => rows.at(-1) === 1);
		expect(rows).toEqual([0, 1]);
		a.unsubscribe();
		b.unsubscribe();
		c.unsubscribe();
	});

	it('putSegmentPacks writes what db.segments reads, in chunks, and refuses a segment twice or a study with segments', async () => {
		const packed = new GlossDB('packs-' + newId());
		const plain = plainDb();
		const segs = sample(500);
		const chunks: number[] = [];
		await packed.transaction('rw', [packed.segmentPacks, packed.segmentIds], () => putSegmentPacks(packed, segs, 100, (n) => chunks.push(n)));
		await plain.segments.bulkAdd(segs);
		expect(chunks.reduce((a, b) => a + b, 0)).toBe(segs.length);
		expect(chunks.length).toBeGreaterThan(3);
		await sameTables({ packed, plain, segs });
		await expect(packed.transaction('rw', [packed.segmentPacks, packed.segmentIds], () => putSegmentPacks(packed, [segs[0]]))).rejects.toBeTruthy();
		await expect(
			packed.transaction('rw', [packed.segmentPacks, packed.segmentIds], () => putSegmentPacks(packed, [{ ...segs[0], studyId: 'x' }, { ...segs[1], studyId: 'x' , id: segs[0].id }]))
		).rejects.toBeTruthy();
		expect(await packed.segments.where('studyId').equals('x').count()).toBe(0);
		expect(await packed.segments.count()).toBe(segs.length);
	});

	it('the chunked read and the per-document counts give every segment once', async () => {
		const p = await pair(sample(3000));
		const all = await readSegmentsInChunks(p.packed, 'st');
		const want = p.segs.filter((s) => s.studyId === 'st');
		expect(all).toHaveLength(want.length);
		expect(new Set(all.map((s) => s.id))).toEqual(new Set(want.map((s) => s.id)));
		const rest = await readSegmentsInChunks(p.packed, 'st', 'd1');
		expect(rest.length).toBe(want.filter((s) => s.documentId !== 'd1').length);
		const byDoc = await segmentCountsByDocument(p.packed, 'st');
		for (const d of ['d0', 'd1', 'd2', 'd3', 'd4']) expect(byDoc.get(d) ?? 0).toBe(want.filter((s) => s.documentId === d).length);
		expect(await countSegments(p.packed, 'st')).toBe(want.length);
		expect(await countSegments(p.packed, 'other')).toBe(p.segs.length - want.length);
		expect(await countSegments(p.packed, 'nothing')).toBe(0);
		expect(await coderSegmentCount(p.packed, 'st', 'c2')).toBe(want.filter((s) => s.coderId === 'c2').length);
		const byDocShown = await segmentCounts(p.packed, 'st', 'documentId', 'c1');
		for (const d of ['d0', 'd3']) {
			expect(byDocShown.all.get(d) ?? 0).toBe(want.filter((s) => s.documentId === d).length);
			expect(byDocShown.shown.get(d) ?? 0).toBe(want.filter((s) => s.documentId === d && s.coderId === 'c1').length);
		}
		const byCode = await segmentCounts(p.packed, 'st', 'codeId', 'c1');
		for (const k of ['k0', 'k3']) {
			expect(byCode.all.get(k) ?? 0).toBe(want.filter((s) => s.codeId === k).length);
			expect(byCode.shown.get(k) ?? 0).toBe(want.filter((s) => s.codeId === k && s.coderId === 'c1').length);
		}
	});
});
