/**
 * The `npm run test:sync` environment (Playwright globalSetup: the default export; it returns
 * the teardown). Before any test it starts, all on 127.0.0.1:
 *   - PostgreSQL (initdb into a temp folder, as the `postgres` user when run as root) on SYNC_PG_PORT
 *   - Redis on SYNC_REDIS_PORT
 *   - sync server instances "a" (SYNC_PORT_A) and "b" (SYNC_PORT_B) sharing that PostgreSQL and Redis
 *   - sync server instance "embedded" (SYNC_PORT_EMBEDDED) on PGlite in a temp folder (scenario 7)
 * It installs `postgresql` and `redis-server` with apt-get when missing (root only).
 * Server logs go to test-results/sync-<instance>.log.
 *
 * API for the specs in tests/sync (import from './env'):
 *   serverUrl(instance)            'ws://127.0.0.1:<port>' (what the app's Share dialog / join link take)
 *   httpUrl(instance)              'http://127.0.0.1:<port>'
 *   pgUrl()                        the PostgreSQL URL of instances a and b
 *   ports()                        { a, b, embedded, pg, redis, preview }
 *   adminToken(instance, label?)   a fresh share token from the admin CLI on that instance's store
 *   serverCli(instance, args)      runs `npm run server -- <args>` on that instance's store → { code, stdout, stderr }
 *   killInstance(instance)         SIGKILL: no goodbye, nothing flushed (scenario 5)
 *   restartInstance(instance)      starts it again on the same port and store; resolves once it answers
 * The instance names are 'a' | 'b' | 'embedded'.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Instance = 'a' | 'b' | 'embedded';

interface State {
	ports: { a: number; b: number; embedded: number; pg: number; redis: number; preview: number };
	pgUrl: string;
	redisUrl: string;
	pgDir: string;
	pgBin: string;
	embeddedDir: string;
	tmp: string;
	pids: Record<string, number>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LOGS = join(ROOT, 'test-results');
const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);

export function syncPorts(): State['ports'] {
	return {
		a: num('SYNC_PORT_A', 1243),
		b: num('SYNC_PORT_B', 1244),
		embedded: num('SYNC_PORT_EMBEDDED', 1245),
		pg: num('SYNC_PG_PORT', 5441),
		redis: num('SYNC_REDIS_PORT', 6391),
		preview: num('SYNC_E2E_PORT', 4185)
	};
}

const stateFile = () => process.env.GLOSS_SYNC_ENV ?? join(tmpdir(), `gloss-sync-env-${syncPorts().a}.json`);

function readState(): State {
	if (!existsSync(stateFile())) throw new Error('the sync environment is not running (tests/sync/env.ts is the globalSetup)');
	return JSON.parse(readFileSync(stateFile(), 'utf8')) as State;
}

function writeState(s: State): void {
	writeFileSync(stateFile(), JSON.stringify(s, null, 2));
}

// ---- API for the specs -------------------------------------------------------------------------

export function ports(): State['ports'] {
	return readState().ports;
}

export function serverUrl(instance: Instance): string {
	return `ws://127.0.0.1:${readState().ports[instance]}`;
}

/** The PostgreSQL that instances a and b share (diagnostics read a document's stored state). */
export function pgUrl(): string {
	return readState().pgUrl;
}

export function httpUrl(instance: Instance): string {
	return `http://127.0.0.1:${readState().ports[instance]}`;
}

function storeFlags(s: State, instance: Instance): string[] {
	return instance === 'embedded' ? ['--data', s.embeddedDir] : ['--postgres', s.pgUrl];
}

export async function serverCli(instance: Instance, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	const s = readState();
	const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', ...args, ...storeFlags(s, instance)], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d) => (stdout += d));
	child.stderr.on('data', (d) => (stderr += d));
	const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
	return { code, stdout, stderr };
}

export async function adminToken(instance: Instance, label = 'test'): Promise<string> {
	const r = await serverCli(instance, ['admin-token', '--label', label]);
	if (r.code !== 0) throw new Error(`admin-token on ${instance} failed: ${r.stderr.trim()}`);
	return r.stdout.trim();
}

export async function killInstance(instance: Instance): Promise<void> {
	const s = readState();
	const pid = s.pids[instance];
	if (pid) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// already gone
		}
		await waitGone(pid);
	}
}

export async function restartInstance(instance: Instance): Promise<void> {
	const s = readState();
	s.pids[instance] = startInstance(s, instance);
	writeState(s);
	await waitHealthy(s.ports[instance], instance);
}

// ---- setup and teardown ------------------------------------------------------------------------

function which(cmd: string): string | null {
	const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : null;
}

/** Debian keeps initdb and pg_ctl in /usr/lib/postgresql/<version>/bin. */
function pgBin(): string | null {
	const onPath = which('pg_ctl');
	if (onPath && which('initdb')) return join(onPath, '..');
	const base = '/usr/lib/postgresql';
	if (!existsSync(base)) return null;
	const versions = readdirSync(base)
		.filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
		.sort((x, y) => Number(y) - Number(x));
	return versions.length ? join(base, versions[0], 'bin') : null;
}

function isRoot(): boolean {
	return process.getuid?.() === 0;
}

function ensurePackages(): void {
	const missing = [!pgBin() && 'postgresql', !which('redis-server') && 'redis-server'].filter(Boolean) as string[];
	if (!missing.length) return;
	if (!isRoot()) throw new Error(`test:sync needs ${missing.join(' and ')}: apt-get install -y ${missing.join(' ')}`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, stdio: 'inherit' });
	if (install().status !== 0) {
		spawnSync('apt-get', ['update'], { env, stdio: 'inherit' });
		if (install().status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed`);
	}
}

/** Runs a PostgreSQL tool as the `postgres` user when we are root (initdb refuses root). */
function asPg(bin: string, args: string[]): void {
	const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
	execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
}

function startPostgres(s: State): void {
	mkdirSync(s.pgDir, { recursive: true });
	if (isRoot()) {
		const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
		chownSync(s.pgDir, uid, gid);
	}
	asPg(join(s.pgBin, 'initdb'), ['-D', join(s.pgDir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
	asPg(join(s.pgBin, 'pg_ctl'), [
		'-D',
		join(s.pgDir, 'data'),
		'-l',
		join(s.pgDir, 'postgres.log'),
		'-o',
		`-p ${s.ports.pg} -k ${s.pgDir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
		'-w',
		'-t',
		'60',
		'start'
	]);
}

function stopPostgres(s: State): void {
	try {
		asPg(join(s.pgBin, 'pg_ctl'), ['-D', join(s.pgDir, 'data'), '-m', 'immediate', '-w', 'stop']);
	} catch {
		// not running
	}
}

function startDetached(cmd: string, args: string[], log: string): number {
	mkdirSync(LOGS, { recursive: true });
	const out = openSync(log, 'a');
	const child = spawn(cmd, args, { cwd: ROOT, detached: true, stdio: ['ignore', out, out] });
	child.unref();
	return child.pid!;
}

function startInstance(s: State, instance: Instance): number {
	const flags =
		instance === 'embedded'
			? ['--data', s.embeddedDir]
			: ['--postgres', s.pgUrl, '--redis', s.redisUrl];
	return startDetached(
		process.execPath,
		['--import', 'tsx', 'src/server/main.ts', '--port', String(s.ports[instance]), '--name', instance, ...flags],
		join(LOGS, `sync-${instance}.log`)
	);
}

async function waitHealthy(port: number, what: string, ms = 90_000): Promise<void> {
	const end = Date.now() + ms;
	for (;;) {
		try {
			const r = await fetch(`http://127.0.0.1:${port}/api/health`);
			if (r.ok) return;
		} catch {
			// not yet
		}
		if (Date.now() > end) throw new Error(`${what} did not start on port ${port} (see test-results/sync-${what}.log)`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

async function waitRedis(port: number): Promise<void> {
	const end = Date.now() + 20_000;
	while (spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() !== 'PONG') {
		if (Date.now() > end) throw new Error(`redis did not start on port ${port}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function waitGone(pid: number, ms = 10_000): Promise<boolean> {
	const end = Date.now() + ms;
	while (alive(pid)) {
		if (Date.now() > end) return false;
		await new Promise((r) => setTimeout(r, 50));
	}
	return true;
}

async function teardown(): Promise<void> {
	if (!existsSync(stateFile())) return;
	const s = readState();
	for (const name of ['a', 'b', 'embedded']) {
		const pid = s.pids[name];
		if (pid && alive(pid)) process.kill(pid, 'SIGTERM');
	}
	for (const name of ['a', 'b', 'embedded']) {
		const pid = s.pids[name];
		if (pid && !(await waitGone(pid))) process.kill(pid, 'SIGKILL');
	}
	if (s.pids.redis && alive(s.pids.redis)) {
		process.kill(s.pids.redis, 'SIGTERM');
		await waitGone(s.pids.redis);
	}
	stopPostgres(s);
	rmSync(s.tmp, { recursive: true, force: true });
	rmSync(stateFile(), { force: true });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
	ensurePackages();
	if (existsSync(stateFile())) await teardown(); // a run that died before its teardown
	const tmp = mkdtempSync(join(tmpdir(), 'gloss-sync-'));
	chmodSync(tmp, 0o711); // the postgres user must reach its folder inside
	const p = syncPorts();
	const s: State = {
		ports: p,
		pgUrl: `postgres://postgres@127.0.0.1:${p.pg}/postgres`,
		redisUrl: `redis://127.0.0.1:${p.redis}`,
		pgDir: join(tmp, 'pg'),
		pgBin: pgBin()!,
		embeddedDir: join(tmp, 'embedded'),
		tmp,
		pids: {}
	};
	process.env.GLOSS_SYNC_ENV = stateFile();
	for (const f of ['a', 'b', 'embedded', 'redis']) rmSync(join(LOGS, `sync-${f}.log`), { force: true });
	writeState(s);
	try {
		startPostgres(s);
		s.pids.redis = startDetached(
			which('redis-server')!,
			['--port', String(p.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
			join(LOGS, 'sync-redis.log')
		);
		writeState(s);
		await waitRedis(p.redis);
		// "a" first, so that it creates the schema; "b" and the embedded one start beside it.
		for (const i of ['a', 'b', 'embedded'] as const) s.pids[i] = startInstance(s, i);
		writeState(s);
		await Promise.all((['a', 'b', 'embedded'] as const).map((i) => waitHealthy(p[i], i)));
	} catch (e) {
		await teardown();
		throw e;
	}
	return teardown;
}
