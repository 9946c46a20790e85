/**
 * Analyse, used the way a researcher would: open the demo study's analysis, read the seed's
 * "CP audits" table in the cross-tab by City, switch to Sector, open the passages behind a cell,
 * and download the table as CSV. Controls are found by role and accessible name.
 */
import { type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, openDemo } from './helpers';

async function openDemoAnalysis(page: Page) {
	await openDemo(page);
	await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Analyse' }).click();
	await expect(page.getByRole('heading', { name: 'Analyse', level: 1 })).toBeVisible();
}

/** The row of a code in the current table (found by its row header). */
function codeRow(page: Page, name: string): Locator {
	return page
		.getByRole('tabpanel')
		.getByRole('row')
		.filter({ has: page.getByRole('rowheader', { name, exact: true }) });
}

async function cells(row: Locator): Promise<string[]> {
	return (await row.getByRole('cell').allInnerTexts()).map((t) => t.trim());
}

test('the cross-tab by City reproduces the seed, by Sector opens its passages, and downloads as CSV', async ({ page }) => {
	await openDemoAnalysis(page);

	// Frequencies first: the seed's "Reasons cited" figure for production cost reduction (23 cases).
	await expect(page.getByRole('tab', { name: 'Frequencies', selected: true })).toBeVisible();
	const cost = codeRow(page, 'Production cost reduction');
	await expect(cost.getByRole('cell').nth(2)).toHaveText('23');

	// Cross-tab: cases citing each code by City (the default count and attribute).
	await page.getByRole('tab', { name: 'Cross-tab' }).click();
	await expect(page.getByRole('radio', { name: 'Cases' })).toBeChecked();
	await expect(page.getByLabel('Break by')).toHaveValue(/.+/);
	await expect(page.getByLabel('Break by').locator('option:checked')).toHaveText('City');
	const head = page.getByRole('tabpanel').getByRole('columnheader');
	await expect(head).toHaveText(['Code', 'C', 'N', 'S', 'Total']);

	// The seed's "CP audits at case-study enterprises": columns C, N, S, then the total.
	expect(await cells(codeRow(page, 'Response to the CP audit requirement'))).toEqual(['9', '12', '6', '27']);
	expect(await cells(codeRow(page, '(B) Audit study conducted genuinely'))).toEqual(['7', '7', '6', '20']);
	expect(await cells(codeRow(page, '(B1-b) CP audit continued on own initiative'))).toEqual(['1', '2', '4', '7']);

	// Switch the cross-tab to Sector.
	await page.getByLabel('Break by').selectOption({ label: 'Sector' });
	await expect(head.first()).toHaveText('Code');
	await expect(head.nth(1)).toHaveText('Chemicals');
	await expect(head.last()).toHaveText('Total');
	const genuine = codeRow(page, '(B) Audit study conducted genuinely');
	await expect(genuine.getByRole('cell').first()).toHaveText('11');
	await expect(genuine.getByRole('cell').last()).toHaveText('20');

	// Click a cell to reach its passages.
	await genuine.getByRole('button', { name: '(B) Audit study conducted genuinely, Sector = Chemicals: 11 cases' }).click();
	const panel = page.getByRole('complementary', { name: 'Passages' });
	await expect(panel).toBeVisible();
	await expect(panel.getByRole('heading', { name: '(B) Audit study conducted genuinely · Sector = Chemicals' })).toBeVisible();
	await expect(panel).toContainText('11 cases');
	const passages = panel.getByRole('listitem');
	expect(await passages.count()).toBeGreaterThanOrEqual(11);
	const open = panel.getByRole('link', { name: /^Open in the coding view/ }).first();
	await expect(open).toHaveAttribute('href', /\/study\/[^/]+\/code\?doc=[^&]+&seg=.+/);
	await panel.getByRole('button', { name: 'Close passages' }).click();
	await expect(panel).toBeHidden();

	// Jump to a passage in the coding view and come back: the analysis is as it was.
	await genuine.getByRole('button', { name: '(B) Audit study conducted genuinely, Sector = Chemicals: 11 cases' }).click();
	await panel.getByRole('link', { name: /^Open in the coding view/ }).first().click();
	await page.waitForURL(/\/code\?doc=[^&]+&seg=/);
	await page.goBack();
	await expect(page.getByRole('tab', { name: 'Cross-tab', selected: true })).toBeVisible();
	await expect(page.getByLabel('Break by').locator('option:checked')).toHaveText('Sector');
	await expect(codeRow(page, '(B) Audit study conducted genuinely').getByRole('cell').first()).toHaveText('11');

	// Download the table as shown, and read the file back.
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download CSV' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/crosstab-Sector-cases\.csv$/);
	const file = await download.path();
	const text = readFileSync(file, 'utf8');
	// For Excel by default: the file starts with a byte-order mark
	expect(text.startsWith('\ufeff')).toBe(true);
	const lines = text.slice(1).split('\r\n');
	expect(lines[0]).toBe('code,Chemicals,Electronics,Light industry,Machine building,Pharmaceuticals,Power,Steel,Textiles,total');
	expect(lines).toContain('Response to the CP audit requirement > (B) Audit study conducted genuinely,11,1,1,1,3,0,1,2,20');
	expect(lines).toContain('Response to the CP audit requirement,13,1,3,2,3,1,1,3,27');
	// The totals row: cases per sector (30 in all).
	expect(lines).toContain('(total),13,1,5,2,3,1,1,4,30');
});

test('co-occurrence and matrix cells open their passages; charts can be saved', async ({ page }) => {
	await openDemoAnalysis(page);

	// The bar chart beside the frequency table saves as SVG.
	const saving = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Save chart as SVG' }).click();
	const svg = await saving;
	expect(svg.suggestedFilename()).toMatch(/frequencies-cases-chart\.svg$/);
	const svgText = readFileSync(await svg.path(), 'utf8');
	expect(svgText).toContain('<svg');
	expect(svgText).toContain('Production cost reduction');

	// ... and as PNG (drawn on a canvas).
	const savingPng = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Save chart as PNG' }).click();
	const png = await savingPng;
	expect(png.suggestedFilename()).toMatch(/frequencies-cases-chart\.png$/);
	const pngBytes = readFileSync(await png.path());
	expect([...pngBytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);

	// Per coder: the Demo coder alone reproduces the seed's 23 cases for production cost reduction.
	await page.getByRole('checkbox', { name: 'Per coder' }).check();
	await expect(page.getByRole('columnheader', { name: 'Demo coder' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Production cost reduction (Demo coder): 23 cases citing' })).toBeVisible();

	// Filter the cases to City C: the base and the figures follow (8 of the 10 C cases cite cost reduction).
	await page.getByRole('checkbox', { name: 'Per coder' }).uncheck();
	await page.getByText('Cases:', { exact: true }).click();
	// "all" is every box ticked; unticking N and S leaves City C
	const city = page.getByRole('group', { name: 'City' });
	await expect(city.getByRole('checkbox', { name: 'C', exact: true })).toBeChecked();
	await city.getByRole('checkbox', { name: 'N', exact: true }).uncheck();
	await city.getByRole('checkbox', { name: 'S', exact: true }).uncheck();
	await expect(city.getByRole('checkbox', { name: 'C', exact: true })).toBeDisabled();
	await expect(page.getByText('10 cases · ')).toBeVisible();
	await expect(codeRow(page, 'Production cost reduction').getByRole('cell').nth(2)).toHaveText('8');
	await expect(codeRow(page, 'Production cost reduction').getByRole('cell').nth(3)).toHaveText('80.0');
	await city.getByRole('button', { name: 'All' }).click();
	await expect(city.getByRole('checkbox', { name: 'N', exact: true })).toBeChecked();
	await expect(codeRow(page, 'Production cost reduction').getByRole('cell').nth(2)).toHaveText('23');
	await page.keyboard.press('Escape');

	// A bar opens the same passages as its table row.
	await page.getByRole('button', { name: /Production cost reduction: 23 \(cases citing, bar\)$/ }).first().click();
	await expect(page.getByRole('complementary', { name: 'Passages' })).toContainText('23 cases citing');
	await page.getByRole('button', { name: 'Close passages' }).click();

	// Co-occurrence by case: a cell names both codes.
	await page.getByRole('tab', { name: 'Co-occurrence' }).click();
	await page.getByRole('combobox', { name: 'Both codes in' }).selectOption({ label: 'the same case' });
	const row = codeRow(page, 'Audit requirement');
	const pair = row.getByRole('button', { name: /^Audit requirement with CP training: \d+ cases?$/ });
	await pair.click();
	await expect(page.getByRole('complementary', { name: 'Passages' }).getByRole('heading', { name: 'Audit requirement + CP training' })).toBeVisible();
	await page.getByRole('button', { name: 'Close passages' }).click();

	// The code × case matrix: 0/1 values.
	await page.getByRole('tab', { name: 'Matrix' }).click();
	await page.getByLabel('Values').selectOption({ label: '0 / 1 (cited)' });
	const values = await cells(codeRow(page, 'Motivations for adopting CP measures'));
	expect(values.length).toBe(30);
	expect(values.every((v) => v === '1')).toBe(true);
});

/**
 * The demo study with a consensus coder, as after adjudication: the consensus holds the Demo
 * coder's 23 "Production cost reduction" segments (the two coders hold 31 between them).
 */
function demoWithConsensus(): Buffer {
	type Row = { id: string; name: string; [k: string]: unknown };
	const b = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../static/demo/cleaner-production.gloss.json'), 'utf8')) as {
		study: Row;
		coders: Row[];
		codes: Row[];
		segments: { id: string; codeId: string; coderId: string; [k: string]: unknown }[];
	};
	b.study.name = 'Consensus study';
	const consensus = '7e1d0c0a-0000-4000-8000-00000000c0c0';
	b.coders.push({ id: consensus, name: 'Consensus', isConsensus: true, createdAt: '2026-02-01T10:00:00.000Z' });
	const demo = b.coders.find((c) => c.name === 'Demo coder')!.id;
	const cost = b.codes.find((c) => c.name === 'Production cost reduction')!.id;
	const agreed = b.segments.filter((s) => s.coderId === demo && s.codeId === cost).map((s, i) => ({ ...s, id: `e2e-consensus-${i}`, coderId: consensus }));
	b.segments.push(...agreed);
	return Buffer.from(JSON.stringify(b));
}

test('once a consensus coder exists, the tables count the consensus, say so, and count every coder only when asked', async ({ page }) => {
	await page.goto('/');
	await page.getByLabel('Backup file to restore').setInputFiles({ name: 'consensus.gloss.json', mimeType: 'application/json', buffer: demoWithConsensus() });
	await page.getByRole('link', { name: 'Consensus study' }).click();
	await page.getByRole('dialog', { name: 'Who is coding?' }).getByRole('button', { name: /Demo coder/ }).click();
	await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Analyse' }).click();

	// The default: the consensus only, named in the table's title.
	await expect(page.getByRole('heading', { name: 'Frequencies: coding by Consensus' })).toBeVisible();
	const cost = codeRow(page, 'Production cost reduction');
	await expect(cost.getByRole('cell').first()).toHaveText('23');
	await page.getByText('Coders:', { exact: true }).click();
	const coders = page.getByRole('group', { name: 'Coders' });
	await expect(coders.getByRole('checkbox', { name: 'Consensus' })).toBeChecked();
	await expect(coders.getByRole('checkbox', { name: 'Demo coder' })).not.toBeChecked();

	// "All" ticks every box: every coder added together, and the title says so.
	await coders.getByRole('button', { name: 'All' }).click();
	await expect(coders.getByRole('checkbox', { name: 'Demo coder' })).toBeChecked();
	await expect(page.getByRole('heading', { name: 'Frequencies: coding by all coders (3)' })).toBeVisible();
	await expect(cost.getByRole('cell').first()).toHaveText('54');

	// Unticking one box leaves that coder out.
	await coders.getByRole('checkbox', { name: 'Consensus' }).uncheck();
	await expect(page.getByRole('heading', { name: 'Frequencies: coding by Demo coder and Second coder' })).toBeVisible();
	await expect(cost.getByRole('cell').first()).toHaveText('31');
	await page.keyboard.press('Escape');

	// Clear filters: back to the consensus.
	await page.getByRole('button', { name: 'Clear filters' }).click();
	await expect(page.getByRole('heading', { name: 'Frequencies: coding by Consensus' })).toBeVisible();
	await expect(cost.getByRole('cell').first()).toHaveText('23');
});
