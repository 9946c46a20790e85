/**
 * The Documents list of a study with many transcripts (130, from the full-scale generator made
 * small) shows a page at a time; filtering and sorting cover every document, so a person reaches
 * the last transcript by its page, by its name, or by sorting.
 */
import { fullScaleStudy } from '../../scripts/fullscale';
import { backupToJson } from '../../src/lib/core/backup';
import { expect, test } from './helpers';
import type { Page } from '@playwright/test';

const study = fullScaleStudy({ documents: 130, wordsPerDocument: 120, segments: 2000, cases: 30 });

/** The document names in the list, top to bottom. */
function names(page: Page) {
	return page.locator('table.docs tbody td.name button.linkish').allTextContents();
}

test('130 transcripts: a page of 50 at a time; the last one found by paging, filtering and sorting', async ({ page }) => {
	test.setTimeout(120_000);
	await page.goto('/');
	await page.getByLabel('Backup file to restore').setInputFiles({ name: 'many.gloss.json', mimeType: 'application/json', buffer: Buffer.from(backupToJson(study)) });
	const link = page.getByRole('link', { name: 'Full-scale study', exact: true });
	await expect(link).toBeVisible({ timeout: 60_000 });
	await link.click();
	await page.waitForURL(/\/study\/[^/]+\/documents/);
	// who is coding is asked once, when the study first opens
	const who = page.getByRole('dialog', { name: 'Who is coding?' });
	await who.getByRole('button', { name: /Ana/ }).click();
	await expect(who).toBeHidden();

	const status = page.getByRole('status').filter({ hasText: /of 130 documents/ });
	await expect(status).toHaveText('1–50 of 130 documents');
	expect(await names(page)).toHaveLength(50);
	expect((await names(page))[0]).toBe('Transcript 1');
	await expect(page.getByRole('button', { name: 'Preview Transcript 130' })).toHaveCount(0);
	await expect(page.getByText('Page 1 of 3')).toBeVisible();

	// by its page
	await page.getByRole('button', { name: 'Last' }).click();
	await expect(status).toHaveText('101–130 of 130 documents');
	expect((await names(page)).at(-1)).toBe('Transcript 130');
	await page.getByRole('button', { name: 'Previous' }).click();
	await expect(page.getByText('Page 2 of 3')).toBeVisible();
	expect((await names(page))[0]).toBe('Transcript 51');

	// by its name: every word, over all 130 (and back to the first page)
	const filter = page.getByRole('searchbox', { name: 'Filter documents' });
	await filter.fill('transcript 130');
	await expect(page.getByRole('status').filter({ hasText: /filtered from 130/ })).toContainText('1–1 of 1 document');
	expect(await names(page)).toEqual(['Transcript 130']);
	await expect(page.getByRole('navigation', { name: 'Pages of documents' })).toHaveCount(0);
	await filter.fill('no such words');
	await expect(page.getByRole('status').filter({ hasText: 'No document matches' })).toBeVisible();
	await filter.fill('');
	await expect(status).toHaveText('1–50 of 130 documents');

	// by sorting: the name column in natural order, then descending puts Transcript 130 first
	const byName = page.getByRole('columnheader', { name: 'Document' });
	await byName.getByRole('button').click();
	await expect(byName).toHaveAttribute('aria-sort', 'ascending');
	expect((await names(page)).slice(0, 3)).toEqual(['Transcript 1', 'Transcript 2', 'Transcript 3']);
	await byName.getByRole('button').click();
	await expect(byName).toHaveAttribute('aria-sort', 'descending');
	expect((await names(page)).slice(0, 2)).toEqual(['Transcript 130', 'Transcript 129']);

	// the Segments column sorts by every document's count: the first page holds the largest
	const bySegs = page.getByRole('columnheader', { name: 'Segments' });
	await bySegs.getByRole('button').click();
	await bySegs.getByRole('button').click();
	await expect(bySegs).toHaveAttribute('aria-sort', 'descending');
	await expect(byName).not.toHaveAttribute('aria-sort', /.+/);
	const counts = study.segments.reduce((m, s) => m.set(s.documentId, (m.get(s.documentId) ?? 0) + 1), new Map<string, number>());
	const max = Math.max(...counts.values());
	const segCol = await page.locator('table.docs thead th').evaluateAll((ths) => ths.findIndex((th) => th.textContent?.includes('Segments')));
	const firstCount = await page.locator(`table.docs tbody tr:first-child td:nth-child(${segCol + 1})`).textContent();
	expect(Number(firstCount!.replace(/,/g, ''))).toBe(max);

	// and the transcript found opens in Code
	await filter.fill('Transcript 130');
	await page.getByRole('link', { name: 'Code Transcript 130' }).click();
	await expect(page.getByRole('document', { name: 'Transcript: Transcript 130' })).toBeVisible();
});
