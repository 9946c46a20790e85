#!/usr/bin/env node
/**
 * `npm run test:sync [playwright args]`: builds the app into build-sync/ with a Content Security
 * Policy that lets it connect to the test's sync servers (GLOSS_SYNC_ORIGINS), leaving the strict
 * build/ alone, then runs the shared-study scenarios (playwright.sync.config.ts; its globalSetup,
 * tests/sync/env.ts, starts PostgreSQL, Redis and the server instances).
 * SYNC_NO_PREVIEW=1 skips the build (node-only specs); SYNC_NO_BUILD=1 reuses build-sync/.
 */
import { spawnSync } from 'node:child_process';

const num = (name, dflt) => Number(process.env[name] ?? dflt);
const servers = [num('SYNC_PORT_A', 1243), num('SYNC_PORT_B', 1244), num('SYNC_PORT_EMBEDDED', 1245)];
const origins = servers.flatMap((p) => [`ws://127.0.0.1:${p}`, `http://127.0.0.1:${p}`]).join(' ');

if (!process.env.SYNC_NO_PREVIEW && !process.env.SYNC_NO_BUILD) {
	const env = { ...process.env, GLOSS_BUILD_DIR: 'build-sync', GLOSS_SYNC_ORIGINS: origins };
	const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit', env });
	if (b.status !== 0) process.exit(b.status ?? 1);
}
const t = spawnSync('npx', ['playwright', 'test', '-c', 'playwright.sync.config.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(t.status ?? 1);
