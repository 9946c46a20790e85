/**
 * A small in-process sync server for the engine's node tests and benches: Hocuspocus 3 with the
 * contract's access rules (`accessFor`) and HTTP API, documents kept in memory so that a stopped
 * and restarted server (same `MiniStore`) still has them. Not the real server (src/server).
 */
import { Server } from '@hocuspocus/server';
import * as Y from 'yjs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API, accessFor, coderMembersOf, newToken, parseDocName, type Member, type Role, type StudySettings } from '../../../src/lib/core/sync/protocol';

export class MiniStore {
	docs = new Map<string, Uint8Array>();
	members = new Map<string, Member>(); // token → member
	studies = new Map<string, StudySettings>();
	shareTokens = new Set<string>();
	log: string[] = [];
	adminToken(): string {
		const t = newToken();
		this.shareTokens.add(t);
		return t;
	}
	addMember(studyId: string, name: string, role: Role, coderId: string | null): { member: Member; token: string } {
		const token = newToken();
		const member: Member = { id: newToken().slice(0, 12), studyId, name, role, coderId, revoked: false, createdAt: new Date().toISOString() };
		this.members.set(token, member);
		return { member, token };
	}
}

const refuse = (reason: string) => Object.assign(new Error(reason), { reason });

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
	let s = '';
	for await (const c of req) s += c;
	return s ? JSON.parse(s) : {};
}

export async function startMiniServer(port: number, store = new MiniStore()): Promise<{ server: Server; store: MiniStore; url: string; stop(): Promise<void> }> {
	const server = new Server({
		port,
		address: '127.0.0.1',
		quiet: true,
		stopOnSignals: false,
		debounce: 20,
		maxDebounce: 100,
		async onAuthenticate({ token, documentName, connectionConfig }) {
			const member = store.members.get(token);
			if (!member) throw refuse('unknown token');
			if (member.revoked) throw refuse('revoked');
			const ref = parseDocName(documentName);
			if (!ref) throw refuse('not a Gloss document');
			const study = store.studies.get(member.studyId);
			const coderMembers = coderMembersOf([...store.members.values()].filter((m) => m.studyId === member.studyId), member);
			const access = accessFor(member, { blind: study?.blind ?? false, coderMembers }, ref);
			if (access === 'none') {
				store.log.push(`refused ${member.name} ${documentName}`);
				throw refuse(ref.kind === 'coder' ? "blind study: another coder's coding" : 'no access');
			}
			if (access === 'read') connectionConfig.readOnly = true;
			store.log.push(`${access} ${member.name} ${documentName}`);
		},
		async onLoadDocument({ documentName, document }) {
			const u = store.docs.get(documentName);
			if (u) Y.applyUpdate(document, u);
			return document;
		},
		async onChange({ documentName, document }) {
			store.docs.set(documentName, Y.encodeStateAsUpdate(document));
		},
		async onStoreDocument({ documentName, document }) {
			store.docs.set(documentName, Y.encodeStateAsUpdate(document));
		},
		async onRequest({ request, response }) {
			const url = new URL(request.url ?? '/', 'http://x');
			if (!url.pathname.startsWith('/api/')) return;
			// a study turned blind: its readers lose their sockets now, as on the real server (a
			// stand-in: every socket, each client reconnects and is asked again)
			const dropReaders = () => {
				for (const c of server.webSocketServer.clients) c.close(4403, 'blind study');
			};
			await handleApi(store, request, response, url.pathname, dropReaders);
			throw null;
		}
	});
	await server.listen();
	return {
		server,
		store,
		url: `ws://127.0.0.1:${port}`,
		/** Like a killed process: every socket is dropped (ws 8 keeps them open on close()). */
		async stop() {
			for (const c of server.webSocketServer.clients) c.terminate();
			server.httpServer.closeAllConnections();
			await server.destroy();
		}
	};
}

async function handleApi(store: MiniStore, req: IncomingMessage, res: ServerResponse, path: string, dropReaders: () => void) {
	const send = (status: number, value: unknown) => {
		res.writeHead(status, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
		res.end(JSON.stringify(value));
	};
	const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
	if (path === API.share && req.method === 'POST') {
		if (!store.shareTokens.has(token)) return send(401, { error: 'unknown share token' });
		const b = await body(req);
		const studyId = String(b.studyId);
		if (store.studies.has(studyId)) return send(409, { error: 'this study is already shared' });
		store.shareTokens.delete(token);
		const study: StudySettings = { studyId, name: String(b.name), blind: false };
		store.studies.set(studyId, study);
		const member: Member = { id: 'sup-' + studyId.slice(0, 6), studyId, name: String(b.memberName ?? 'Supervisor'), role: 'supervisor', coderId: (b.coderId as string | null) ?? null, revoked: false, createdAt: new Date().toISOString() };
		store.members.set(token, member);
		return send(200, { member, study });
	}
	const me = store.members.get(token);
	if (!me || me.revoked) return send(401, { error: me ? 'revoked' : 'unknown token' });
	if (path === API.me) return send(200, { member: me, study: store.studies.get(me.studyId) });
	const m = /^\/api\/studies\/([^/]+)(\/members(?:\/([^/]+))?)?$/.exec(path);
	if (!m) return send(404, { error: 'not found' });
	const studyId = decodeURIComponent(m[1]);
	if (me.studyId !== studyId || me.role !== 'supervisor') return send(403, { error: 'only a supervisor of this study may do this' });
	if (m[2] && !m[3] && req.method === 'GET') return send(200, [...store.members.values()].filter((x) => x.studyId === studyId));
	if (m[2] && !m[3] && req.method === 'POST') {
		const b = await body(req);
		return send(200, store.addMember(studyId, String(b.name), b.role as Role, (b.coderId as string | null) ?? null));
	}
	if (m[3] && req.method === 'DELETE') {
		for (const x of store.members.values()) if (x.id === decodeURIComponent(m[3])) x.revoked = true;
		return send(200, {});
	}
	if (!m[2] && req.method === 'PATCH') {
		const b = await body(req);
		const s = store.studies.get(studyId)!;
		s.blind = !!b.blind;
		if (s.blind) dropReaders();
		return send(200, s);
	}
	return send(404, { error: 'not found' });
}
