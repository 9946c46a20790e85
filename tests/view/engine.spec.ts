/**
 * The transcript view engine (src/lib/view/transcript) in Chromium, on its own: bundled with
 * esbuild and loaded into a blank page with a scroller, the way the coding screen holds it.
 * Windowing, selection across windowed paragraphs (UTF-16 offsets, CJK and emoji), highlight
 * placement and stripes beside the right lines.
 */
import { test, expect, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let dir = '';
let bundle = '';

test.beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'gloss-view-'));
	bundle = join(dir, 'view.js');
	await build({
		entryPoints: [join(ROOT, 'src/lib/view/transcript/index.ts')],
		bundle: true,
		format: 'iife',
		globalName: 'GlossView',
		alias: { $lib: join(ROOT, 'src/lib') },
		outfile: bundle,
		logLevel: 'warning'
	});
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The component's layout rules that matter for geometry (TranscriptView.svelte). */
const CSS_TEXT = `
body { margin: 0; font: 18px/1.5 sans-serif; }
#sc { height: 600px; width: 900px; overflow: auto; position: relative; }
.transcript { --lane-w: 7px; --measure: 34em; padding: 16px 0 40vh; position: relative; }
.para { display: grid; grid-template-columns: 3.25rem minmax(0, var(--measure)) calc(max(var(--lanes), 1) * var(--lane-w) + 6px) 9rem; padding-bottom: 0.7em; position: relative; contain: layout style; }
.para.turn { padding-top: 0.35em; }
.pt { min-width: 0; overflow-wrap: anywhere; white-space: pre-wrap; }
.spk { display: block; font-weight: 650; white-space: normal; }
.st { position: relative; margin-left: 6px; }
.bar { position: absolute; width: 4px; }
.lb { position: relative; font-size: 11px; line-height: 1.35; }
.lbl { position: absolute; left: 4px; right: 0; margin-top: 0.35em; white-space: nowrap; overflow: hidden; }
`;

const WORDS = 'water cost audit report worker health market price waste energy training policy city bureau production'.split(' ');

/** A long transcript: `n` paragraphs, speaker turns, each with its number as the first word. */
function longText(n: number): string {
	const out: string[] = [];
	for (let i = 0; i < n; i++) {
		const words: string[] = [`p${i}`];
		const len = 10 + ((i * 37) % 90);
		for (let k = 0; k < len; k++) words.push(WORDS[(i * 7 + k * 3) % WORDS.length]);
		out.push((i % 2 ? 'R: ' : 'Interviewer: ') + words.join(' ') + '.');
	}
	return out.join('\n\n');
}

type Seg = { id: string; codeId: string; start: number; end: number };

/** A page holding an engine over `text` with `segs`; window.__sel has the spans it reported. */
async function mount(page: Page, text: string, segs: Seg[] = []) {
	await page.setContent(`<!doctype html><html><head><style>${CSS_TEXT}</style></head><body><div id="sc"><div class="transcript" tabindex="0"></div></div></body></html>`);
	await page.addScriptTag({ path: bundle });
	await page.evaluate(
		({ text, segs }) => {
			const w = window as unknown as Record<string, unknown>;
			const { TranscriptEngine } = w.GlossView as typeof import('../../src/lib/view/transcript');
			const sel: unknown[] = [];
			w.__sel = sel;
			const engine = new TranscriptEngine(
				document.querySelector('.transcript') as HTMLElement,
				{
					colourOf: (c) => (c === 'a' ? '#e69f00' : '#0072b2'),
					nameOf: (c) => `Code ${c}`,
					onselect: (span) => sel.push(span),
					onsegments: () => {}
				},
				'gt'
			);
			w.__engine = engine;
			engine.setDocument('d1', text);
			w.__all = segs.map((s) => ({ ...s, studyId: 's', documentId: 'd1', coderId: 'c', memo: '', createdAt: '', updatedAt: '' }));
			engine.setSegments(w.__all as never[]);
		},
		{ text, segs }
	);
	// stripes are drawn after the frame
	await page.waitForTimeout(150);
}

/** The rendered paragraph indices. */
function domParas(page: Page): Promise<number[]> {
	return page.$$eval('.transcript .para', (els) => els.map((e) => Number((e as HTMLElement).dataset.i)));
}

test('only paragraphs near the viewport are in the DOM, and the scroll height is the full document', async ({ page }) => {
	const text = longText(3000);
	await mount(page, text);
	const first = await domParas(page);
	expect(first[0]).toBe(0);
	expect(first.length).toBeGreaterThan(3);
	expect(first.length).toBeLessThan(60);
	// the full document's height, laid out without windowing, against the scroll height
	const full = await page.evaluate((text) => {
		const sc = document.getElementById('sc')!;
		const probe = document.createElement('div');
		probe.className = 'transcript';
		probe.style.cssText = 'position:absolute;visibility:hidden;top:0;left:0;width:900px;padding:16px 0 40vh;--lanes:0';
		const paras = text.split('\n\n');
		for (const p of paras) {
			const row = document.createElement('div');
			const m = /^(Interviewer: |R: )/.exec(p)!;
			row.className = 'para turn';
			row.innerHTML = '<span class="pn">1</span><div class="pt"><span class="spk"></span><span></span></div><div class="st"></div><div class="lb"></div>';
			row.querySelector('.spk')!.textContent = m[1];
			row.querySelector('.pt span:last-child')!.textContent = p.slice(m[1].length);
			probe.append(row);
		}
		document.body.append(probe);
		const h = probe.getBoundingClientRect().height;
		probe.remove();
		return { h, sh: sc.scrollHeight - 0 };
	}, text);
	expect(Math.abs(full.sh - full.h) / full.h).toBeLessThan(0.1);

	// scroll to the end with the scroller: the last paragraph is there, and still few in the DOM
	for (let k = 0; k < 5; k++) {
		await page.evaluate(() => {
			const sc = document.getElementById('sc')!;
			sc.scrollTop = sc.scrollHeight;
		});
		await page.waitForTimeout(50);
	}
	const end = await domParas(page);
	expect(end).toContain(2999);
	expect(end.length).toBeLessThan(60);
	const lastVisible = await page.evaluate(() => {
		const sc = document.getElementById('sc')!.getBoundingClientRect();
		const r = document.querySelector('.para[data-i="2999"]')!.getBoundingClientRect();
		// in view, above the transcript's bottom padding
		return r.top < sc.bottom && r.bottom > sc.top + 50;
	});
	expect(lastVisible).toBe(true);
});

test('scrollToOffset renders the target window and puts the offset in view', async ({ page }) => {
	const text = longText(3000);
	await mount(page, text);
	for (const target of [2222, 77, 1500, 2998]) {
		const offset = text.indexOf(`p${target} `) + `p${target} `.length;
		const where = await page.evaluate((offset) => {
			const e = (window as unknown as { __engine: import('../../src/lib/view/transcript').TranscriptEngine }).__engine;
			e.scrollToOffset(offset, 'center');
			const sc = document.getElementById('sc')!.getBoundingClientRect();
			const rows = document.querySelectorAll('.transcript .para');
			return { sc: { top: sc.top, bottom: sc.bottom }, rows: rows.length };
		}, offset);
		expect(where.rows).toBeLessThan(80);
		const row = page.locator(`.para[data-i="${target}"]`);
		await expect(row).toContainText(`p${target} `);
		const box = (await row.boundingBox())!;
		// the paragraph's first line is inside the scroller's viewport
		expect(box.y).toBeLessThan(where.sc.bottom - 20);
		expect(box.y + box.height).toBeGreaterThan(where.sc.top + 20);
	}
});

test('a selection across windowed paragraphs maps to the right offsets, and Shift+→ extends it by words', async ({ page }) => {
	const text = longText(3000);
	await mount(page, text);
	const a = text.indexOf('p1800 ');
	await page.evaluate((a) => (window as unknown as { __engine: import('../../src/lib/view/transcript').TranscriptEngine }).__engine.scrollToOffset(a, 'start'), a);
	// select from the number word of p1800 to the number word of p1802, through the DOM
	await page.evaluate(() => {
		const body = (i: number) => document.querySelector(`.para[data-i="${i}"] .pt span:last-child`)!.firstChild as Text;
		const r = document.createRange();
		r.setStart(body(1800), 0);
		r.setEnd(body(1802), 'p1802'.length);
		const sel = window.getSelection()!;
		sel.removeAllRanges();
		sel.addRange(r);
	});
	await expect.poll(() => page.evaluate(() => (window as unknown as { __sel: unknown[] }).__sel.at(-1))).toEqual({ start: a, end: text.indexOf('p1802 ') + 5 });
	// Shift+→ moves the end by a word, within the DOM selection
	await page.locator('.transcript').focus();
	await page.keyboard.press('Shift+ArrowRight');
	const next = text.indexOf(' ', text.indexOf('p1802 ') + 6);
	await expect.poll(() => page.evaluate(() => (window as unknown as { __sel: unknown[] }).__sel.at(-1))).toEqual({ start: a, end: next });
	expect(await page.evaluate(() => window.getSelection()!.toString())).toContain('p1801');
});

test('offsets are UTF-16 code units: CJK and emoji before the selection', async ({ page }) => {
	const text = 'A: 😀😀 我们的工厂 saves water 🌊 daily.\n\nB: 节能减排 🙂 energy audit reports.';
	await mount(page, text);
	await page.evaluate(() => {
		const body = (i: number) => document.querySelector(`.para[data-i="${i}"] .pt span:last-child`)!.firstChild as Text;
		const t0 = body(0).data;
		const t1 = body(1).data;
		const r = document.createRange();
		r.setStart(body(0), t0.indexOf('saves'));
		r.setEnd(body(1), t1.indexOf('energy') + 'energy'.length);
		const sel = window.getSelection()!;
		sel.removeAllRanges();
		sel.addRange(r);
	});
	const want = { start: text.indexOf('saves'), end: text.indexOf('energy') + 'energy'.length };
	await expect.poll(() => page.evaluate(() => (window as unknown as { __sel: unknown[] }).__sel.at(-1))).toEqual(want);
	// and back: a span selected by offsets covers exactly its text
	const got = await page.evaluate(
		(w) => {
			(window as unknown as { __engine: import('../../src/lib/view/transcript').TranscriptEngine }).__engine.selectSpan(w);
			return window.getSelection()!.toString();
		},
		{ start: text.indexOf('🌊'), end: text.indexOf('节能') + 2 }
	);
	expect(got.startsWith('🌊 daily.')).toBe(true);
	expect(got.endsWith('节能')).toBe(true);
});

/** The text each highlight range covers, per highlight name. */
function highlightTexts(page: Page): Promise<Record<string, string[]>> {
	return page.evaluate(() => {
		const out: Record<string, string[]> = {};
		for (const [name, hl] of CSS.highlights) {
			for (const r of hl) {
				const s = r as StaticRange;
				const live = document.createRange();
				live.setStart(s.startContainer, s.startOffset);
				live.setEnd(s.endContainer, s.endOffset);
				(out[name] ??= []).push(live.toString());
			}
		}
		return out;
	});
}

test('highlights cover exactly the segment text, and only in paragraphs in the DOM', async ({ page }) => {
	const text = longText(3000);
	const s1 = text.indexOf('p3 ') + 3;
	const segs: Seg[] = [
		{ id: 's1', codeId: 'a', start: s1, end: s1 + 40 },
		// across a paragraph break: the speaker label between is not painted
		{ id: 's2', codeId: 'b', start: text.indexOf('p1 '), end: text.indexOf('p2 ') + 10 }
	];
	// and a segment every tenth paragraph down the document
	for (let i = 10; i < 3000; i += 10) {
		const at = text.indexOf(`p${i} `);
		segs.push({ id: `far${i}`, codeId: 'a', start: at, end: at + 12 });
	}
	await mount(page, text, segs);
	const texts = await highlightTexts(page);
	const all = Object.entries(texts).filter(([n]) => /^gt-c/.test(n)).flatMap(([, v]) => v);
	expect(all).toContain(text.slice(s1, s1 + 40));
	const p1 = text.indexOf('p1 ');
	expect(all).toContain(text.slice(p1, text.indexOf('\n', p1)));
	expect(all).toContain(text.slice(text.indexOf('p2 '), text.indexOf('p2 ') + 10));
	expect(all.some((t) => t.includes('Interviewer:') || t.includes('R: '))).toBe(false);
	// 300 segments in the document, only those of the few paragraphs in the DOM carry ranges
	const rendered = (await domParas(page)).length;
	expect(all.length).toBeLessThan(rendered + 5);

	// a new segment (a key press) adds its one range; the ranges already there stay the same objects
	const kept = await page.evaluate((at) => {
		const w = window as unknown as { __engine: import('../../src/lib/view/transcript').TranscriptEngine; __all: unknown[] };
		const ranges = () => new Set([...CSS.highlights].filter(([n]) => /^gt-c/.test(n)).flatMap(([, h]) => [...h]));
		const before = ranges();
		w.__engine.setSegments([
			...(w.__all as never[]),
			{ id: 'new', codeId: 'b', start: at, end: at + 5, studyId: 's', documentId: 'd1', coderId: 'c', memo: '', createdAt: '', updatedAt: '' }
		]);
		const after = ranges();
		return after.size === before.size + 1 && [...before].every((r) => after.has(r));
	}, text.indexOf('p4 '));
	expect(kept).toBe(true);
	const after = await highlightTexts(page);
	expect(Object.entries(after).filter(([n]) => /^gt-c/.test(n)).flatMap(([, v]) => v)).toContain(text.slice(text.indexOf('p4 '), text.indexOf('p4 ') + 5));
});

/** How many pixels of a text span's box are painted close to `rgb` (a highlight's tint over white). */
async function tinted(page: Page, para: number, rgb: [number, number, number]): Promise<number> {
	const box = (await page.locator(`.para[data-i="${para}"] .pt span:last-child`).boundingBox())!;
	const png = await page.screenshot({ clip: { x: box.x, y: box.y, width: Math.min(box.width, 200), height: Math.min(box.height, 20) } });
	return page.evaluate(
		async ({ data, rgb }) => {
			const img = await createImageBitmap(await (await fetch(`data:image/png;base64,${data}`)).blob());
			const c = new OffscreenCanvas(img.width, img.height);
			const g = c.getContext('2d')!;
			g.drawImage(img, 0, 0);
			const px = g.getImageData(0, 0, img.width, img.height).data;
			let n = 0;
			for (let k = 0; k < px.length; k += 4) if (Math.abs(px[k] - rgb[0]) + Math.abs(px[k + 1] - rgb[1]) + Math.abs(px[k + 2] - rgb[2]) < 12) n++;
			return n;
		},
		{ data: png.toString('base64'), rgb }
	);
}

test('a code paints its passages where it has ranges, and the paragraph of a new segment is painted at once', async ({ page }) => {
	const text = longText(40);
	const at = (i: number) => text.indexOf(`p${i} `);
	await mount(page, text, [{ id: 's1', codeId: 'a', start: at(2), end: at(2) + 30 }]);
	// #e69f00 at alpha 0.28 over white; #0072b2 likewise
	const orange: [number, number, number] = [248, 228, 184];
	const blue: [number, number, number] = [184, 216, 234];
	expect(await tinted(page, 2, orange)).toBeGreaterThan(50);
	expect(await tinted(page, 3, orange)).toBe(0);
	// a code new to paragraph 3 (and to the document) paints there on its first frame
	await page.evaluate((start) => {
		const w = window as unknown as { __engine: import('../../src/lib/view/transcript').TranscriptEngine; __all: unknown[] };
		w.__engine.setSegments([
			...(w.__all as never[]),
			{ id: 'new', codeId: 'b', start, end: start + 30, studyId: 's', documentId: 'd1', coderId: 'c', memo: '', createdAt: '', updatedAt: '' }
		]);
	}, at(3));
	expect(await tinted(page, 3, blue)).toBeGreaterThan(50);
	expect(await tinted(page, 2, blue)).toBe(0);
	// and no longer once the segment is gone
	await page.evaluate(() => {
		const w = window as unknown as { __engine: import('../../src/lib/view/transcript').TranscriptEngine; __all: unknown[] };
		w.__engine.setSegments([...(w.__all as never[])]);
	});
	expect(await tinted(page, 3, blue)).toBe(0);
	expect(await tinted(page, 2, orange)).toBeGreaterThan(50);
});

test('the pending selection and a flash paint only the paragraphs they cover, and follow the window', async ({ page }) => {
	const text = longText(400);
	const at = (i: number) => text.indexOf(`p${i} `);
	await mount(page, text);
	// --accent blue: the pending tint is 26% of it over white; the flash is rgb(255 196 0 / 0.7)
	await page.evaluate(() => document.documentElement.style.setProperty('--accent', '#0000ff'));
	const pendingTint: [number, number, number] = [188, 188, 255];
	const flashTint: [number, number, number] = [255, 214, 77];
	type W = { __engine: import('../../src/lib/view/transcript').TranscriptEngine };
	await page.evaluate((a) => (window as unknown as W).__engine.setPending({ start: a, end: a + 40 }), at(2));
	expect(await tinted(page, 2, pendingTint)).toBeGreaterThan(50);
	expect(await tinted(page, 3, pendingTint)).toBe(0);
	// moved to the next paragraph: the first loses its tint (and its tag), the next has it
	await page.evaluate((a) => (window as unknown as W).__engine.setPending({ start: a, end: a + 40 }), at(3));
	expect(await tinted(page, 3, pendingTint)).toBeGreaterThan(50);
	expect(await tinted(page, 2, pendingTint)).toBe(0);
	expect(await page.locator('.para[data-i="2"] [data-h~="msel"]').count()).toBe(0);
	await page.evaluate(() => (window as unknown as W).__engine.setPending(null));
	expect(await tinted(page, 3, pendingTint)).toBe(0);
	expect(await page.locator('[data-h~="msel"]').count()).toBe(0);
	// a flash far down the document: its paragraph comes into the DOM painted
	await page.evaluate((a) => (window as unknown as W).__engine.reveal(a, a + 30, true), at(300));
	await expect(page.locator('.para[data-i="300"]')).toBeInViewport();
	expect(await tinted(page, 300, flashTint)).toBeGreaterThan(50);
	expect(await tinted(page, 301, flashTint)).toBe(0);
});

test('stripes run beside the lines their segment covers, labelled at the start line', async ({ page }) => {
	const text = longText(40);
	// a segment from the middle of paragraph 17's second line to its fourth line (99 words)
	const p = text.indexOf('p17 ');
	const segs: Seg[] = [{ id: 's1', codeId: 'a', start: p + 120, end: p + 300 }];
	await mount(page, text, segs);
	await page.evaluate((p) => (window as unknown as { __engine: import('../../src/lib/view/transcript').TranscriptEngine }).__engine.scrollToOffset(p, 'start'), p);
	await page.locator('.transcript').evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
	const geo = await page.evaluate(
		({ start, end }) => {
			const row = document.querySelector('.para[data-i="17"]')!;
			const body = row.querySelector('.pt span:last-child')!.firstChild as Text;
			const bodyStart = (row.querySelector('.pt span:last-child') as HTMLElement).dataset.s!;
			const r = document.createRange();
			const o = (x: number) => x - Number(bodyStart);
			r.setStart(body, o(start));
			r.setEnd(body, o(start) + 1);
			const first = r.getClientRects()[0];
			r.setStart(body, o(end) - 1);
			r.setEnd(body, o(end));
			const rs = r.getClientRects();
			const last = rs[rs.length - 1];
			const bar = row.querySelector('.bar[data-seg="s1"]')!.getBoundingClientRect();
			const lbl = row.querySelector('.lbl[data-seg="s1"]')!.getBoundingClientRect();
			return { firstTop: first.top, lastBottom: last.bottom, lineH: first.height, barTop: bar.top, barBottom: bar.bottom, lblTop: lbl.top };
		},
		{ start: p + 120, end: p + 300 }
	);
	expect(Math.abs(geo.barTop - geo.firstTop)).toBeLessThan(2);
	expect(Math.abs(geo.barBottom - geo.lastBottom)).toBeLessThan(2);
	expect(geo.lastBottom - geo.firstTop).toBeGreaterThan(geo.lineH * 1.5);
	expect(geo.lblTop).toBeGreaterThanOrEqual(geo.firstTop - 1);
	expect(geo.lblTop).toBeLessThan(geo.firstTop + geo.lineH);
	await expect(page.locator('.lbl[data-seg="s1"]')).toHaveText('Code a');

	// a second segment on the same paragraph (already drawn) takes its own lane beside the first,
	// and both go when the segments do
	type W = { __engine: import('../../src/lib/view/transcript').TranscriptEngine; __all: unknown[] };
	await page.evaluate((p) => {
		const w = window as unknown as W;
		w.__engine.setSegments([
			...(w.__all as never[]),
			{ id: 's2', codeId: 'b', start: p + 150, end: p + 200, studyId: 's', documentId: 'd1', coderId: 'c', memo: '', createdAt: '', updatedAt: '' }
		]);
	}, p);
	await expect(page.locator('.para[data-i="17"] .bar[data-seg="s2"]')).toHaveCount(1);
	await expect(page.locator('.para[data-i="17"] .bar[data-seg="s1"]')).toHaveCount(1);
	const lefts = await page.locator('.para[data-i="17"] .bar').evaluateAll((bs) => bs.map((b) => Math.round(b.getBoundingClientRect().left)));
	expect(new Set(lefts).size).toBe(2);
	await page.evaluate(() => (window as unknown as W).__engine.setSegments([]));
	await expect(page.locator('.para[data-i="17"] .bar')).toHaveCount(0);
	await expect(page.locator('.lbl')).toHaveCount(0);
});
