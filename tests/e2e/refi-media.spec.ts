/**
 * An interview with its recording, taken to another QDA tool and back through REFI-QDA: the
 * export includes the recording when asked, and importing the .qdpx as a new study gives the
 * transcript with its paragraph times, the coded passage and a player that plays.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { strFromU8, unzipSync } from 'fflate';
import { expect, newStudy, selectPhrase, test } from './helpers';
import { makeWav } from '../fixtures/media/wav';

const vtt = readFileSync(fileURLToPath(new URL('../fixtures/media/Zhang interview.vtt', import.meta.url)));

test('a recorded interview exported as REFI-QDA with its recording and imported again as a new study', async ({ page }) => {
	await newStudy(page, 'Recorded interviews');
	await page.getByRole('link', { name: 'Documents' }).click();
	await page.getByLabel('Import transcripts: choose files').setInputFiles({ name: 'Zhang interview.vtt', mimeType: 'text/vtt', buffer: vtt });
	await expect(page.getByRole('status').filter({ hasText: 'Imported 1 transcript' }).first()).toBeVisible();

	// link the recording and code a passage
	await page.getByRole('link', { name: 'Code', exact: true }).click();
	await page.getByRole('link', { name: /Zhang interview/ }).click();
	await page.getByLabel('Recording file').setInputFiles({ name: 'interview.wav', mimeType: 'audio/wav', buffer: makeWav(20) });
	await expect(page.getByRole('group', { name: 'Recording interview.wav' })).toBeVisible();
	await selectPhrase(page, 'renovation plan for the dye house');
	await page.keyboard.press('i');
	await page.keyboard.press('Escape');

	// export: the recording is left out unless included, and says so
	await page.getByRole('link', { name: 'Export' }).click();
	await expect(page.getByText(/The recording itself is left out unless you include it/)).toBeVisible();
	await page.getByLabel(/Include the recordings in the \.qdpx/).check();
	await expect(page.getByText(/The recording goes into the \.qdpx too/)).toBeVisible();
	expect((await new AxeBuilder({ page }).include('section[aria-labelledby="refi-h"]').analyze()).violations).toEqual([]);
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'REFI-QDA project (.qdpx)' }).click();
	const qdpxPath = await (await downloading).path();
	const files = unzipSync(new Uint8Array(readFileSync(qdpxPath)));
	expect(strFromU8(files['project.qde'])).toMatch(/<AudioSource [^>]*path="internal:\/\/[0-9a-f-]+\.wav"/);

	// import it as a new study from the start page
	await page.goto('/');
	const choosing = page.waitForEvent('filechooser');
	await page.getByRole('button', { name: /Import a REFI-QDA project/ }).first().click();
	await (await choosing).setFiles({ name: 'recorded-interviews.qdpx', mimeType: 'application/zip', buffer: readFileSync(qdpxPath) });
	const dialog = page.getByRole('dialog', { name: 'Import a REFI-QDA project' });
	await expect(dialog).toContainText(/1 document,\s+1 code,\s+1 coded segment,[\s\S]*\s1 recording\./, { timeout: 30_000 });
	await dialog.getByRole('link', { name: 'Open “Recorded interviews”' }).click();
	await page.getByRole('dialog', { name: 'Who is coding?' }).getByRole('button', { name: /Ana/ }).click();

	// the interview: times beside its paragraphs, the coded passage, and the recording plays
	await page.getByRole('link', { name: 'Code', exact: true }).click();
	await page.getByRole('link', { name: /Zhang interview/ }).click();
	const transcript = page.getByRole('document', { name: 'Transcript: Zhang interview' });
	await expect(transcript.locator('.para')).toHaveCount(4);
	await expect(transcript.getByRole('button', { name: 'Play from 0:03' })).toBeVisible();
	// the coded passage is there, labelled in the margin
	await expect(page.locator('.lbl')).toHaveCount(1);
	const player = page.getByRole('group', { name: 'Recording Zhang interview.wav' });
	await expect(player.locator('.clock')).toHaveText('0:00 / 0:20');
	await transcript.getByRole('button', { name: 'Play from 0:10' }).click();
	await expect(player.getByRole('button', { name: 'Pause' })).toBeVisible();
	await expect(transcript.locator('.para.heard')).toContainText('And the consultants?');
	await expect.poll(() => page.evaluate(() => document.querySelector('audio')!.currentTime)).toBeGreaterThan(10);
});
