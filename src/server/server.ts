/**
 * The Gloss sync server: Hocuspocus 3 for the Yjs documents and a small JSON API, on one
 * `http.Server` bound to the configured host (Hocuspocus' own server would listen on every
 * interface). Access is decided per connection and per document by `accessFor` from core.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hocuspocus, type Extension } from '@hocuspocus/server';
import { Database } from '@hocuspocus/extension-database';
import { Redis } from '@hocuspocus/extension-redis';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { accessFor, coderMembersOf, parseDocName, type Member } from '../lib/core/sync/protocol';
import { handleApi } from './api';
import { makeLogger, type Logger } from './log';
import { hashToken, type Store } from './store';

export interface ServerOptions {
	store: Store;
	host?: string;
	port?: number;
	/** `redis://[:password@]host:port[/db]`: keeps several instances in step. */
	redis?: string;
	/** The instance name in logs and in Redis (must differ between instances). */
	name?: string;
	/** Where log lines go (one line per event); default stdout. */
	log?: (line: string) => void;
	/**
	 * A secret that lets the admin CLI reach a running server (PGlite allows one process per
	 * data folder, so the CLI cannot open it while the server runs). Unset: no admin endpoints.
	 */
	adminSecret?: string;
	/** ms before a changed document is stored (Hocuspocus debounce); default 1000. */
	debounce?: number;
}

export interface SyncServer {
	host: string;
	port: number;
	/** `ws://host:port` */
	url: string;
	/** `http://host:port` */
	httpUrl: string;
	hocuspocus: Hocuspocus;
	log: Logger;
	/** Closes connections, stores every open document, then stops. */
	close(): Promise<void>;
}

/** A refusal Hocuspocus sends to the client as the authentication failure's reason. */
function refuse(reason: string): { reason: string } {
	// No `message`: Hocuspocus would print it to stderr as an error; we log it ourselves.
	return { reason };
}

interface ConnContext {
	member?: Member;
	access?: 'read' | 'write';
}

export function parseRedisUrl(url: string): { host: string; port: number; options: Record<string, unknown> } {
	let u: URL;
	try {
		u = new URL(url);
	} catch {
		throw new Error(`--redis: not a URL: ${url}`);
	}
	if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`--redis: expected redis://host:port, got ${url}`);
	const options: Record<string, unknown> = {};
	if (u.password) options.password = decodeURIComponent(u.password);
	if (u.username) options.username = decodeURIComponent(u.username);
	const db = u.pathname.replace(/^\//, '');
	if (db) options.db = Number(db);
	if (u.protocol === 'rediss:') options.tls = {};
	return { host: u.hostname || '127.0.0.1', port: Number(u.port || 6379), options };
}

function burstCache(store: Store) {
	const TTL = 1000;
	const memo = new Map<string, { at: number; value: Promise<unknown> }>();
	const get = <T>(key: string, load: () => Promise<T>): Promise<T> => {
		const now = Date.now();
		const hit = memo.get(key);
		if (hit && now - hit.at < TTL) return hit.value as Promise<T>;
		if (memo.size > 10_000) for (const [k, v] of memo) if (now - v.at >= TTL) memo.delete(k);
		const value = load();
		value.catch(() => memo.delete(key));
		memo.set(key, { at: now, value });
		return value;
	};
	return {
		member: (socketId: string, token: string) => get(`m\0${socketId}\0${hashToken(token)}`, () => store.memberByToken(token)),
		study: (socketId: string, studyId: string) => get(`s\0${socketId}\0${studyId}`, () => store.study(studyId))
	};
}

export async function startServer(opts: ServerOptions): Promise<SyncServer> {
	const host = opts.host ?? '127.0.0.1';
	const name = opts.name ?? 'gloss-sync';
	const log = makeLogger(name, opts.log);
	const store = opts.store;

	const extensions: Extension[] = [
		new Database({
			fetch: ({ documentName }) => store.fetchDocument(documentName),
			store: ({ documentName, state }) => store.storeDocument(documentName, new Uint8Array(state))
		})
	];
	if (opts.redis) {
		const r = parseRedisUrl(opts.redis);
		extensions.push(new Redis({ host: r.host, port: r.port, options: r.options, identifier: name, prefix: 'gloss' }));
	}

	// One socket carries every document of a study, and joining opens hundreds at once: lookups
	// made for the same socket within a second are shared. A new socket always looks up afresh,
	// and revoking or turning a study blind closes the sockets concerned.
	const lookups = burstCache(store);

	const hocuspocus = new Hocuspocus({
		name,
		quiet: true,
		debounce: opts.debounce ?? 1000,
		maxDebounce: 10_000,
		extensions,
		async onAuthenticate({ token, documentName, connectionConfig, socketId }) {
			const ref = parseDocName(documentName);
			// A storage failure refuses the connection with a reason rather than an opaque error.
			const safe = <T>(p: Promise<T>): Promise<T> =>
				p.catch((e: unknown) => {
					log.event('error', { doc: documentName, reason: `storage: ${e instanceof Error ? e.message : String(e)}` });
					throw refuse('the server cannot reach its storage; try again later');
				});
			const member = token ? await safe(lookups.member(socketId, token)) : null;
			const fail = (reason: string) => {
				log.event('refused', { member: member?.id, role: member?.role, doc: documentName, reason });
				return refuse(reason);
			};
			if (!member) throw fail('unknown token');
			if (member.revoked) throw fail('revoked');
			if (!ref) throw fail('unknown document');
			if (ref.studyId !== member.studyId) throw fail('not a member of this study');
			const study = await safe(lookups.study(socketId, member.studyId));
			if (!study) throw fail('unknown study');
			// A supervisor uploads the coding of coders that no other member codes as (issue 9: the
			// study's coding from before it was shared); a member's own coding stays theirs.
			const coderMembers =
				ref.kind === 'coder' && member.role === 'supervisor' ? coderMembersOf(await safe(store.members(member.studyId)), member) : undefined;
			const access = accessFor(member, { ...study, coderMembers }, ref);
			if (access === 'none') {
				throw fail(
					ref.kind === 'coder' && study.blind ? "blind study: another coder's coding" : 'no access to this document'
				);
			}
			if (access === 'read') connectionConfig.readOnly = true;
			return { member, access } satisfies ConnContext;
		},
		async connected({ context, documentName }) {
			const c = context as ConnContext;
			log.event('connect', { member: c.member?.id, role: c.member?.role, doc: documentName, access: c.access });
		},
		async onDisconnect({ context, documentName }) {
			const c = context as ConnContext;
			if (c.member) log.event('disconnect', { member: c.member.id, role: c.member.role, doc: documentName });
		}
	});

	const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
	const http: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
		handleApi(req, res, { store, log, hocuspocus, adminSecret: opts.adminSecret, name }).catch((e: unknown) => {
			log.event('error', { reason: e instanceof Error ? e.message : String(e) });
			if (!res.headersSent) {
				res.writeHead(500, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
			}
			res.end(JSON.stringify({ error: 'internal error' }));
		});
	});
	http.on('upgrade', (req, socket, head) => {
		wss.handleUpgrade(req, socket, head, (ws) => {
			ws.on('error', (e) => log.event('error', { reason: `websocket: ${e.message}` }));
			hocuspocus.handleConnection(ws, req);
		});
	});

	await new Promise<void>((resolve, reject) => {
		http.once('error', reject);
		http.listen(opts.port ?? 1234, host, () => {
			http.off('error', reject);
			resolve();
		});
	});
	const port = (http.address() as AddressInfo).port;
	const hostForUrl = host.includes(':') ? `[${host}]` : host;
	log.event('listen', { host, port, redis: opts.redis ? 'yes' : undefined });

	let closing: Promise<void> | null = null;
	return {
		host,
		port,
		url: `ws://${hostForUrl}:${port}`,
		httpUrl: `http://${hostForUrl}:${port}`,
		hocuspocus,
		log,
		close() {
			closing ??= (async () => {
				http.close();
				hocuspocus.closeConnections();
				for (const ws of wss.clients) ws.terminate();
				// Store what is still open (normally done as the last connection of a document goes).
				await Promise.all(
					[...hocuspocus.documents.values()].map((doc) =>
						store
							.storeDocument(doc.name, Y.encodeStateAsUpdate(doc))
							.catch((e: Error) => log.event('error', { doc: doc.name, reason: `store on close: ${e.message}` }))
					)
				);
				const until = Date.now() + 3000;
				while (hocuspocus.getDocumentsCount() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
				await hocuspocus.hooks('onDestroy', { instance: hocuspocus });
				wss.close();
				http.closeAllConnections();
				log.event('stop', {});
			})();
			return closing;
		}
	};
}
