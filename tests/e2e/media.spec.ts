/**
 * A field researcher's interview with its recording: a Zoom WebVTT transcript with speakers and
 * times, the audio linked beside it, a time clicked to hear a turn again, the marker following
 * what is heard, a coded passage played from its popover, and all of it there after a reload.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { clickWord, expect, newStudy, selectPhrase, test } from './helpers';
import { makeWav } from '../fixtures/media/wav';

const vtt = readFileSync(fileURLToPath(new URL('../fixtures/media/Zhang interview.vtt', import.meta.url)));

test('a WebVTT interview with its recording: times, seeking, following, a passage played', async ({ page }) => {
	await newStudy(page, 'Field recordings');
	await page.getByRole('link', { name: 'Documents' }).click();
	await page.getByLabel('Import transcripts: choose files').setInputFiles({ name: 'Zhang interview.vtt', mimeType: 'text/vtt', buffer: vtt });
	await expect(page.getByRole('status').filter({ hasText: 'Imported 1 transcript' }).first()).toBeVisible();

	await page.getByRole('link', { name: 'Code', exact: true }).click();
	await page.getByRole('link', { name: /Zhang interview/ }).click();
	const transcript = page.getByRole('document', { name: 'Transcript: Zhang interview' });
	// one paragraph per turn: Manager Zhang's two cues are one paragraph, at its first cue's time
	await expect(transcript.locator('.para')).toHaveCount(4);
	await expect(transcript.locator('.para').nth(1)).toContainText('Manager Zhang: It started in 2002, when the EPB asked us to take part. We already had a renovation plan');
	await expect(transcript.getByRole('button', { name: 'Play from 0:03' })).toBeVisible();

	// a time clicked before a recording is linked says what to do
	await transcript.getByRole('button', { name: 'Play from 0:10' }).click();
	await expect(page.getByText('Link the recording (Recording… in the toolbar) to play from a time.')).toBeVisible();

	await page.getByLabel('Recording file').setInputFiles({ name: 'interview.wav', mimeType: 'audio/wav', buffer: makeWav(20) });
	const player = page.getByRole('group', { name: 'Recording interview.wav' });
	await expect(player).toBeVisible();
	await expect(player.locator('.clock')).toHaveText('0:00 / 0:20');

	// click a time: the recording plays from it and its paragraph is marked
	await transcript.getByRole('button', { name: 'Play from 0:10' }).click();
	await expect(player.getByRole('button', { name: 'Pause' })).toBeVisible();
	await expect(transcript.locator('.para.heard')).toContainText('And the consultants?');
	// while it plays the marker moves on to the next turn (13.5 s)
	await expect(transcript.locator('.para.heard')).toContainText('They came from the provincial centre', { timeout: 10_000 });
	// F2 pauses, as in a transcriber's player; F1 goes back 5 seconds
	await page.keyboard.press('F2');
	await expect(player.getByRole('button', { name: 'Play' })).toBeVisible();
	const before = await page.evaluate(() => document.querySelector('audio')!.currentTime);
	await page.keyboard.press('F1');
	expect(await page.evaluate(() => document.querySelector('audio')!.currentTime)).toBeCloseTo(Math.max(0, before - 5), 1);
	await page.keyboard.press('F4');
	await expect(player.getByLabel('Playback speed')).toHaveValue('1.1');

	// code a passage, then play it from its popover: it plays from its turn's time and stops at the next turn
	await selectPhrase(page, 'renovation plan for the dye house');
	await page.keyboard.press('i');
	await page.keyboard.press('Escape');
	await clickWord(page, 'renovation');
	const pop = page.getByRole('dialog', { name: 'Codes on this passage' });
	await pop.getByRole('button', { name: /^Play the recording of/ }).click();
	await expect.poll(() => page.evaluate(() => document.querySelector('audio')!.currentTime)).toBeGreaterThan(3.5);
	await expect(player.getByRole('button', { name: 'Play' })).toBeVisible({ timeout: 10_000 });
	expect(await page.evaluate(() => document.querySelector('audio')!.currentTime)).toBeGreaterThanOrEqual(9.9);

	expect((await new AxeBuilder({ page }).include('.centre').analyze()).violations).toEqual([]);

	// the recording is stored in this browser: after a reload it is still linked
	await page.reload();
	await expect(page.getByRole('group', { name: 'Recording interview.wav' })).toBeVisible();
	const codeUrl = page.url();

	// a backup leaves recordings out and says so; ticked, they go into a .gloss.zip that restores with them
	await page.getByRole('link', { name: 'Export' }).click();
	await expect(page.getByText('The recording linked in Code (313 KB) is not in the backup unless you include it.')).toBeVisible();
	await page.getByLabel(/Include the recordings \(a/).check();
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download backup' }).click();
	const zip = await downloading;
	expect(zip.suggestedFilename()).toMatch(/\.gloss\.zip$/);
	const zipPath = await zip.path();
	await page.goto('/');
	await page.getByLabel('Backup file to restore').setInputFiles(zipPath);
	await page.getByRole('link', { name: 'Field recordings (2)' }).click();
	const who = page.getByRole('dialog', { name: 'Who is coding?' });
	// a study new to this browser asks who is coding (the last coder is offered first)
	await expect(who).toBeVisible();
	await who.getByRole('button', { name: /Ana/ }).click();
	await expect(who).toBeHidden();
	await page.getByRole('link', { name: 'Code', exact: true }).click();
	await page.getByRole('link', { name: /Zhang interview/ }).click();
	await expect(page.getByRole('group', { name: 'Recording interview.wav' })).toBeVisible();

	await page.goto(codeUrl);
	await page.getByRole('group', { name: 'Recording interview.wav' }).getByRole('button', { name: 'Unlink' }).click();
	await expect(page.getByRole('group', { name: 'Recording interview.wav' })).toBeHidden();
	await expect(page.getByRole('button', { name: 'Recording…' })).toBeVisible();
});
