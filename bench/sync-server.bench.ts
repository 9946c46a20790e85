/**
 * Sync server memory per open study.
 *
 * - sync-server-mb-per-study: JS heap (after GC) the server holds per open study, every one of
 *   its Yjs documents loaded: the shared document, one per coder, consensus, and one per
 *   transcript text. Each study is the demo study (32 transcripts, 77 k characters, 2 coders,
 *   459 segments, 41 codes) under its own id, stored in PGlite and loaded the way a connection
 *   loads it (Hocuspocus + the database extension). Studies open in batches; each batch's heap
 *   growth divided by its size is one sample. `x10` repeats it with ten times the segments and
 *   text per study. Sockets are not counted (a few tens of KB each).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as Y from 'yjs';
import type { BenchCase } from '../scripts/bench';
import { docName } from '../src/lib/core/sync/protocol';
import { pgliteSql } from '../src/server/drivers';
import { startServer } from '../src/server/server';
import { Store } from '../src/server/store';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

type Rec = Record<string, unknown> & { id: string };
interface Backup {
	study: Rec;
	coders: Rec[];
	attributes: Rec[];
	cases: Rec[];
	documents: (Rec & { text: string })[];
	codes: Rec[];
	segments: (Rec & { coderId: string })[];
	memos: (Rec & { coderId?: string | null })[];
}

function fill(doc: Y.Doc, map: string, recs: Rec[]): void {
	const m = doc.getMap(map);
	for (const r of recs) m.set(r.id, r);
}

/** The study's Yjs documents as the contract lays them out: name → encoded state. */
function studyDocs(b: Backup, studyId: string, scale: number): Map<string, Uint8Array> {
	const out = new Map<string, Uint8Array>();
	const put = (name: string, build: (d: Y.Doc) => void) => {
		const d = new Y.Doc();
		d.transact(() => build(d));
		out.set(name, Y.encodeStateAsUpdate(d));
	};
	put(docName({ kind: 'shared', studyId }), (d) => {
		fill(d, 'study', [{ ...b.study, id: studyId }]);
		fill(d, 'coders', b.coders);
		fill(d, 'attributes', b.attributes);
		fill(d, 'cases', b.cases);
		fill(d, 'documents', b.documents.map(({ text: _text, ...meta }) => meta));
		fill(d, 'codes', b.codes);
	});
	for (const c of b.coders) {
		put(docName({ kind: 'coder', studyId, coderId: c.id }), (d) => {
			const segs = b.segments.filter((s) => s.coderId === c.id);
			for (let k = 0; k < scale; k++) fill(d, 'segments', segs.map((s) => ({ ...s, id: `${s.id}-${k}` })));
			fill(d, 'memos', b.memos.filter((m) => m.coderId === c.id));
		});
	}
	put(docName({ kind: 'consensus', studyId }), () => {});
	for (const doc of b.documents) {
		put(docName({ kind: 'text', studyId, documentId: doc.id }), (d) => d.getMap('text').set('text', doc.text.repeat(scale)));
	}
	return out;
}

type Server = Awaited<ReturnType<typeof startServer>>;

async function measure(server: Server, store: Store, scale: number, batches: number, perBatch: number): Promise<number[]> {
	const backup = JSON.parse(readFileSync('static/demo/cleaner-production.gloss.json', 'utf8')) as Backup;
	const studies: string[][] = [];
	for (let i = 0; i < batches * perBatch; i++) {
		const docs = studyDocs(backup, `bench-${scale}-${i}`, scale);
		for (const [name, state] of docs) await store.storeDocument(name, state);
		studies.push([...docs.keys()]);
	}
	const heap = () => {
		gc();
		gc();
		return process.memoryUsage().heapUsed;
	};
	const samples: number[] = [];
	const open = [];
	let before = heap();
	for (let b = 0; b < batches; b++) {
		for (const names of studies.slice(b * perBatch, (b + 1) * perBatch)) {
			for (const name of names) open.push(await server.hocuspocus.openDirectConnection(name, {}));
		}
		const after = heap();
		samples.push((after - before) / perBatch / 1024 / 1024);
		before = after;
	}
	for (const c of open) await c.disconnect();
	return samples;
}

export const cases: BenchCase[] = [
	{
		name: 'sync-server-mb-per-study',
		unit: 'MB',
		target: 10,
		async measure() {
			const dir = mkdtempSync(join(tmpdir(), 'gloss-bench-server-'));
			const store = new Store(await pgliteSql(dir));
			await store.init();
			const server = await startServer({ store, port: 0, log: () => {} });
			try {
				const samples = await measure(server, store, 1, 3, 4);
				const x10 = await measure(server, store, 10, 2, 1);
				return { samples, extra: { x10: Math.max(...x10), studiesPer1GB: 1024 / Math.max(...samples) } };
			} finally {
				await server.close();
				await store.close();
				rmSync(dir, { recursive: true, force: true });
			}
		}
	}
];
