/**
 * `npm run server [-- flags]` and its admin subcommands, on the same store as the server:
 *
 *   npm run server -- [--host H] [--port P] [--data DIR | --postgres URL] [--redis URL] [--name N]
 *   npm run server -- admin-token [--label L]
 *   npm run server -- invite --study ID --role supervisor|coder|viewer --name N [--coder ID] [--app URL] [--server ws://…]
 *   npm run server -- revoke --study ID --member ID
 *   npm run server -- members --study ID
 *
 * Bad flags: one line on stderr, exit 2. A failed command: one line, exit 1.
 * PGlite lets one process open a data folder; while a server runs on it, the subcommands go
 * through that server's admin endpoint with the secret it wrote to `<data>/lock.json`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { joinLink, newToken, ROLES, type Member, type Role } from '../lib/core/sync/protocol';
import { pgliteSql, postgresSql } from './drivers';
import { startServer, parseRedisUrl, type SyncServer } from './server';
import { Store } from './store';

export interface Io {
	out(line: string): void;
	err(line: string): void;
}

export class UsageError extends Error {}

type Flags = Record<string, string>;

const COMMON = ['data', 'postgres'];
const COMMANDS: Record<string, { flags: string[]; required: string[] }> = {
	serve: { flags: [...COMMON, 'host', 'port', 'redis', 'name'], required: [] },
	'admin-token': { flags: [...COMMON, 'label'], required: [] },
	invite: { flags: [...COMMON, 'study', 'role', 'name', 'coder', 'app', 'server', 'host', 'port'], required: ['study', 'role', 'name'] },
	revoke: { flags: [...COMMON, 'study', 'member'], required: ['study', 'member'] },
	members: { flags: [...COMMON, 'study'], required: ['study'] }
};

export function parseArgs(argv: string[]): { command: string; flags: Flags } {
	let command = 'serve';
	let args = argv;
	if (argv[0] && !argv[0].startsWith('-')) {
		command = argv[0];
		args = argv.slice(1);
		if (!COMMANDS[command] || command === 'serve') {
			throw new UsageError(`unknown command "${command}" (expected admin-token, invite, revoke or members)`);
		}
	}
	const spec = COMMANDS[command];
	const flags: Flags = {};
	for (let i = 0; i < args.length; i++) {
		const a = args[i];
		const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
		if (!m) throw new UsageError(`unexpected argument "${a}"`);
		const key = m[1];
		if (!spec.flags.includes(key)) throw new UsageError(`unknown flag --${key} for ${command === 'serve' ? 'the server' : command}`);
		let value = m[2];
		if (value === undefined) {
			value = args[i + 1];
			if (value === undefined || value.startsWith('--')) throw new UsageError(`--${key} needs a value`);
			i++;
		}
		if (key in flags) throw new UsageError(`--${key} given twice`);
		flags[key] = value;
	}
	for (const r of spec.required) if (!(r in flags)) throw new UsageError(`${command} needs --${r}`);
	if (flags.data !== undefined && flags.postgres !== undefined) throw new UsageError('give --data or --postgres, not both');
	if (flags.port !== undefined && !/^\d{1,5}$/.test(flags.port)) throw new UsageError(`--port must be a number, got "${flags.port}"`);
	if (flags.port !== undefined && Number(flags.port) > 65535) throw new UsageError(`--port must be at most 65535`);
	if (flags.postgres !== undefined && !/^postgres(ql)?:\/\//.test(flags.postgres)) {
		throw new UsageError(`--postgres must be a postgres:// URL`);
	}
	if (flags.redis !== undefined) {
		try {
			parseRedisUrl(flags.redis);
		} catch (e) {
			throw new UsageError((e as Error).message);
		}
	}
	if (flags.role !== undefined && !(ROLES as readonly string[]).includes(flags.role)) {
		throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
	}
	if (flags.role === 'coder' && !flags.coder) throw new UsageError('a coder needs --coder ID (the coder record they code as)');
	if (flags.app !== undefined && !/^https?:\/\//.test(flags.app)) throw new UsageError('--app must be an http(s):// URL');
	if (flags.server !== undefined && !/^wss?:\/\//.test(flags.server)) throw new UsageError('--server must be a ws:// or wss:// URL');
	return { command, flags };
}

export const DEFAULT_DATA = './gloss-server-data';

/**
 * `<data>/lock.json`: who has the PGlite data folder open. A server writes its port and an admin
 * secret there once it listens; an admin command that opens the folder itself writes only its pid.
 */
interface LockFile {
	pid: number;
	host?: string;
	port?: number;
	secret?: string;
}

function lockPath(data: string): string {
	return join(resolve(data), 'lock.json');
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The live holder of the data folder, or null (a lock left by a dead process is ignored). */
function readLock(data: string): LockFile | null {
	try {
		const r = JSON.parse(readFileSync(lockPath(data), 'utf8')) as LockFile;
		return typeof r.pid === 'number' && r.pid !== process.pid && alive(r.pid) ? r : null;
	} catch {
		return null;
	}
}

/** Takes the data folder for this process, or throws naming who holds it. */
function takeLock(data: string): void {
	mkdirSync(resolve(data), { recursive: true });
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			writeFileSync(lockPath(data), JSON.stringify({ pid: process.pid }) + '\n', { flag: 'wx', mode: 0o600 });
			return;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			const holder = readLock(data);
			if (holder) {
				throw new Error(
					holder.port
						? `a server (pid ${holder.pid}, port ${holder.port}) is using the data folder ${resolve(data)}`
						: `another process (pid ${holder.pid}) is using the data folder ${resolve(data)}; try again in a moment`
				);
			}
			rmSync(lockPath(data), { force: true });
		}
	}
	throw new Error(`cannot lock the data folder ${resolve(data)}`);
}

function releaseLock(data: string): void {
	try {
		const r = JSON.parse(readFileSync(lockPath(data), 'utf8')) as LockFile;
		if (r.pid === process.pid) rmSync(lockPath(data), { force: true });
	} catch {
		// already gone
	}
}

/** The admin operations, either on the store directly or through a running server. */
interface Admin {
	shareToken(label: string): Promise<string>;
	invite(studyId: string, input: { name: string; role: Role; coderId: string | null }): Promise<{ member: Member; token: string }>;
	revoke(studyId: string, memberId: string): Promise<Member>;
	members(studyId: string): Promise<Member[]>;
	close(): Promise<void>;
}

/** Opens the store; for PGlite, takes the data folder's lock first (released by `close`). */
async function openStore(flags: Flags): Promise<Store> {
	if (flags.postgres) {
		const store = new Store(await postgresSql(flags.postgres));
		await store.init();
		return store;
	}
	const data = flags.data ?? DEFAULT_DATA;
	takeLock(data);
	try {
		const sql = await pgliteSql(data);
		const store = new Store({ ...sql, close: async () => (await sql.close(), releaseLock(data)) });
		await store.init();
		return store;
	} catch (e) {
		releaseLock(data);
		throw e;
	}
}

function storeAdmin(store: Store): Admin {
	return {
		shareToken: (label) => store.createShareToken(label),
		invite: async (studyId, input) => store.invite(studyId, input),
		revoke: (studyId, memberId) => store.revoke(studyId, memberId),
		async members(studyId) {
			if (!(await store.study(studyId))) throw new Error(`no such study: ${studyId}`);
			return store.members(studyId);
		},
		close: () => store.close()
	};
}

function httpAdmin(run: LockFile): Admin {
	const h = run.host ?? '127.0.0.1';
	const host = h === '0.0.0.0' || h === '::' ? '127.0.0.1' : h.includes(':') ? `[${h}]` : h;
	const base = `http://${host}:${run.port}/api/admin`;
	const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
		const res = await fetch(base + path, {
			method,
			headers: { Authorization: `Bearer ${run.secret}`, 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		const json = (await res.json()) as T & { error?: string };
		if (!res.ok) throw new Error(json.error ?? `server answered ${res.status}`);
		return json;
	};
	return {
		shareToken: async (label) => (await call<{ token: string }>('POST', '/share-token', { label })).token,
		invite: (studyId, input) => call('POST', '/invite', { studyId, ...input }),
		revoke: (studyId, memberId) => call('POST', '/revoke', { studyId, memberId }),
		members: (studyId) => call('GET', `/members?study=${encodeURIComponent(studyId)}`),
		close: async () => {}
	};
}

async function openAdmin(flags: Flags): Promise<Admin> {
	if (!flags.postgres) {
		const lock = readLock(flags.data ?? DEFAULT_DATA);
		if (lock?.port && lock.secret) return httpAdmin(lock);
	}
	return storeAdmin(await openStore(flags));
}

/** Runs an admin subcommand; returns the exit code. */
export async function runAdmin(command: string, flags: Flags, io: Io): Promise<number> {
	let admin: Admin | null = null;
	try {
		admin = await openAdmin(flags);
		switch (command) {
			case 'admin-token': {
				const token = await admin.shareToken(flags.label ?? '');
				io.out(token);
				io.err('A share token: give it to the supervisor, who pastes it in Share; it works once.');
				break;
			}
			case 'invite': {
				const role = flags.role as Role;
				const { member, token } = await admin.invite(flags.study, {
					name: flags.name,
					role,
					coderId: role === 'viewer' ? null : (flags.coder ?? null)
				});
				io.out(`member ${member.id} ${member.role} ${JSON.stringify(member.name)}`);
				io.out(`token ${token}`);
				if (flags.app) {
					const lock = flags.postgres ? null : readLock(flags.data ?? DEFAULT_DATA);
					const server =
						flags.server ??
						(lock?.port ? `ws://${lock.host ?? '127.0.0.1'}:${lock.port}` : `ws://${flags.host ?? '127.0.0.1'}:${flags.port ?? '1234'}`);
					io.out(`link ${joinLink(flags.app, { server, studyId: flags.study, token })}`);
				}
				break;
			}
			case 'revoke': {
				const m = await admin.revoke(flags.study, flags.member);
				io.out(`revoked ${m.id} ${m.role} ${JSON.stringify(m.name)}`);
				break;
			}
			case 'members': {
				const ms = await admin.members(flags.study);
				for (const m of ms) {
					io.out([m.id, m.role, m.revoked ? 'revoked' : 'active', m.coderId ?? '-', JSON.stringify(m.name)].join('\t'));
				}
				break;
			}
		}
		return 0;
	} catch (e) {
		io.err(`${command}: ${(e as Error).message}`);
		return 1;
	} finally {
		await admin?.close().catch(() => {});
	}
}

/** Starts the server from flags; with PGlite, its lock file tells the admin CLI where it listens. */
export async function serve(flags: Flags, io: Io): Promise<{ server: SyncServer; stop(): Promise<void> }> {
	const data = flags.data ?? DEFAULT_DATA;
	const store = await openStore(flags);
	const port = flags.port !== undefined ? Number(flags.port) : 1234;
	const secret = flags.postgres ? undefined : newToken();
	let server: SyncServer;
	try {
		server = await startServer({
			store,
			host: flags.host ?? '127.0.0.1',
			port,
			redis: flags.redis,
			name: flags.name ?? `${hostname()}:${port}`,
			adminSecret: secret,
			log: io.out
		});
	} catch (e) {
		await store.close();
		throw e;
	}
	if (secret) {
		writeFileSync(
			lockPath(data),
			JSON.stringify({ pid: process.pid, host: server.host, port: server.port, secret } satisfies LockFile) + '\n',
			{ mode: 0o600 }
		);
	}
	const storage = flags.postgres ? 'postgres' : `pglite ${resolve(data)}`;
	io.err(`Gloss sync server on ${server.url} (storage: ${storage}${flags.redis ? ', redis' : ''})`);
	return {
		server,
		async stop() {
			await server.close();
			await store.close();
		}
	};
}
