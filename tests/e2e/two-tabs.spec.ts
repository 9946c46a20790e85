/**
 * One study open in two tabs (a researcher with the transcript on one screen and Analyse or a
 * second transcript on the other): what is coded in either appears in both, without a reload.
 */
import type { Page } from '@playwright/test';
import { expect, openDemo, selectPhrase, test } from './helpers';

const countOf = (page: Page, name: string) =>
	page
		.getByRole('tree', { name: 'Codes' })
		.getByRole('treeitem', { name: new RegExp(`^${name} (\\d+) segments?$`) });


test('codes applied in one tab appear in the other, both ways, without a reload', async ({ page, context }) => {
	await openDemo(page);
	const code = page.url().replace(/\/[^/]*$/, '/code');
	await page.goto(code);
	const other = await context.newPage();
	await other.goto(code);
	const name = 'Production cost reduction';
	// The demo has 31 passages with this code (both coders).
	const start = 31;
	await expect(countOf(page, name)).toHaveAccessibleName(`${name} ${start} segments`);
	await expect(countOf(other, name)).toHaveAccessibleName(`${name} ${start} segments`);

	// Tab 1 codes a passage with number key 1.
	await selectPhrase(page, 'dye intermediates, and we have about');
	await page.keyboard.press('1');
	await expect(countOf(page, name)).toHaveAccessibleName(`${name} ${start + 1} segments`);
	// Tab 2 sees it, without a reload.
	await expect(countOf(other, name)).toHaveAccessibleName(`${name} ${start + 1} segments`, { timeout: 10_000 });

	// And the other way round.
	await selectPhrase(other, 'Who deals with environmental matters');
	await other.keyboard.press('1');
	await expect(countOf(other, name)).toHaveAccessibleName(`${name} ${start + 2} segments`);
	await expect(countOf(page, name)).toHaveAccessibleName(`${name} ${start + 2} segments`, { timeout: 10_000 });
});
