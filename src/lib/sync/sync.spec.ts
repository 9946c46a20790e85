/**
 * The sync engine end to end in node: two (or three) GlossDB clients over fake-indexeddb, a real
 * in-process sync server on loopback (tests/unit/sync/servers.ts: the stand-in by default, the real
 * src/server with GLOSS_SYNC_TEST_SERVER=real; ports 1250–1259).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshDb, segment, smallStudy, until } from '../../../tests/unit/sync/helpers';
import { REAL_SERVER, testServer, type TestServer } from '../../../tests/unit/sync/servers';

// The real server's PGlite starts slowly (initdb); the stand-in in milliseconds.
if (REAL_SERVER) vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
import { docName, parseJoinFragment, type JoinLink } from '../core/sync/protocol';
import { ofStudy, type GlossDB } from '../db/db';
import { getDocumentText } from '../db/documents';
import { deleteStudy } from '../db/studies';
import { createInvite, getSyncLink, joinStudy, listMembers, revokeMember, setBlind, shareStudy, StudySync, type SyncStatus } from './index';

const PORT = 1251;
let srv: TestServer;
const running: StudySync[] = [];

beforeAll(async () => {
	srv = await testServer(PORT);
});
afterAll(async () => {
	await srv.dispose();
});
afterEach(() => {
	for (const s of running.splice(0)) s.stop();
});

function sync(db: GlossDB, studyId: string): StudySync {
	const s = new StudySync(db, studyId);
	running.push(s);
	return s;
}

function linkOf(url: string): JoinLink {
	const l = parseJoinFragment(url.slice(url.indexOf('#')));
	if ('error' in l) throw new Error(l.error);
	return l;
}

/** A supervisor's shared study and a coder who joined it; both running. */
async function sharedPair(opts: { role?: 'coder' | 'viewer'; blind?: boolean } = {}) {
	const data = smallStudy();
	const studyId = data.study.id;
	const a = await freshDb(data);
	const shared = await shareStudy(a, studyId, srv.url, await srv.adminToken(), { coderId: 'sam' });
	if (!shared.ok) throw new Error(shared.errors.join());
	if (opts.blind) expect((await setBlind(a, studyId, true)).ok).toBe(true);
	const sa = sync(a, studyId);
	await sa.start();
	const inv = await createInvite(a, studyId, { name: 'Ana', role: opts.role ?? 'coder', appBase: 'http://app' });
	if (!inv.ok) throw new Error(inv.errors.join());
	const b = await freshDb();
	const joined = await joinStudy(b, linkOf(inv.value.url));
	if (!joined.ok) throw new Error(joined.errors.join());
	const sb = sync(b, studyId);
	await sb.start();
	return { data, studyId, a, b, sa, sb, ana: inv.value.member.coderId };
}

describe('share and join', () => {
	it('shares a study, a coder joins it with every record and the first transcript, and both see both coders\' coding', async () => {
		const { data, studyId, a, b, ana } = await sharedPair();
		expect(ana).toBeTruthy();
		expect((await b.studies.get(studyId))?.name).toBe('Shared study');
		expect((await b.codes.where('studyId').equals(studyId).toArray()).map((c) => c.name).sort()).toEqual(['Cost', 'Fines', 'Regulation']);
		expect(await getDocumentText(b, studyId, 'd1')).toBe(data.documents[0].text);
		// Lee's coding (merged from a file before sharing, no member codes as Lee) was uploaded too.
		expect(await ofStudy(b.segments, studyId).count()).toBe(2);
		expect(await b.segments.get([studyId, 's1'])).toEqual(data.segments[1]);
		expect((await b.memos.get([studyId, 'm0']))?.text).toBe('Why plants change');
		// The coder record made by the invitation reached the coder through the shared document.
		await until(async () => (await b.coders.get([studyId, ana!]))?.name === 'Ana', 'Ana in B');
		// The rest of the transcripts arrive in the background.
		await until(async () => (await getDocumentText(b, studyId, 'd2')) === data.documents[1].text, 'second transcript text');

		const fromA = segment(studyId, 'sam', 'd1', 'reg', 20, 30);
		const fromB = segment(studyId, ana!, 'd2', 'cost', 0, 6);
		await a.segments.add(fromA);
		await b.segments.add(fromB);
		await until(async () => !!(await b.segments.get([studyId, fromA.id])), "A's segment in B");
		await until(async () => !!(await a.segments.get([studyId, fromB.id])), "B's segment in A");
		expect(await a.segments.get([studyId, fromB.id])).toEqual(fromB);

		// A delete travels as a tombstone.
		await b.segments.delete([studyId, fromB.id]);
		await until(async () => !(await a.segments.get([studyId, fromB.id])), 'deleted in A');
		expect(await getSyncLink(b, studyId)).toMatchObject({ member: { role: 'coder', name: 'Ana' } });

		// B deletes the study from this browser: B leaves it; nothing is deleted for A.
		await deleteStudy(b, studyId);
		await until(async () => !(await getSyncLink(b, studyId)), 'link dropped');
		expect(await b.syncUpdates.where('studyId').equals(studyId).count()).toBe(0);
		await new Promise((r) => setTimeout(r, 200));
		expect(await a.segments.get([studyId, fromA.id])).toEqual(fromA);
		expect(await a.codes.where('studyId').equals(studyId).count()).toBe(3);
	});

	it('refuses a wrong token with the server\'s reason', async () => {
		const b = await freshDb();
		const r = await joinStudy(b, { server: srv.url, studyId: 'nope', token: 'x'.repeat(43) });
		expect(r).toEqual({ ok: false, errors: ['The sync server refused: unknown token.'] });
		const down = await joinStudy(b, { server: 'ws://127.0.0.1:1259', studyId: 'nope', token: 'x'.repeat(43) });
		expect(down.ok).toBe(false);
		if (!down.ok) expect(down.errors[0]).toMatch(/cannot be reached/);
	});
});

describe('every write path', () => {
	it('update(), modify() and a delete by query reach the other client (the middleware sees them all)', async () => {
		const { studyId, a, b } = await sharedPair();
		await a.codes.update([studyId, 'reg'], { name: 'Rules', updatedAt: new Date().toISOString() });
		await ofStudy(a.segments, studyId).filter((s) => s.coderId === 'lee').modify({ memo: 'checked' });
		await a.cases.where('studyId').equals(studyId).modify((c) => {
			c.attributes = { ...c.attributes, city: 'S' };
		});
		for (const [what, ok] of [
			['renamed code', async () => (await b.codes.get([studyId, 'reg']))?.name === 'Rules'],
			['modified segment', async () => (await b.segments.get([studyId, 's1']))?.memo === 'checked'],
			['modified case', async () => (await b.cases.get([studyId, 'c1']))?.attributes.city === 'S']
		] as const)
			await until(ok, what);
		await a.segments.where('[studyId+documentId]').equals([studyId, 'd1']).delete();
		await until(async () => (await ofStudy(b.segments, studyId).count()) === 0, 'deleted by query');
		expect(await b.codes.get([studyId, 'reg'])).toMatchObject({ name: 'Rules', parentId: null });
	});
});

describe('members', () => {
	it('lists members, and a revoked member is refused on their next connection with the reason', async () => {
		const { studyId, a, b, sb } = await sharedPair();
		const members = await listMembers(a, studyId);
		if (!members.ok) throw new Error(members.errors.join());
		expect(members.value.map((m) => m.role).sort()).toEqual(['coder', 'supervisor']);
		const ana = members.value.find((m) => m.role === 'coder')!;
		expect(await getSyncLink(a, studyId)).toMatchObject({ coderMembers: [ana.coderId] });
		expect((await revokeMember(a, studyId, ana.id)).ok).toBe(true);
		sb.stop();
		const again = sync(b, studyId);
		await again.start();
		await until(() => again.status.kind === 'refused', 'refused after revocation');
		expect(again.status).toMatchObject({ reason: expect.stringMatching(/revoked/) });
		// Coding made after the revocation stays in this browser and never reaches the study.
		const late = segment(studyId, ana.coderId!, 'd1', 'cost', 0, 3);
		await b.segments.add(late);
		await new Promise((r) => setTimeout(r, 300));
		expect(await a.segments.get([studyId, late.id])).toBeUndefined();
		expect((await listMembers(b, studyId)).ok).toBe(false);
	});
});

describe('coding together', () => {
	it('keeps both segments when two clients code the same passage at the same moment', async () => {
		const { studyId, a, b, ana } = await sharedPair();
		const s1 = segment(studyId, 'sam', 'd1', 'cost', 11, 25);
		const s2 = segment(studyId, ana!, 'd1', 'cost', 11, 25);
		await Promise.all([a.segments.add(s1), b.segments.add(s2)]);
		for (const db of [a, b])
			await until(async () => (await db.segments.where('[studyId+documentId]').equals([studyId, 'd1']).filter((s) => s.start === 11).count()) === 2, 'both segments');
		expect(await b.segments.get([studyId, s1.id])).toEqual(s1);
		expect(await a.segments.get([studyId, s2.id])).toEqual(s2);
	});

	it('merges a code renamed on one client and recoloured on the other, field by field, identically on both', async () => {
		const { studyId, a, b } = await sharedPair();
		await until(async () => !!(await b.codes.get([studyId, 'cost'])), 'code in B');
		const ca = (await a.codes.get([studyId, 'cost']))!;
		const cb = (await b.codes.get([studyId, 'cost']))!;
		await Promise.all([a.codes.put({ ...ca, name: 'Costs', updatedAt: new Date().toISOString() }), b.codes.put({ ...cb, colour: '#ff0000', updatedAt: new Date().toISOString() })]);
		for (const db of [a, b])
			await until(async () => {
				const c = await db.codes.get([studyId, 'cost']);
				return c?.name === 'Costs' && c.colour === '#ff0000';
			}, 'merged code');
		expect((await a.codes.get([studyId, 'cost']))!).toEqual((await b.codes.get([studyId, 'cost']))!);
	});

	it('a viewer cannot write: the change is undone locally, never reaches anyone, and the status says refused', async () => {
		const { studyId, a, b, sb } = await sharedPair({ role: 'viewer' });
		const statuses: SyncStatus[] = [];
		sb.subscribe((s) => statuses.push(s));
		const cost = (await b.codes.get([studyId, 'cost']))!;
		await b.codes.put({ ...cost, name: 'Hacked' });
		await until(() => statuses.some((s) => s.kind === 'refused'), 'refused status');
		expect(statuses.find((s) => s.kind === 'refused')).toMatchObject({ reason: expect.stringMatching(/read-only/i) });
		await until(async () => (await b.codes.get([studyId, 'cost']))?.name === 'Cost', 'undone locally');
		await new Promise((r) => setTimeout(r, 200));
		expect((await a.codes.get([studyId, 'cost']))?.name).toBe('Cost');
	});

	it('blind coding turned on while a coder works: the running engine follows without a restart', async () => {
		const { studyId, a, b, sb, ana } = await sharedPair();
		const samSeg = segment(studyId, 'sam', 'd2', 'cost', 1, 5);
		await a.segments.add(samSeg);
		await until(async () => !!(await b.segments.get([studyId, samSeg.id])), "Sam's coding reaches Ana before blind coding");
		expect((await setBlind(a, studyId, true)).ok).toBe(true);
		await until(() => sb.link?.study.blind === true, "Ana's engine learns the study is blind");
		// Sam's later coding never reaches Ana now; Ana's still reaches the supervisor.
		const later = segment(studyId, 'sam', 'd2', 'reg', 7, 9);
		await a.segments.add(later);
		const anaSeg = segment(studyId, ana!, 'd2', 'cost', 2, 6);
		await b.segments.add(anaSeg);
		await until(async () => !!(await a.segments.get([studyId, anaSeg.id])), "Ana's coding reaches the supervisor");
		await new Promise((r) => setTimeout(r, 300));
		expect(await b.segments.get([studyId, later.id])).toBeUndefined();
		expect(sb.status.kind).not.toBe('refused');
	});

	it('a coder in a blind study never receives another coder\'s document', async () => {
		const { studyId, a, b, ana } = await sharedPair({ blind: true });
		const samSeg = segment(studyId, 'sam', 'd2', 'cost', 1, 5);
		await a.segments.add(samSeg);
		const anaSeg = segment(studyId, ana!, 'd2', 'cost', 2, 6);
		await b.segments.add(anaSeg);
		await until(async () => !!(await a.segments.get([studyId, anaSeg.id])), "Ana's coding reaches the supervisor");
		await new Promise((r) => setTimeout(r, 200));
		expect(await ofStudy(b.segments, studyId).filter((s) => s.coderId === 'sam' || s.coderId === 'lee').count()).toBe(0);
		expect(await b.syncUpdates.where('docName').equals(`gloss/${encodeURIComponent(studyId)}/coder/sam`).count()).toBe(0);
		// The engine never even asked for it: the server logged no refusal of it.
		const samDoc = docName({ kind: 'coder', studyId, coderId: 'sam' });
		expect(srv.logs.some((l) => l.includes(samDoc))).toBe(true);
		expect(srv.logs.some((l) => /\brefused\b/.test(l) && l.includes(samDoc))).toBe(false);
	});
});
