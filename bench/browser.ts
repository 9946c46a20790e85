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
import { chromium, type Browser, type Page } from 'playwright-core';

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

/**
 * Debian's Chromium. `unthrottled`: frames are not held to a simulated 60 Hz vsync (there is no
 * display here), so a duration measures the app's work (handler, style, layout, paint, raster)
 * rather than where in the vsync interval an event happened to land.
 */
export function launchChromium(opts: { unthrottled?: boolean } = {}): Promise<Browser> {
	const args = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--enable-precise-memory-info'];
	if (opts.unthrottled) args.push('--disable-gpu-vsync', '--disable-frame-rate-limit');
	return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args });
}

/**
 * Restore a backup through the Start page of the app at `base`, then say who is coding once (on
 * the study's document `firstDoc`); returns the page and the study's URL.
 */
export async function restoreAndCode(
	browser: Browser,
	base: string,
	file: string,
	study: { name: string; coder: string; firstDoc: string; timeout?: number }
): Promise<{ page: Page; studyUrl: string }> {
	const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const page = await ctx.newPage();
	await page.goto(base + '/');
	await page.getByLabel('Backup file to restore').setInputFiles(file);
	const link = page.getByRole('link', { name: study.name });
	await link.waitFor({ timeout: study.timeout ?? 60_000 });
	const href = (await link.getAttribute('href'))!;
	const studyUrl = base + href.replace(/\/documents$/, '');
	await page.goto(`${studyUrl}/code?doc=${study.firstDoc}`);
	await page.getByRole('button', { name: new RegExp(study.coder) }).first().click();
	await page.getByRole('button', { name: new RegExp(`Coder: ${study.coder}`) }).waitFor();
	return { page, studyUrl };
}
