/**
 * Attributes per interview (issue 12 §4), as a researcher sets them: on the Documents page, make
 * Wave a document attribute and give each follow-up interview its own wave; in Analyse, break the
 * cross-tab by Wave and find the 2004 follow-ups counted under 2004.
 */
import { type Locator, type Page } from '@playwright/test';
import { expect, openDemo, test } from './helpers';

function codeRow(page: Page, name: string): Locator {
	return page
		.getByRole('tabpanel')
		.getByRole('row')
		.filter({ has: page.getByRole('rowheader', { name, exact: true }) });
}

test('set Wave per document in the Documents table, cross-tab by Wave, and find the follow-ups under 2004', async ({ page }) => {
	await openDemo(page);
	const nav = page.getByRole('navigation', { name: 'Study sections' });
	await nav.getByRole('link', { name: 'Documents' }).click();
	await expect(page.getByRole('heading', { name: 'Documents', level: 1 })).toBeVisible();

	// The demo holds Wave per document already; start again from nothing, as a new study would.
	await page.getByRole('button', { name: 'Edit attribute Wave' }).click();
	await page.getByRole('dialog', { name: 'Attribute “Wave”' }).getByRole('button', { name: 'Delete attribute…' }).click();
	const confirm = page.getByRole('dialog', { name: 'Delete attribute “Wave”?' });
	await expect(confirm).toContainText('32 values will be lost');
	await confirm.getByRole('button', { name: 'Delete attribute' }).click();
	await expect(page.getByRole('button', { name: 'Edit attribute Wave' })).toHaveCount(0);

	// Add it as a document attribute, and set the wave of three interviews.
	await page.getByRole('button', { name: 'Add document attribute' }).click();
	const add = page.getByRole('dialog', { name: 'Add document attribute' });
	await add.getByLabel('Attribute name').fill('Wave');
	await add.getByLabel('Type').selectOption('category');
	await add.getByRole('button', { name: 'Add document attribute' }).click();
	await expect(add).toBeHidden();
	for (const [doc, wave] of [
		['C03 Antibiotics (2001-02)', '2001-02'],
		['C03 Antibiotics (follow-up, 2004)', '2004'],
		['S01 Fine chemicals (follow-up, 2004)', '2004']
	]) {
		const cell = page.getByLabel(`Wave of ${doc}`, { exact: true });
		await cell.fill(wave);
		await cell.press('Enter');
		await expect(cell).toHaveValue(wave);
	}
	// A category takes any text: nothing is refused.
	await expect(page.getByRole('alert')).toHaveCount(0);

	// Analyse: the cross-tab by Wave, at the document level.
	await nav.getByRole('link', { name: 'Analyse' }).click();
	await page.getByRole('tab', { name: 'Cross-tab' }).click();
	const by = page.getByLabel('Break by');
	await expect(by.locator('optgroup[label="Document attributes"] option')).toHaveText(['Wave']);
	await by.selectOption({ label: 'Wave' });
	const head = page.getByRole('tabpanel').getByRole('columnheader');
	await expect(head).toHaveText(['Code', '2001-02', '2004', '(missing)', 'Total']);
	await expect(page.getByRole('note')).toContainText('a case counts once under each Wave of the documents in which it cites the code');

	// S01 continued its audit, as its 2004 follow-up tells: under 2004, not under its first wave.
	const continued = codeRow(page, '(B1-b) CP audit continued on own initiative');
	await expect(continued.getByRole('cell').nth(1)).toHaveText('1');
	// C03 said in 2004 it did no further audit: under 2004 too.
	const noFurther = codeRow(page, '(B1-a) No further CP audit unless required');
	await expect(noFurther.getByRole('cell').nth(1)).toHaveText('1');

	// The cell opens the follow-up interviews' passages.
	await continued.getByRole('button', { name: '(B1-b) CP audit continued on own initiative, Wave = 2004: 1 case' }).click();
	const panel = page.getByRole('complementary', { name: 'Passages' });
	await expect(panel.getByRole('heading', { name: '(B1-b) CP audit continued on own initiative · Wave = 2004' })).toBeVisible();
	await expect(panel).toContainText('S01 Fine chemicals (follow-up, 2004)');
});
