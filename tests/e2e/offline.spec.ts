/**
 * Gloss without a network, as a person meets it: load the app once, go offline (a train, the
 * field), reload, and keep working on the study. Also: the build ships a Content Security Policy,
 * and the app is installable. (A new version offered, never forced: src/lib/state/app-update.svelte.spec.ts.)
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { appInstalled, expect, openDemo, test } from './helpers';

test('the built index.html carries a Content Security Policy with no inline script or eval', () => {
	const html = readFileSync(resolve(import.meta.dirname, '../../build/index.html'), 'utf8');
	const csp = html.match(/<meta http-equiv="content-security-policy" content="([^"]+)"/)?.[1];
	expect(csp, 'no CSP meta in build/index.html').toBeTruthy();
	const directives = new Map((csp as string).split(';').map((d) => { const [k, ...v] = d.trim().split(/\s+/); return [k, v] as const; }));
	const scripts = directives.get('script-src') ?? [];
	expect(scripts).toContain("'self'");
	expect(scripts).not.toContain("'unsafe-inline'");
	expect(scripts).not.toContain("'unsafe-eval'");
	// SvelteKit's inline boot script is allowed by its hash, not by a loophole.
	expect(scripts.some((s) => s.startsWith("'sha256-"))).toBe(true);
	expect(directives.get('connect-src')).toEqual(["'self'"]);
	expect(directives.get('object-src')).toEqual(["'none'"]);
});

test('after one visit the app opens and works with no network', async ({ page, context }) => {
	const violations: string[] = [];
	page.on('console', (m) => {
		if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
	});
	await openDemo(page);
	await expect(page.getByText('Cleaner Production in Jiangsu (demo)').first()).toBeVisible();
	await appInstalled(page);
	const studyUrl = page.url();

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByText('Cleaner Production in Jiangsu (demo)').first()).toBeVisible();
	// Move around the study offline: the code, the data and the demo file all come from this machine.
	await page.getByRole('link', { name: 'Codebook' }).first().click();
	await expect(page.getByText('Motivations').first()).toBeVisible();
	await page.goto('/');
	await expect(page.getByRole('link', { name: 'Cleaner Production in Jiangsu (demo)' })).toBeVisible();
	await page.goto(studyUrl);
	await expect(page.getByText('Cleaner Production in Jiangsu (demo)').first()).toBeVisible();
	await context.setOffline(false);
	expect(violations).toEqual([]);
});

test('the app is installable: a manifest with a name, start page and icons', async ({ page, request }) => {
	await page.goto('/');
	const href = await page.locator('link[rel="manifest"]').getAttribute('href');
	expect(href).toBeTruthy();
	const res = await request.get(href as string);
	expect(res.ok()).toBe(true);
	const m = await res.json();
	expect(m.name).toMatch(/Gloss/);
	expect(m.start_url).toBe('/');
	expect(m.display).toBe('standalone');
	const sizes = (m.icons as { sizes: string; type: string }[]).filter((i) => i.type === 'image/png').map((i) => i.sizes);
	expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
	for (const icon of m.icons as { src: string }[]) expect((await request.get(icon.src)).ok(), icon.src).toBe(true);
});
