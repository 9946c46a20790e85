/**
 * Diagnostics for the shared-study scenarios: when a change does not arrive, say where it stopped.
 *
 *   const t = new SyncTrace();
 *   await t.watch(page, 'supervisor');   // before the page loads the app: the engine's trace
 *   t.step('Ana goes online');           // the scenario's own steps, in the same time line
 *   await t.onFailure(testInfo, () => t.whereIs(...), async () => { ...the scenario... });
 *
 * `watch` turns on the engine's trace (`localStorage['gloss-sync-trace']`, src/lib/sync/engine.ts:
 * each document's stored, sent, acknowledged and received updates) and collects it with the
 * scenario's steps; on failure the time line is attached to the report and printed, with
 * `whereIs`: one coder document's segments in each browser's IndexedDB (its stored updates, and
 * which of them still wait for the server), on the live server instance and in PostgreSQL.
 */
import type { BrowserContext, Page, TestInfo } from '@playwright/test';
import * as Y from 'yjs';
import { connectDoc, studySocket } from '../../src/server/testkit';
import { postgresSql } from '../../src/server/drivers';
import { Store } from '../../src/server/store';
import { pgUrl, serverUrl, type Instance } from './env';

const t0 = Date.now();
const stamp = () => `${((Date.now() - t0) / 1000).toFixed(3).padStart(8)}s`;

export class SyncTrace {
	readonly lines: string[] = [];

	step(what: string) {
		this.lines.push(`${stamp()} [test] ${what}`);
	}

	/** Trace a context's pages (call before they load the app; new pages are traced too). */
	async watch(context: BrowserContext, who: string): Promise<void> {
		await context.addInitScript(() => localStorage.setItem('gloss-sync-trace', '1'));
		const hook = (page: Page) =>
			page.on('console', (m) => {
				if (m.type() === 'debug' && m.text().startsWith('gloss sync:')) this.lines.push(`${stamp()} [${who}] ${m.text().slice(12)}`);
			});
		for (const p of context.pages()) hook(p);
		context.on('page', hook);
	}

	/** Runs the scenario; if it fails, attaches and prints the time line and `report()`. */
	async onFailure(testInfo: TestInfo, report: () => Promise<string>, run: () => Promise<void>): Promise<void> {
		try {
			await run();
			// SYNC_TRACE=1: the time line of a passing run too (to compare with a failing one)
			if (process.env.SYNC_TRACE) console.log(`\n---- sync trace (passed) ----\n${await report()}\n\n${this.lines.join('\n')}\n`);
		} catch (e) {
			let where: string;
			try {
				where = await report();
			} catch (r) {
				where = `(the report failed: ${r instanceof Error ? r.message : String(r)})`;
			}
			const text = `${where}\n\n${this.lines.join('\n')}\n`;
			await testInfo.attach('sync-trace', { body: text, contentType: 'text/plain' });
			console.log(`\n---- where the change stopped ----\n${text}`);
			throw e;
		}
	}
}

interface StoredUpdate {
	seq: number;
	local: 0 | 1;
	update: number[];
}

/** A browser's stored updates of one document and its segment rows for one coder (IndexedDB, read in the page). */
async function browserSide(page: Page, docName: string, studyId: string, coderId: string) {
	return page.evaluate(
		async ({ docName, studyId, coderId }) => {
			const db = await new Promise<IDBDatabase>((ok, ko) => {
				const r = indexedDB.open('gloss');
				r.onsuccess = () => ok(r.result);
				r.onerror = () => ko(r.error);
			});
			const all = <T>(store: string, index: string, key: IDBValidKey) =>
				new Promise<T[]>((ok, ko) => {
					const r = db.transaction(store).objectStore(store).index(index).getAll(key);
					r.onsuccess = () => ok(r.result as T[]);
					r.onerror = () => ko(r.error);
				});
			const ups = await all<{ seq: number; local: 0 | 1; update: Uint8Array }>('syncUpdates', 'docName', docName);
			// a study's rows: its key range (segments have no coder index)
			const rows = (
				await new Promise<{ coderId: string }[]>((ok, ko) => {
					const r = db.transaction('segments').objectStore('segments').getAll(IDBKeyRange.bound([studyId], [studyId, []]));
					r.onsuccess = () => ok(r.result as { coderId: string }[]);
					r.onerror = () => ko(r.error);
				})
			).filter((r) => r.coderId === coderId);
			db.close();
			return { updates: ups.map((u) => ({ seq: u.seq, local: u.local, update: [...u.update] })), rows: rows.length };
		},
		{ docName, studyId, coderId }
	) as Promise<{ updates: StoredUpdate[]; rows: number }>;
}

function liveSegments(doc: Y.Doc): number {
	let n = 0;
	for (const v of doc.getMap('segments').values()) if (!(v as { deleted?: boolean }).deleted) n++;
	return n;
}

function describe(doc: Y.Doc): string {
	const sv = [...Y.decodeStateVector(Y.encodeStateVector(doc))].map(([c, k]) => `${c}:${k}`).join(',');
	return `${liveSegments(doc)} segments, state {${sv}}`;
}

/** The browser's IndexedDB link row (server, token, studyId) and a coder's id by name. */
export async function linkOf(page: Page, coderName: string): Promise<{ studyId: string; token: string; coderId: string }> {
	return page.evaluate(async (coderName) => {
		const db = await new Promise<IDBDatabase>((ok, ko) => {
			const r = indexedDB.open('gloss');
			r.onsuccess = () => ok(r.result);
			r.onerror = () => ko(r.error);
		});
		const all = <T>(store: string) =>
			new Promise<T[]>((ok, ko) => {
				const r = db.transaction(store).objectStore(store).getAll();
				r.onsuccess = () => ok(r.result as T[]);
				r.onerror = () => ko(r.error);
			});
		const [link] = await all<{ studyId: string; token: string }>('syncLinks');
		const coder = (await all<{ studyId: string; id: string; name: string }>('coders')).find((c) => c.studyId === link.studyId && c.name === coderName);
		db.close();
		return { studyId: link.studyId, token: link.token, coderId: coder?.id ?? '(no such coder)' };
	}, coderName);
}

/**
 * Where one coder's document stands: in each browser (stored updates, how many still wait for the
 * server, the segments they hold, the segment rows), on the live server instance (as `token`
 * reads it) and in PostgreSQL.
 */
export async function whereIs(opts: {
	pages: Record<string, Page>;
	instance: Instance;
	studyId: string;
	coderId: string;
	token: string;
}): Promise<string> {
	const name = `gloss/${encodeURIComponent(opts.studyId)}/coder/${encodeURIComponent(opts.coderId)}`;
	const out = [`document ${name}`];
	for (const [who, page] of Object.entries(opts.pages)) {
		try {
			const b = await browserSide(page, name, opts.studyId, opts.coderId);
			const doc = new Y.Doc();
			for (const u of b.updates) Y.applyUpdate(doc, new Uint8Array(u.update));
			const waiting = b.updates.filter((u) => u.local === 1).map((u) => u.seq);
			out.push(`${who}'s browser: ${b.updates.length} stored updates (waiting for the server: [${waiting.join(', ')}]), ${describe(doc)}; ${b.rows} segment rows`);
		} catch (e) {
			out.push(`${who}'s browser: unreadable (${e instanceof Error ? e.message : String(e)})`);
		}
	}
	const socket = studySocket(serverUrl(opts.instance), opts.studyId);
	try {
		const c = connectDoc(socket, name, opts.token);
		const r = await Promise.race([c.ready, new Promise<{ ok: false; reason: string }>((ok) => setTimeout(() => ok({ ok: false, reason: 'no answer in 10 s' }), 10_000))]);
		out.push(`server ${opts.instance} (live): ${r.ok ? describe(c.doc) : r.reason}`);
		c.close();
	} finally {
		socket.destroy();
	}
	if (opts.instance !== 'embedded') {
		const store = new Store(await postgresSql(pgUrl()));
		try {
			const data = await store.fetchDocument(name);
			const doc = new Y.Doc();
			if (data) Y.applyUpdate(doc, data);
			out.push(`PostgreSQL: ${data ? describe(doc) : 'no row'}`);
		} finally {
			await store.close();
		}
	}
	return out.join('\n');
}
