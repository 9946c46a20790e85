/**
 * The transcript view engine at 10 M characters, in Chromium (/usr/bin/chromium via
 * playwright-core) against `vite preview`, like coding.bench.ts.
 *
 * The study: one transcript of exactly 10,000,000 characters (speaker turns) with 50,000 coded
 * segments by two coders, 20 codes, plus a short second transcript; seeded through the Start
 * page's "Restore a backup" with a generated backup (coding.bench.ts's generator, scaled).
 *
 * - open-10m-transcript: in the coding view, click the 10M transcript in the document list
 *   (coming from the short one) and wait until its text and highlights are painted (the view's
 *   `gloss:transcript-painted` mark, set in the first task after the frame that painted them).
 *   The sample is click event time → that mark. Also reported: the paragraphs and highlight
 *   ranges in the DOM.
 * - scroll-10m-loaf-max: scroll the 10M transcript from its top to its end with the mouse wheel
 *   (wheel events of 2,400 px over the transcript) and take the longest Long Animation Frame
 *   (PerformanceObserver 'long-animation-frame', which reports frames over 50 ms; 0 when none
 *   was). Also reported: how many long frames, wheel events, the longest frame gap seen by
 *   requestAnimationFrame, the scroll height and the most paragraphs in the DOM.
 *
 * Builds with `npm run build` when there is no build or src/ changed since; serves on port 4183
 * (GLOSS_BENCH_PORT to change it), as coding.bench.ts does, one case after the other. Every
 * server and browser it starts is stopped in a finally.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { BenchCase } from '../scripts/bench';
import { ensureBuilt, launchChromium, restoreAndCode, startPreview, stopPreview } from './browser';
import { backupToJson } from '../src/lib/core/backup';
import { BIG_DOC, longTranscriptStudy } from './coding.bench';

const PORT = Number(process.env.GLOSS_BENCH_PORT ?? 4183);
const BASE = `http://localhost:${PORT}`;
const DOC = 'doc-10m';
const OPEN_RUNS = 5;
const WHEEL_PX = 2400;

/** The 10M study: coding.bench.ts's long transcript at ten times the size, with 50,000 segments. */
function tenMillionStudy() {
	const data = longTranscriptStudy(10_000_000, 50_000);
	data.study.name = 'Bench: 10M transcript';
	data.documents = data.documents.map((d) => (d.id === BIG_DOC ? { ...d, id: DOC, name: 'Day-long focus group (10M characters)' } : d));
	data.segments = data.segments.map((s) => (s.documentId === BIG_DOC ? { ...s, documentId: DOC } : s));
	return data;
}

/** Build, serve, launch Chromium, restore the 10M study, pick the coder; run `fn`; stop everything. */
async function withSession<T>(fn: (page: Page, studyUrl: string) => Promise<T>): Promise<T> {
	ensureBuilt();
	let preview: ChildProcess | null = null;
	let browser: Browser | null = null;
	const dir = mkdtempSync(join(tmpdir(), 'gloss-bench-view-'));
	try {
		preview = await startPreview(PORT);
		const file = join(dir, 'ten-million.gloss.json');
		writeFileSync(file, backupToJson(tenMillionStudy()));
		browser = await launchChromium({ unthrottled: true });
		const { page, studyUrl } = await restoreAndCode(browser, BASE, file, { name: 'Bench: 10M transcript', coder: 'Bench coder', firstDoc: 'doc-small', timeout: 180_000 });
		return await fn(page, studyUrl);
	} finally {
		await browser?.close().catch(() => {});
		if (preview) await stopPreview(preview);
		rmSync(dir, { recursive: true, force: true });
	}
}

/** Open the 10M transcript from the document list; ms from the click to the painted mark. */
async function switchOnce(page: Page): Promise<number> {
	await page.getByRole('link', { name: /Short interview/ }).click();
	await page.locator('.transcript[data-painted="doc-small"]').waitFor({ timeout: 60_000 });
	await page.evaluate(() =>
		document.addEventListener('click', (e) => ((window as unknown as { __t0: number }).__t0 = e.timeStamp), { capture: true, once: true })
	);
	await page.getByRole('link', { name: /Day-long focus group/ }).click();
	await page.locator(`.transcript[data-painted="${DOC}"]`).waitFor({ timeout: 60_000 });
	return page.evaluate(
		() => performance.getEntriesByName('gloss:transcript-painted').at(-1)!.startTime - (window as unknown as { __t0: number }).__t0
	);
}

export const cases: BenchCase[] = [
	{
		name: 'open-10m-transcript',
		unit: 'ms',
		target: 500,
		async measure() {
			return withSession(async (page) => {
				await switchOnce(page); // warm once
				const samples: number[] = [];
				for (let i = 0; i < OPEN_RUNS; i++) samples.push(await switchOnce(page));
				await page.waitForTimeout(300);
				const dom = await page.evaluate(() => {
					let ranges = 0;
					for (const h of CSS.highlights.values()) ranges += h.size;
					return { paragraphs: document.querySelectorAll('.transcript .para').length, ranges };
				});
				return { samples, extra: { max: Math.max(...samples), domParagraphs: dom.paragraphs, highlightRanges: dom.ranges } };
			});
		}
	},
	{
		name: 'scroll-10m-loaf-max',
		unit: 'ms',
		target: 50,
		async measure() {
			return withSession(async (page, studyUrl) => {
				await page.goto(`${studyUrl}/code?doc=${DOC}`);
				await page.locator(`.transcript[data-painted="${DOC}"]`).waitFor({ timeout: 60_000 });
				await page.waitForTimeout(500);
				// as a string: tsx would wrap a named function inside the page with a helper it does not have
				await page.evaluate(`(() => {
					const w = window;
					w.__loaf = [];
					w.__gap = 0;
					w.__rows = 0;
					w.__stop = false;
					new PerformanceObserver((list) => {
						for (const e of list.getEntries()) w.__loaf.push(e.duration);
					}).observe({ type: 'long-animation-frame' });
					let last = performance.now();
					const tick = (t) => {
						w.__gap = Math.max(w.__gap, t - last);
						last = t;
						w.__rows = Math.max(w.__rows, document.querySelectorAll('.transcript .para').length);
						if (!w.__stop) requestAnimationFrame(tick);
					};
					requestAnimationFrame(tick);
				})()`);
				const box = (await page.locator('.scroller').boundingBox())!;
				await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
				let wheels = 0;
				for (;;) {
					for (let k = 0; k < 25; k++) {
						await page.mouse.wheel(0, WHEEL_PX);
						wheels++;
					}
					const done = await page.locator('.scroller').evaluate((e) => e.scrollTop + e.clientHeight >= e.scrollHeight - 2);
					if (done || wheels > 20_000) break;
				}
				await page.waitForTimeout(300);
				const r = await page.evaluate(() => {
					const w = window as unknown as { __loaf: number[]; __gap: number; __rows: number; __stop: boolean };
					w.__stop = true;
					const sc = document.querySelector('.scroller')!;
					return { loaf: w.__loaf, gap: w.__gap, rows: w.__rows, height: sc.scrollHeight };
				});
				const max = r.loaf.length ? Math.max(...r.loaf) : 0;
				return {
					samples: [max],
					extra: { longFrames: r.loaf.length, wheels, maxRafGap: r.gap, scrollHeight: r.height, maxDomParagraphs: r.rows }
				};
			});
		}
	}
];
