/**
 * The sync server's storage: Yjs documents (one merged update per document), studies, members
 * (only SHA-256 hashes of their tokens) and admin-issued share tokens (hashed too).
 * One SQL schema, two drivers: PGlite in a data folder (the embedded default) and PostgreSQL
 * through `pg` (scale-out). Both speak PostgreSQL with `$1` parameters.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import {
	newToken,
	parseDocName,
	type Member,
	type Role,
	type StudySettings
} from '../lib/core/sync/protocol';

/** What the server needs from a database: queries and a transaction. */
export interface Sql {
	query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
	transaction<R>(fn: (tx: Pick<Sql, 'query'>) => Promise<R>): Promise<R>;
	close(): Promise<void>;
}

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS gloss_documents (
	name text PRIMARY KEY,
	study_id text NOT NULL,
	data bytea NOT NULL,
	updated_at text NOT NULL
);
CREATE INDEX IF NOT EXISTS gloss_documents_study ON gloss_documents (study_id);
CREATE TABLE IF NOT EXISTS gloss_studies (
	id text PRIMARY KEY,
	name text NOT NULL,
	blind boolean NOT NULL DEFAULT false,
	created_at text NOT NULL
);
CREATE TABLE IF NOT EXISTS gloss_members (
	id text PRIMARY KEY,
	study_id text NOT NULL REFERENCES gloss_studies (id),
	name text NOT NULL,
	role text NOT NULL,
	coder_id text,
	token_hash text NOT NULL UNIQUE,
	revoked boolean NOT NULL DEFAULT false,
	created_at text NOT NULL
);
CREATE INDEX IF NOT EXISTS gloss_members_study ON gloss_members (study_id);
CREATE TABLE IF NOT EXISTS gloss_share_tokens (
	token_hash text PRIMARY KEY,
	label text NOT NULL,
	created_at text NOT NULL,
	used_by_study text
);
`;

export function hashToken(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface MemberRow extends Member {
	tokenHash: string;
}

type Row = Record<string, unknown>;

function toMember(r: Row): Member {
	return {
		id: String(r.id),
		studyId: String(r.study_id),
		name: String(r.name),
		role: r.role as Role,
		coderId: r.coder_id == null ? null : String(r.coder_id),
		revoked: Boolean(r.revoked),
		createdAt: String(r.created_at)
	};
}

function toStudy(r: Row): StudySettings {
	return { studyId: String(r.id), name: String(r.name), blind: Boolean(r.blind) };
}

function bytes(v: unknown): Uint8Array {
	if (v instanceof Uint8Array) return v;
	throw new Error('stored document is not binary');
}

/** A typed error whose message the HTTP API returns as `{ error }` with this status. */
export class StoreError extends Error {
	constructor(
		readonly status: 400 | 401 | 403 | 404 | 409,
		message: string
	) {
		super(message);
	}
}

export class Store {
	constructor(readonly sql: Sql) {}

	async init(): Promise<void> {
		// Several instances may start at once against one PostgreSQL: one creates, the others wait.
		await this.sql.transaction(async (tx) => {
			await tx.query('SELECT pg_advisory_xact_lock(7461234)');
			for (const stmt of SCHEMA.split(';').map((s) => s.trim()).filter(Boolean)) await tx.query(stmt);
		});
	}

	close(): Promise<void> {
		return this.sql.close();
	}

	// ---- Yjs documents -------------------------------------------------------------------

	async fetchDocument(name: string): Promise<Uint8Array | null> {
		const rows = await this.sql.query('SELECT data FROM gloss_documents WHERE name = $1', [name]);
		return rows.length ? bytes(rows[0].data) : null;
	}

	/**
	 * Stores a document's state merged with what is already stored, so that two instances (or a
	 * late write from an instance that lost its lock) can never drop each other's updates.
	 */
	async storeDocument(name: string, state: Uint8Array): Promise<void> {
		const ref = parseDocName(name);
		if (!ref) throw new Error(`not a Gloss document name: ${name}`);
		await this.sql.transaction(async (tx) => {
			const rows = await tx.query('SELECT data FROM gloss_documents WHERE name = $1 FOR UPDATE', [name]);
			const data = rows.length ? Y.mergeUpdates([bytes(rows[0].data), state]) : state;
			await tx.query(
				`INSERT INTO gloss_documents (name, study_id, data, updated_at) VALUES ($1, $2, $3, $4)
				 ON CONFLICT (name) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at`,
				[name, ref.studyId, data, new Date().toISOString()]
			);
		});
	}

	async documentNames(studyId: string): Promise<string[]> {
		const rows = await this.sql.query('SELECT name FROM gloss_documents WHERE study_id = $1 ORDER BY name', [studyId]);
		return rows.map((r) => String(r.name));
	}

	// ---- share tokens ----------------------------------------------------------------------

	/** A new admin-issued share token; only its hash is kept. */
	async createShareToken(label: string): Promise<string> {
		const token = newToken();
		await this.sql.query('INSERT INTO gloss_share_tokens (token_hash, label, created_at) VALUES ($1, $2, $3)', [
			hashToken(token),
			label,
			new Date().toISOString()
		]);
		return token;
	}

	/**
	 * Claims a study with a share token: creates the study and makes the token its first
	 * supervisor's member token. Repeating the same share (same token, same study) returns the
	 * same answer, so a retry after a dropped response is safe; any other reuse is refused.
	 */
	async share(
		token: string,
		input: { studyId: string; name: string; memberName: string; coderId: string | null }
	): Promise<{ member: Member; study: StudySettings }> {
		const h = hashToken(token);
		return this.sql.transaction(async (tx) => {
			const st = await tx.query('SELECT used_by_study FROM gloss_share_tokens WHERE token_hash = $1 FOR UPDATE', [h]);
			if (!st.length) throw new StoreError(401, 'unknown share token');
			const used = st[0].used_by_study;
			if (used != null) {
				if (used === input.studyId) {
					const m = await tx.query('SELECT * FROM gloss_members WHERE token_hash = $1', [h]);
					const s = await tx.query('SELECT * FROM gloss_studies WHERE id = $1', [input.studyId]);
					if (m.length && s.length && !m[0].revoked) return { member: toMember(m[0]), study: toStudy(s[0]) };
				}
				throw new StoreError(403, 'this share token was already used');
			}
			const existing = await tx.query('SELECT id FROM gloss_studies WHERE id = $1', [input.studyId]);
			if (existing.length) throw new StoreError(409, 'a study with this id is already shared on this server');
			const now = new Date().toISOString();
			await tx.query('INSERT INTO gloss_studies (id, name, blind, created_at) VALUES ($1, $2, false, $3)', [
				input.studyId,
				input.name,
				now
			]);
			const id = newMemberId();
			await tx.query(
				`INSERT INTO gloss_members (id, study_id, name, role, coder_id, token_hash, revoked, created_at)
				 VALUES ($1, $2, $3, 'supervisor', $4, $5, false, $6)`,
				[id, input.studyId, input.memberName, input.coderId, h, now]
			);
			await tx.query('UPDATE gloss_share_tokens SET used_by_study = $1 WHERE token_hash = $2', [input.studyId, h]);
			const m = await tx.query('SELECT * FROM gloss_members WHERE id = $1', [id]);
			return {
				member: toMember(m[0]),
				study: { studyId: input.studyId, name: input.name, blind: false }
			};
		});
	}

	// ---- studies and members ---------------------------------------------------------------

	async study(studyId: string): Promise<StudySettings | null> {
		const rows = await this.sql.query('SELECT * FROM gloss_studies WHERE id = $1', [studyId]);
		return rows.length ? toStudy(rows[0]) : null;
	}

	async setBlind(studyId: string, blind: boolean): Promise<StudySettings> {
		const rows = await this.sql.query('UPDATE gloss_studies SET blind = $1 WHERE id = $2 RETURNING *', [blind, studyId]);
		if (!rows.length) throw new StoreError(404, 'no such study');
		return toStudy(rows[0]);
	}

	/** The member a token belongs to (revoked or not), looked up fresh every time. */
	async memberByToken(token: string): Promise<Member | null> {
		const rows = await this.sql.query('SELECT * FROM gloss_members WHERE token_hash = $1', [hashToken(token)]);
		return rows.length ? toMember(rows[0]) : null;
	}

	async members(studyId: string): Promise<Member[]> {
		const rows = await this.sql.query('SELECT * FROM gloss_members WHERE study_id = $1 ORDER BY created_at, id', [studyId]);
		return rows.map(toMember);
	}

	async invite(
		studyId: string,
		input: { name: string; role: Role; coderId: string | null }
	): Promise<{ member: Member; token: string }> {
		if (!(await this.study(studyId))) throw new StoreError(404, 'no such study');
		const token = newToken();
		const id = newMemberId();
		const rows = await this.sql.query(
			`INSERT INTO gloss_members (id, study_id, name, role, coder_id, token_hash, revoked, created_at)
			 VALUES ($1, $2, $3, $4, $5, $6, false, $7) RETURNING *`,
			[id, studyId, input.name, input.role, input.coderId, hashToken(token), new Date().toISOString()]
		);
		return { member: toMember(rows[0]), token };
	}

	async revoke(studyId: string, memberId: string): Promise<Member> {
		const rows = await this.sql.query(
			'UPDATE gloss_members SET revoked = true WHERE study_id = $1 AND id = $2 RETURNING *',
			[studyId, memberId]
		);
		if (!rows.length) throw new StoreError(404, 'no such member in this study');
		return toMember(rows[0]);
	}
}

function newMemberId(): string {
	return 'm-' + randomUUID().replace(/-/g, '').slice(0, 16);
}
