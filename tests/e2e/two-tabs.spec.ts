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

test('the same code renamed in two tabs: typing is never overwritten, the later save wins, and each tab is told', async ({ page, context }) => {
	await openDemo(page);
	const codebook = page.url().replace(/\/[^/]*$/, '/codebook');
	await page.goto(codebook);
	const other = await context.newPage();
	await other.goto(codebook);
	const nameIn = (p: Page) => p.getByRole('region', { name: 'Selected code' }).getByLabel('Name', { exact: true });
	const noticeIn = (p: Page) => p.getByRole('region', { name: 'Selected code' }).getByRole('status');
	// Both tabs open the first code of the codebook.
	const first = await nameIn(page).inputValue();
	await expect(nameIn(other)).toHaveValue(first);

	// Tab 2 starts typing a new name, and has not saved it yet.
	await nameIn(other).fill('Cost savings (tab 2)');
	// Meanwhile tab 1 renames the code and saves.
	await nameIn(page).fill('Cost savings (tab 1)');
	await nameIn(page).press('Enter');
	// Tab 2 keeps what is being typed, and is told.
	await expect(noticeIn(other)).toContainText('Renamed in another tab to “Cost savings (tab 1)” while you were typing');
	await expect(nameIn(other)).toHaveValue('Cost savings (tab 2)');

	// Tab 2 saves: the later write wins, and says what it replaced.
	await nameIn(other).press('Enter');
	await expect(noticeIn(other)).toContainText('Another tab had renamed this code to “Cost savings (tab 1)”; your name “Cost savings (tab 2)” is saved');
	// Tab 1, not typing, shows the new name and is told.
	await expect(nameIn(page)).toHaveValue('Cost savings (tab 2)', { timeout: 10_000 });
	await expect(noticeIn(page)).toContainText('Renamed in another tab to “Cost savings (tab 2)”.');
	await expect(page.getByRole('tree').getByRole('treeitem', { name: /^Cost savings \(tab 2\)/ })).toBeVisible();

	// A definition changed in tab 1 shows in tab 2, whose field is not being edited.
	const definition = (p: Page) => p.getByRole('region', { name: 'Selected code' }).getByLabel('Definition', { exact: true });
	await definition(page).fill('Money saved by cleaner production.');
	await definition(page).blur();
	await expect(definition(other)).toHaveValue('Money saved by cleaner production.', { timeout: 10_000 });
	await expect(noticeIn(other)).toContainText('Definition changed in another tab.');
});
