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
