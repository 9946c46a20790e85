/**
 * The servers themselves, from Node (no browser): two instances kept in step through Redis, an
 * instance killed in the middle of a stream of writes, and the embedded PGlite instance.
 */
import { expect, test } from '@playwright/test';
import * as Y from 'yjs';
import { API, docName, type Member, type WhoAmI } from '../../src/lib/core/sync/protocol';
import { api, connectDoc, studySocket, until, type TestClient } from '../../src/server/testkit';
import { adminToken, httpUrl, killInstance, restartInstance, serverCli, serverUrl, type Instance } from './env';

const open: TestClient[] = [];
test.afterEach(() => {
	for (const c of open.splice(0)) c.close();
});

function client(instance: Instance, studyId: string, name: string, token: string, doc?: Y.Doc): TestClient {
	const c = connectDoc(studySocket(serverUrl(instance), studyId), name, token, doc);
	open.push(c);
	return c;
}

/** Shares a new study on `instance` and invites one coder; returns their tokens. */
async function newStudy(instance: Instance, studyId: string) {
	const share = await adminToken(instance, `test ${studyId}`);
	const who = await api<WhoAmI>(httpUrl(instance), API.share, { token: share, body: { studyId, name: `Study ${studyId}` } });
	expect(who.status).toBe(200);
	const coder = await api<{ member: Member; token: string }>(httpUrl(instance), API.members(studyId), {
		token: share,
		body: { name: 'Cora', role: 'coder', coderId: 'c-cora' }
	});
	expect(coder.status).toBe(200);
	return { supervisor: share, coder: coder.body.token, memberId: coder.body.member.id };
}

test('a write on instance a reaches a client on instance b through Redis', async () => {
	const studyId = `redis-${Date.now()}`;
	const t = await newStudy('a', studyId);
	const name = docName({ kind: 'coder', studyId, coderId: 'c-cora' });
	const onB = client('b', studyId, name, t.supervisor);
	expect(await onB.ready).toEqual({ ok: true });
	const onA = client('a', studyId, name, t.coder);
	expect(await onA.ready).toEqual({ ok: true });
	onA.doc.getMap('segments').set('s1', { id: 's1', start: 0, end: 4 });
	await until(() => onB.doc.getMap('segments').has('s1'), 'the segment written on a to arrive on b');
	// Membership lives in PostgreSQL: b knows the member a invited, and a revocation made on b holds on a.
	expect((await api<WhoAmI>(httpUrl('b'), API.me, { token: t.coder })).body.member.name).toBe('Cora');
	expect((await api(httpUrl('b'), API.member(studyId, t.memberId), { method: 'DELETE', token: t.supervisor })).status).toBe(200);
	const again = client('a', studyId, docName({ kind: 'shared', studyId }), t.coder);
	expect(await again.ready).toEqual({ ok: false, reason: 'revoked' });
});

test('instance a killed in the middle of a stream of writes and restarted: nothing is lost', async () => {
	const studyId = `kill-${Date.now()}`;
	const t = await newStudy('a', studyId);
	const name = docName({ kind: 'coder', studyId, coderId: 'c-cora' });
	// The writer's document outlives its connection, as the app keeps its Yjs updates in IndexedDB.
	const writer = client('a', studyId, name, t.coder);
	expect(await writer.ready).toEqual({ ok: true });
	const segments = writer.doc.getMap('segments');
	const N = 120;
	for (let i = 0; i < N; i++) {
		segments.set(`s${i}`, { id: `s${i}`, start: i, end: i + 1 });
		if (i === 40) await killInstance('a'); // no goodbye: whatever a had not stored is gone with it
		if (i === 80) await restartInstance('a');
		await new Promise((r) => setTimeout(r, 5));
	}
	await until(() => writer.provider.isSynced && writer.provider.unsyncedChanges === 0, 'the writer to sync again', 30_000);
	// A reader on b, and a fresh reader on the restarted a, both see every segment.
	const reader = client('b', studyId, name, t.supervisor);
	expect(await reader.ready).toEqual({ ok: true });
	await until(() => reader.doc.getMap('segments').size === N, `all ${N} segments on b`, 15_000);
	writer.close();
	const fresh = client('a', studyId, name, t.supervisor);
	expect(await fresh.ready).toEqual({ ok: true });
	expect(fresh.doc.getMap('segments').size).toBe(N);
});

test('the embedded PGlite instance shares, invites, syncs and refuses', async () => {
	const studyId = `embedded-${Date.now()}`;
	const t = await newStudy('embedded', studyId);
	const shared = docName({ kind: 'shared', studyId });
	const sup = client('embedded', studyId, shared, t.supervisor);
	expect(await sup.ready).toEqual({ ok: true });
	sup.doc.getMap('codes').set('k1', { id: 'k1', name: 'Care' });
	const coder = client('embedded', studyId, shared, t.coder);
	expect(await coder.ready).toEqual({ ok: true });
	await until(() => coder.doc.getMap('codes').has('k1'), 'the code to reach the coder');
	// The admin CLI reaches the running embedded server (PGlite allows one process per folder).
	const members = await serverCli('embedded', ['members', '--study', studyId]);
	expect(members.code).toBe(0);
	expect(members.stdout).toContain('coder\tactive\tc-cora\t"Cora"');
	const wrong = client('embedded', studyId, shared, 'A'.repeat(43));
	expect(await wrong.ready).toEqual({ ok: false, reason: 'unknown token' });
});
