/**
 * First steps without traps: an attributes file whose names do not all match, a transcript
 * imported twice, a codebook that goes out as CSV and comes back the same, and auto-coding the
 * sentence around each hit.
 */
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { expect, newStudy, test } from './helpers';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => path.join(here, '..', 'fixtures', name);
const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

// These first steps leave the console clean: no warning, no error (the console guard of helpers.ts).

async function importTranscripts(page: Page, files: string[]) {
	await page.getByRole('link', { name: 'Documents' }).click();
	await page.getByLabel('Import transcripts: choose files').setInputFiles(files.map(fixture));
}

test('an attributes file with names the study does not have: the preview says what happens before anything is written', async ({ page }) => {
	await newStudy(page, 'Unmatched names');
	await importTranscripts(page, ['Enterprise C01.txt', 'Enterprise N07 访谈.txt']);
	await expect(page.getByText('Imported 2 transcripts')).toBeVisible();

	await page.getByRole('link', { name: 'Cases' }).click();
	await page
		.getByLabel('Attributes CSV file', { exact: true })
		.setInputFiles(csvFile('cities.csv', 'case,City\nEnterprise C01,C\nEnterprise N07,N\nEnterprise X99,S\n'));
	const importer = page.getByRole('region', { name: /Import attributes from/ });
	const matches = importer.getByRole('status', { name: 'Which case each row goes to' });
	await expect(matches).toContainText('2 rows of 3 match a case of the study (1 by the whole name, 1 by the start of a case\'s name).');
	await expect(importer.getByRole('list', { name: "Rows matched by the start of a case's name" })).toHaveText(
		'row 3 "Enterprise N07" → Enterprise N07 访谈'
	);
	await expect(matches).toContainText('1 row matches no case: it will be skipped');
	await expect(importer.getByRole('list', { name: 'Rows that match no case' })).toHaveText('row 4 "Enterprise X99"');
	// The study has cases, so new ones are not made unless asked.
	await expect(importer.getByLabel('Create cases that are not in the study yet')).not.toBeChecked();
	await expect(page.getByText('2 cases · 0 attributes')).toBeVisible();

	// Without matching by the start of a name, that row matches nothing either.
	await importer.getByLabel(/Match a row to the case whose name starts with it/).uncheck();
	await expect(matches).toContainText('2 rows match no case: they will be skipped');
	await importer.getByLabel(/Match a row to the case whose name starts with it/).check();

	await importer.getByRole('button', { name: 'Import 3 rows' }).click();
	await expect(importer).toBeHidden();
	await expect(page.getByText(/Imported cities\.csv: 2 cases updated, 0 new cases, 1 new attribute; 1 row skipped \(no such case\)\./)).toBeVisible();
	await expect(page.getByLabel('City of Enterprise C01')).toHaveValue('C');
	await expect(page.getByLabel('City of Enterprise N07 访谈')).toHaveValue('N');
	await expect(page.getByText('2 cases · 1 attribute')).toBeVisible();
});

test('a transcript imported again asks before adding a copy', async ({ page }) => {
	await newStudy(page, 'Twice');
	await importTranscripts(page, ['Enterprise C01.txt']);
	await expect(page.getByText('Imported 1 transcript')).toBeVisible();
	await page.getByLabel('Import transcripts: choose files').setInputFiles([fixture('Enterprise C01.txt')]);
	const ask = page.getByRole('dialog', { name: 'This file is already in the study' });
	await expect(ask.getByRole('list', { name: 'Files already imported' })).toHaveText('Enterprise C01.txt');
	await ask.getByRole('button', { name: 'Skip it' }).click();
	await expect(page.getByText('Imported 0 transcripts; 1 skipped')).toBeVisible();
	await expect(page.getByRole('list', { name: 'Skipped files' })).toContainText('already imported as “Enterprise C01”');
	await expect(page.getByText('1 transcript · 1 case')).toBeVisible();

	await page.getByLabel('Import transcripts: choose files').setInputFiles([fixture('Enterprise C01.txt')]);
	await ask.getByRole('button', { name: 'Add a copy' }).click();
	await expect(page.getByRole('button', { name: 'Preview Enterprise C01 (2)' })).toBeVisible();
	await expect(page.getByText('2 transcripts · 1 case')).toBeVisible();
});

test("the demo codebook exported as CSV imports into a fresh study as the same tree", async ({ page }) => {
	await page.goto('/');
	await page.getByRole('button', { name: 'Load the demo study' }).first().click();
	const who = page.getByRole('dialog', { name: 'Who is coding?' });
	await who.getByRole('button', { name: /Demo coder/ }).click();
	await page.getByRole('link', { name: 'Codebook' }).click();
	await expect(page.getByRole('treeitem', { name: /Production cost reduction/ })).toBeVisible();
	const tree = page.getByRole('tree', { name: 'Codes' });
	const names = () =>
		tree.getByRole('treeitem').evaluateAll((els) => els.map((e) => `${e.getAttribute('aria-level')} ${e.textContent?.replace(/\s*\d+\s*$/, '').replace(/[▾▸]/g, '').trim()}`));
	const before = await names();
	expect(before).toHaveLength(41);

	let download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export CSV' }).click();
	const exported = readFileSync((await (await download).path())!, 'utf8');

	await newStudy(page, 'Codebook from CSV');
	await page.getByRole('link', { name: 'Codebook' }).click();
	await page.getByLabel('Codebook file to import').setInputFiles(csvFile('demo-codebook.csv', exported));
	await expect(page.getByText('Imported 41 codes from demo-codebook.csv.')).toBeVisible();
	await expect.poll(names).toEqual(before);

	// Exported again, it is the same file: same ids, paths, definitions and colours.
	download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export CSV' }).click();
	expect(readFileSync((await (await download).path())!, 'utf8')).toBe(exported);

	// A bad sheet is refused by row, and changes nothing.
	await page.getByLabel('Codebook file to import').setInputFiles(csvFile('bad.csv', 'name,colour\nNew code,red\n,#e69f00\n'));
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('bad.csv was not imported');
	await expect(alert).toContainText('bad.csv: row 2: colour: must be a colour written #rrggbb, found "red"');
	await expect(alert).toContainText('bad.csv: row 3: name: missing');
	await expect.poll(names).toEqual(before);
});

test('auto-code the sentence around each hit; the message counts what was made', async ({ page }) => {
	await newStudy(page, 'Sentences');
	await importTranscripts(page, ['Enterprise C01.txt']);
	await expect(page.getByText('Imported 1 transcript')).toBeVisible();
	await page.getByRole('link', { name: 'Codebook' }).click();
	await page.getByRole('button', { name: 'Add code', exact: true }).click();
	await page.getByLabel('Name', { exact: true }).fill('Costs');
	await page.getByLabel('Name', { exact: true }).press('Enter');
	await expect(page.getByRole('treeitem', { name: /Costs/ })).toBeVisible();

	await page.getByRole('link', { name: 'Retrieve', exact: true }).click();
	await page.getByRole('tab', { name: 'Text search' }).click();
	const search = async (q: string) => {
		await page.getByLabel('Find in all transcripts').fill(q);
		await page.getByRole('button', { name: 'Search', exact: true }).click();
	};
	await search('coal');
	await page.getByLabel('Code to apply').selectOption({ label: 'Costs' });
	await page.getByLabel('What each hit codes').selectOption({ label: "hit's sentence" });
	await page.getByRole('button', { name: 'Code all hits' }).click();
	await expect(page.getByText('Coded 1 sentence (1 hit) with Costs: 1 new segment.')).toBeVisible();

	await page.getByLabel('Whole word').check();
	await search('audit');
	await expect(page.getByRole('list', { name: 'Hits' }).getByRole('listitem')).toHaveCount(2);
	await page.getByRole('button', { name: 'Code all hits' }).click();
	await expect(
		page.getByText('Coded 2 sentences (2 hits) with Costs: 1 new segment; 1 sentence was already coded with this code.')
	).toBeVisible();

	await page.getByRole('tab', { name: 'Coded passages' }).click();
	await page.getByLabel('Code', { exact: true }).selectOption({ label: 'Costs' });
	const passages = page.getByRole('list', { name: 'Passages' }).getByRole('listitem').locator('mark');
	await expect(passages).toHaveText([
		'Why did your plant start the cleaner production audit?',
		'Water and coal were getting expensive, and the audit showed us where we wasted them.'
	]);
});

test('a restored study offers its coders, the last to code first; deleting it counts every memo', async ({ page }) => {
	const demo = path.join(here, '..', '..', 'static', 'demo', 'cleaner-production.gloss.json');
	await page.goto('/');
	await page.getByLabel('Backup file to restore').setInputFiles({ name: 'demo.gloss.json', mimeType: 'application/json', buffer: readFileSync(demo) });
	const row = page.getByRole('row', { name: /Cleaner Production in Jiangsu/ });
	await expect(row).toBeVisible();

	// 2 memos on the study, documents and codes, and 5 on coded segments.
	await row.getByRole('button', { name: /^Delete / }).click();
	const del = page.getByRole('dialog', { name: /^Delete “Cleaner Production in Jiangsu/ });
	await expect(del.getByRole('listitem').filter({ hasText: 'memo' })).toHaveText('7 memos');
	await del.getByRole('button', { name: 'Cancel' }).click();

	await row.getByRole('link').first().click();
	const who = page.getByRole('dialog', { name: 'Who is coding?' });
	const coders = who.getByRole('list', { name: 'Coders in this study' }).getByRole('button');
	await expect(coders).toHaveCount(2);
	await expect(coders.first()).toHaveText(/Second coder\s*last to code/);
	// Its name stays the coder's name; "last to code" describes it.
	await expect(who.getByRole('button', { name: 'Second coder', exact: true })).toHaveAccessibleDescription('last to code');
	await expect(coders.nth(1)).toHaveText(/Demo coder/);
	await coders.first().click();
	await expect(page.getByRole('button', { name: 'Coder: Second coder (switch coder)' })).toBeVisible();
});
