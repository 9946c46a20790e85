/**
 * The contract between the Gloss app (src/lib/sync) and the Gloss sync server (src/server).
 * Pure: no Svelte, Dexie, DOM or Node. Both sides import it, so names and rules cannot drift.
 *
 * A shared study is several Yjs documents, so that each stays small and access is decided per
 * document (issue 9):
 *   gloss/<studyId>/shared              codebook, cases, attributes, document metadata, coders
 *   gloss/<studyId>/coder/<coderId>     one coder's segments and memos; only that coder writes it
 *   gloss/<studyId>/consensus           adjudicated coding; supervisors write it
 *   gloss/<studyId>/text/<documentId>   one transcript's text; written once, loaded on demand
 * Ids are URI-component encoded inside the name.
 */

export type Role = 'supervisor' | 'coder' | 'viewer';
export const ROLES: readonly Role[] = ['supervisor', 'coder', 'viewer'];

export type DocKind = 'shared' | 'coder' | 'consensus' | 'text';

export type DocRef =
	| { kind: 'shared'; studyId: string }
	| { kind: 'consensus'; studyId: string }
	| { kind: 'coder'; studyId: string; coderId: string }
	| { kind: 'text'; studyId: string; documentId: string };

const PREFIX = 'gloss';
const enc = encodeURIComponent;

export function docName(ref: DocRef): string {
	const base = `${PREFIX}/${enc(ref.studyId)}`;
	switch (ref.kind) {
		case 'shared':
			return `${base}/shared`;
		case 'consensus':
			return `${base}/consensus`;
		case 'coder':
			return `${base}/coder/${enc(ref.coderId)}`;
		case 'text':
			return `${base}/text/${enc(ref.documentId)}`;
	}
}

function dec(s: string): string | null {
	try {
		const v = decodeURIComponent(s);
		return v.length > 0 && v.length <= 200 ? v : null;
	} catch {
		return null;
	}
}

/** The document a name stands for, or null when it is not a Gloss document name. */
export function parseDocName(name: string): DocRef | null {
	if (typeof name !== 'string' || name.length > 1000) return null;
	const parts = name.split('/');
	if (parts[0] !== PREFIX || parts.length < 3) return null;
	const studyId = dec(parts[1]);
	if (!studyId) return null;
	if (parts.length === 3 && parts[2] === 'shared') return { kind: 'shared', studyId };
	if (parts.length === 3 && parts[2] === 'consensus') return { kind: 'consensus', studyId };
	if (parts.length === 4 && parts[2] === 'coder') {
		const coderId = dec(parts[3]);
		return coderId ? { kind: 'coder', studyId, coderId } : null;
	}
	if (parts.length === 4 && parts[2] === 'text') {
		const documentId = dec(parts[3]);
		return documentId ? { kind: 'text', studyId, documentId } : null;
	}
	return null;
}

export type Access = 'none' | 'read' | 'write';

export interface MemberAccess {
	studyId: string;
	role: Role;
	/** The coder this member codes as; null for a viewer or a supervisor who does not code. */
	coderId: string | null;
	revoked: boolean;
}

/**
 * What a member may do with one document. The server enforces this on every connection;
 * the app uses the same function only to explain a refusal before it happens.
 *   supervisor: reads everything; writes shared, consensus, texts and their own coder document,
 *               and the coder documents of coders no other member codes as (coding the study
 *               held before it was shared, e.g. merged from coders' files: the supervisor uploads
 *               it) when `study.coderMembers` is given
 *   coder:      writes shared, texts and their own coding; reads the others' unless the study is blind
 *   viewer:     reads everything
 */
export function accessFor(
	member: MemberAccess,
	study: { blind: boolean; coderMembers?: ReadonlySet<string> },
	doc: DocRef
): Access {
	if (member.revoked || doc.studyId !== member.studyId) return 'none';
	const own = doc.kind === 'coder' && member.coderId !== null && doc.coderId === member.coderId;
	switch (member.role) {
		case 'viewer':
			return 'read';
		case 'supervisor':
			if (doc.kind === 'coder') return own || (study.coderMembers !== undefined && !study.coderMembers.has(doc.coderId)) ? 'write' : 'read';
			return 'write';
		case 'coder':
			if (doc.kind === 'shared' || doc.kind === 'text') return 'write';
			if (own) return 'write';
			return study.blind ? 'none' : 'read';
	}
}

/** HTTP API of the sync server, on the same host and port as its WebSocket. Bearer tokens; JSON. */
export const API = {
	/** GET: who this token is → `WhoAmI`. */
	me: '/api/me',
	/** POST `{ studyId, name }` with an admin-issued share token: claims the study → `WhoAmI`. */
	share: '/api/share',
	/** GET (supervisor): members → `Member[]`; POST `{ name, role, coderId? }` → `{ member, token }`. */
	members: (studyId: string) => `/api/studies/${enc(studyId)}/members`,
	/** DELETE (supervisor): revoke; takes effect on the member's next connection. */
	member: (studyId: string, memberId: string) => `/api/studies/${enc(studyId)}/members/${enc(memberId)}`,
	/** PATCH (supervisor) `{ blind }` → `StudySettings`. */
	study: (studyId: string) => `/api/studies/${enc(studyId)}`
} as const;

export interface Member {
	id: string;
	studyId: string;
	name: string;
	role: Role;
	coderId: string | null;
	revoked: boolean;
	createdAt: string;
}

export interface StudySettings {
	studyId: string;
	name: string;
	blind: boolean;
}

/** The coder ids that members other than `member` code as (not revoked): `accessFor`'s `coderMembers`. */
export function coderMembersOf(members: readonly Member[], member: { id: string }): Set<string> {
	const s = new Set<string>();
	for (const m of members) if (!m.revoked && m.coderId !== null && m.id !== member.id) s.add(m.coderId);
	return s;
}

export interface WhoAmI {
	member: Member;
	study: StudySettings;
}

/** A new secret: 256 random bits, base64url without padding (43 characters). */
export function newToken(): string {
	const b = new Uint8Array(32);
	globalThis.crypto.getRandomValues(b);
	let s = '';
	for (const x of b) s += String.fromCharCode(x);
	return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface JoinLink {
	/** The sync server, as `ws://host:port` or `wss://host`. Its HTTP API is the same host over http(s). */
	server: string;
	studyId: string;
	token: string;
}

/**
 * An invitation link: `<app>/join#server=…&study=…&token=…`. The secret sits in the fragment,
 * so it is never sent to whatever serves the app.
 */
export function joinLink(appBase: string, link: JoinLink): string {
	const q = new URLSearchParams({ server: link.server, study: link.studyId, token: link.token });
	return `${appBase.replace(/\/+$/, '')}/join#${q.toString()}`;
}

/** Reads the fragment of an invitation link (with or without the leading `#`). */
export function parseJoinFragment(fragment: string): JoinLink | { error: string } {
	const q = new URLSearchParams(fragment.replace(/^#/, ''));
	const server = q.get('server') ?? '';
	const studyId = q.get('study') ?? '';
	const token = q.get('token') ?? '';
	if (!/^wss?:\/\/[^\s/]+/.test(server)) return { error: 'The invitation link has no sync server (ws:// or wss://).' };
	if (!studyId) return { error: 'The invitation link names no study.' };
	if (!TOKEN_PATTERN.test(token)) return { error: 'The invitation link has no valid token.' };
	return { server: server.replace(/\/+$/, ''), studyId, token };
}

/** The HTTP base of a sync server given as ws(s)://: `ws://h:1234` → `http://h:1234`. */
export function httpBase(server: string): string {
	return server.replace(/^ws(s?):\/\//, 'http$1://').replace(/\/+$/, '');
}
