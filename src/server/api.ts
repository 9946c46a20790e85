/**
 * The sync server's HTTP API (paths in core's `API`): JSON in and out, `Authorization: Bearer`,
 * CORS `*` (there are no cookies). Errors are `{ error }` with 400, 401, 403, 404 or 409.
 *
 * `/api/admin/*` lets the admin CLI reach a running server with the secret the server wrote to
 * its data folder (`lock.json`); it is off unless the server was given that secret.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Hocuspocus } from '@hocuspocus/server';
import { parseDocName, ROLES, type Member, type Role, type WhoAmI } from '../lib/core/sync/protocol';
import type { Logger } from './log';
import { StoreError, type Store } from './store';

export interface ApiContext {
	store: Store;
	log: Logger;
	hocuspocus: Hocuspocus;
	adminSecret?: string;
	name: string;
}

const CORS = {
	'Access-Control-Allow-Origin': '*',
	'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE, OPTIONS',
	'Access-Control-Allow-Headers': 'Authorization, Content-Type',
	'Access-Control-Max-Age': '600'
};

const MAX_BODY = 64 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { ...CORS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
	res.end(JSON.stringify(body));
}

class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

function bearer(req: IncomingMessage): string {
	const h = req.headers.authorization ?? '';
	const m = /^Bearer\s+(\S+)$/i.exec(h);
	if (!m) throw new HttpError(401, 'missing token (Authorization: Bearer …)');
	return m[1];
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const c of req as AsyncIterable<Buffer>) {
		size += c.length;
		if (size > MAX_BODY) throw new HttpError(400, 'request body too large');
		chunks.push(c);
	}
	const text = Buffer.concat(chunks).toString('utf8');
	if (!text.trim()) return {};
	let v: unknown;
	try {
		v = JSON.parse(text);
	} catch {
		throw new HttpError(400, 'request body is not JSON');
	}
	if (!v || typeof v !== 'object' || Array.isArray(v)) throw new HttpError(400, 'request body must be a JSON object');
	return v as Record<string, unknown>;
}

function str(body: Record<string, unknown>, field: string, opts: { optional?: boolean; max?: number } = {}): string | null {
	const v = body[field];
	if (v === undefined || v === null) {
		if (opts.optional) return null;
		throw new HttpError(400, `field "${field}" is missing`);
	}
	if (typeof v !== 'string' || !v.trim()) throw new HttpError(400, `field "${field}" must be a non-empty string`);
	if (v.length > (opts.max ?? 200)) throw new HttpError(400, `field "${field}" is longer than ${opts.max ?? 200} characters`);
	return v;
}

function role(body: Record<string, unknown>): Role {
	const r = body.role;
	if (typeof r !== 'string' || !(ROLES as readonly string[]).includes(r)) {
		throw new HttpError(400, `field "role" must be one of ${ROLES.join(', ')}`);
	}
	return r as Role;
}

/** Validates an invitation: a coder must code as someone. */
export function inviteInput(body: Record<string, unknown>): { name: string; role: Role; coderId: string | null } {
	const name = str(body, 'name')!;
	const r = role(body);
	const coderId = str(body, 'coderId', { optional: true });
	if (r === 'coder' && !coderId) throw new HttpError(400, 'a coder needs a "coderId" (the coder record they code as)');
	return { name, role: r, coderId: r === 'viewer' ? null : coderId };
}

async function whoami(ctx: ApiContext, req: IncomingMessage): Promise<WhoAmI> {
	const member = await ctx.store.memberByToken(bearer(req));
	if (!member) throw new HttpError(401, 'unknown token');
	if (member.revoked) throw new HttpError(401, 'revoked');
	const study = await ctx.store.study(member.studyId);
	if (!study) throw new HttpError(404, 'no such study');
	return { member, study };
}

async function supervisorOf(ctx: ApiContext, req: IncomingMessage, studyId: string): Promise<WhoAmI> {
	const me = await whoami(ctx, req);
	if (me.member.studyId !== studyId) throw new HttpError(403, 'not a member of this study');
	if (me.member.role !== 'supervisor') throw new HttpError(403, 'only a supervisor may do this');
	return me;
}

function admin(ctx: ApiContext, req: IncomingMessage): void {
	const given = bearer(req);
	const h = (s: string) => createHash('sha256').update(s).digest();
	if (!ctx.adminSecret || !timingSafeEqual(h(given), h(ctx.adminSecret))) throw new HttpError(401, 'not the admin secret');
}

/**
 * Closes a revoked member's open sockets on this instance: their app reconnects at once and is
 * refused ("revoked"), so the refusal shows now. (Other instances apply it on the next connection.)
 */
function dropConnections(ctx: ApiContext, memberId: string): void {
	dropWhere(ctx, (member) => member.id === memberId, 'revoked');
}

/**
 * A study turned blind: coders reading another coder's document lose that socket now; their app
 * reconnects and is refused that document ("blind study: …") and gets the rest again.
 */
function dropBlindReaders(ctx: ApiContext, studyId: string): void {
	dropWhere(
		ctx,
		(member, docName) => {
			const ref = parseDocName(docName);
			return member.studyId === studyId && member.role === 'coder' && ref?.kind === 'coder' && ref.coderId !== member.coderId;
		},
		'blind study'
	);
}

function dropWhere(ctx: ApiContext, pred: (member: Member, docName: string) => boolean, reason: string): void {
	for (const doc of ctx.hocuspocus.documents.values()) {
		for (const c of doc.getConnections()) {
			const member = (c.context as { member?: Member } | undefined)?.member;
			if (member && pred(member, doc.name)) c.webSocket.close(4403, reason);
		}
	}
}

export async function handleApi(req: IncomingMessage, res: ServerResponse, ctx: ApiContext): Promise<void> {
	const method = req.method ?? 'GET';
	if (method === 'OPTIONS') {
		res.writeHead(204, CORS);
		res.end();
		return;
	}
	const url = new URL(req.url ?? '/', 'http://x');
	const path = url.pathname;
	const seg = path.split('/').filter(Boolean).map((s) => {
		try {
			return decodeURIComponent(s);
		} catch {
			return '\u0000';
		}
	});
	try {
		if (path === '/' && method === 'GET') return send(res, 200, { server: 'gloss-sync', name: ctx.name });
		if (path === '/api/health' && method === 'GET') return send(res, 200, { ok: true, name: ctx.name });
		if (path === '/api/me' && method === 'GET') return send(res, 200, await whoami(ctx, req));

		if (path === '/api/share' && method === 'POST') {
			const token = bearer(req);
			const body = await readJson(req);
			const studyId = str(body, 'studyId')!;
			const name = str(body, 'name', { max: 500 })!;
			const coderId = str(body, 'coderId', { optional: true });
			const memberName = str(body, 'memberName', { optional: true }) ?? 'Supervisor';
			const who = await ctx.store.share(token, { studyId, name, coderId, memberName });
			ctx.log.event('share', { member: who.member.id, role: 'supervisor', study: studyId });
			return send(res, 200, who);
		}

		if (seg[0] === 'api' && seg[1] === 'studies' && seg[2] && seg.length <= 5) {
			const studyId = seg[2];
			if (seg.length === 3 && method === 'GET') {
				const me = await whoami(ctx, req);
				if (me.member.studyId !== studyId) throw new HttpError(403, 'not a member of this study');
				return send(res, 200, me.study);
			}
			if (seg.length === 3 && method === 'PATCH') {
				const me = await supervisorOf(ctx, req, studyId);
				const body = await readJson(req);
				if (typeof body.blind !== 'boolean') throw new HttpError(400, 'field "blind" must be true or false');
				const study = await ctx.store.setBlind(studyId, body.blind);
				if (study.blind) dropBlindReaders(ctx, studyId);
				ctx.log.event('blind', { member: me.member.id, role: 'supervisor', study: studyId, blind: body.blind });
				return send(res, 200, study);
			}
			if (seg[3] === 'members' && seg.length === 4 && method === 'GET') {
				await supervisorOf(ctx, req, studyId);
				return send(res, 200, await ctx.store.members(studyId));
			}
			if (seg[3] === 'members' && seg.length === 4 && method === 'POST') {
				const me = await supervisorOf(ctx, req, studyId);
				const input = inviteInput(await readJson(req));
				const out = await ctx.store.invite(studyId, input);
				ctx.log.event('invite', { by: me.member.id, member: out.member.id, role: out.member.role, study: studyId });
				return send(res, 200, out);
			}
			if (seg[3] === 'members' && seg.length === 5 && method === 'DELETE') {
				const me = await supervisorOf(ctx, req, studyId);
				if (seg[4] === me.member.id) throw new HttpError(400, 'you cannot revoke your own membership');
				const m = await ctx.store.revoke(studyId, seg[4]);
				dropConnections(ctx, m.id);
				ctx.log.event('revoke', { by: me.member.id, member: m.id, role: m.role, study: studyId });
				return send(res, 200, m);
			}
		}

		if (seg[0] === 'api' && seg[1] === 'admin' && seg.length === 3) {
			admin(ctx, req);
			const body = method === 'POST' ? await readJson(req) : {};
			if (seg[2] === 'share-token' && method === 'POST') {
				const label = str(body, 'label', { optional: true }) ?? '';
				const token = await ctx.store.createShareToken(label);
				ctx.log.event('share-token', { label });
				return send(res, 200, { token });
			}
			if (seg[2] === 'invite' && method === 'POST') {
				const studyId = str(body, 'studyId')!;
				const out = await ctx.store.invite(studyId, inviteInput(body));
				ctx.log.event('invite', { by: 'admin', member: out.member.id, role: out.member.role, study: studyId });
				return send(res, 200, out);
			}
			if (seg[2] === 'revoke' && method === 'POST') {
				const studyId = str(body, 'studyId')!;
				const m = await ctx.store.revoke(studyId, str(body, 'memberId')!);
				dropConnections(ctx, m.id);
				ctx.log.event('revoke', { by: 'admin', member: m.id, role: m.role, study: studyId });
				return send(res, 200, m);
			}
			if (seg[2] === 'members' && method === 'GET') {
				const studyId = url.searchParams.get('study') ?? '';
				if (!(await ctx.store.study(studyId))) throw new HttpError(404, 'no such study');
				return send(res, 200, await ctx.store.members(studyId));
			}
		}
		throw new HttpError(404, `no such endpoint: ${method} ${path}`);
	} catch (e) {
		if (e instanceof HttpError || e instanceof StoreError) {
			if (e.status === 401 || e.status === 403) ctx.log.event('refused', { api: `${method} ${path}`, reason: e.message });
			return send(res, e.status, { error: e.message });
		}
		throw e;
	}
}
