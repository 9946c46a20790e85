/**
 * The client sync engine's API (issue 9). db + core only, no Svelte. The app makes no network
 * request for a study that is not shared: every function here that talks to a server is called by
 * the user sharing, joining or managing a shared study, and `StudySync` runs only for a study
 * that has a `SyncLink`.
 */
import * as Y from 'yjs';
import { HocuspocusProvider, type HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import {
	API,
	coderMembersOf,
	docName,
	joinLink,
	type DocRef,
	type JoinLink,
	type Member,
	type Role,
	type StudySettings,
	type WhoAmI
} from '../core/sync/protocol';
import { docsToStudy, isTombstone, studyToDocs, type DocMaps, type SyncRecord } from '../core/sync/records';
import { newId, nowIso } from '../core/ids';
import type { Result } from '../core/types';
import type { GlossDB, SyncLink, SyncUpdate } from '../db/db';
import { loadStudyData } from '../db/studies';
import { getLink, insertJoined, putLink } from '../db/sync';
import { apiCall } from './http';
import { linkAccess, newSocket } from './engine';
import { docFromMaps, mapsOf } from './ydocs';

export { StudySync, setWebSocketImpl } from './engine';
export type { SyncLink } from '../db/db';

export type SyncStatus =
	| { kind: 'connecting' }
	| { kind: 'synced' }
	| { kind: 'syncing'; pending: number }
	| { kind: 'offline'; pending: number }
	| { kind: 'refused'; reason: string };

export interface SyncProgress {
	/** What is happening, in words for the user. */
	step: string;
	done?: number;
	total?: number;
}

const fail = (msg: string): { ok: false; errors: string[] } => ({ ok: false, errors: [msg] });

export function getSyncLink(db: GlossDB, studyId: string): Promise<SyncLink | undefined> {
	return getLink(db, studyId);
}

function validServer(server: string): string | null {
	const s = server.trim().replace(/\/+$/, '');
	return /^wss?:\/\/[^\s/]+/.test(s) ? s : null;
}

/** Connect one provider, wait until the server has sent its state and acknowledged ours. */
function syncDoc(ws: HocuspocusProviderWebsocket, name: string, doc: Y.Doc, token: string, upload = false, timeoutMs = 120_000): Promise<Result<Y.Doc>> {
	return new Promise((resolve) => {
		const p = new HocuspocusProvider({ websocketProvider: ws, name, document: doc, token, awareness: null });
		let done = false;
		const finish = (r: Result<Y.Doc>) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			p.destroy();
			resolve(r);
		};
		const timer = setTimeout(() => finish(fail(`The sync server did not answer for ${name} in ${timeoutMs / 1000} s.`)), timeoutMs);
		const check = () => {
			if (p.isSynced && p.unsyncedChanges === 0) finish({ ok: true, value: doc });
		};
		p.on('synced', check);
		p.on('unsyncedChanges', check);
		p.on('authenticationFailed', ({ reason }: { reason: string }) => finish(fail(`The sync server refused ${name}: ${reason || 'no reason given'}.`)));
		p.on('authenticated', ({ scope }: { scope: string }) => {
			if (upload && scope === 'readonly') finish(fail(`The sync server lets you only read ${name}, so it cannot be uploaded.`));
		});
		p.attach();
	});
}

/** Run jobs with at most `n` at a time; stops at the first failure. */
async function limited<T>(items: T[], n: number, job: (x: T, i: number) => Promise<Result<unknown>>): Promise<Result<void>> {
	let next = 0;
	let failure: Result<void> | null = null;
	const worker = async () => {
		while (next < items.length && !failure) {
			const i = next++;
			const r = await job(items[i], i);
			if (!r.ok) failure = r;
		}
	};
	await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
	return failure ?? { ok: true, value: undefined };
}

/**
 * Share a local study: claim it on the server with an admin-issued share token (which becomes
 * this supervisor's member token), store the link and the study's documents, and upload them.
 * If the upload is cut off, the study is shared all the same and `StudySync` sends the rest.
 */
export async function shareStudy(
	db: GlossDB,
	studyId: string,
	server: string,
	shareToken: string,
	opts: { coderId?: string | null; memberName?: string; onProgress?: (p: SyncProgress) => void } = {}
): Promise<Result<SyncLink>> {
	const srv = validServer(server);
	if (!srv) return fail(`Sync server: "${server}" is not a ws:// or wss:// address.`);
	const token = shareToken.trim();
	if (!token) return fail('Share token: must not be empty.');
	if (await getLink(db, studyId)) return fail('This study is already shared.');
	const data = await loadStudyData(db, studyId);
	if (!data) return fail('This study no longer exists.');
	opts.onProgress?.({ step: 'Claiming the study on the server' });
	const coderName = data.coders.find((c) => c.id === opts.coderId)?.name;
	const memberName = opts.memberName?.trim() || coderName || 'Supervisor';
	const me = await apiCall<WhoAmI>(srv, API.share, token, 'POST', { studyId, name: data.study.name, coderId: opts.coderId ?? null, memberName });
	if (!me.ok) return me;
	const link: SyncLink = { studyId, server: srv, token, member: me.value.member, study: me.value.study, coderMembers: [] };
	const maps = studyToDocs(data);
	const docs = new Map<string, Y.Doc>();
	const updates: SyncUpdate[] = [];
	for (const [name, m] of maps) {
		const doc = docFromMaps(m);
		docs.set(name, doc);
		updates.push({ studyId, docName: name, update: Y.encodeStateAsUpdate(doc), local: 1 });
	}
	await db.transaction('rw', [db.syncLinks, db.syncUpdates], async () => {
		await db.syncUpdates.bulkAdd(updates);
		await db.syncLinks.put(link);
	});
	await putLink(db, link);
	const names = [...docs.keys()];
	const ws = newSocket(srv, studyId);
	let done = 0;
	try {
		const r = await limited(names, 8, async (name) => {
			const res = await syncDoc(ws, name, docs.get(name)!, token, true);
			opts.onProgress?.({ step: 'Uploading the study', done: ++done, total: names.length });
			return res;
		});
		if (!r.ok)
			return fail(`The study is shared, but its upload stopped: ${r.errors[0]} Gloss sends the rest when the study is open and the server answers.`);
	} finally {
		ws.destroy();
	}
	await db.syncUpdates.where('studyId').equals(studyId).modify({ local: 0 });
	return { ok: true, value: link };
}

/**
 * Join a shared study from an invitation link: who am I, then the shared document, the coding
 * this member may read and the first transcript's text; the study is written to Dexie in one
 * transaction. The other transcripts arrive in the background once `StudySync` runs.
 */
export async function joinStudy(db: GlossDB, link: JoinLink, onProgress?: (p: SyncProgress) => void): Promise<Result<{ studyId: string }>> {
	const srv = validServer(link.server);
	if (!srv) return fail(`Sync server: "${link.server}" is not a ws:// or wss:// address.`);
	onProgress?.({ step: 'Checking the invitation' });
	const me = await apiCall<WhoAmI>(srv, API.me, link.token);
	if (!me.ok) return me;
	const studyId = me.value.study.studyId;
	if (studyId !== link.studyId) return fail('The invitation link names another study than its token.');
	if (await getLink(db, studyId)) return { ok: true, value: { studyId } };
	if (await db.studies.get(studyId)) return fail('This browser already has this study (not shared from here). Delete the local copy to join it.');
	const syncLink: SyncLink = { studyId, server: srv, token: link.token, member: me.value.member, study: me.value.study };
	const can = (ref: DocRef) => linkAccess(syncLink, ref) !== 'none';
	const ws = newSocket(srv, studyId);
	const fetched = new Map<string, Y.Doc>();
	try {
		onProgress?.({ step: 'Fetching the codebook and documents' });
		const sharedName = docName({ kind: 'shared', studyId });
		const shared = await syncDoc(ws, sharedName, new Y.Doc(), link.token);
		if (!shared.ok) return shared;
		fetched.set(sharedName, shared.value);
		const coders = [...shared.value.getMap('coders').values()] as SyncRecord[];
		const refs: DocRef[] = [{ kind: 'consensus', studyId }];
		for (const c of coders) if (!isTombstone(c) && !c.isConsensus) refs.push({ kind: 'coder', studyId, coderId: c.id });
		const documents = ([...shared.value.getMap('documents').values()] as SyncRecord[])
			.filter((d) => !isTombstone(d))
			.sort((a, b) => Number(a.order ?? 0) - Number(b.order ?? 0));
		if (documents.length) refs.push({ kind: 'text', studyId, documentId: documents[0].id });
		const wanted = refs.filter(can);
		let done = 0;
		const r = await limited(wanted, 6, async (ref) => {
			const name = docName(ref);
			const res = await syncDoc(ws, name, new Y.Doc(), link.token);
			if (res.ok) fetched.set(name, res.value);
			onProgress?.({ step: 'Fetching the coding', done: ++done, total: wanted.length });
			return res;
		});
		if (!r.ok) return r;
	} finally {
		ws.destroy();
	}
	onProgress?.({ step: 'Saving the study in this browser' });
	const maps = new Map<string, DocMaps>();
	for (const [name, doc] of fetched) maps.set(name, mapsOf(doc));
	const data = docsToStudy(studyId, maps);
	if (!data) return fail('The server has no content for this study yet (it was not uploaded).');
	const updates: SyncUpdate[] = [...fetched].map(([name, doc]) => ({ studyId, docName: name, update: Y.encodeStateAsUpdate(doc), local: 0 }));
	try {
		await insertJoined(db, data, syncLink, updates);
	} catch (e) {
		return fail(`The study could not be saved in this browser: ${e instanceof Error ? e.message : String(e)}`);
	}
	return { ok: true, value: { studyId } };
}

/**
 * An invitation for one person. For a coder, a coder record is added to the study first (Dexie,
 * and from there the shared document) and the member codes as it.
 */
export async function createInvite(
	db: GlossDB,
	studyId: string,
	input: { name: string; role: Role; coderName?: string; appBase?: string }
): Promise<Result<{ member: Member; url: string }>> {
	const link = await getLink(db, studyId);
	if (!link) return fail('This study is not shared.');
	const name = input.name.trim();
	if (!name) return fail('Name: must not be empty.');
	let coderId: string | null = null;
	if (input.role === 'coder') {
		coderId = newId();
		await db.coders.add({ id: coderId, studyId, name: (input.coderName ?? name).trim() || name, createdAt: nowIso() });
	}
	const r = await apiCall<{ member: Member; token: string }>(link.server, API.members(studyId), link.token, 'POST', { name, role: input.role, coderId });
	if (!r.ok) {
		if (coderId) await db.coders.delete([studyId, coderId]);
		return r;
	}
	if (coderId) {
		const cur = await getLink(db, studyId);
		if (cur) await db.syncLinks.update(studyId, { coderMembers: [...new Set([...(cur.coderMembers ?? []), coderId])] });
	}
	const base = input.appBase ?? (typeof location !== 'undefined' ? location.origin : '');
	return { ok: true, value: { member: r.value.member, url: joinLink(base, { server: link.server, studyId, token: r.value.token }) } };
}

export async function listMembers(db: GlossDB, studyId: string): Promise<Result<Member[]>> {
	const link = await getLink(db, studyId);
	if (!link) return fail('This study is not shared.');
	const r = await apiCall<Member[]>(link.server, API.members(studyId), link.token);
	if (r.ok && link.member.role === 'supervisor') await db.syncLinks.update(studyId, { coderMembers: [...coderMembersOf(r.value, link.member)] });
	return r;
}

export async function revokeMember(db: GlossDB, studyId: string, memberId: string): Promise<Result<void>> {
	const link = await getLink(db, studyId);
	if (!link) return fail('This study is not shared.');
	const r = await apiCall<unknown>(link.server, API.member(studyId, memberId), link.token, 'DELETE');
	return r.ok ? { ok: true, value: undefined } : r;
}

export async function setBlind(db: GlossDB, studyId: string, blind: boolean): Promise<Result<StudySettings>> {
	const link = await getLink(db, studyId);
	if (!link) return fail('This study is not shared.');
	const r = await apiCall<StudySettings>(link.server, API.study(studyId), link.token, 'PATCH', { blind });
	if (r.ok) await db.syncLinks.update(studyId, { study: r.value });
	return r;
}

