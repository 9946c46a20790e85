/**
 * The coding workspace, as a researcher uses it: restore a small study from the Start page,
 * code passages (overlapping), remove one, undo, reload; retrieve by code filtered by City;
 * search the corpus and auto-code the hits.
 */
import { type Page } from '@playwright/test';
import { clickWord, expect, selectPhrase, test } from './helpers';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../fixtures/coding-small.gloss.json', import.meta.url));

/** Restore the fixture through the Start page and open the study as coder Ana. */
async function openStudy(page: Page) {
	await page.goto('/');
	await page.getByLabel('Backup file to restore').setInputFiles(FIXTURE);
	await page.getByRole('link', { name: 'Coding e2e study' }).click();
	await page.getByRole('button', { name: /Ana/ }).first().click();
	await expect(page.getByRole('button', { name: /Coder: Ana/ })).toBeVisible();
}

/** Click a word of the transcript (to open the codes on it). */
/** A code in the Code view's codebook tree (its name is the code's name, then its count). */
const codeRow = (page: Page, name: string) =>
	page
		.getByRole('tree', { name: 'Codes' })
		.getByRole('treeitem', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\d+ segments?$`) });

test('code passages, overlapping; remove one; undo; reload and see the same coding', async ({ page }) => {
	await openStudy(page);
	await page.getByRole('link', { name: 'Code', exact: true }).click();
	await expect(page.getByRole('document', { name: 'Transcript: Interview A' })).toBeVisible();

	// 1. quick picker: '/' then type with a typo, Enter
	await selectPhrase(page, 'fines were high');
	await page.keyboard.press('/');
	await page.getByRole('combobox', { name: 'Apply a code' }).fill('fnes');
	await page.keyboard.press('Enter');
	await expect(codeRow(page, 'Fines')).toContainText('1');

	// 2. overlapping the first: from the codebook tree
	await selectPhrase(page, 'were high and the city sent inspectors');
	await codeRow(page, 'Inspection').click();
	await expect(codeRow(page, 'Inspection')).toContainText('1');

	// 3. a number key: with no favourites set, keys go to leaf codes in codebook order, skipping
	// the container Motivation (Fines 1, Savings 2)
	await selectPhrase(page, 'save water and energy');
	await expect(codeRow(page, 'Motivation').locator('kbd')).toHaveCount(0);
	await expect(codeRow(page, 'Savings').locator('kbd')).toHaveText('2');
	await page.keyboard.press('2');
	await expect(codeRow(page, 'Savings')).toContainText('1');

	// the overlap lists both codes, with the coder
	await page.keyboard.press('Escape');
	await clickWord(page, 'high');
	const pop = page.getByRole('dialog', { name: 'Codes on this passage' });
	await expect(pop).toContainText('Fines');
	await expect(pop).toContainText('Inspection');
	await expect(pop).toContainText('Ana');
	await pop.getByRole('button', { name: 'Close' }).click();

	// remove Savings from its popover
	await clickWord(page, 'water');
	await page.getByRole('dialog', { name: 'Codes on this passage' }).getByRole('button', { name: 'Remove Savings' }).click();
	await expect(codeRow(page, 'Savings')).toContainText('0');

	// undo brings it back
	await page.keyboard.press('Control+z');
	await expect(codeRow(page, 'Savings')).toContainText('1');
	await expect(page.getByText('Saved', { exact: true })).toBeVisible();

	await page.reload();
	await expect(page.getByRole('document', { name: 'Transcript: Interview A' })).toBeVisible();
	await expect(codeRow(page, 'Fines')).toContainText('1');
	await expect(codeRow(page, 'Inspection')).toContainText('1');
	await expect(codeRow(page, 'Savings')).toContainText('1');
	await clickWord(page, 'high');
	const again = page.getByRole('dialog', { name: 'Codes on this passage' });
	await expect(again).toContainText('Fines');
	await expect(again).toContainText('Inspection');
	await expect(again).toContainText('“were high and the city sent inspectors');
	await again.getByRole('button', { name: 'Close' }).click();

	// in-vivo: a new code named from the selected words
	await selectPhrase(page, 'inspectors every month');
	await page.getByRole('toolbar', { name: 'Code the selection' }).getByRole('button', { name: 'In-vivo' }).click();
	await expect(codeRow(page, 'inspectors every month')).toContainText('1');

	// change a segment's code, then move its end one word earlier
	await page.keyboard.press('Escape');
	await clickWord(page, 'water');
	const pop2 = page.getByRole('dialog', { name: 'Codes on this passage' });
	await pop2.getByRole('button', { name: 'Change Savings to another code' }).click();
	await page.getByRole('combobox', { name: 'Change to code' }).fill('audit');
	await page.keyboard.press('Enter');
	await expect(codeRow(page, 'Audit')).toContainText('1');
	await expect(codeRow(page, 'Savings')).toContainText('0');
	await pop2.getByRole('button', { name: 'Adjust boundaries of Audit' }).click();
	await pop2.getByRole('button', { name: 'End one word earlier' }).click();
	await expect(pop2).toContainText('“save water and”');
	await page.keyboard.press('Control+z');
	await expect(pop2).toContainText('“save water and energy”');
});

test('retrieve a code with its sub-codes, filtered by City', async ({ page }) => {
	await openStudy(page);
	await page.getByRole('link', { name: 'Code', exact: true }).click();
	await selectPhrase(page, 'fines were high');
	await codeRow(page, 'Fines').click();
	await page.getByRole('link', { name: /Interview C/ }).click();
	await expect(page.getByRole('document', { name: 'Transcript: Interview C' })).toBeVisible();
	await selectPhrase(page, 'Fines did not matter');
	await codeRow(page, 'Fines').click();
	await page.getByRole('link', { name: /Interview B/ }).click();
	await expect(page.getByRole('document', { name: 'Transcript: Interview B' })).toBeVisible();
	await selectPhrase(page, 'water bill fell');
	await codeRow(page, 'Savings').click();
	await expect(codeRow(page, 'Savings')).toContainText('1');

	await page.getByRole('link', { name: 'Retrieve', exact: true }).click();
	await page.getByLabel('Code', { exact: true }).selectOption({ label: 'Motivation' });
	await expect(page.getByRole('list', { name: 'Passages' }).getByRole('listitem')).toHaveCount(3);
	await page.getByLabel('City').selectOption('City C');
	const passages = page.getByRole('list', { name: 'Passages' }).getByRole('listitem');
	await expect(passages).toHaveCount(2);
	await expect(passages.first()).toContainText('Interview A');
	await expect(passages.nth(1)).toContainText('Interview C');
	await page.getByLabel('City').selectOption('City N');
	await expect(passages).toHaveCount(1);
	await expect(passages.first()).toContainText('water bill fell');

	// jump to the passage in its transcript
	await passages.first().getByRole('link', { name: /Open in transcript/ }).click();
	await expect(page.getByRole('document', { name: 'Transcript: Interview B' })).toBeVisible();
});

test('search the corpus and auto-code the hits, undoably', async ({ page }) => {
	await openStudy(page);
	await page.getByRole('link', { name: 'Retrieve', exact: true }).click();
	await page.getByRole('tab', { name: 'Text search' }).click();
	await page.getByLabel('Find in all transcripts').fill('audit');
	await page.getByLabel('Whole word').check();
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	const hits = page.getByRole('list', { name: 'Hits' }).getByRole('listitem');
	await expect(hits).toHaveCount(5);

	await page.getByLabel('Code to apply').selectOption({ label: 'Audit' });
	await page.getByRole('button', { name: 'Code all hits' }).click();
	await expect(page.getByText('Coded 5 hits with Audit: 5 new segments.')).toBeVisible();

	// one undo takes the whole batch back
	await page.getByRole('button', { name: 'Undo', exact: true }).click();
	await page.getByRole('tab', { name: 'Coded passages' }).click();
	await page.getByLabel('Code', { exact: true }).selectOption({ label: 'Audit' });
	await expect(page.getByRole('list', { name: 'Passages' }).getByRole('listitem')).toHaveText([/No passage is coded/]);

	// CJK text is found too; code two chosen hits only
	await page.getByRole('tab', { name: 'Text search' }).click();
	await page.getByLabel('Find in all transcripts').fill('审核');
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await expect(hits).toHaveCount(1);
	await page.getByLabel('Find in all transcripts').fill('audit');
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await expect(hits).toHaveCount(5);
	await page.getByRole('checkbox', { name: /Choose hit 1 / }).check();
	await page.getByRole('checkbox', { name: /Choose hit 5 / }).check();
	await page.getByLabel('Code to apply').selectOption({ label: 'Audit' });
	await page.getByRole('button', { name: 'Code 2 chosen' }).click();
	await expect(page.getByText('Coded 2 hits with Audit: 2 new segments.')).toBeVisible();
	await expect(page.getByText('Saved', { exact: true })).toBeVisible();

	await page.reload();
	await page.getByRole('tab', { name: 'Coded passages' }).click();
	await page.getByLabel('Code', { exact: true }).selectOption({ label: 'Audit' });
	const passages = page.getByRole('list', { name: 'Passages' }).getByRole('listitem');
	await expect(passages).toHaveCount(2);
	await expect(passages.first()).toContainText('Interview A');
	await expect(passages.nth(1)).toContainText('Interview C');
});

test('a number key chosen in the Codebook applies that code, and moves from the code that had it; the document list folds away', async ({ page }) => {
	await openStudy(page);
	await page.getByRole('link', { name: 'Codebook', exact: true }).click();
	const key = page.getByLabel('Number key');
	await page.getByRole('treeitem', { name: /Inspection/ }).click();
	await key.selectOption('1');
	await page.getByRole('treeitem', { name: /Audit/ }).click();
	await expect(key).toHaveValue('');
	await key.selectOption('1');
	await page.getByRole('treeitem', { name: /Inspection/ }).click();
	await expect(key).toHaveValue('');
	await key.selectOption('2');
	await expect(key).toHaveValue('2');

	await page.getByRole('link', { name: 'Code', exact: true }).click();
	await expect(codeRow(page, 'Audit').locator('kbd')).toHaveText('1');
	await expect(codeRow(page, 'Inspection').locator('kbd')).toHaveText('2');
	await expect(codeRow(page, 'Fines').locator('kbd')).toHaveCount(0);
	await selectPhrase(page, 'fines were high');
	await page.keyboard.press('2');
	await expect(codeRow(page, 'Inspection')).toContainText('1');
	// the selection bar goes once the code is applied
	await expect(page.getByRole('toolbar', { name: 'Code the selection' })).toBeHidden();

	// the document list folds away for a wider transcript, and stays folded after a reload
	const fold = page.getByRole('button', { name: 'Document list' });
	await expect(page.getByRole('link', { name: /Interview B/ })).toBeVisible();
	await fold.click();
	await expect(fold).toHaveAttribute('aria-expanded', 'false');
	await expect(page.getByRole('link', { name: /Interview B/ })).toBeHidden();
	await page.reload();
	await expect(page.getByRole('button', { name: 'Document list' })).toHaveAttribute('aria-expanded', 'false');
	await page.getByRole('button', { name: 'Document list' }).click();
	await expect(page.getByRole('link', { name: /Interview B/ })).toBeVisible();
});
