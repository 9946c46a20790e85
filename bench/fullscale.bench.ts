/**
 * The full-scale study through the UI (issue 11 part 4), in Chromium (/usr/bin/chromium via
 * playwright-core) against `vite preview` of the build: 500 transcripts, about 5 million words,
 * 100,000 segments by three coders, 30 cases (scripts/fullscale.ts), restored through the Start
 * page's "Restore a backup" like a person would.
 *
 * - restore-fullscale: the file chosen (the input's change event) → the study listed on the Start
 *   page, in a fresh browser profile each run. Also: `progressBar` (1 when a progress bar showed),
 *   `loafMax` (the longest animation frame meanwhile, ms) and `loafBlockingMax` (the most any frame
 *   meanwhile blocked the page: its long tasks over 50 ms; a long frame that blocked nothing waited
 *   on the machine, not on the page's work).
 * - open-study-fullscale: loading /study/<id>/code from scratch (the coder chosen once before) until
 *   the first transcript is painted (the view's `gloss:transcript-painted` mark, ms since
 *   navigation start). Also: `documentsPage` (/study/<id>/documents until its list is painted: its
 *   first page of 50 rows, saying "1–50 of 500 documents").
 * - crosstab-fullscale-ui: on Analyse, the Cross-tab tab clicked (by City, the default) → the table
 *   painted. Also `frequenciesOpen`: Analyse loaded from scratch until the frequency table is
 *   painted, and `loafMax` meanwhile.
 * - review-character-fullscale-ui: on Review (two coders), the unit set to Character → the table at
 *   that unit painted. Also `reviewOpen` (loading Review until its table is painted), `loafMax`.
 * - export-segments-fullscale-ui: on Export, "Segments CSV" clicked → the download starts.
 * - heap-fullscale-mb: the page's JS heap (after a garbage collection; workers not counted) on each
 *   of the screens above, MB; the sample is the largest.
 *
 * GLOSS_BENCH_TRACE=1 traces each restore (Chromium trace) and prints the page's tasks over 40 ms with
 * what they were made of (script, layout, commit…: what a frame LoAF names no script for is made of).
 * GLOSS_BENCH_LOAF=100 prints every frame over 100 ms in the restore, Analyse and Review cases with the
 * scripts that ran in it (what `loafMax` is made of).
 *
 * Each case opens a fresh page in the restored profile (a page a case froze spoils no other).
 * GLOSS_BENCH_RESTORE_RUNS (default 3) sets how many restores are timed.
 *
 * Builds with `npm run build` when src/ changed; serves on port 4185 (GLOSS_BENCH_PORT to change).
 * The study is restored once per process and shared by the cases; `teardown` closes everything.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { BenchCase } from '../scripts/bench';
import { fullScaleBackup } from '../scripts/fullscale';
import { ensureBuilt, launchChromium, startPreview, stopPreview } from './browser';

const PORT = Number(process.env.GLOSS_BENCH_PORT ?? 4185);
const BASE = `http://localhost:${PORT}`;
const STUDY = 'Full-scale study';
const RESTORE_RUNS = Number(process.env.GLOSS_BENCH_RESTORE_RUNS ?? 3);
/** GLOSS_BENCH_LOAF=<ms>: print each animation frame longer than that, with its scripts (what made `loafMax`). */
const LOAF_LOG = Number(process.env.GLOSS_BENCH_LOAF ?? 0);

async function logLoafs(page: Page, label: string, since = 0): Promise<void> {
	if (!LOAF_LOG) return;
	const long = (await page.evaluate(`window.__loafsOver(${LOAF_LOG})`)) as { start: number; duration: number; blocking: number; render: number; scripts: string[] }[];
	for (const l of long.filter((l) => l.start >= since))
		console.error(`  ${label}: frame at ${Math.round(l.start)} ms lasted ${Math.round(l.duration)} ms (blocking ${Math.round(l.blocking)} ms, rendering ${Math.round(l.render)} ms) ${l.scripts.join(', ')}`);
}

/** In every page: `__paintAfter(pred)` resolves with performance.now() in the first task after the frame that painted a DOM where `pred()` holds; `__loaf` records long animation frames. */
const INIT = `(() => {
	const w = window;
	const loafs = [];
	w.__loafs = loafs;
	try {
		new PerformanceObserver((l) => {
			for (const e of l.getEntries())
				loafs.push({
					start: e.startTime,
					duration: e.duration,
					blocking: e.blockingDuration ?? 0,
					render: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
					scripts: (e.scripts || []).map((s) => Math.round(s.duration) + 'ms ' + s.invoker + (s.sourceFunctionName ? ' ' + s.sourceFunctionName : '') + (s.sourceURL ? ' @' + s.sourceURL.split('/').pop() + ':' + s.sourceCharPosition : ''))
				});
		}).observe({ type: 'long-animation-frame', buffered: true });
	} catch {}
	w.__loafMax = (since) => Math.max(0, ...loafs.filter((l) => l.start >= since).map((l) => l.duration));
	w.__loafBlockingMax = (since) => Math.max(0, ...loafs.filter((l) => l.start >= since).map((l) => l.blocking));
	w.__loafsOver = (ms) => loafs.filter((l) => l.duration > ms);
	w.__paintAfter = (pred) =>
		new Promise((res) => {
			let done = false;
			const check = () => {
				if (done || !pred()) return false;
				done = true;
				requestAnimationFrame(() => setTimeout(() => res(performance.now())));
				return true;
			};
			if (check()) return;
			const mo = new MutationObserver(() => check() && mo.disconnect());
			mo.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
		});
	w.__click0 = () => {
		w.__t0 = 0;
		document.addEventListener('click', () => (w.__t0 = performance.now()), { capture: true, once: true });
	};
	w.__change0 = () => {
		w.__t0 = 0;
		document.addEventListener('change', () => (w.__t0 = performance.now()), { capture: true, once: true });
	};
})();`;

type W = Record<string, unknown> & {
	__paintAfter(pred: () => boolean): Promise<number>;
	__loafMax(since: number): number;
	__loafBlockingMax(since: number): number;
	__t0: number;
	__click0(): void;
	__change0(): void;
};

interface Fixture {
	preview: ChildProcess;
	browser: Browser;
	ctx: BrowserContext;
	page: Page;
	studyUrl: string;
	file: string;
	dir: string;
	heap: Record<string, number>;
}

let fixture: Promise<Fixture> | null = null;
let restoreSamples: { ms: number; progress: boolean; loaf: number; blocking: number }[] = [];

async function newContext(browser: Browser): Promise<BrowserContext> {
	const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
	await ctx.addInitScript({ content: INIT });
	return ctx;
}

/** Restore the file through the Start page; ms from the file chosen to the study listed. */
async function restoreOnce(page: Page, file: string): Promise<{ ms: number; progress: boolean; loaf: number; blocking: number; href: string }> {
	await page.goto(BASE + '/');
	await page.getByLabel('Backup file to restore').waitFor();
	const sawProgress = page.evaluate(() => (window as unknown as W).__paintAfter(() => !!document.querySelector('progress')).then(() => true)).catch(() => false);
	await page.evaluate(() => (window as unknown as W).__change0());
	const painted = page.evaluate(
		(name) => (window as unknown as W).__paintAfter(() => [...document.querySelectorAll('a')].some((a) => a.textContent?.trim() === name)),
		STUDY
	);
	const tr = process.env.GLOSS_BENCH_TRACE ? await page.context().newCDPSession(page) : null;
	const events: { name: string; ph: string; ts: number; dur?: number; tid: number; pid: number; args?: Record<string, unknown> }[] = [];
	let traced: Promise<void> = Promise.resolve();
	if (tr) {
		tr.on('Tracing.dataCollected', (e: { value: typeof events }) => void events.push(...e.value));
		traced = new Promise((res) => tr.once('Tracing.tracingComplete', () => res()));
		await tr.send('Tracing.start', { categories: 'devtools.timeline,toplevel,v8,blink.user_timing,disabled-by-default-devtools.timeline,__metadata', transferMode: 'ReportEvents' });
	}
	await page.getByLabel('Backup file to restore').setInputFiles(file);
	const t1 = await painted;
	if (tr) {
		await tr.send('Tracing.end');
		await traced;
		const names = new Map<string, string>();
		for (const e of events) if (e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, String((e.args as { name: string }).name));
		const main = events.filter((e) => names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain' && e.ph === 'X');
		const tasks = main.filter((e) => (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && (e.dur ?? 0) > 40000);
		for (const t of tasks) {
			const inner = main.filter((e) => e !== t && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + t.dur! && (e.dur ?? 0) > 3000);
			console.error(`  restore task ${Math.round(t.dur! / 1000)} ms: ${inner.sort((a, b) => b.dur! - a.dur!).slice(0, 8).map((e) => `${e.name} ${Math.round(e.dur! / 1000)}ms`).join(', ')}`);
		}
		await tr.detach();
	}
	const r = await page.evaluate(() => {
		const w = window as unknown as W;
		return { t0: w.__t0, loaf: w.__loafMax(w.__t0), blocking: w.__loafBlockingMax(w.__t0) };
	});
	const progress = await Promise.race([sawProgress, new Promise<boolean>((res) => setTimeout(() => res(false), 100))]);
	const href = (await page.getByRole('link', { name: STUDY, exact: true }).first().getAttribute('href'))!;
	await logLoafs(page, 'restore', r.t0);
	return { ms: t1 - r.t0, progress, loaf: r.loaf, blocking: r.blocking, href };
}

async function heapMb(page: Page): Promise<number> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('HeapProfiler.collectGarbage');
	const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
	await cdp.detach();
	return usedSize / 1024 / 1024;
}

function getFixture(): Promise<Fixture> {
	fixture ??= (async () => {
		ensureBuilt();
		const dir = mkdtempSync(join(tmpdir(), 'gloss-bench-fullscale-'));
		const file = join(dir, 'full-scale.gloss.json');
		writeFileSync(file, fullScaleBackup());
		const preview = await startPreview(PORT);
		let browser: Browser | null = null;
		try {
			browser = await launchChromium();
			// Earlier runs each in a fresh profile (the restore case); the last one is kept.
			for (let i = 0; i < RESTORE_RUNS - 1; i++) {
				const ctx = await newContext(browser);
				const r = await restoreOnce(await ctx.newPage(), file);
				restoreSamples.push(r);
				await ctx.close();
			}
			const ctx = await newContext(browser);
			const page = await ctx.newPage();
			const r = await restoreOnce(page, file);
			restoreSamples.push(r);
			const studyUrl = BASE + r.href.replace(/\/documents$/, '');
			const heap: Record<string, number> = { start: await heapMb(page) };
			// say who is coding, once
			await page.goto(`${studyUrl}/code`);
			await page.getByRole('button', { name: /Ana/ }).first().click();
			await page.getByRole('button', { name: /Coder: Ana/ }).waitFor();
			return { preview, browser, ctx, page, studyUrl, file, dir, heap };
		} catch (e) {
			await browser?.close();
			await stopPreview(preview);
			rmSync(dir, { recursive: true, force: true });
			throw e;
		}
	})();
	return fixture;
}

/** The fixture with a fresh page in the same profile (a case that froze its page spoils no other). */
async function freshPage(): Promise<Fixture> {
	const f = await getFixture();
	const old = f.page;
	f.page = await f.ctx.newPage();
	await old.close().catch(() => {});
	return f;
}

export async function teardown(): Promise<void> {
	if (!fixture) return;
	const f = await fixture.catch(() => null);
	fixture = null;
	if (!f) return;
	await f.browser.close().catch(() => {});
	await stopPreview(f.preview);
	rmSync(f.dir, { recursive: true, force: true });
}

const w = (page: Page) => page;

/** Load `url` from scratch; ms since navigation start until `pred` holds and is painted. */
async function coldLoad(page: Page, url: string, pred: string): Promise<number> {
	await page.goto('about:blank');
	await page.goto(url);
	return page.evaluate(`window.__paintAfter(() => (${pred}))`) as Promise<number>;
}

export const cases: BenchCase[] = [
	{
		name: 'restore-fullscale',
		unit: 'ms',
		target: 10_000,
		async measure() {
			await getFixture();
			const s = restoreSamples;
			return {
				samples: s.map((x) => x.ms),
				extra: { progressBar: s.every((x) => x.progress) ? 1 : 0, loafMax: Math.max(...s.map((x) => x.loaf)), loafBlockingMax: Math.max(...s.map((x) => x.blocking)) }
			};
		}
	},
	{
		name: 'open-study-fullscale',
		unit: 'ms',
		target: 1000,
		async measure() {
			const f = await freshPage();
			const page = w(f.page);
			const samples: number[] = [];
			const docs: number[] = [];
			for (let i = 0; i < 5; i++) {
				await page.goto('about:blank');
				await page.goto(`${f.studyUrl}/code`);
				await page.locator('.transcript[data-painted]').waitFor({ timeout: 60_000 });
				samples.push(await page.evaluate(() => performance.getEntriesByName('gloss:transcript-painted').at(-1)!.startTime));
				f.heap.code = Math.max(f.heap.code ?? 0, await heapMb(page));
				// the list shows a page of 50 (filtering and sorting cover all 500): painted once it says so
				docs.push(await coldLoad(page, `${f.studyUrl}/documents`, `!!document.querySelector('table.docs tbody tr') && document.body.textContent.includes('of 500 documents')`));
			}
			f.heap.documents = await heapMb(page);
			docs.sort((a, b) => a - b);
			return { samples, extra: { documentsPage: docs[docs.length >> 1] } };
		}
	},
	{
		name: 'crosstab-fullscale-ui',
		unit: 'ms',
		target: 300,
		async measure() {
			const f = await freshPage();
			const page = f.page;
			const samples: number[] = [];
			const opens: number[] = [];
			let loaf = 0;
			for (let i = 0; i < 5; i++) {
				opens.push(await coldLoad(page, `${f.studyUrl}/analyse`, `!!document.querySelector('.panel table.analysis')`));
				// from the frequency table (the tab chosen last time is remembered)
				const freq = page.getByRole('tab', { name: 'Frequencies' });
				if ((await freq.getAttribute('aria-selected')) !== 'true') {
					await freq.click();
					await page.waitForFunction(() => ![...document.querySelectorAll('.panel table.analysis th')].some((th) => th.textContent?.trim() === 'C'));
				}
				await page.evaluate(() => (window as unknown as W).__click0());
				const painted = page.evaluate(() =>
					(window as unknown as W).__paintAfter(() => [...document.querySelectorAll('.panel table.analysis th')].some((th) => th.textContent?.trim() === 'C'))
				);
				await page.getByRole('tab', { name: 'Cross-tab' }).click();
				const t1 = await painted;
				const r = await page.evaluate(() => ({ t0: (window as unknown as W).__t0, loaf: (window as unknown as W).__loafMax(0) }));
				samples.push(t1 - r.t0);
				loaf = Math.max(loaf, r.loaf);
				await logLoafs(page, `analyse ${i}`);
			}
			f.heap.analyse = await heapMb(page);
			opens.sort((a, b) => a - b);
			return { samples, extra: { frequenciesOpen: opens[opens.length >> 1], loafMax: loaf } };
		}
	},
	{
		name: 'review-character-fullscale-ui',
		unit: 'ms',
		target: 1000,
		async measure() {
			const f = await freshPage();
			const page = f.page;
			const samples: number[] = [];
			const opens: number[] = [];
			let loaf = 0;
			for (let i = 0; i < 3; i++) {
				opens.push(await coldLoad(page, `${f.studyUrl}/review`, `!!document.querySelector('[aria-label="Agreement table"] table')`));
				await page.evaluate(() => (window as unknown as W).__change0());
				const painted = page.evaluate(() =>
					(window as unknown as W).__paintAfter(() => !!document.querySelector('[aria-label="Agreement table"][data-unit="character"] table'))
				);
				await page.getByLabel('Unit').selectOption('character');
				const t1 = await painted;
				const r = await page.evaluate(() => ({ t0: (window as unknown as W).__t0, loaf: (window as unknown as W).__loafMax(0) }));
				samples.push(t1 - r.t0);
				loaf = Math.max(loaf, r.loaf);
				await logLoafs(page, `review ${i}`);
			}
			f.heap.review = await heapMb(page);
			opens.sort((a, b) => a - b);
			return { samples, extra: { reviewOpen: opens[opens.length >> 1], loafMax: loaf } };
		}
	},
	{
		name: 'export-segments-fullscale-ui',
		unit: 'ms',
		target: 2000,
		async measure() {
			const f = await freshPage();
			const page = f.page;
			const samples: number[] = [];
			let bytes = 0;
			await page.goto(`${f.studyUrl}/export`);
			for (let i = 0; i < 3; i++) {
				const button = page.getByRole('button', { name: 'Segments CSV' });
				await button.waitFor();
				const t0 = performance.now();
				const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), button.click()]);
				samples.push(performance.now() - t0);
				const path = await download.path();
				if (path) bytes = (await import('node:fs')).statSync(path).size;
				await page.getByRole('button', { name: 'Segments CSV' }).waitFor();
			}
			f.heap.export = await heapMb(page);
			return { samples, extra: { csvMB: bytes / 1024 / 1024 } };
		}
	},
	{
		name: 'heap-fullscale-mb',
		unit: 'MB',
		target: 300,
		async measure() {
			const f = await freshPage();
			if (Object.keys(f.heap).length < 3) {
				// measured alone: visit the screens
				const page = f.page;
				for (const s of ['code', 'analyse', 'review', 'export']) {
					await page.goto(`${f.studyUrl}/${s}`);
					await page.waitForTimeout(s === 'code' ? 2000 : 5000);
					f.heap[s] = await heapMb(page);
				}
			}
			return { samples: [Math.max(...Object.values(f.heap))], extra: { ...f.heap } };
		}
	}
];
