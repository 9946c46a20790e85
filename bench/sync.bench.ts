/**
 * Sync engine speed over loopback, node to node: GlossDB clients over fake-indexeddb and the real
 * sync server (src/server, PGlite in a temporary folder) in this process, on port 1258.
 *
 * - sync-join-100k: the generated full-scale study (bench/analysis.bench.ts: 500 transcripts,
 *   5 million words, 100,000 segments by three coders) is shared by a supervisor; a coder joins
 *   it on a fresh database: `joinStudy` from the invitation link until it returns, which is when
 *   the study is in Dexie with its codebook, every coder's segments and the first transcript's text
 *   (it can be coded; the other transcripts arrive in the background once StudySync runs).
 *   Also reported: fetchMs (the documents over the socket into Y.Docs) and saveMs (the one Dexie
 *   transaction). In node the save goes to fake-indexeddb, which writes these 100k rows many
 *   times slower than a browser's IndexedDB (inserting the same study for the sharing client
 *   takes about as long), so saveMs overstates what a coder waits for in the browser.
 * - sync-segment-latency: two running StudySyncs on a study of 20 transcripts and 5,000 segments;
 *   a segment written to client A's Dexie (as the coding screen writes it) until it is in client
 *   B's Dexie (a liveQuery there sees it). 50 samples. This is node to node; the UI engineer may add
 *   the variant painted in the supervisor's browser (Chromium, through the UI).
 *
 * GLOSS_SYNC_TEST_SERVER=mini uses the in-process stand-in server instead of the real one.
 */
import 'fake-indexeddb/auto';
import { liveQuery } from 'dexie';
import type { BenchCase } from '../scripts/bench';
import { API, type Member } from '../src/lib/core/sync/protocol';
import { newId } from '../src/lib/core/ids';
import type { StudyData } from '../src/lib/core/types';
import { GlossDB, ofStudy } from '../src/lib/db/db';
import { getDocument } from '../src/lib/db/documents';
import { insertStudyData } from '../src/lib/db/studies';
import { joinStudy, shareStudy, StudySync } from '../src/lib/sync';
import { apiCall } from '../src/lib/sync/http';
import { freshDb, segment } from '../tests/unit/sync/helpers';
import { testServer, type TestServer } from '../tests/unit/sync/servers';
import { syntheticStudy } from './analysis.bench';

const PORT = Number(process.env.GLOSS_SYNC_BENCH_PORT ?? 1258);
if (!process.env.GLOSS_SYNC_TEST_SERVER) process.env.GLOSS_SYNC_TEST_SERVER = 'real';

let server: TestServer | null = null;
async function getServer(): Promise<TestServer> {
	server ??= await testServer(PORT);
	return server;
}

/** Share `data` from a fresh database; a coder invitation (as coder `coderId`) for the second client. */
async function shareBig(data: StudyData, coderId: string) {
	const srv = await getServer();
	const a = await freshDb();
	await insertStudyData(a, data);
	const shared = await shareStudy(a, data.study.id, srv.url, await srv.adminToken(), { coderId: null });
	if (!shared.ok) throw new Error(shared.errors.join('\n'));
	const inv = await apiCall<{ member: Member; token: string }>(srv.url, API.members(data.study.id), shared.value.token, 'POST', { name: 'Joiner', role: 'coder', coderId });
	if (!inv.ok) throw new Error(inv.errors.join('\n'));
	return { a, srv, token: inv.value.token };
}

function withId(data: StudyData, studyId: string): StudyData {
	const set = <T extends { studyId: string }>(xs: T[]) => xs.map((x) => ({ ...x, studyId }));
	return {
		study: { ...data.study, id: studyId },
		coders: set(data.coders),
		attributes: set(data.attributes),
		cases: set(data.cases),
		documents: set(data.documents),
		codes: set(data.codes),
		segments: set(data.segments),
		memos: set(data.memos)
	};
}

export const cases: BenchCase[] = [
	{
		name: 'sync-join-100k',
		unit: 'ms',
		target: 30_000,
		async measure() {
			const data = withId(syntheticStudy(), 'bench-sync-' + newId());
			const t0 = performance.now();
			const { srv, token } = await shareBig(data, 'coder-1');
			const shareMs = performance.now() - t0;
			const samples: number[] = [];
			const fetch: number[] = [];
			let rows = 0;
			for (let i = 0; i < 3; i++) {
				const b = new GlossDB('bench-join-' + newId());
				await b.open();
				const t = performance.now();
				let saving = 0;
				const r = await joinStudy(b, { server: srv.url, studyId: data.study.id, token }, (p) => {
					if (p.step.startsWith('Saving')) saving = performance.now();
				});
				samples.push(performance.now() - t);
				fetch.push(saving - t);
				if (!r.ok) throw new Error(r.errors.join('\n'));
				rows = await ofStudy(b.segments, data.study.id).count();
				const first = await getDocument(b, data.study.id, 'doc-0');
				if (rows !== data.segments.length || first?.text !== data.documents[0].text) throw new Error(`joined study incomplete: ${rows} segments`);
				b.close();
				await GlossDB.delete(b.name);
			}
			const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
			// fetchMs: over the network into Y.Docs; the rest is writing 100k rows to fake-indexeddb.
			return { samples, extra: { fetchMs: med(fetch), saveMs: med(samples) - med(fetch), shareMs, segments: rows } };
		}
	},
	{
		name: 'sync-segment-latency',
		unit: 'ms',
		target: 200,
		async measure() {
			const data = withId(syntheticStudy({ documents: 20, wordsPerDocument: 2000, segments: 5000, cases: 20 }), 'bench-lat-' + newId());
			const { a, srv, token } = await shareBig(data, 'coder-1');
			const studyId = data.study.id;
			const b = await freshDb();
			const j = await joinStudy(b, { server: srv.url, studyId, token });
			if (!j.ok) throw new Error(j.errors.join('\n'));
			const sa = new StudySync(a, studyId);
			const sb = new StudySync(b, studyId);
			await Promise.all([sa.start(), sb.start()]);
			const synced = (s: StudySync) => new Promise<void>((res) => s.subscribe((st) => st.kind === 'synced' && res()));
			await Promise.all([synced(sa), synced(sb)]);
			const samples: number[] = [];
			for (let i = 0; i < 55; i++) {
				const seg = segment(studyId, 'coder-0', `doc-${i % 20}`, 'code-1', 10 + i, 40 + i);
				const seen = new Promise<number>((res) => {
					const sub = liveQuery(() => b.segments.get([studyId, seg.id])).subscribe((v) => {
						if (v) {
							const t = performance.now();
							queueMicrotask(() => sub.unsubscribe());
							res(t);
						}
					});
				});
				await new Promise((r) => setTimeout(r, 20));
				const t0 = performance.now();
				await a.segments.add(seg);
				const t1 = await seen;
				if (i >= 5) samples.push(t1 - t0);
			}
			sa.stop();
			sb.stop();
			await (await getServer()).dispose();
			server = null;
			const s = [...samples].sort((x, y) => x - y);
			return { samples, extra: { p95: s[Math.floor(s.length * 0.95)], max: s[s.length - 1] } };
		}
	}
];

