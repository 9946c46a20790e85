/**
 * Offline-first: coding with the server down is stored locally, survives closing the study (a new
 * StudySync over the same database, as after a reload), and arrives once the server is back; a
 * server restart loses nothing. In-process server (tests/unit/sync/servers.ts) on port 1252, stopped and started over its data.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { freshDb, segment, smallStudy, until } from '../../../tests/unit/sync/helpers';
import { REAL_SERVER, testServer, type TestServer } from '../../../tests/unit/sync/servers';

// The real server's PGlite starts slowly (initdb); the stand-in in milliseconds.
if (REAL_SERVER) vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
import { parseJoinFragment, type JoinLink } from '../core/sync/protocol';
import { ofStudy, type GlossDB } from '../db/db';
import { createInvite, joinStudy, setWebSocketImpl, shareStudy, StudySync, type SyncStatus } from './index';
import { messageInfo } from './engine';

const PORT = 1252;
const running: StudySync[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
	setWebSocketImpl(QuietSocket);
	gate.reset();
	for (const s of running.splice(0)) s.stop();
	for (const s of servers.splice(0)) await s.dispose().catch(() => {});
});

/** `ws` with its 'error' events handled (as tests/unit/sync/helpers.ts installs it). */
class QuietSocket extends WebSocket {
	constructor(url: string, protocols?: string | string[]) {
		super(url, protocols);
		this.on('error', () => {});
	}
}

type Info = ReturnType<typeof messageInfo>;
/**
 * Sockets whose opening waits for `gate.open()` (they say CONNECTING until then, so the app's
 * messages queue) and which hold back the outgoing messages `gate.hold` picks until `gate.release()`.
 */
const gate = {
	opened: Promise.resolve() as Promise<void>,
	open: () => {},
	hold: (() => false) as (data: Uint8Array) => boolean,
	held: [] as (() => void)[],
	/** Every message the server sent. */
	received: [] as Info[],
	close() {
		gate.opened = new Promise((r) => (gate.open = r));
	},
	release() {
		gate.hold = () => false;
		for (const send of gate.held.splice(0)) send();
	},
	reset() {
		gate.opened = Promise.resolve();
		gate.hold = () => false;
		gate.held = [];
		gate.received = [];
	}
};
const realState = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'readyState')!.get!;
function GatedSocket(url: string, protocols?: string | string[]): WebSocket {
	const ws = new QuietSocket(url, protocols);
	const opened = gate.opened;
	let open = false;
	Object.defineProperty(ws, 'readyState', {
		get: () => {
			const r = realState.call(ws) as number;
			return r === WebSocket.OPEN && !open ? WebSocket.CONNECTING : r;
		}
	});
	const add = ws.addEventListener.bind(ws) as (type: string, fn: (ev: { data?: unknown }) => void) => void;
	(ws as unknown as { addEventListener: typeof add }).addEventListener = (type, fn) => {
		if (type === 'open')
			add('open', (ev) => {
				void opened.then(() => {
					open = true;
					fn(ev);
				});
			});
		else if (type === 'message')
			add('message', (ev) => {
				gate.received.push(messageInfo(new Uint8Array(ev.data as ArrayBuffer)));
				fn(ev);
			});
		else add(type, fn);
	};
	const send = ws.send.bind(ws) as (data: Uint8Array) => void;
	(ws as unknown as { send: typeof send }).send = (data) => {
		if (gate.hold(data)) gate.held.push(() => send(data));
		else send(data);
	};
	return ws;
}

function sync(db: GlossDB, studyId: string): StudySync {
	const s = new StudySync(db, studyId);
	running.push(s);
	return s;
}
async function serve() {
	const s = await testServer(PORT);
	servers.push(s);
	return s;
}
function linkOf(url: string): JoinLink {
	const l = parseJoinFragment(url.slice(url.indexOf('#')));
	if ('error' in l) throw new Error(l.error);
	return l;
}

/**
 * A study shared by A (coder 'sam'), Ana joined on B and synced; then the server stops and Ana
 * codes one passage (`offline`), stored and waiting in B's engine `sb`.
 */
async function anaCodedOffline() {
	const srv = await serve();
	const data = smallStudy();
	const studyId = data.study.id;
	const a = await freshDb(data);
	expect((await shareStudy(a, studyId, srv.url, await srv.adminToken(), { coderId: 'sam' })).ok).toBe(true);
	const inv = await createInvite(a, studyId, { name: 'Ana', role: 'coder', appBase: 'http://app' });
	if (!inv.ok) throw new Error(inv.errors.join());
	const ana = inv.value.member.coderId!;
	const b = await freshDb();
	expect((await joinStudy(b, linkOf(inv.value.url))).ok).toBe(true);
	const sb = sync(b, studyId);
	await sb.start();
	await until(() => sb.status.kind === 'synced', 'B synced');
	await srv.stop();
	await until(() => sb.status.kind === 'offline', 'B offline');
	const offline = segment(studyId, ana, 'd1', 'cost', 3, 9);
	await b.segments.add(offline);
	await until(() => sb.status.kind === 'offline' && (sb.status as { pending: number }).pending > 0, 'B has pending changes');
	return { srv, studyId, a, ana, b, sb, offline };
}

describe('offline', () => {
	it('codes with the server down, across a closed study, and delivers everything when it is back', async () => {
		const srv = await serve();
		const data = smallStudy();
		const studyId = data.study.id;
		const a = await freshDb(data);
		expect((await shareStudy(a, studyId, srv.url, await srv.adminToken(), { coderId: 'sam' })).ok).toBe(true);
		const sa = sync(a, studyId);
		await sa.start();
		const inv = await createInvite(a, studyId, { name: 'Ana', role: 'coder', appBase: 'http://app' });
		if (!inv.ok) throw new Error(inv.errors.join());
		const ana = inv.value.member.coderId!;
		const b = await freshDb();
		expect((await joinStudy(b, linkOf(inv.value.url))).ok).toBe(true);
		let sb = sync(b, studyId);
		await sb.start();
		await until(() => sb.status.kind === 'synced', 'B synced');

		// The server goes away; B keeps coding.
		await srv.stop();
		await until(() => sb.status.kind === 'offline', 'B offline');
		const offline1 = segment(studyId, ana, 'd1', 'cost', 3, 9);
		await b.segments.add(offline1);
		await until(() => sb.status.kind === 'offline' && (sb.status as { pending: number }).pending > 0, 'B has pending changes');

		// B closes the study (or the browser) and codes more while no engine runs; then reopens.
		sb.stop();
		const offline2 = segment(studyId, ana, 'd2', 'reg', 0, 4);
		await b.segments.add(offline2);
		const statuses: SyncStatus[] = [];
		sb = sync(b, studyId);
		sb.subscribe((s) => statuses.push(s));
		await sb.start();
		expect(sb.status).toMatchObject({ kind: 'offline' });
		expect((sb.status as { pending: number }).pending).toBeGreaterThanOrEqual(2);

		// The server is back (same store): everything arrives at A, nothing pending at B.
		await srv.start();
		for (const s of [offline1, offline2]) await until(async () => !!(await a.segments.get([studyId, s.id])), `segment ${s.start}-${s.end} at A`, 15_000);
		await until(() => sb.status.kind === 'synced', 'B synced again', 15_000);
		expect(statuses.map((s) => s.kind)).toContain('syncing');
		expect(await b.syncUpdates.where('studyId').equals(studyId).filter((u) => u.local === 1).count()).toBe(0);
	});

	it('offline work reopened with nothing new to send settles to synced once the server is back', async () => {
		const o = await anaCodedOffline();
		const { srv, studyId, a, ana, b, offline } = o;
		let sb = o.sb;
		// the page is closed and opened again, still offline, with no more coding
		sb.stop();
		sb = sync(b, studyId);
		await sb.start();
		expect((sb.status as { pending: number }).pending).toBeGreaterThan(0);
		await srv.start();
		await until(() => sb.status.kind === 'synced', 'B synced, nothing left waiting', 15_000);
		expect(await b.syncUpdates.where('studyId').equals(studyId).filter((u) => u.local === 1).count()).toBe(0);
		const sa = sync(a, studyId);
		await sa.start();
		await until(async () => !!(await a.segments.get([studyId, offline.id])), 'the offline segment at A', 15_000);
	});

	it('a server restart in the middle of coding loses nothing', async () => {
		const srv = await serve();
		const data = smallStudy();
		const studyId = data.study.id;
		const a = await freshDb(data);
		expect((await shareStudy(a, studyId, srv.url, await srv.adminToken(), { coderId: 'sam' })).ok).toBe(true);
		const inv = await createInvite(a, studyId, { name: 'Viewer', role: 'viewer', appBase: 'http://app' });
		if (!inv.ok) throw new Error(inv.errors.join());
		const sa = sync(a, studyId);
		await sa.start();
		const v = await freshDb();
		expect((await joinStudy(v, linkOf(inv.value.url))).ok).toBe(true);
		const sv = sync(v, studyId);
		await sv.start();
		const segs = Array.from({ length: 30 }, (_, i) => segment(studyId, 'sam', 'd1', 'cost', i, i + 2));
		const writes = (async () => {
			for (const s of segs) {
				await a.segments.add(s);
				await new Promise((r) => setTimeout(r, 5));
			}
		})();
		await new Promise((r) => setTimeout(r, 40));
		await srv.stop();
		await writes;
		await srv.start();
		await until(async () => (await ofStudy(v.segments, studyId).filter((s) => s.coderId === 'sam').count()) === segs.length + 1, 'all 31 segments at the viewer', 15_000);
		expect(await ofStudy(v.segments, studyId).filter((s) => s.coderId === 'sam').count()).toBe(31);
	});

	it('says synced only once the server has acknowledged the reopened offline work, even with coding queued while it reconnects', async () => {
		// Offline work, stored; the page is closed.
		const o = await anaCodedOffline();
		const { srv, studyId, a, ana, b, offline } = o;
		let sb = o.sb;
		sb.stop();

		// Reopened with the server back; the socket takes its time to open, and Ana codes meanwhile
		// (that update waits in the socket's queue). The sync step 2 that carries the offline
		// segment to the server is held back on the way.
		await srv.start();
		const anaDoc = `gloss/${studyId}/coder/${ana}`;
		gate.close();
		gate.hold = (d) => {
			const m = messageInfo(d);
			return m.doc === anaDoc && m.type === 0 && m.step === 1 && m.size! > 2;
		};
		setWebSocketImpl(GatedSocket);
		const statuses: SyncStatus[] = [];
		sb = sync(b, studyId);
		sb.subscribe((s) => statuses.push(s));
		await sb.start();
		const queued = segment(studyId, ana, 'd2', 'reg', 0, 4);
		await b.segments.add(queued);
		await until(async () => (await b.syncUpdates.where('docName').equals(anaDoc).filter((u) => u.local === 1).count()) === 2, 'the queued coding stored');
		await sb.idle();
		gate.open();
		// The server acknowledges the queued update and answers the handshake; the step 2 is held.
		await until(() => gate.held.length === 1 && gate.received.some((m) => m.doc === anaDoc && m.type === 8), 'the queued update acknowledged');
		await until(() => gate.received.some((m) => m.doc === anaDoc && m.type === 0 && m.step === 1), 'the server’s sync step 2');
		await sb.idle();
		await new Promise((r) => setTimeout(r, 50));
		expect(statuses.map((s) => s.kind), 'not synced while the offline segment has not reached the server').not.toContain('synced');
		expect(await a.segments.get([studyId, offline.id])).toBeUndefined();

		gate.release();
		await until(() => sb.status.kind === 'synced', 'B synced once the server has it', 15_000);
		const sa = sync(a, studyId);
		await sa.start();
		for (const s of [offline, queued]) await until(async () => !!(await a.segments.get([studyId, s.id])), `segment ${s.start}-${s.end} at A`, 15_000);
		expect(await b.syncUpdates.where('studyId').equals(studyId).filter((u) => u.local === 1).count()).toBe(0);
	});
});
