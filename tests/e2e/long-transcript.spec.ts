/**
 * A long transcript in the coding view, as a person meets it: only the paragraphs near the screen
 * are in the page, yet a passage far down opens in view, the wheel reaches the end, and a
 * paragraph selected from the keyboard there is ready to code.
 */
import { expect, newStudy, test } from './helpers';

const WORDS = 'we the plant water cost audit report worker health market price waste energy training policy'.split(' ');

/** 1,200 speaker turns, each opening with its own number word ("turn417"). */
function longTranscript(): string {
	const out: string[] = [];
	for (let i = 1; i <= 1200; i++) {
		const words: string[] = [`turn${i}`];
		for (let k = 0; k < 20 + ((i * 13) % 60); k++) words.push(WORDS[(i + k * 7) % WORDS.length]);
		out.push(`${i % 2 ? 'Interviewer' : 'R'}: ${words.join(' ')}.`);
	}
	return out.join('\n\n') + '\n';
}

test('a 1,200-paragraph transcript: few paragraphs in the page, a passage far down opens in view, the wheel reaches the end', async ({ page }) => {
	await newStudy(page, 'Long transcript');
	await page.getByRole('link', { name: 'Documents' }).click();
	const text = longTranscript();
	await page.getByLabel('Import transcripts: choose files').setInputFiles([{ name: 'Focus group.txt', mimeType: 'text/plain', buffer: Buffer.from(text, 'utf8') }]);
	await expect(page.getByText('Imported 1 transcript')).toBeVisible();

	await page.getByRole('link', { name: 'Code', exact: true }).click();
	await page.getByRole('link', { name: /Focus group/ }).click();
	const transcript = page.getByRole('document', { name: 'Transcript: Focus group' });
	await expect(transcript).toContainText('turn1 ');
	// only the paragraphs near the screen are in the page
	expect(await transcript.locator('.para').count()).toBeLessThan(60);
	await expect(transcript).not.toContainText('turn1100 ');

	// a passage far down, opened by its link (as Retrieve and the search open passages)
	const docId = new URL(page.url()).searchParams.get('doc');
	const at = text.indexOf('turn1100 ');
	await page.goto(page.url().replace(/\?.*$/, `?doc=${docId}&at=${at}&end=${at + 9}`));
	const target = transcript.locator('.para', { hasText: 'turn1100 ' });
	await expect(target).toBeInViewport();
	expect(await transcript.locator('.para').count()).toBeLessThan(60);

	// the wheel takes the reader to the end
	const scroller = page.locator('.scroller');
	await scroller.hover();
	for (let k = 0; k < 40; k++) await page.mouse.wheel(0, 3000);
	await expect(transcript.locator('.para', { hasText: 'turn1200 ' })).toBeInViewport();

	// and a paragraph there is selected from the keyboard, ready to code
	await transcript.focus();
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('p');
	await expect(page.getByRole('toolbar', { name: 'Code the selection' })).toBeVisible();
	const selected = await page.evaluate(() => window.getSelection()!.toString());
	expect(selected).toMatch(/^turn1\d{3} /);
});
