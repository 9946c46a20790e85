/**
 * A report that arrives as a PDF, and an interview kept as OpenDocument: both imported beside
 * the transcripts; a passage on page 2 coded, found in Retrieve with its page, and exported in
 * the segment CSV with `page` 2. A scanned PDF is refused with a message that names it.
 */
import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { expect, newStudy, selectPhrase, test } from './helpers';
import { makePdf } from '../fixtures/pdf/make-pdf';

const report = makePdf([
	['Audit report, Enterprise N07', '', 'The audit team visited the plant in March 2003 and listed', 'twelve options for cleaner production.'],
	['Findings', '', 'Management approved the wastewater recycling option at once because', 'it paid back within a year.']
]);
const odt = zipSync({
	mimetype: strToU8('application/vnd.oasis.opendocument.text'),
	'content.xml': strToU8(
		'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>Interviewer: Who decided?</text:p><text:p>R: The <text:span>general manager</text:span> did.</text:p></office:text></office:body></office:document-content>'
	)
});

test('a text PDF and an ODT file are imported; a passage on page 2 is coded and exported with its page', async ({ page }) => {
	await newStudy(page, 'Reports');
	await page.getByRole('link', { name: 'Documents' }).click();
	await page.getByLabel('Import transcripts: choose files').setInputFiles([
		{ name: 'N07 audit report.pdf', mimeType: 'application/pdf', buffer: Buffer.from(report) },
		{ name: 'N07 interview.odt', mimeType: 'application/vnd.oasis.opendocument.text', buffer: Buffer.from(odt) },
		{ name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from(makePdf([[]], { scanned: true })) },
		{ name: 'C03 访谈.pdf', mimeType: 'application/pdf', buffer: Buffer.from(makePdf([['受访者：我们在二〇〇二年开始审核。', '问：为什么？']], { cjk: true })) }
	]);
	await expect(page.getByText(/Imported 3 transcripts; 1 skipped/).first()).toBeVisible();
	await expect(page.getByRole('list', { name: 'Skipped files' })).toContainText('scan.pdf: the PDF has no text layer (a scanned document?)');

	await page.getByRole('link', { name: 'Code', exact: true }).click();
	// a Chinese PDF whose font is not embedded reads through Adobe's CMaps, bundled with the app
	await page.getByRole('link', { name: /C03 访谈/ }).click();
	await expect(page.getByRole('document', { name: 'Transcript: C03 访谈' })).toContainText('受访者：我们在二〇〇二年开始审核。');
	await page.getByRole('link', { name: /N07 interview/ }).click();
	await expect(page.getByRole('document', { name: 'Transcript: N07 interview' })).toContainText('R: The general manager did.');
	await page.getByRole('link', { name: /N07 audit report/ }).click();
	const transcript = page.getByRole('document', { name: 'Transcript: N07 audit report' });
	await expect(transcript).toContainText('The audit team visited the plant in March 2003 and listed twelve options for cleaner production.');
	await selectPhrase(page, 'wastewater recycling option');
	await page.keyboard.press('i');
	await expect(page.getByRole('tree', { name: 'Codes' })).toContainText('wastewater recycling option');

	await page.getByRole('link', { name: 'Retrieve' }).click();
	await page.getByLabel('Code', { exact: true }).selectOption({ label: 'wastewater recycling option' });
	await expect(page.getByRole('list', { name: 'Passages' })).toContainText('p. 2');

	await page.getByRole('link', { name: 'Export' }).click();
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Segments CSV' }).click();
	const csv = readFileSync(await (await downloading).path(), 'utf8');
	const [header, row] = csv.replace(/^\uFEFF/, '').split(/\r\n/);
	const cols = header.split(',');
	expect(cols.slice(cols.indexOf('end'), cols.indexOf('end') + 3)).toEqual(['end', 'page', 'text']);
	expect(row.split(',')[cols.indexOf('page')]).toBe('2');
	expect(row).toContain('wastewater recycling option');
});
