/** Steps shared by the e2e scenarios, and the `test` every scenario uses. */
import { test as base, expect, type Page } from '@playwright/test';

export { expect };

/**
 * Playwright's `test`, failing any scenario in which the page logs a console warning or error
 * (Svelte's runtime warnings among them) or throws an uncaught error. Import `test` from here,
 * never from '@playwright/test'.
 */
export const test = base.extend<{ consoleGuard: void }>({
	consoleGuard: [
		async ({ page }, use) => {
			const problems: string[] = [];
			page.on('console', (m) => {
				if (m.type() === 'warning' || m.type() === 'error') problems.push(`console.${m.type()}: ${m.text()}`);
			});
			page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
			await use();
			expect(problems, 'the page logged warnings or errors').toEqual([]);
		},
		{ auto: true }
	]
});

/**
 * From the start page, load the demo study and wait until it is open. On first use Gloss asks
 * who is coding: the answer is "Demo coder".
 */
export async function openDemo(page: Page) {
	await page.goto('/');
	await page.getByRole('button', { name: 'Load the demo study' }).first().click();
	await page.waitForURL(/\/study\/[^/]+\//);
	const who = page.getByRole('dialog', { name: 'Who is coding?' });
	const asked = await who
		.waitFor({ state: 'visible', timeout: 5000 })
		.then(() => true)
		.catch(() => false);
	if (asked) {
		await who.getByRole('button', { name: /Demo coder/ }).click();
		await expect(who).toBeHidden();
	}
}

/** Drag the mouse over a phrase of the transcript, as a person selects text. */
export async function selectPhrase(page: Page, phrase: string) {
	await expect(page.getByRole('document', { name: /^Transcript:/ })).toContainText(phrase);
	const box = await page.evaluate((p) => {
		const root = document.querySelector('.transcript')!;
		const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			const i = n.textContent!.indexOf(p);
			if (i < 0) continue;
			const r = document.createRange();
			r.setStart(n, i);
			r.setEnd(n, i + 1);
			const a = r.getBoundingClientRect();
			r.setStart(n, i + p.length - 1);
			r.setEnd(n, i + p.length);
			const b = r.getBoundingClientRect();
			return { x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2 };
		}
		return null;
	}, phrase);
	if (!box) throw new Error(`"${phrase}" is not on screen`);
	await page.mouse.move(box.x1, box.y1);
	await page.mouse.down();
	await page.mouse.move((box.x1 + box.x2) / 2, (box.y1 + box.y2) / 2, { steps: 4 });
	await page.mouse.move(box.x2, box.y2, { steps: 4 });
	await page.mouse.up();
	await expect(page.getByRole('toolbar', { name: 'Code the selection' })).toBeVisible();
}

/**
 * Wait until the app's service worker controls this page: after that the app opens with no
 * network, as it does for a person who has visited once. (Polled: page.waitForFunction does not
 * wait for an async predicate's promise, which is truthy at once.)
 */
export async function appInstalled(page: Page) {
	await expect
		.poll(
			() =>
				page.evaluate(async () => {
					const reg = await navigator.serviceWorker.getRegistration();
					return !!reg?.active && !!navigator.serviceWorker.controller;
				}),
			{ timeout: 60_000 }
		)
		.toBe(true);
}

/** Click inside a word of the transcript (on a highlight, that opens the codes on it). */
export async function clickWord(page: Page, word: string) {
	const pt = await page.evaluate((w) => {
		const root = document.querySelector('.transcript')!;
		const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			const i = n.textContent!.indexOf(w);
			if (i < 0) continue;
			const r = document.createRange();
			r.setStart(n, i + 1);
			r.setEnd(n, i + 2);
			const a = r.getBoundingClientRect();
			return { x: a.left + a.width / 2, y: a.top + a.height / 2 };
		}
		return null;
	}, word);
	if (!pt) throw new Error(`"${word}" is not on screen`);
	await page.mouse.click(pt.x, pt.y);
}

/** Create a study from the start page and answer "Who is coding?" with `coder`. */
export async function newStudy(page: Page, name: string, coder = 'Ana') {
	await page.goto('/');
	await page.getByRole('button', { name: 'New study' }).click();
	const dialog = page.getByRole('dialog', { name: 'New study' });
	await dialog.getByLabel('Study name').fill(name);
	await dialog.getByRole('button', { name: 'Create study' }).click();
	// On first use Gloss asks who is coding.
	const who = page.getByRole('dialog', { name: 'Who is coding?' });
	await expect(who).toBeVisible();
	await who.getByLabel('Your name').fill(coder);
	await who.getByRole('button', { name: 'Start coding' }).click();
	await expect(who).toBeHidden();
	await expect(page.getByRole('button', { name: `Coder: ${coder} (switch coder)` })).toBeVisible();
}
