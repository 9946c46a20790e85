/**
 * The browser harness of the bench's UI cases (not a case file: it does not end in .bench.ts):
 * build when src/ changed, serve the build with `vite preview` (stopped by `stopPreview`, and by the
 * runner in any case: scripts/bench.ts stops every process a case file leaves behind), launch
 * Debian's Chromium through playwright-core.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The newest modification time of any file under a directory. */
function newest(dir: string): number {
	let t = 0;
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		const p = join(dir, e.name);
		t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
	}
	return t;
}

/** Build when there is no build, or when a source file is newer than it. */
export function ensureBuilt(): void {
	const index = join(ROOT, 'build', 'index.html');
	if (existsSync(index) && statSync(index).mtimeMs >= newest(join(ROOT, 'src'))) return;
	const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
	if (r.status !== 0) throw new Error('npm run build failed');
}

/** `vite preview` of the build on `port`, in its own process group; resolves once it answers. */
export async function startPreview(port: number): Promise<ChildProcess> {
	const child = spawn(join(ROOT, 'node_modules', '.bin', 'vite'), ['preview', '--port', String(port), '--strictPort'], {
		cwd: ROOT,
		stdio: 'ignore',
		detached: true
	});
	let exited = false;
	child.once('exit', () => (exited = true));
	for (let i = 0; i < 150 && !exited; i++) {
		try {
			const r = await fetch(`http://localhost:${port}/`);
			if (r.ok) return child;
		} catch {
			/* not up yet */
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	await stopPreview(child);
	throw new Error(`vite preview did not start on port ${port}${exited ? ' (it exited: is the port taken?)' : ''}`);
}

/** Stop a preview started by `startPreview` (its whole process group); resolves once it has exited. */
export function stopPreview(child: ChildProcess): Promise<void> {
	if (!child.pid || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	const gone = new Promise<void>((resolve) => {
		child.once('exit', () => resolve());
		setTimeout(resolve, 5000).unref();
	});
	try {
		process.kill(-child.pid, 'SIGTERM');
	} catch {
		return Promise.resolve();
	}
	return gone;
}

export function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--enable-precise-memory-info']
	});
}
