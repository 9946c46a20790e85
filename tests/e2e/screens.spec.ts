/**
 * Every screen stays live however the user got there: walk Documents, Cases, Codebook, Code,
 * Retrieve, Analyse, Review and Export in turn by the study's rail, twice round, without a reload;
 * change data on one screen (an attribute, a code's name, a coded passage, auto-coded hits) and
 * find it on the others. The console guard (helpers.ts) fails the run on any warning.
 *
 * The demo study: document C01 (case "C01 Dye intermediates", Size Large) has 32 segments, and
 * "Corporate social image" has 5 (3 by the Demo coder, 2 by the Second coder).
 */
import type { Locator, Page } from '@playwright/test';
import { expect, openDemo, selectPhrase, test } from './helpers';

async function go(page: Page, section: string) {
	await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: section, exact: true }).click();
}

/** A code in the coding view's codebook pane. */
const paneCode = (page: Page, name: string): Locator =>
	page
		.getByRole('tree', { name: 'Codes' })
		.getByRole('treeitem', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\d+ segments?$`) });
/** A pane code's accessible name: its name, then its count. */
const counted = (name: string, n: number) => `${name} ${n} segment${n === 1 ? '' : 's'}`;

/** A table row found by its row header. */
const row = (scope: Locator, name: string): Locator =>
	scope.getByRole('row').filter({ has: scope.page().getByRole('rowheader', { name, exact: true }) });

const C01 = 'C01 Dye intermediates (2001-02)';

test('every screen stays live: change data on one, find it on the others, twice round without a reload', async ({ page }) => {
	test.setTimeout(180_000);
	await openDemo(page);

	let name = 'Corporate social image';
	let codeCount = 5; // segments of that code, all coders
	let docCount = 32; // segments in C01, all coders
	const rounds = [
		{ size: 'Huge 1', rename: 'Social image 1', phrase: '4,010 people on the payroll', search: 'dye', hits: 2, hitsInC01: 2 },
		{ size: 'Huge 2', rename: 'Social image 2', phrase: 'Who deals with environmental matters', search: 'wastewater treatment', hits: 8, hitsInC01: 1 }
	];

	for (const r of rounds) {
		// Documents: C01's segment count follows what was coded on the other screens.
		await go(page, 'Documents');
		const docRow = page.getByRole('row').filter({ has: page.getByRole('button', { name: `Preview ${C01}` }) });
		await expect(docRow).toContainText(String(docCount));

		// Cases: change C01's Size.
		await go(page, 'Cases');
		const size = page.getByLabel('Size of C01 Dye intermediates', { exact: true });
		await size.fill(r.size);
		await size.press('Enter');
		await size.blur();
		await expect(size).toHaveValue(r.size);
		await expect(page.getByText('Saved', { exact: true })).toBeVisible();

		// Codebook: the count is current; rename the code.
		await go(page, 'Codebook');
		const item = page.getByRole('treeitem', { name: new RegExp(`^${name}`) });
		await expect(item.locator(".count").first()).toHaveText(String(codeCount));
		await item.click();
		await page.getByLabel('Name', { exact: true }).fill(r.rename);
		await page.getByLabel('Name', { exact: true }).press('Enter');
		await expect(page.getByRole('treeitem', { name: new RegExp(`^${r.rename}`) })).toBeVisible();
		name = r.rename;

		// Code: the new name, the new attribute chip, the current counts; code a passage, and see
		// it counted and striped.
		await go(page, 'Code');
		await expect(page.getByRole('document', { name: `Transcript: ${C01}` })).toBeVisible();
		await expect(page.getByRole('heading', { name: C01 }).locator('..').getByTitle(`Size: ${r.size}`)).toBeVisible();
		await expect(paneCode(page, name)).toHaveAccessibleName(counted(name, codeCount));
		const listed = page.getByRole('complementary', { name: 'Documents' }).getByRole('link', { name: new RegExp(`^${C01.replace(/[()]/g, '\\$&')}`) });
		await expect(listed.getByTitle(`${docCount} coded segments`)).toBeVisible();
		await selectPhrase(page, r.phrase);
		await paneCode(page, name).click();
		codeCount += 1;
		docCount += 1;
		await expect(paneCode(page, name)).toHaveAccessibleName(counted(name, codeCount));
		await expect(listed.getByTitle(`${docCount} coded segments`)).toBeVisible();
		await expect(page.getByRole('document', { name: `Transcript: ${C01}` })).toContainText(`${name} · DC`);
		await expect(page.getByText('Saved', { exact: true })).toBeVisible();

		// Retrieve: the new name in the dropdown, the passage just coded; auto-code the hits of a search.
		await go(page, 'Retrieve');
		await page.getByRole('tab', { name: 'Coded passages' }).click();
		await page.getByLabel('Code', { exact: true }).selectOption({ label: name });
		await expect(page.getByRole('list', { name: 'Passages' }).getByRole('listitem')).toHaveCount(codeCount);
		await page.getByRole('tab', { name: 'Text search' }).click();
		await page.getByLabel('Find in all transcripts').fill(r.search);
		await page.getByLabel('Whole word').check();
		await page.getByRole('button', { name: 'Search', exact: true }).click();
		await expect(page.getByRole('list', { name: 'Hits' }).getByRole('listitem')).toHaveCount(r.hits);
		await page.getByLabel('Code to apply').selectOption({ label: name });
		await page.getByRole('button', { name: 'Code all hits' }).click();
		await expect(page.getByText(`Coded ${r.hits} hits with ${name}: ${r.hits} new segment${r.hits === 1 ? '' : 's'}.`)).toBeVisible();
		codeCount += r.hits;
		docCount += r.hitsInC01;
		await page.getByRole('tab', { name: 'Coded passages' }).click();
		await page.getByLabel('Code', { exact: true }).selectOption({ label: name });
		await expect(page.getByRole('list', { name: 'Passages' }).getByRole('listitem')).toHaveCount(codeCount);
		await expect(page.getByText('Saved', { exact: true })).toBeVisible();

		// Analyse: the renamed code with every segment; the new Size value as a cross-tab column.
		await go(page, 'Analyse');
		await page.getByRole('tab', { name: 'Frequencies' }).click();
		const table = page.getByRole('tabpanel');
		await expect(row(table, name).getByRole('cell').first()).toHaveText(String(codeCount));
		await page.getByRole('tab', { name: 'Cross-tab' }).click();
		await page.getByLabel('Break by').selectOption({ label: 'Size' });
		await expect(table.getByRole('columnheader', { name: r.size, exact: true })).toBeVisible();
		await expect(table.getByRole('columnheader', { name: 'Huge 1', exact: true })).toHaveCount(r.size === 'Huge 1' ? 1 : 0);

		// Review: the agreement table names the code by its new name.
		await go(page, 'Review');
		await expect(page.getByRole('rowheader', { name, exact: true })).toBeVisible();

		// Export: the page opens.
		await go(page, 'Export');
		await expect(page.getByRole('heading', { name: 'Export', level: 1 })).toBeVisible();
	}

	// Back on the Code screen once more: everything coded on the way is counted there.
	await go(page, 'Code');
	await expect(paneCode(page, name)).toHaveAccessibleName(counted(name, codeCount));
	const listed = page.getByRole('complementary', { name: 'Documents' }).getByRole('link', { name: new RegExp(`^C01 Dye`) });
	await expect(listed.getByTitle(`${docCount} coded segments`)).toBeVisible();
});

test('blind coding hides the other coders on every screen: Analyse, its passages, Documents, Codebook and Retrieve', async ({ page }) => {
	await openDemo(page);
	// "Production cost reduction": 31 segments, 23 of them the Demo coder's; C01: 32 segments, 16 the Demo coder's.
	await go(page, 'Analyse');
	await page.getByRole('tab', { name: 'Frequencies' }).click();
	const table = page.getByRole('tabpanel');
	await expect(page.getByRole('heading', { name: 'Frequencies: coding by all coders (2)' })).toBeVisible();
	await expect(row(table, 'Production cost reduction').getByRole('cell').first()).toHaveText('31');

	// One setting of the coder's view, in the study's header, for every screen.
	await page.getByRole('checkbox', { name: 'Hide other coders' }).check();
	await expect(page.getByRole('heading', { name: /^Frequencies: coding by Demo coder/ })).toBeVisible();
	await expect(row(table, 'Production cost reduction').getByRole('cell').first()).toHaveText('23');
	await expect(page.getByRole('checkbox', { name: 'Per coder' })).toHaveCount(0);
	await page.getByText('Coders:', { exact: true }).click();
	await expect(page.getByRole('group', { name: 'Coders' }).getByRole('checkbox')).toHaveCount(1);
	await page.keyboard.press('Escape');

	// The passages behind a figure are the Demo coder's only.
	await row(table, 'Production cost reduction').getByRole('button', { name: 'Production cost reduction: 23 segments' }).click();
	const passages = page.getByRole('complementary', { name: 'Passages' });
	await expect(passages).toContainText('Demo coder');
	await expect(passages).not.toContainText('Second coder');
	await page.getByRole('button', { name: 'Close passages' }).click();

	// The chart counts the same, and says whose coding it counts.
	await page.getByRole('group', { name: 'Count' }).getByText('Segments', { exact: true }).click();
	await expect(page.getByRole('radio', { name: 'Segments' })).toBeChecked();
	await expect(page.getByRole('button', { name: / > Production cost reduction: 23 \(segments, bar\)$/ })).toBeVisible();
	await expect(page.getByText('Segments per code (Demo coder)')).toBeVisible();

	// Documents, Codebook and Retrieve count the Demo coder's segments only.
	await go(page, 'Documents');
	const docRow = page.getByRole('row').filter({ has: page.getByRole('button', { name: `Preview ${C01}` }) });
	await expect(docRow.getByRole('cell').filter({ hasText: /^16$/ })).toHaveCount(1);
	await go(page, 'Codebook');
	await expect(page.getByRole('treeitem', { name: /^Production cost reduction/ }).locator('.count').first()).toHaveText('23');
	await go(page, 'Retrieve');
	await page.getByRole('tab', { name: 'Coded passages' }).click();
	await page.getByLabel('Code', { exact: true }).selectOption({ label: 'Production cost reduction' });
	await expect(page.getByRole('list', { name: 'Passages' }).getByRole('listitem')).toHaveCount(23);

	// Off again: every coder's work is back, on every screen.
	await page.getByRole('checkbox', { name: 'Hide other coders' }).uncheck();
	await expect(page.getByRole('list', { name: 'Passages' }).getByRole('listitem')).toHaveCount(31);
	await go(page, 'Documents');
	await expect(docRow.getByRole('cell').filter({ hasText: /^32$/ })).toHaveCount(1);
	await go(page, 'Analyse');
	await expect(row(table, 'Production cost reduction').getByRole('cell').first()).toHaveText('31');
});
