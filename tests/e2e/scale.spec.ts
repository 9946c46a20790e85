/**
 * A study at moderate scale (the full-scale study's generator, scripts/fullscale.ts, made smaller:
 * 60 transcripts of 2,000 words, 20,000 segments by three coders): restored with its progress
 * shown, written off the page; the coding screen opens one transcript and reads only its text into
 * the page, and the other screens see every segment.
 */
import { fullScaleStudy } from '../../scripts/fullscale';
import { backupToJson } from '../../src/lib/core/backup';
import { expect, test } from './helpers';

const SEGMENTS = 20_000;
const study = fullScaleStudy({ documents: 60, wordsPerDocument: 2000, segments: SEGMENTS });
const backup = () => Buffer.from(backupToJson(study));

test('a large study restores with its progress shown, opens on one transcript, and every screen counts all its segments', async ({ page }) => {
	test.setTimeout(240_000);
	await page.goto('/');
	await page.getByLabel('Backup file to restore').setInputFiles({ name: 'full-scale.gloss.json', mimeType: 'application/json', buffer: backup() });
	const progress = page.getByRole('group', { name: 'Restoring full-scale.gloss.json' });
	await expect(progress).toBeVisible();
	// the write, in the worker, reports the records saved
	await expect(progress).toContainText(/Saving [\d,]+ of 20,\d{3} records/, { timeout: 60_000 });
	const link = page.getByRole('link', { name: 'Full-scale study', exact: true });
	await expect(link).toBeVisible({ timeout: 120_000 });
	await expect(progress).toBeHidden();
	const row = page.getByRole('row').filter({ has: link });
	await expect(row).toContainText('60');
	await expect(row).toContainText('20,000');

	// The coding screen: the first transcript, its text alone in the page.
	await link.click();
	await page.waitForURL(/\/study\/[^/]+\/documents/);
	// asked on the first screen of a study with no coder chosen (as soon as the coders are ordered by last use)
	const who = page.getByRole('dialog', { name: 'Who is coding?' });
	await who.getByRole('button', { name: /Ana/ }).click();
	await page.getByRole('link', { name: 'Code', exact: true }).click();
	await expect(page.getByRole('document', { name: 'Transcript: Transcript 1' })).toBeVisible();
	await expect(page.locator('.transcript')).toHaveCount(1);
	await expect(page.getByRole('link', { name: /Transcript 60/ })).toBeVisible();
	await page.getByRole('link', { name: /^Transcript 2\b/ }).click();
	await expect(page.getByRole('document', { name: 'Transcript: Transcript 2' })).toBeVisible();
	await expect(page.locator('.transcript')).toHaveCount(1);

	// Analyse counts every segment of the coders it counts (by default the consensus coder's).
	await page.getByRole('link', { name: 'Analyse', exact: true }).click();
	const consensus = study.segments.filter((s) => s.coderId === 'coder-2').length;
	await expect(page.getByText(`60 documents · ${consensus.toLocaleString('en')} segments`)).toBeVisible({ timeout: 60_000 });
});
