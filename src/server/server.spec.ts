/**
 * The sync server over real sockets (127.0.0.1:1241), PGlite in a temp folder: sharing,
 * invitations, access per role and document, refusals with their reasons, restarts, API errors.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { API, docName, type Member, type WhoAmI } from '../lib/core/sync/protocol';
import { startServer, type SyncServer } from './server';
import { Store } from './store';
import { api, connectDoc, studySocket, testStore, until, type TestClient } from './testkit';

const PORT = Number(process.env.SYNC_SPEC_PORT ?? 1241);
const STUDY = 'study-ä/1';

let dir: string;
let store: Store;
let server: SyncServer;
const logs: string[] = [];
const open: TestClient[] = [];

async function start(): Promise<void> {
	store = await testStore(dir);
	server = await startServer({ store, port: PORT, name: 'spec', log: (l) => logs.push(l), debounce: 50 });
}

async function stop(): Promise<void> {
	for (const c of open.splice(0)) c.close();
	await server.close();
	await store.close();
}

function client(token: string, name: string): TestClient {
	const c = connectDoc(studySocket(server.url, STUDY), name, token);
	open.push(c);
	return c;
}

const shared = docName({ kind: 'shared', studyId: STUDY });
const coderDoc = (coderId: string) => docName({ kind: 'coder', studyId: STUDY, coderId });

// Tokens of the people in the study, filled as the story goes.
const t = { supervisor: '', alice: '', bob: '', viewer: '' };
const ids = { alice: '', bob: '', viewer: '', supervisor: '' };

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'gloss-server-spec-'));
	await start();
}, 120_000); // PGlite's first start runs initdb: seconds, more on a busy machine

afterAll(async () => {
	await stop();
	rmSync(dir, { recursive: true, force: true });
});

describe('sync server', () => {
	it('shares a study with an admin token, and the token becomes the supervisor\'s', async () => {
		const share = await store.createShareToken('for Ana');
		const r = await api<WhoAmI>(server.httpUrl, API.share, {
			token: share,
			body: { studyId: STUDY, name: 'Nurses 2026', coderId: 'c-ana', memberName: 'Ana' }
		});
		expect(r.status).toBe(200);
		expect(r.body.member).toMatchObject({ role: 'supervisor', coderId: 'c-ana', name: 'Ana', revoked: false, studyId: STUDY });
		expect(r.body.study).toEqual({ studyId: STUDY, name: 'Nurses 2026', blind: false });
		t.supervisor = share;
		ids.supervisor = r.body.member.id;
		// A retry of the same share answers the same; another study with the same token is refused.
		const again = await api<WhoAmI>(server.httpUrl, API.share, { token: share, body: { studyId: STUDY, name: 'Nurses 2026' } });
		expect(again.body.member.id).toBe(ids.supervisor);
		const other = await api(server.httpUrl, API.share, { token: share, body: { studyId: 'other', name: 'x' } });
		expect(other).toEqual({ status: 403, body: { error: 'this share token was already used' } });
		// Only the hash is stored.
		const rows = await store.sql.query('SELECT token_hash FROM gloss_members');
		expect(JSON.stringify(rows)).not.toContain(share);
		expect((await api<WhoAmI>(server.httpUrl, API.me, { token: share })).body.member.role).toBe('supervisor');
	});

	it('invites coders and a viewer; a coder writes their own document and reads another\'s', async () => {
		const invite = async (name: string, role: string, coderId?: string) => {
			const r = await api<{ member: Member; token: string }>(server.httpUrl, API.members(STUDY), {
				token: t.supervisor,
				body: { name, role, coderId }
			});
			expect(r.status).toBe(200);
			return r.body;
		};
		const a = await invite('Alice', 'coder', 'c-alice');
		const b = await invite('Bob', 'coder', 'c-bob');
		const v = await invite('Vera', 'viewer');
		[t.alice, t.bob, t.viewer] = [a.token, b.token, v.token];
		[ids.alice, ids.bob, ids.viewer] = [a.member.id, b.member.id, v.member.id];
		expect(v.member.coderId).toBeNull();
		const members = await api<Member[]>(server.httpUrl, API.members(STUDY), { token: t.supervisor });
		expect(members.body.map((m) => m.name)).toEqual(['Ana', 'Alice', 'Bob', 'Vera']);

		const alice = client(t.alice, coderDoc('c-alice'));
		expect(await alice.ready).toEqual({ ok: true });
		alice.doc.getMap('segments').set('s1', { id: 's1', codeId: 'k1', start: 0, end: 5 });
		await until(() => alice.provider.unsyncedChanges === 0 && alice.statuses.includes(true), 'alice’s write to be applied');

		const bob = client(t.bob, coderDoc('c-alice'));
		expect(await bob.ready).toEqual({ ok: true });
		await until(() => bob.doc.getMap('segments').has('s1'), 'bob to read alice’s segment');
		expect(bob.provider.authorizedScope).toBe('readonly');

		// Bob writes into Alice's document: the server refuses it and it never lands.
		bob.doc.getMap('segments').set('evil', { id: 'evil' });
		await until(() => bob.statuses.includes(false), 'the refusal of bob’s write');
		const sup = client(t.supervisor, coderDoc('c-alice'));
		expect(await sup.ready).toEqual({ ok: true });
		expect([...sup.doc.getMap('segments').keys()]).toEqual(['s1']);
		expect(logs.some((l) => / connect member=m-\S+ role=coder doc=gloss\/study-%C3%A4%2F1\/coder\/c-alice access=read/.test(l))).toBe(
			true
		);
	});

	it("a viewer's write never reaches the stored document", async () => {
		const sup = client(t.supervisor, shared);
		expect(await sup.ready).toEqual({ ok: true });
		sup.doc.getMap('codes').set('k1', { id: 'k1', name: 'Trust' });
		await until(() => sup.provider.unsyncedChanges === 0, 'the supervisor’s code to be applied');

		const viewer = client(t.viewer, shared);
		expect(await viewer.ready).toEqual({ ok: true });
		await until(() => viewer.doc.getMap('codes').has('k1'), 'the viewer to read the codebook');
		viewer.doc.getMap('codes').set('k2', { id: 'k2', name: 'Viewer was here' });
		await until(() => viewer.statuses.includes(false), 'the refusal of the viewer’s write');
		expect(sup.doc.getMap('codes').has('k2')).toBe(false);

		// Every connection goes: the document is stored and unloaded; what is stored lacks the write.
		for (const c of open.splice(0)) c.close();
		await until(() => server.hocuspocus.getDocumentsCount() === 0, 'documents to unload');
		const stored = new Y.Doc();
		Y.applyUpdate(stored, (await store.fetchDocument(shared))!);
		expect(stored.getMap('codes').has('k1')).toBe(true);
		expect(stored.getMap('codes').has('k2')).toBe(false);
	});

	it('a blind study refuses another coder’s document, with its reason', async () => {
		const reading = client(t.bob, coderDoc('c-alice'));
		expect(await reading.ready).toEqual({ ok: true });
		const r = await api(server.httpUrl, API.study(STUDY), { method: 'PATCH', token: t.supervisor, body: { blind: true } });
		expect(r).toEqual({ status: 200, body: { studyId: STUDY, name: 'Nurses 2026', blind: true } });
		// Bob was reading Alice's coding: that connection goes, and coming back is refused.
		await until(() => reading.refusals.includes("blind study: another coder's coding"), 'bob’s open reading to be refused');
		const bob = client(t.bob, coderDoc('c-alice'));
		expect(await bob.ready).toEqual({ ok: false, reason: "blind study: another coder's coding" });
		const own = client(t.bob, coderDoc('c-bob'));
		expect(await own.ready).toEqual({ ok: true });
		expect(logs.some((l) => l.includes(`refused member=${ids.bob} role=coder`) && l.includes('reason="blind study'))).toBe(true);
		await api(server.httpUrl, API.study(STUDY), { method: 'PATCH', token: t.supervisor, body: { blind: false } });
	});

	it('a wrong token is refused with its reason', async () => {
		const c = client('x'.repeat(43), shared);
		expect(await c.ready).toEqual({ ok: false, reason: 'unknown token' });
		const bad = client(t.alice, 'not-a-gloss-doc');
		expect(await bad.ready).toEqual({ ok: false, reason: 'unknown document' });
		const elsewhere = client(t.alice, docName({ kind: 'shared', studyId: 'another' }));
		expect(await elsewhere.ready).toEqual({ ok: false, reason: 'not a member of this study' });
	});

	it('a revoked member is refused on their next connection', async () => {
		const alice = client(t.alice, coderDoc('c-alice'));
		expect(await alice.ready).toEqual({ ok: true });
		const r = await api<Member>(server.httpUrl, API.member(STUDY, ids.alice), { method: 'DELETE', token: t.supervisor });
		expect(r.status).toBe(200);
		expect(r.body.revoked).toBe(true);
		// The open connection is closed and the reconnection refused.
		await until(() => alice.refusals.includes('revoked'), 'alice’s reconnection to be refused');
		const again = client(t.alice, shared);
		expect(await again.ready).toEqual({ ok: false, reason: 'revoked' });
		expect((await api(server.httpUrl, API.me, { token: t.alice })).status).toBe(401);
		expect(logs.some((l) => l.includes(`revoke by=${ids.supervisor} member=${ids.alice} role=coder`))).toBe(true);
	});

	it('keeps everything across a restart', async () => {
		const bob = client(t.bob, coderDoc('c-bob'));
		expect(await bob.ready).toEqual({ ok: true });
		bob.doc.getMap('segments').set('b1', { id: 'b1', codeId: 'k1', start: 3, end: 9 });
		await until(() => bob.provider.unsyncedChanges === 0, 'bob’s write to be applied');
		await stop();
		await start();
		const sup = client(t.supervisor, coderDoc('c-bob'));
		expect(await sup.ready).toEqual({ ok: true });
		expect(sup.doc.getMap('segments').get('b1')).toEqual({ id: 'b1', codeId: 'k1', start: 3, end: 9 });
		const s2 = client(t.supervisor, coderDoc('c-alice'));
		expect(await s2.ready).toEqual({ ok: true });
		expect(s2.doc.getMap('segments').has('s1')).toBe(true);
		expect((await api<WhoAmI>(server.httpUrl, API.me, { token: t.bob })).body.member.name).toBe('Bob');
	});

	it('answers API errors as JSON with 400, 401, 403 and 404', async () => {
		const base = server.httpUrl;
		expect(await api(base, API.me)).toEqual({ status: 401, body: { error: 'missing token (Authorization: Bearer …)' } });
		expect(await api(base, API.me, { token: 'nope' })).toEqual({ status: 401, body: { error: 'unknown token' } });
		expect(await api(base, API.members(STUDY), { token: t.bob })).toEqual({
			status: 403,
			body: { error: 'only a supervisor may do this' }
		});
		expect((await api(base, API.members('another'), { token: t.supervisor })).status).toBe(403);
		expect(await api(base, API.members(STUDY), { token: t.supervisor, body: { name: 'Z', role: 'boss' } })).toEqual({
			status: 400,
			body: { error: 'field "role" must be one of supervisor, coder, viewer' }
		});
		expect((await api(base, API.members(STUDY), { token: t.supervisor, body: { name: 'Z', role: 'coder' } })).status).toBe(400);
		expect((await api(base, API.study(STUDY), { method: 'PATCH', token: t.supervisor, body: { blind: 'yes' } })).status).toBe(400);
		expect(await api(base, API.member(STUDY, 'm-nobody'), { method: 'DELETE', token: t.supervisor })).toEqual({
			status: 404,
			body: { error: 'no such member in this study' }
		});
		expect((await api(base, '/api/nothing')).status).toBe(404);
		expect((await api(base, API.share, { token: 'unknown', body: { studyId: 'x', name: 'x' } })).status).toBe(401);
		const raw = await fetch(base + API.share, { method: 'POST', headers: { Authorization: 'Bearer x' }, body: '{oops' });
		expect(raw.status).toBe(400);
		expect(await raw.json()).toEqual({ error: 'request body is not JSON' });
		const pre = await fetch(base + API.me, { method: 'OPTIONS' });
		expect(pre.status).toBe(204);
		expect(pre.headers.get('access-control-allow-origin')).toBe('*');
		expect(pre.headers.get('access-control-allow-headers')).toContain('Authorization');
	});

	it('logs events without document content or tokens', () => {
		const all = logs.join('\n');
		for (const secret of Object.values(t)) expect(all).not.toContain(secret);
		expect(all).not.toContain('Trust');
		expect(all).not.toContain('Viewer was here');
		expect(logs.every((l) => !l.includes('\n'))).toBe(true);
	});
});
