/**
 * The foundation, used the way a researcher would: studies, transcripts, cases and attributes,
 * the codebook, backup and restore. Controls are found by role and accessible name.
 */
import { type Page } from '@playwright/test';
import { expect, newStudy, test } from './helpers';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => path.join(here, '..', 'fixtures', name);
const demoFile = path.join(here, '..', '..', 'static', 'demo', 'cleaner-production.gloss.json');

async function importTranscripts(page: Page, files: string[]) {
	await page.getByRole('link', { name: 'Documents' }).click();
	await page.getByLabel('Import transcripts: choose files').setInputFiles(files.map(fixture));
}

test('create a study, import transcripts and attributes, reload, and find everything', async ({ page }) => {
	await newStudy(page, 'Pilot interviews');
	await importTranscripts(page, ['Enterprise C01.txt', 'Enterprise N07 访谈.txt', 'not-a-transcript.txt']);

	// The good files are imported, the bad one is named with its reason.
	await expect(page.getByText('Imported 2 transcripts; 1 skipped')).toBeVisible();
	await expect(page.getByRole('list', { name: 'Skipped files' })).toContainText('not-a-transcript.txt:');
	await expect(page.getByRole('button', { name: 'Preview Enterprise C01' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Preview Enterprise N07 访谈' })).toBeVisible();
	// Each document joined the case named after its file.
	await expect(page.getByRole('combobox', { name: 'Case of Enterprise N07 访谈' })).toHaveValue(/.+/);
	await expect(page.getByRole('combobox', { name: 'Case of Enterprise N07 访谈' }).locator('option:checked')).toHaveText(
		'Enterprise N07 访谈'
	);

	// Attributes from CSV: pick the case column, see a preview, import.
	await page.getByRole('link', { name: 'Cases' }).click();
	await page.getByLabel('Attributes CSV file', { exact: true }).setInputFiles(fixture('case-attributes.csv'));
	const importer = page.getByRole('region', { name: /Import attributes from/ });
	await expect(importer.getByLabel('Case name column')).toHaveValue('0');
	await expect(importer.getByRole('cell', { name: 'Chemicals' })).toBeVisible();
	await expect(importer.getByLabel('Type of new attribute Wave')).toHaveValue('number');
	// The study already has cases, so a name it does not know is skipped unless asked.
	await expect(importer.getByRole('status', { name: 'Which case each row goes to' })).toContainText(
		'1 row matches no case: it will be skipped'
	);
	await importer.getByLabel('Create cases that are not in the study yet').check();
	await expect(importer.getByRole('status', { name: 'Which case each row goes to' })).toContainText('it will become a new case');
	await importer.getByRole('button', { name: 'Import 3 rows' }).click();
	await expect(importer).toBeHidden();
	await expect(page.getByLabel('City of Enterprise C01')).toHaveValue('C');

	// A value that does not fit its type is refused inline, naming the attribute.
	await page.getByLabel('Wave of Enterprise C01').fill('first');
	await page.getByLabel('Wave of Enterprise C01').press('Enter');
	await expect(page.getByRole('alert').filter({ hasText: 'Wave: "first" is not a number' })).toBeVisible();

	await page.reload();
	await expect(page.getByRole('button', { name: 'Coder: Ana (switch coder)' })).toBeVisible();
	await expect(page.getByLabel('City of Enterprise C01')).toHaveValue('C');
	await expect(page.getByLabel('Sector of Enterprise N07 访谈')).toHaveValue('Textiles');
	await expect(page.getByLabel('Wave of Enterprise S03')).toHaveValue('1');
	await expect(page.getByLabel('Wave of Enterprise C01')).toHaveValue('1');

	await page.getByRole('link', { name: 'Documents' }).click();
	await expect(page.getByText('2 transcripts · 3 cases')).toBeVisible();
	await page.getByRole('button', { name: 'Preview Enterprise N07 访谈' }).click();
	const text = page.getByRole('region', { name: 'Text of Enterprise N07 访谈' });
	await expect(text).toContainText('受访者:');
	await expect(text).toContainText('我们把清洁生产纳入了后来的技改计划');

	// The start page lists the study with its counts.
	await page.getByRole('link', { name: 'All studies' }).click();
	const row = page.getByRole('row', { name: /Pilot interviews/ });
	await expect(row.getByRole('cell').nth(1)).toHaveText('2');
	await expect(row.getByRole('cell').nth(2)).toHaveText('3');
});

test('a bad attributes file is reported by row and changes nothing', async ({ page }) => {
	await newStudy(page, 'Bad input');
	await importTranscripts(page, ['Enterprise C01.txt']);
	await expect(page.getByRole('button', { name: 'Preview Enterprise C01' })).toBeVisible();
	await page.getByRole('link', { name: 'Cases' }).click();
	await page.getByLabel('Attributes CSV file', { exact: true }).setInputFiles(fixture('case-attributes-bad.csv'));
	await expect(page.getByRole('alert')).toContainText('Nothing was imported');
	await expect(page.getByRole('alert')).toContainText('case-attributes-bad.csv: row 4: has 2 cells, the header has 3');
	await expect(page.getByText('1 case · 0 attributes')).toBeVisible();
});

test('build a codebook with the keyboard and export it', async ({ page }) => {
	await newStudy(page, 'Codebook study');
	await page.getByRole('link', { name: 'Codebook' }).click();
	for (const [button, name] of [
		['Add code', 'Motivations'],
		['Add child', 'Economic'],
		['Add sibling', 'Policy'],
		['Add code', 'Leadership commitment']
	]) {
		await page.getByRole('button', { name: button, exact: true }).click();
		await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
		await page.getByLabel('Name', { exact: true }).fill(name);
		await page.getByLabel('Name', { exact: true }).press('Enter');
		await expect(page.getByRole('treeitem', { name: new RegExp(name) })).toBeFocused();
	}
	const tree = page.getByRole('tree', { name: 'Codes' });
	const names = () => tree.getByRole('treeitem').evaluateAll((els) => els.map((e) => `${e.getAttribute('aria-level')} ${e.textContent?.replace(/\s*\d+\s*$/, '').replace(/[▾▸]/g, '').trim()}`));
	await expect.poll(names).toEqual(['1 Motivations', '2 Economic', '2 Policy', '1 Leadership commitment']);

	// Alt+↑ moves the focused code up; Alt+→ puts it under the code above.
	await page.keyboard.press('Alt+ArrowUp');
	await expect.poll(names).toEqual(['1 Leadership commitment', '1 Motivations', '2 Economic', '2 Policy']);
	await page.keyboard.press('Alt+ArrowDown');
	await page.keyboard.press('Alt+ArrowRight');
	await expect.poll(names).toEqual(['1 Motivations', '2 Economic', '2 Policy', '2 Leadership commitment']);

	// The definition fields save when they lose focus.
	await page.getByLabel('Use when', { exact: true }).fill('The respondent credits managers with the decision.');
	await page.getByLabel('Name', { exact: true }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

	// A memo on the code is kept apart from its definition, and survives a reload.
	await page.getByLabel('Memo').fill('Check whether this overlaps with external support.');
	await page.getByLabel('Name', { exact: true }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
	await page.reload();
	await page.getByRole('treeitem', { name: /Leadership commitment/ }).click();
	await expect(page.getByLabel('Memo')).toHaveValue('Check whether this overlaps with external support.');
	await expect(page.getByLabel('Use when', { exact: true })).toHaveValue('The respondent credits managers with the decision.');

	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export JSON' }).click();
	const file = await (await download).path();
	const book = JSON.parse(readFileSync(file, 'utf8'));
	expect(book.format).toBe('gloss-codebook');
	expect(book.codes[0].children.map((c: { name: string }) => c.name)).toEqual(['Economic', 'Policy', 'Leadership commitment']);
	expect(book.codes[0].children[2].inclusion).toBe('The respondent credits managers with the decision.');
});

test('load the demo study', async ({ page }) => {
	test.skip(!existsSync(demoFile), 'the demo study is not built yet');
	await page.goto('/');
	await page.getByRole('button', { name: 'Load the demo study' }).click();
	const who = page.getByRole('dialog', { name: 'Who is coding?' });
	await who.getByRole('button', { name: /Demo coder/ }).click();
	await expect(page.getByRole('button', { name: 'Coder: Demo coder (switch coder)' })).toBeVisible();
	await expect(page.getByText(/\d+ transcripts · 30 cases/)).toBeVisible();
	await page.getByRole('link', { name: 'Codebook' }).click();
	await expect(page.getByRole('treeitem', { name: /Production cost reduction/ })).toBeVisible();
	await page.getByRole('link', { name: 'Cases' }).click();
	await expect(page.getByRole('button', { name: 'Edit attribute City' })).toBeVisible();
});

test('export a backup, delete the study, restore it, and find it whole', async ({ page }) => {
	await newStudy(page, 'Round trip');
	await importTranscripts(page, ['Enterprise C01.txt', 'Enterprise S03.docx']);
	await expect(page.getByRole('button', { name: 'Preview Enterprise S03' })).toBeVisible();
	await page.getByRole('link', { name: 'Codebook' }).click();
	await page.getByRole('button', { name: 'Add code', exact: true }).click();
	await page.getByLabel('Name', { exact: true }).fill('International markets');
	await page.getByLabel('Name', { exact: true }).press('Enter');
	await page.getByLabel('Definition').fill('Buyers abroad ask for cleaner production.');
	await page.getByLabel('Name', { exact: true }).click();
	await page.getByRole('link', { name: 'Cases' }).click();
	await page.getByRole('button', { name: 'Add City, Sector, Size and Ownership to cases, and Wave, Date, Interviewer and Language to documents' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Wave, Date, Interviewer and Language belong to each interview' })).toBeVisible();
	await page.getByLabel('City of Enterprise S03').fill('S');
	await page.getByLabel('City of Enterprise S03').press('Tab');
	await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

	await page.getByRole('link', { name: 'Export' }).click();
	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download backup' }).click();
	const backupPath = await (await download).path();
	const original = JSON.parse(readFileSync(backupPath, 'utf8'));

	// Delete: the confirmation says what will be lost.
	await page.getByRole('link', { name: 'All studies' }).click();
	await page.getByRole('button', { name: 'Delete Round trip' }).click();
	const confirm = page.getByRole('dialog', { name: /Delete “Round trip”/ });
	await expect(confirm).toContainText('2 documents');
	await expect(confirm).toContainText('1 code');
	await confirm.getByRole('button', { name: 'Delete study' }).click();
	await expect(page.getByRole('link', { name: 'Round trip' })).toBeHidden();

	// Restore it from the file.
	await page.getByLabel('Backup file to restore').setInputFiles({
		name: 'round-trip.gloss.json',
		mimeType: 'application/json',
		buffer: readFileSync(backupPath)
	});
	await page.getByRole('link', { name: 'Round trip' }).click();
	await page.getByRole('dialog', { name: 'Who is coding?' }).getByRole('button', { name: /Ana/ }).click();
	await expect(page.getByText('2 transcripts · 2 cases')).toBeVisible();
	await page.getByRole('link', { name: 'Cases' }).click();
	await expect(page.getByLabel('City of Enterprise S03')).toHaveValue('S');
	await page.getByRole('link', { name: 'Codebook' }).click();
	await page.getByRole('treeitem', { name: /International markets/ }).click();
	await expect(page.getByLabel('Definition')).toHaveValue('Buyers abroad ask for cleaner production.');

	// Exported again, the restored study is the same study.
	await page.getByRole('link', { name: 'Export' }).click();
	const again = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download backup' }).click();
	const restored = JSON.parse(readFileSync(await (await again).path(), 'utf8'));
	const strip = (b: Record<string, unknown>) => ({ ...b, exportedAt: null, study: { ...(b.study as object), id: null, updatedAt: null } });
	expect(strip(restored)).toEqual(strip(original));
});

test('a file that is not a backup is refused with a clear message and adds no study', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('region', { name: 'No studies yet' })).toBeVisible();
	await page.getByLabel('Backup file to restore').setInputFiles({
		name: 'notes.gloss.json',
		mimeType: 'application/json',
		buffer: Buffer.from('{"format": "gloss-study", "version": 99}')
	});
	await expect(page.getByRole('alert')).toContainText('notes.gloss.json: version: this Gloss reads backup versions 1 to 3, found 99');
	await page.getByLabel('Backup file to restore').setInputFiles({ name: 'broken.gloss.json', mimeType: 'application/json', buffer: Buffer.from('{"format": ') });
	await expect(page.getByRole('alert')).toContainText('broken.gloss.json: not valid JSON');
	await expect(page.getByRole('region', { name: 'No studies yet' })).toBeVisible();
});

test('drop transcripts on the page, rename one, move it to a new case, and delete it', async ({ page }) => {
	await newStudy(page, 'Dropped files');
	await page.getByRole('link', { name: 'Documents' }).click();
	const files = [
		{ name: 'Enterprise C01.txt', type: 'text/plain', data: readFileSync(fixture('Enterprise C01.txt')).toString('base64') },
		{ name: 'Enterprise S03.docx', type: 'application/octet-stream', data: readFileSync(fixture('Enterprise S03.docx')).toString('base64') },
		{ name: 'slides.pptx', type: 'application/octet-stream', data: Buffer.from('PK').toString('base64') }
	];
	const transfer = await page.evaluateHandle((list) => {
		const dt = new DataTransfer();
		for (const f of list) {
			const bytes = Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0));
			dt.items.add(new File([bytes], f.name, { type: f.type }));
		}
		return dt;
	}, files);
	const zone = page.getByRole('group', { name: 'Import transcripts' });
	await zone.dispatchEvent('dragover', { dataTransfer: transfer });
	await zone.dispatchEvent('drop', { dataTransfer: transfer });
	await expect(page.getByText('Imported 2 transcripts; 1 skipped')).toBeVisible();
	await expect(page.getByRole('list', { name: 'Skipped files' })).toContainText('slides.pptx: not a transcript file');

	// The .docx was read by mammoth, one paragraph a line, speaker turns recognised.
	await page.getByRole('button', { name: 'Preview Enterprise S03' }).click();
	await expect(page.getByRole('region', { name: 'Text of Enterprise S03' }).locator('strong')).toHaveText(['Interviewer:', 'R:']);

	await page.getByRole('button', { name: 'Rename Enterprise S03' }).click();
	const rename = page.getByRole('dialog', { name: 'Rename document' });
	await rename.getByLabel('Document name').fill('Enterprise C01');
	await rename.getByRole('button', { name: 'Rename' }).click();
	await expect(rename.getByRole('alert')).toHaveText('Document name: "Enterprise C01" is already a document in this study');
	await rename.getByLabel('Document name').fill('S03 dyeing, wave 1');
	await rename.getByRole('button', { name: 'Rename' }).click();
	await expect(rename).toBeHidden();

	await page.getByRole('combobox', { name: 'Case of S03 dyeing, wave 1' }).selectOption({ label: 'New case…' });
	const newCase = page.getByRole('dialog', { name: 'New case' });
	await newCase.getByLabel('Case name').fill('S03 Textile dyeing');
	await newCase.getByRole('button', { name: 'Create case' }).click();
	await expect(page.getByRole('combobox', { name: 'Case of S03 dyeing, wave 1' }).locator('option:checked')).toHaveText('S03 Textile dyeing');

	await page.getByRole('button', { name: 'Delete Enterprise C01' }).click();
	const del = page.getByRole('dialog', { name: /Delete “Enterprise C01”/ });
	await expect(del).toContainText('Nothing has been coded in it yet.');
	await del.getByRole('button', { name: 'Delete document' }).click();
	await expect(page.getByText('1 transcript · 3 cases')).toBeVisible();
});
