/**
 * Clients for testing a Gloss sync server from Node (server specs, tests/sync, the bench):
 * a Hocuspocus provider per document over one shared socket per study, as the app does.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { pgliteSql } from './drivers';
import { Store } from './store';

/**
 * A PGlite store in `dir` for tests. The first run keeps an empty store's dump in the temp
 * folder and later runs start from it, skipping PostgreSQL's initdb (seconds on a busy machine).
 */
export async function testStore(dir: string): Promise<Store> {
	const template = join(tmpdir(), 'gloss-pglite-0.5-template.tar');
	const blob = existsSync(template) ? new Blob([readFileSync(template)]) : undefined;
	const sql = await pgliteSql(dir, { template: blob });
	const store = new Store(sql);
	await store.init();
	if (!blob) {
		const dump = Buffer.from(await (await sql.dump()).arrayBuffer());
		const tmp = `${template}.${process.pid}`;
		writeFileSync(tmp, dump);
		renameSync(tmp, template);
	}
	return store;
}

export interface TestClient {
	doc: Y.Doc;
	provider: HocuspocusProvider;
	/** Resolves once synced, or with the server's refusal reason. */
	ready: Promise<{ ok: true } | { ok: false; reason: string }>;
	/** Every SyncStatus the server sent: true = an update was applied, false = refused (read-only). */
	statuses: boolean[];
	refusals: string[];
	close(): void;
}

/** One socket per study at `<server>/study/<id>`, as the app connects. */
export function studySocket(server: string, studyId: string): HocuspocusProviderWebsocket {
	return new HocuspocusProviderWebsocket({
		url: `${server}/study/${encodeURIComponent(studyId)}`,
		WebSocketPolyfill: WebSocket,
		// Tests restart servers: reconnect quickly.
		delay: 100,
		minDelay: 100,
		maxDelay: 500
	});
}

export function connectDoc(
	socket: HocuspocusProviderWebsocket,
	name: string,
	token: string,
	doc: Y.Doc = new Y.Doc()
): TestClient {
	const statuses: boolean[] = [];
	const refusals: string[] = [];
	let settle!: (v: { ok: true } | { ok: false; reason: string }) => void;
	const ready = new Promise<{ ok: true } | { ok: false; reason: string }>((r) => (settle = r));
	const provider = new HocuspocusProvider({
		websocketProvider: socket,
		name,
		token,
		document: doc,
		onSynced: () => settle({ ok: true }),
		onAuthenticationFailed: ({ reason }) => {
			refusals.push(reason);
			settle({ ok: false, reason });
		}
	});
	provider.on('message', ({ event }: { event: MessageEvent }) => {
		const d = decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer));
		decoding.readVarString(d);
		if (decoding.readVarUint(d) === 8) statuses.push(decoding.readVarInt(d) === 1);
	});
	provider.attach();
	return {
		doc,
		provider,
		ready,
		statuses,
		refusals,
		close: () => provider.destroy()
	};
}

/** Polls until `fn` is true (sync is asynchronous); throws with `what` after `ms`. */
export async function until(fn: () => boolean | Promise<boolean>, what: string, ms = 8000): Promise<void> {
	const end = Date.now() + ms;
	while (!(await fn())) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

export interface ApiResult<T = unknown> {
	status: number;
	body: T & { error?: string };
}

export async function api<T = unknown>(
	base: string,
	path: string,
	opts: { method?: string; token?: string; body?: unknown } = {}
): Promise<ApiResult<T>> {
	const res = await fetch(base + path, {
		method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
		headers: {
			...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}),
			...(opts.body === undefined ? {} : { 'Content-Type': 'application/json' })
		},
		body: opts.body === undefined ? undefined : JSON.stringify(opts.body)
	});
	return { status: res.status, body: (await res.json()) as T & { error?: string } };
}
