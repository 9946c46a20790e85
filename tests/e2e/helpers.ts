/** Steps shared by the e2e scenarios. */
import { expect, type Page } from '@playwright/test';

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
