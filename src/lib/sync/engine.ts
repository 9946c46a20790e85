/**
 * StudySync: keeps one shared study's Dexie rows and its Yjs documents in step, and the Yjs
 * documents in step with the sync server.
 *
 * - Local writes: the DBCore middleware (db/sync.ts) reports the rows a committed transaction
 *   changed; they are written to the documents they belong in (core/sync/records.ts), each Yjs
 *   update stored in `syncUpdates` and only then handed to the provider to send.
 * - Remote changes: every changed key is projected back to a Dexie row and written, with the
 *   updates that carried them, in one transaction marked remote (not echoed back).
 * - At start the stored updates rebuild the documents with no network, and every row that differs
 *   from its document is written to it (a write the page closed on before it reached Yjs).
 */
import * as Y from 'yjs';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import {
	API,
	accessFor,
	coderMembersOf,
	docName,
	parseDocName,
	type Access,
	type DocRef,
	type Member,
	type WhoAmI
} from '../core/sync/protocol';
import { apiCall } from './http';
import {
	CODING_KINDS,
	KIND_OF_TABLE,
	SHARED_KINDS,
	TABLE_OF,
	TEXT_KEY,
	TEXT_MAP,
	TIMES_KEY,
	consensusIds,
	docRefFor,
	isTombstone,
	mergesByField,
	projectCodes,
	recordFor,
	rowContent,
	rowFor,
	sameJson,
	tombstoneFor,
	type RecordKind,
	type SyncRecord
} from '../core/sync/records';
import { nowIso } from '../core/ids';
import { joinDocument, ofStudy, splitDocument, type GlossDB, type SyncLink } from '../db/db';
import type { GlossDocument } from '../core/types';
import {
	ackUpdates,
	appendUpdate,
	compactUpdates,
	getLink,
	loadUpdates,
	mergeChanges,
	writeRemote,
	type ChangedRows
} from '../db/sync';
import { LOAD, LOCAL, conflictRepair } from './ydocs';
import type { SyncStatus } from './index';

/** The WebSocket class providers use (the browser's; tests and benches give `ws`). */
let WebSocketImpl: unknown = undefined;
export function setWebSocketImpl(impl: unknown) {
	WebSocketImpl = impl;
}

/** What this link's member may do with a document (as the server decides it). */
export function linkAccess(l: SyncLink, ref: DocRef): Access {
	const coderMembers = l.member.role === 'supervisor' ? new Set(l.coderMembers ?? []) : undefined;
	return accessFor({ ...l.member, studyId: l.studyId }, { blind: l.study.blind, coderMembers }, ref);
}

export function studyUrl(server: string, studyId: string): string {
	return `${server.replace(/\/+$/, '')}/study/${encodeURIComponent(studyId)}`;
}

export function newSocket(server: string, studyId: string): HocuspocusProviderWebsocket {
	return new HocuspocusProviderWebsocket({
		url: studyUrl(server, studyId),
		WebSocketPolyfill: WebSocketImpl,
		minDelay: 300,
		delay: 300,
		maxDelay: 4000
	});
}

const RECORD_MAPS_SHARED = [...SHARED_KINDS, 'memos'] as const;
const RECORD_MAPS_CODING = CODING_KINDS;
const COMPACT_AFTER = 200;

interface Handle {
	name: string;
	ref: DocRef;
	doc: Y.Doc;
	provider: HocuspocusProvider | null;
	/** seq of stored local updates the server has not acknowledged, and how many records each changed. */
	localSeqs: number[];
	localCounts: Map<number, number>;
	/** Records changed by the local transaction being made now. */
	nextCount: number;
	/** The last stored local update handed to the provider. */
	sentSeq: number;
	chain: Promise<void>;
	remoteUpdates: Uint8Array[];
	/**
	 * On the current socket: messages carrying this document's changes (our sync step 2, updates)
	 * the server has not acknowledged, and whether the server's sync step 2 has arrived. Counted
	 * here rather than taken from the provider's `unsyncedChanges`, which its handshake resets to 1:
	 * an update sent before that reset (queued while the socket opened) was then forgotten, and its
	 * acknowledgement taken for that of the sync step 2 carrying the stored offline updates.
	 */
	unacked: number;
	handshake: boolean;
	/** Settled: the server has acknowledged everything sent on this socket. */
	synced: boolean;
	/** Has content from the server or from storage (a text document that has its text). */
	stored: number;
	refused: string | null;
}

const isOffline = () => typeof navigator !== 'undefined' && navigator.onLine === false;

/**
 * Diagnostics: with `localStorage['gloss-sync-trace'] = '1'` (tests/sync sets it) the engine says
 * what each document's sync does (stored, sent, acknowledged, received) with console.debug.
 */
const TRACING = (() => {
	try {
		return typeof localStorage !== 'undefined' && localStorage.getItem('gloss-sync-trace') === '1';
	} catch {
		return false;
	}
})();
const short = (name: string) => name.split('/').slice(2).join('/');
/**
 * What a Hocuspocus message is: its document, its type (0 sync, 8 the server's acknowledgement)
 * and, for sync messages, the step (0 state vector, 1 missing updates, 2 an update) and payload
 * size; for an acknowledgement, whether the server applied it.
 */
export function messageInfo(data: Uint8Array): { doc: string; type: number; step?: number; size?: number; applied?: boolean } {
	let i = 0;
	const uint = () => {
		let n = 0;
		let mult = 1;
		for (;;) {
			const b = data[i++] ?? 0;
			n += (b & 0x7f) * mult;
			if (b < 0x80 || i >= data.length) return n;
			mult *= 128;
		}
	};
	const len = uint();
	const doc = new TextDecoder().decode(data.subarray(i, i + len));
	i += len;
	const type = uint();
	if (type === 0) {
		const step = uint();
		return { doc, type, step, size: uint() };
	}
	// SyncStatus: a signed varint, 1 = applied
	if (type === 8) return { doc, type, applied: (data[i] ?? 0) === 1 };
	return { doc, type };
}
function describe(m: ReturnType<typeof messageInfo>): string {
	if (m.type === 0) return `${['sync-step-1', 'sync-step-2', 'update'][m.step!] ?? `sync ${m.step}`} ${m.size} bytes`;
	if (m.type === 8) return m.applied ? 'ack' : 'refused';
	return ({ 1: 'awareness', 2: 'auth', 7: 'close' } as Record<number, string>)[m.type] ?? `type ${m.type}`;
}
function trace(what: string, fields: Record<string, unknown> = {}) {
	if (!TRACING) return;
	const f = Object.entries(fields)
		.filter(([, v]) => v !== undefined)
		.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
		.join(' ');
	console.debug(`gloss sync: ${what} ${f}`);
}

export class StudySync {
	readonly db: GlossDB;
	readonly studyId: string;
	#link: SyncLink | null = null;
	#handles = new Map<string, Handle>();
	#ws: HocuspocusProviderWebsocket | null = null;
	#subs = new Set<(s: SyncStatus) => void>();
	#status: SyncStatus = { kind: 'connecting' };
	#refusal: string | null = null;
	#everConnected = false;
	#wsConnected = false;
	#stopped = false;
	#started = false;
	#localDirty: ChangedRows = new Map();
	#remoteDirty = new Map<string, Map<string, Set<string>>>();
	#repairs: { h: Handle; kind: string; key: string; old: unknown }[] = [];
	#queue: Promise<void> = Promise.resolve();
	#batchTimer: ReturnType<typeof setTimeout> | null = null;
	#flushTimer: ReturnType<typeof setTimeout> | null = null;
	#busy = 0;
	#unlisten: (() => void)[] = [];
	#textQueue: string[] = [];
	#textActive = 0;
	/** Resolves once every started operation has settled (tests and benches). */
	idle(): Promise<void> {
		return this.#queue;
	}

	constructor(db: GlossDB, studyId: string) {
		this.db = db;
		this.studyId = studyId;
	}

	get link(): SyncLink | null {
		return this.#link;
	}

	subscribe(fn: (s: SyncStatus) => void): () => void {
		this.#subs.add(fn);
		fn(this.#status);
		return () => this.#subs.delete(fn);
	}

	get status(): SyncStatus {
		return this.#status;
	}

	#access(ref: DocRef): Access {
		return linkAccess(this.#link!, ref);
	}

	async start(): Promise<void> {
		if (this.#started) return;
		this.#started = true;
		const link = await getLink(this.db, this.studyId);
		if (!link) {
			this.#refusal = 'This study is not shared.';
			this.#update();
			return;
		}
		this.#link = link;
		// Rebuild the documents from what is stored: no network needed.
		const updates = await loadUpdates(this.db, this.studyId);
		const byDoc = new Map<string, typeof updates>();
		for (const u of updates) {
			const list = byDoc.get(u.docName) ?? [];
			list.push(u);
			byDoc.set(u.docName, list);
		}
		for (const [name, list] of byDoc) {
			const ref = parseDocName(name);
			if (!ref || ref.studyId !== this.studyId) continue;
			const h = this.#handle(ref);
			Y.transact(h.doc, () => {
				for (const u of list) Y.applyUpdate(h.doc, u.update, LOAD);
			}, LOAD);
			const local = list.filter((u) => u.local === 1);
			h.localSeqs = local.map((u) => u.seq!);
			for (const u of local) h.localCounts.set(u.seq!, u.changes ?? 1);
			// Loaded updates go to the server in the provider's first sync (its state against the
			// server's), not one by one: that sync settling acknowledges them all. (Without this a
			// coder who reopened offline work saw "Syncing 1 change" for ever once it had arrived.)
			for (const u of local) h.sentSeq = Math.max(h.sentSeq, u.seq!);
			h.stored = list.length;
			if (local.length) trace('loaded', { doc: short(name), local: h.localSeqs });
		}
		this.#handle({ kind: 'shared', studyId: this.studyId });
		this.#unlisten.push(this.db.sync.listen(this.studyId, (ch) => this.#onLocal(ch)));
		this.#unlisten.push(this.db.sync.onLeft((id) => id === this.studyId && this.stop()));
		const missed = this.db.sync.takeMissed(this.studyId);
		if (missed) mergeChanges(this.#localDirty, missed);
		// Rows written while no engine listened (or the page closed before they reached Yjs).
		await this.#enqueue(() => this.#reconcile());
		if (this.#stopped) return;
		this.#connect();
		void this.#refreshLink();
		const on = () => {
			this.#ws?.connect();
			this.#update();
		};
		const off = () => this.#update();
		if (typeof globalThis.addEventListener === 'function') {
			globalThis.addEventListener('online', on);
			globalThis.addEventListener('offline', off);
			this.#unlisten.push(() => {
				globalThis.removeEventListener('online', on);
				globalThis.removeEventListener('offline', off);
			});
		}
		this.#update();
	}

	#refreshing: Promise<void> | null = null;
	/**
	 * Who this member is now (role, blind, the members' coders), from the server when it answers:
	 * at start, on every reconnection and when the server refuses a document (blind coding turned
	 * on, a role changed), so a running engine follows without a restart.
	 */
	#refreshLink(): Promise<void> {
		if (this.#refreshing) return this.#refreshing;
		this.#refreshing = this.#readLink().finally(() => (this.#refreshing = null));
		return this.#refreshing;
	}

	async #readLink(): Promise<void> {
		const l = this.#link!;
		const me = await apiCall<WhoAmI>(l.server, API.me, l.token);
		if (this.#stopped) return;
		if (!me.ok) {
			if (/refused/.test(me.errors[0])) {
				this.#refusal = me.errors[0];
				this.#update();
			}
			return;
		}
		const next: SyncLink = { ...l, member: me.value.member, study: me.value.study };
		if (me.value.member.role === 'supervisor') {
			const ms = await apiCall<Member[]>(l.server, API.members(this.studyId), l.token);
			if (ms.ok) next.coderMembers = [...coderMembersOf(ms.value, me.value.member)];
		}
		if (this.#stopped || sameJson(next, l)) return;
		this.#link = next;
		await this.db.syncLinks.put(next);
		if (this.#stopped) return;
		for (const h of [...this.#handles.values()]) {
			if (h.refused && this.#access(h.ref) !== 'none') h.refused = null;
			if (h.provider && !this.#wanted(h)) this.#detach(h);
		}
		this.#openCoderDocs();
		for (const h of [...this.#handles.values()]) this.#maybeAttach(h);
		this.#update();
	}

	stop(): void {
		this.#stopped = true;
		for (const u of this.#unlisten) u();
		this.#unlisten = [];
		if (this.#batchTimer) clearTimeout(this.#batchTimer);
		if (this.#flushTimer) clearTimeout(this.#flushTimer);
		for (const h of this.#handles.values()) {
			h.provider?.destroy();
			h.provider = null;
		}
		this.#ws?.destroy();
		this.#ws = null;
		this.#subs.clear();
	}

	// ---- documents ---------------------------------------------------------------------------

	#handle(ref: DocRef): Handle {
		const name = docName(ref);
		let h = this.#handles.get(name);
		if (h) return h;
		const doc = new Y.Doc();
		h = { name, ref, doc, provider: null, localSeqs: [], localCounts: new Map(), nextCount: 1, sentSeq: 0, chain: Promise.resolve(), remoteUpdates: [], unacked: 0, handshake: false, synced: false, stored: 0, refused: null };
		this.#handles.set(name, h);
		const hh = h;
		doc.on('update', (update: Uint8Array, origin: unknown) => this.#onDocUpdate(hh, update, origin));
		if (ref.kind === 'text') {
			doc.getMap(TEXT_MAP).observe((ev) => {
				const o = ev.transaction.origin;
				if (o === LOCAL || o === LOAD) return;
				this.#markRemote(hh.name, TEXT_MAP, TEXT_KEY);
			});
		} else {
			const kinds = ref.kind === 'shared' ? RECORD_MAPS_SHARED : RECORD_MAPS_CODING;
			for (const kind of kinds) {
				const map = doc.getMap(kind);
				map.observe((ev) => {
					const o = ev.transaction.origin;
					if (o === LOCAL || o === LOAD) return;
					for (const [key, change] of ev.changes.keys) {
						this.#markRemote(hh.name, kind, key);
						if (change.action === 'update' && this.#link && this.#access(hh.ref) === 'write') {
							if (conflictRepair(kind, change.oldValue, map.get(key))) this.#repairs.push({ h: hh, kind, key, old: change.oldValue });
						}
					}
				});
			}
		}
		if (this.#ws && !this.#stopped) this.#maybeAttach(h);
		return h;
	}

	#onDocUpdate(h: Handle, update: Uint8Array, origin: unknown) {
		if (origin === LOAD) return;
		if (origin === LOCAL) {
			const changes = h.nextCount;
			h.nextCount = 1;
			// Stored first, then sent, in order.
			h.chain = h.chain.then(async () => {
				const seq = await appendUpdate(this.db, { studyId: this.studyId, docName: h.name, update, local: 1, changes });
				h.localSeqs.push(seq);
				h.localCounts.set(seq, changes);
				h.stored++;
				h.sentSeq = seq;
				trace('stored', { doc: short(h.name), seq, sent: !!h.provider });
				h.provider?.documentUpdateHandler(update, LOCAL);
				this.#update();
			}).catch((e) => console.error('gloss sync: could not store an update', e));
			this.#busy++;
			h.chain.finally(() => {
				this.#busy--;
				this.#update();
			});
			return;
		}
		h.remoteUpdates.push(update);
		this.#scheduleBatch();
	}

	#markRemote(name: string, kind: string, key: string) {
		let byKind = this.#remoteDirty.get(name);
		if (!byKind) this.#remoteDirty.set(name, (byKind = new Map()));
		let keys = byKind.get(kind);
		if (!keys) byKind.set(kind, (keys = new Set()));
		keys.add(key);
		this.#scheduleBatch();
	}

	/** Which documents this member has a provider for. */
	#wanted(h: Handle): boolean {
		if (h.refused) return false;
		if (this.#access(h.ref) === 'none') return false;
		if (h.ref.kind !== 'text') return true;
		// Texts are fetched once, and kept connected only while they have something to send.
		return h.stored === 0 || h.localSeqs.length > 0;
	}

	#connect() {
		const link = this.#link!;
		this.#ws = newSocket(link.server, this.studyId);
		// Every message in and out passes here: what carries our changes, and the server's answers.
		const ws = this.#ws;
		const send = ws.send.bind(ws);
		ws.send = (m: Uint8Array) => {
			// Not open: the socket queues it and passes it here again once open (or drops it with a new socket).
			if (ws.webSocket?.readyState === 1) this.#outgoing(m);
			send(m);
		};
		ws.on('message', (ev: MessageEvent) => this.#incoming(new Uint8Array(ev.data as ArrayBuffer)));
		this.#ws.on('status', ({ status }: { status: string }) => {
			trace('socket', { status });
			const reconnected = status === 'connected' && !this.#wsConnected && this.#everConnected;
			this.#wsConnected = status === 'connected';
			if (reconnected) void this.#refreshLink();
			// Connected once, or failed once: from now on, not connected means offline.
			if (this.#wsConnected || status === 'disconnected') this.#everConnected = true;
			// A socket that closes or is replaced takes its unacknowledged messages with it: the next
			// handshake's sync step 2 carries whatever the server still lacks.
			if (!this.#wsConnected) for (const h of this.#handles.values()) this.#resetSocketState(h);
			this.#update();
		});
		// Coders' documents: every coder in the shared document this member may read.
		this.#openCoderDocs();
		this.#handle({ kind: 'consensus', studyId: this.studyId });
		for (const h of [...this.#handles.values()]) this.#maybeAttach(h);
		this.#queueTexts();
	}

	#openCoderDocs() {
		const coders = this.#handles.get(docName({ kind: 'shared', studyId: this.studyId }))!.doc.getMap('coders');
		const cons = consensusIds([...coders.values()] as SyncRecord[]);
		for (const [id, c] of coders.entries()) {
			if (isTombstone(c) || cons.has(id)) continue;
			const ref: DocRef = { kind: 'coder', studyId: this.studyId, coderId: id };
			if (this.#access(ref) !== 'none') this.#handle(ref);
		}
	}

	#queueTexts() {
		const docs = this.#handles.get(docName({ kind: 'shared', studyId: this.studyId }))!.doc.getMap('documents');
		const list = ([...docs.values()] as SyncRecord[]).filter((d) => !isTombstone(d)).sort((a, b) => Number(a.order ?? 0) - Number(b.order ?? 0));
		for (const d of list) {
			const name = docName({ kind: 'text', studyId: this.studyId, documentId: d.id });
			const h = this.#handles.get(name);
			if (h && (h.provider || !this.#wanted(h))) continue;
			if (!this.#textQueue.includes(name)) this.#textQueue.push(name);
		}
		this.#pumpTexts();
	}

	#pumpTexts() {
		while (this.#textActive < 4 && this.#textQueue.length && this.#ws && !this.#stopped) {
			const name = this.#textQueue.shift()!;
			const ref = parseDocName(name)!;
			const h = this.#handle(ref);
			if (h.provider || !this.#wanted(h)) continue;
			this.#textActive++;
			this.#attach(h);
		}
	}

	#maybeAttach(h: Handle) {
		if (h.provider || !this.#ws || this.#stopped || !this.#wanted(h)) return;
		if (h.ref.kind === 'text' && h.stored === 0 && h.localSeqs.length === 0) {
			if (!this.#textQueue.includes(h.name)) this.#textQueue.push(h.name);
			this.#pumpTexts();
			return;
		}
		if (h.ref.kind === 'text') this.#textActive++;
		this.#attach(h);
	}

	#attach(h: Handle) {
		const p = new HocuspocusProvider({
			websocketProvider: this.#ws!,
			name: h.name,
			document: h.doc,
			token: this.#link!.token,
			// One awareness per socket keeps the connection's ping alive; the others need none.
			awareness: h.ref.kind === 'shared' ? undefined : null
		});
		// Local updates are sent by #onDocUpdate once stored.
		h.doc.off('update', p.boundDocumentUpdateHandler);
		h.provider = p;
		this.#resetSocketState(h);
		p.on('authenticationFailed', ({ reason }: { reason: string }) => {
			h.refused = reason || 'refused';
			if (h.ref.kind === 'shared') this.#refusal = `The sync server refused this study: ${h.refused}`;
			this.#detach(h);
			this.#update();
			if (h.ref.kind !== 'shared') void this.#refreshLink();
		});
		p.attach();
	}

	#detach(h: Handle) {
		if (!h.provider) return;
		h.provider.destroy();
		h.provider = null;
		this.#resetSocketState(h);
		if (h.ref.kind === 'text') {
			this.#textActive--;
			this.#pumpTexts();
		}
	}

	#resetSocketState(h: Handle) {
		h.unacked = 0;
		h.handshake = false;
		h.synced = false;
	}

	#outgoing(data: Uint8Array) {
		const m = messageInfo(data);
		const h = this.#handles.get(m.doc);
		if (TRACING && !m.doc.includes('/text/')) trace('out', { doc: short(m.doc), what: describe(m) });
		if (!h?.provider || m.type !== 0 || (m.step !== 1 && m.step !== 2)) return;
		h.unacked++;
		h.synced = false;
	}

	/** After the provider has handled a message (its listener runs first). */
	#incoming(data: Uint8Array) {
		const m = messageInfo(data);
		const h = this.#handles.get(m.doc);
		if (TRACING && !m.doc.includes('/text/')) trace('in', { doc: short(m.doc), what: describe(m) });
		if (!h?.provider || this.#stopped) return;
		if (m.type === 0 && m.step === 1) h.handshake = true;
		// a refusal (read-only) leaves the change unacknowledged, as the provider does
		else if (m.type === 8 && m.applied && h.unacked > 0) h.unacked--;
		else return;
		if (!h.synced && h.handshake && h.unacked === 0 && h.provider.isSynced) {
			h.synced = true;
			this.#acked(h);
		}
		this.#update();
	}

	#acked(h: Handle) {
		const upTo = h.sentSeq;
		const had = h.localSeqs.length;
		if (had) trace('acked', { doc: short(h.name), upTo, left: h.localSeqs.filter((s) => s > upTo) });
		if (had) {
			h.localSeqs = h.localSeqs.filter((s) => s > upTo);
			for (const s of h.localCounts.keys()) if (s <= upTo) h.localCounts.delete(s);
			void ackUpdates(this.db, h.name, upTo).then(() => this.#maybeCompact(h));
		} else this.#maybeCompact(h);
		// A text document that has its text and nothing to send needs no connection.
		if (h.ref.kind === 'text' && h.localSeqs.length === 0) {
			h.chain = h.chain.then(() => this.#enqueue(async () => {})).then(() => {
				if (h.localSeqs.length === 0 && h.remoteUpdates.length === 0) this.#detach(h);
			});
		}
		this.#update();
	}

	#maybeCompact(h: Handle) {
		if (h.stored < COMPACT_AFTER || h.localSeqs.length > 0) return;
		h.stored = 1;
		void compactUpdates(this.db, this.studyId, h.name, Y.encodeStateAsUpdate(h.doc)).catch(() => {});
	}

	// ---- status ------------------------------------------------------------------------------

	#pending(): number {
		let n = 0;
		for (const h of this.#handles.values()) for (const c of h.localCounts.values()) n += c;
		for (const v of this.#localDirty.values()) n += v === 'all' ? 1 : v.size;
		return n;
	}

	#update() {
		if (this.#stopped) return;
		let s: SyncStatus;
		const pending = this.#pending();
		if (this.#refusal) s = { kind: 'refused', reason: this.#refusal };
		else if (!this.#link) s = { kind: 'connecting' };
		else if (isOffline() || (this.#everConnected && !this.#wsConnected)) s = { kind: 'offline', pending };
		else if (!this.#everConnected) s = pending ? { kind: 'offline', pending } : { kind: 'connecting' };
		else {
			const unsynced = [...this.#handles.values()].some((h) => h.provider && h.ref.kind !== 'text' && !h.synced);
			s = unsynced || pending > 0 || this.#busy > 0 ? { kind: 'syncing', pending } : { kind: 'synced' };
		}
		if (sameJson(s, this.#status)) return;
		trace('status', s);
		this.#status = s;
		for (const fn of this.#subs) fn(s);
	}

	// ---- the queue: local flushes and remote batches, one at a time --------------------------

	#enqueue(job: () => Promise<void>): Promise<void> {
		this.#busy++;
		const run = this.#queue.then(job).catch((e) => console.error('gloss sync:', e));
		this.#queue = run.finally(() => {
			this.#busy--;
			this.#update();
		});
		return this.#queue;
	}

	#onLocal(changes: ChangedRows) {
		mergeChanges(this.#localDirty, changes);
		this.#update();
		if (this.#flushTimer) return;
		this.#flushTimer = setTimeout(() => {
			this.#flushTimer = null;
			void this.#enqueue(() => this.#flushLocal());
		}, 0);
	}

	#scheduleBatch() {
		if (this.#batchTimer || this.#stopped) return;
		this.#batchTimer = setTimeout(() => {
			this.#batchTimer = null;
			void this.#enqueue(() => this.#applyRemote());
		}, 2);
	}

	get #shared(): Handle {
		return this.#handle({ kind: 'shared', studyId: this.studyId });
	}

	#consensus(): Set<string> {
		return consensusIds([...this.#shared.doc.getMap('coders').values()] as SyncRecord[]);
	}

	/** Every document holding records of a kind. */
	#holders(kind: RecordKind): Handle[] {
		if (mergesByField(kind)) return [this.#shared];
		const out: Handle[] = [];
		for (const h of this.#handles.values()) if (h.ref.kind === 'coder' || h.ref.kind === 'consensus' || (kind === 'memos' && h.ref.kind === 'shared')) out.push(h);
		return out;
	}

	#find(kind: RecordKind, id: string): { h: Handle; rec: SyncRecord } | null {
		for (const h of this.#holders(kind)) {
			const rec = h.doc.getMap(kind).get(id) as SyncRecord | undefined;
			if (rec !== undefined) return { h, rec };
		}
		return null;
	}

	/** Write the rows local transactions changed into their documents. */
	async #flushLocal(): Promise<void> {
		const dirty = this.#localDirty;
		this.#localDirty = new Map();
		if (dirty.size === 0 || !this.#link) return;
		const now = nowIso();
		const writes = new Map<Handle, [string, string, unknown][]>();
		const refused: [RecordKind, string][] = [];
		const write = (h: Handle, kind: string, key: string, value: unknown) => {
			const list = writes.get(h) ?? [];
			list.push([kind, key, value]);
			writes.set(h, list);
		};
		const texts: [string, string, unknown][] = [];
		const order = ['studies', 'coders', 'attributes', 'cases', 'documents', 'codes', 'segments', 'memos'];
		for (const table of order) {
			const ids = dirty.get(table);
			if (!ids) continue;
			const kind = KIND_OF_TABLE[table];
			const dexie = this.#table(table);
			let keys: string[];
			if (ids === 'all') {
				const set = new Set<string>((await ofStudy(dexie, this.studyId).primaryKeys()).map((k) => (k as string[])[1]));
				for (const h of this.#holders(kind)) for (const k of h.doc.getMap(kind).keys()) set.add(k);
				keys = [...set];
			} else keys = [...ids];
			const rows = (await dexie.bulkGet(keys.map((id) => (table === 'studies' ? id : [this.studyId, id])))) as (Record<string, unknown> | undefined)[];
			// a document's text is in the texts table (schema version 4)
			const textOf =
				table === 'documents'
					? new Map((await this.db.texts.bulkGet(keys.map((id) => [this.studyId, id] as [string, string]))).flatMap((t) => (t ? [[t.documentId, t.text] as const] : [])))
					: null;
			const cons = this.#consensus();
			keys.forEach((id, i) => {
				const row = rows[i];
				const found = this.#find(kind, id);
				if (row) {
					const ref = kind === 'study' ? ({ kind: 'shared', studyId: this.studyId } as DocRef) : docRefFor(this.studyId, kind, row, cons);
					const h = this.#handle(ref);
					const prev = h.doc.getMap(kind).get(id) as SyncRecord | undefined;
					// The study row's change time moves with every local action; it is not shared.
					if (kind === 'study' && prev && !isTombstone(prev) && sameJson({ ...rowContent(kind, row), updatedAt: 0 }, { ...rowFor(kind, prev, this.studyId), updatedAt: 0 })) return;
					const rec = recordFor(kind, row, prev, now);
					if (rec) {
						if (this.#access(ref) !== 'write') return void refused.push([kind, id]);
						write(h, kind, id, rec);
					}
					const text = textOf?.get(id);
					if (kind === 'documents' && text) {
						const th = this.#handle({ kind: 'text', studyId: this.studyId, documentId: id });
						if (th.doc.getMap(TEXT_MAP).get(TEXT_KEY) === undefined && th.stored === 0) texts.push([id, text, row.times]);
					}
				} else {
					for (const h of this.#holders(kind)) {
						const prev = h.doc.getMap(kind).get(id) as SyncRecord | undefined;
						if (!prev || isTombstone(prev)) continue;
						if (this.#access(h.ref) !== 'write') {
							refused.push([kind, id]);
							continue;
						}
						write(h, kind, id, tombstoneFor(kind, id, prev, now));
					}
				}
				void found;
			});
		}
		for (const [h, list] of writes) {
			h.nextCount = list.length;
			h.doc.transact(() => {
				for (const [kind, key, value] of list) h.doc.getMap(kind).set(key, value);
			}, LOCAL);
			h.nextCount = 1;
		}
		for (const [documentId, text, times] of texts) {
			const th = this.#handle({ kind: 'text', studyId: this.studyId, documentId });
			th.doc.transact(() => {
				th.doc.getMap(TEXT_MAP).set(TEXT_KEY, text);
				if (Array.isArray(times) && times.length) th.doc.getMap(TEXT_MAP).set(TIMES_KEY, times);
			}, LOCAL);
			this.#maybeAttach(th);
		}
		if (dirty.has('coders') && this.#ws) this.#openCoderDocs();
		if (refused.length) {
			this.#refusal = `Read-only: your role (${this.#link.member.role}) cannot change this study; the change was undone.`;
			for (const [kind, id] of refused) this.#markRemote(this.#holders(kind)[0].name, kind, id);
		}
		await Promise.all([...writes.keys()].map((h) => h.chain));
		this.#update();
	}

	#table(table: string) {
		return (this.db as unknown as Record<string, import('dexie').Table<Record<string, unknown>, unknown>>)[table];
	}

	/** Project changed keys of the documents back to Dexie rows, in one remote transaction. */
	async #applyRemote(): Promise<void> {
		if (this.#localDirty.size) await this.#flushLocal();
		const repairs = this.#repairs;
		this.#repairs = [];
		for (const r of repairs) {
			const merged = conflictRepair(r.kind, r.old, r.h.doc.getMap(r.kind).get(r.key));
			if (merged) r.h.doc.transact(() => r.h.doc.getMap(r.kind).set(r.key, merged), LOCAL);
		}
		const dirty = this.#remoteDirty;
		this.#remoteDirty = new Map();
		const updates: { docName: string; update: Uint8Array }[] = [];
		for (const h of this.#handles.values()) {
			for (const u of h.remoteUpdates) updates.push({ docName: h.name, update: u });
			h.stored += h.remoteUpdates.length;
			h.remoteUpdates = [];
		}
		const puts = new Map<string, Record<string, unknown>[]>();
		const dels = new Map<string, unknown[]>();
		const texts: [string, string, unknown][] = [];
		const put = (table: string, row: Record<string, unknown>) => (puts.get(table) ?? puts.set(table, []).get(table)!).push(row);
		const del = (table: string, key: unknown) => (dels.get(table) ?? dels.set(table, []).get(table)!).push(key);
		let codesDirty: Set<string> | null = null;
		let codersChanged = false;
		let documentsChanged = false;
		for (const [name, byKind] of dirty) {
			const h = this.#handles.get(name);
			if (!h) continue;
			for (const [kind, keys] of byKind) {
				if (h.ref.kind === 'text') {
					const t = h.doc.getMap(TEXT_MAP).get(TEXT_KEY);
					if (typeof t === 'string') texts.push([(h.ref as { documentId: string }).documentId, t, h.doc.getMap(TEXT_MAP).get(TIMES_KEY)]);
					continue;
				}
				const k = kind as RecordKind;
				if (k === 'codes') {
					codesDirty ??= new Set();
					for (const key of keys) codesDirty.add(key);
					continue;
				}
				if (k === 'coders') codersChanged = true;
				if (k === 'documents') documentsChanged = true;
				const table = TABLE_OF[k];
				const map = h.doc.getMap(kind);
				for (const key of keys) {
					const rec = map.get(key) as SyncRecord | undefined;
					const row = rec ? rowFor(k, rec, this.studyId) : null;
					if (row) {
						if (k === 'documents') delete row.text;
						put(table, row);
					} else del(table, k === 'study' ? key : [this.studyId, key]);
				}
			}
		}
		if (codesDirty) {
			const map = this.#shared.doc.getMap('codes');
			const raw = ([...map.values()] as SyncRecord[]).filter((r) => !isTombstone(r));
			const rawById = new Map(raw.map((r) => [r.id, r]));
			for (const c of projectCodes(raw, this.studyId)) {
				const r = rawById.get(c.id)!;
				if (codesDirty.has(c.id) || c.parentId !== (r.parentId ?? null)) put('codes', c as unknown as Record<string, unknown>);
			}
			for (const key of codesDirty) if (!rawById.has(key)) del('codes', [this.studyId, key]);
		}
		const skip = (table: string, id: string) => {
			const d = this.#localDirty.get(table);
			return d === 'all' || (d instanceof Set && d.has(id));
		};
		const anyRows = puts.size > 0 || dels.size > 0 || texts.length > 0;
		if (updates.length) trace('received', { updates: updates.map((u) => short(u.docName)), rows: Object.fromEntries([...puts].map(([t, r]) => [t, r.length])) });
		if (anyRows || updates.length) {
			await writeRemote(this.db, async () => {
				for (const [table, rows] of puts) {
					const t = this.#table(table);
					let list = rows.filter((r) => !skip(table, r.id as string));
					if (table === 'documents') {
						// the row keeps its timings and its text's length and paragraphs (the text document's)
						const existing = await t.bulkGet(list.map((r) => [this.studyId, r.id]));
						list = list.map((r, i) => {
							const e = existing[i];
							if (!e) return splitDocument({ ...(r as unknown as GlossDocument), text: '' }).row as unknown as Record<string, unknown>;
							return { ...r, textLength: e.textLength, paragraphCount: e.paragraphCount, ...(e.times ? { times: e.times } : {}) };
						});
						const fresh = list.filter((_, i) => !existing[i]).map((r) => ({ studyId: this.studyId, documentId: r.id as string, text: '' }));
						if (fresh.length) await this.db.texts.bulkAdd(fresh);
					}
					if (table === 'studies') list = list.map((r) => ({ ...r, updatedAt: nowIso() }));
					await t.bulkPut(list);
				}
				for (const [table, keys] of dels) {
					const t = this.#table(table);
					const gone = keys.filter((k) => !skip(table, Array.isArray(k) ? (k[1] as string) : (k as string)));
					await t.bulkDelete(gone);
					if (table === 'documents') await this.db.texts.bulkDelete(gone as [string, string][]);
				}
				for (const [documentId, text, times] of texts) {
					const row = await this.db.documents.get([this.studyId, documentId]);
					if (!row) continue;
					const split = splitDocument({ ...joinDocument(row, text), ...(Array.isArray(times) && times.length ? { times } : {}) });
					await this.db.documents.put(split.row);
					await this.db.texts.put(split.text);
				}
				if (updates.length) await this.db.syncUpdates.bulkAdd(updates.map((u) => ({ ...u, studyId: this.studyId, local: 0 as const })));
				if (anyRows && !puts.has('studies')) await this.db.studies.update(this.studyId, { updatedAt: nowIso() });
			});
		}
		if (codersChanged) this.#openCoderDocs();
		if (documentsChanged) this.#queueTexts();
		for (const h of this.#handles.values()) if (h.ref.kind === 'text' && h.provider && h.synced && h.localSeqs.length === 0) this.#detach(h);
		this.#update();
	}

	/** Compare every row with its document and write what differs (start-up). */
	async #reconcile(): Promise<void> {
		const cons = this.#consensus();
		const dirty: ChangedRows = new Map();
		const mark = (table: string, id: string) => (dirty.get(table) as Set<string> | undefined ?? (dirty.set(table, new Set()).get(table) as Set<string>)).add(id);
		const study = await this.db.studies.get(this.studyId);
		const sRec = this.#shared.doc.getMap('study').get(this.studyId) as SyncRecord | undefined;
		if (study && (!sRec || isTombstone(sRec) || !sameJson({ ...rowContent('study', study as never), updatedAt: 0 }, { ...rowFor('study', sRec, this.studyId), updatedAt: 0 })))
			mark('studies', this.studyId);
		for (const kind of ['coders', 'attributes', 'cases', 'documents', 'codes', 'segments', 'memos'] as RecordKind[]) {
			const table = TABLE_OF[kind];
			const rows = (await ofStudy(this.#table(table), this.studyId).toArray()) as Record<string, unknown>[];
			const expected = new Map<string, Record<string, unknown>>();
			for (const h of this.#holders(kind)) {
				const recs = ([...h.doc.getMap(kind).values()] as SyncRecord[]).filter((r) => !isTombstone(r));
				const projected = kind === 'codes' ? (projectCodes(recs, this.studyId) as unknown as Record<string, unknown>[]) : recs.map((r) => rowFor(kind, r, this.studyId)!);
				for (const r of projected) expected.set(r.id as string, rowContent(kind, r));
			}
			for (const row of rows) {
				const id = row.id as string;
				const exp = expected.get(id);
				expected.delete(id);
				if (!exp || !sameJson(rowContent(kind, row), exp)) mark(table, id);
				else if (kind === 'documents' && typeof row.textLength === 'number' && row.textLength > 0) {
					const th = this.#handles.get(docName({ kind: 'text', studyId: this.studyId, documentId: id }));
					if (!th || th.stored === 0) mark(table, id);
				}
			}
			for (const id of expected.keys()) mark(table, id);
			void cons;
		}
		mergeChanges(this.#localDirty, dirty);
		await this.#flushLocal();
	}
}
