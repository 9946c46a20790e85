/**
 * Review, used the way a supervisor would: load the demo study, import a third coder's backup
 * (twice: the second time adds nothing), compare the Demo coder with the third coder, adjudicate
 * two disagreements on "Factory visits" (a button, then a keyboard shortcut), see the decisions
 * survive a reload, undo one, and find the consensus coder's segments in Analyse.
 *
 * The third coder's backup is made in the test from the demo study's own backup: the coder who
 * sends it back coded what the Second coder coded, plus one "Factory visits" passage with other
 * boundaries than the Demo coder's.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, openDemo } from './helpers';

const DEMO = resolve(import.meta.dirname, '../../static/demo/cleaner-production.gloss.json');

interface Row {
	id: string;
	name: string;
	[k: string]: unknown;
}
interface Seg {
	id: string;
	documentId: string;
	codeId: string;
	coderId: string;
	start: number;
	end: number;
	[k: string]: unknown;
}

/** The demo backup as sent back by "Third coder". */
function thirdCodersBackup(): Buffer {
	const b = JSON.parse(readFileSync(DEMO, 'utf8')) as { coders: Row[]; codes: Row[]; documents: Row[]; segments: Seg[] };
	const order = new Map(b.documents.map((d) => [d.id, d.order as number] as const));
	const id = (name: string) => b.coders.find((c) => c.name === name)!.id;
	const demo = id('Demo coder');
	const second = id('Second coder');
	const third = '7e1d0c0a-0000-4000-8000-00000000e2e3';
	b.coders.push({ id: third, name: 'Third coder', createdAt: '2026-02-01T10:00:00.000Z' });
	const mine: Seg[] = b.segments.filter((s) => s.coderId === second).map((s, i) => ({ ...s, id: `e2e-third-${i}`, coderId: third }));
	const visits = b.codes.find((c) => c.name === 'Factory visits')!.id;
	const docs = new Set(mine.map((s) => s.documentId));
	const first = b.segments
		.filter((s) => s.coderId === demo && s.codeId === visits && docs.has(s.documentId))
		// a passage the Second coder did not code
		.filter((s) => !mine.some((m) => m.codeId === visits && m.documentId === s.documentId && m.start < s.end && m.end > s.start))
		.sort((x, y) => order.get(x.documentId)! - order.get(y.documentId)! || x.start - y.start)[0];
	mine.push({ ...first, id: 'e2e-third-visit', coderId: third, start: first.start + 15, memo: '' });
	b.segments.push(...mine);
	return Buffer.from(JSON.stringify(b));
}

test('merge a coder’s backup, review agreement, adjudicate two disagreements, and see the consensus in Analyse', async ({ page }) => {
	await openDemo(page);
	const rail = page.getByRole('navigation', { name: 'Study sections' });
	await rail.getByRole('link', { name: 'Review' }).click();
	await expect(page.getByRole('heading', { name: 'Review', level: 1 })).toBeVisible();

	// Import the third coder's backup.
	const file = { name: 'third-coder.gloss.json', mimeType: 'application/json', buffer: thirdCodersBackup() };
	await page.getByRole('button', { name: 'Import a coder’s backup…' }).click();
	const dialog = page.getByRole('dialog', { name: 'Import a coder’s backup' });
	await dialog.getByLabel('Choose a backup file: choose files').setInputFiles(file);
	await expect(dialog.getByRole('status')).toContainText(/third-coder\.gloss\.json: Added 84 segments, 1 coder\./);
	await expect(dialog.getByRole('status')).toContainText('Coders in the file: Second coder, Demo coder, Third coder');

	// The same file again adds nothing.
	await dialog.getByLabel('Choose a backup file: choose files').setInputFiles(file);
	await expect(dialog.getByRole('status')).toContainText('Nothing new: everything in this file is already in the study.');
	await dialog.getByRole('button', { name: 'Done' }).click();
	await expect(dialog).toBeHidden();

	// Compare the Demo coder (A) with the third coder (B).
	const settings = page.getByRole('group', { name: 'Agreement settings' });
	await expect(settings.getByLabel('Coder A').locator('option:checked')).toHaveText('Demo coder (376 segments)');
	await settings.getByLabel('Coder B').selectOption({ label: 'Third coder (84 segments)' });
	// the page names the documents it compared, and the colour legend is in view
	await expect(page.getByText(/^Comparing Demo coder \(A\) and Third coder \(B\) over 6 documents: C01 Dye intermediates \(2001-02\), N02 /)).toBeVisible();
	await expect(page.getByRole('group', { name: 'Colour legend: Landis and Koch bands for kappa and alpha' })).toBeInViewport();
	await expect(page.getByText(/Method: code presence per document/)).toBeVisible();

	const table = page.getByRole('region', { name: 'Agreement table' });
	const pooled = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'All codes (pooled)' }) });
	await expect(pooled.getByRole('cell').first()).toHaveText('246');
	// An undefined kappa reads n/a with its reason, never 0.
	const unused = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Financial incentives', exact: true }) });
	await expect(unused.getByRole('cell').nth(2)).toHaveText(/^n\/a: no variation/);

	// The agreement report as CSV, with a byte-order mark for Excel.
	await page.getByRole('checkbox', { name: 'For Excel (BOM)' }).check();
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export agreement CSV' }).click()]);
	expect(download.suggestedFilename()).toMatch(/-agreement-presence\.csv$/);
	const csv = readFileSync(await download.path(), 'utf8');
	expect(csv.charCodeAt(0)).toBe(0xfeff);
	const lines = csv.slice(1).split(/\r?\n/);
	expect(lines[0]).toBe('code,unit,coders,n,percent_agreement,cohen_kappa,fleiss_kappa,krippendorff_alpha,brennan_prediger_kappa,u_alpha,cu_alpha');
	expect(lines.find((l) => l.startsWith('(all),'))).toMatch(/^\(all\),presence,Demo coder; Third coder,246,0\.\d+,/);

	// The disagreements on "Factory visits".
	await table.getByRole('button', { name: 'Factory visits', exact: true }).click();
	const pane = page.getByRole('region', { name: 'Disagreements' });
	await expect(pane.getByRole('heading', { name: 'Factory visits' })).toBeVisible();
	const cards = pane.getByRole('group', { name: /^Passage \d+ of 3:/ });
	await expect(cards).toHaveCount(3);
	const boundaries = pane.getByRole('group', { name: /^Passage \d of 3: Both coded it, with different boundaries \(overlap \d+\.\d%\), in / });
	await expect(boundaries).toHaveCount(1);
	await expect(boundaries.getByRole('region', { name: 'A: Demo coder' })).toBeVisible();
	await expect(boundaries.getByRole('region', { name: 'B: Third coder' })).toBeVisible();
	await expect(boundaries.getByRole('link', { name: 'Open in coding view' })).toHaveAttribute('href', /\/code\?doc=[^&]+&at=\d+&end=\d+$/);
	await expect(pane.getByText('0 of 3 adjudicated')).toBeVisible();

	// Accept A with the button on the passage with different boundaries ...
	await boundaries.getByRole('button', { name: 'Accept A', exact: true }).click();
	await expect(pane.getByText('1 of 3 adjudicated')).toBeVisible();
	await expect(boundaries.getByRole('button', { name: 'Accept A', exact: true })).toHaveAttribute('aria-pressed', 'true');
	await expect(boundaries).toContainText('Accepted A');
	// ... then keep both on the next passage still open (it becomes the current one) with the C key.
	const current = pane.locator('[aria-current="true"]');
	await expect(current).toContainText('Not adjudicated');
	await expect(current).toHaveAccessibleName(/Only Demo coder coded this/);
	const kept = pane.getByRole('group', { name: (await current.getAttribute('aria-label'))!, exact: true });
	// where it is, as a reader finds it (paragraph and speaker), not offsets
	await expect(kept.locator('header')).toContainText(/¶ \d+/);
	await expect(kept).not.toContainText(/\d+–\d+,? /);
	await page.keyboard.press('c');
	await expect(pane.getByText('2 of 3 adjudicated')).toBeVisible();
	// keeping both on a passage only A coded writes what accepting A writes, and still reads "Kept both"
	await expect(kept).toContainText('Kept both');
	await expect(kept.getByRole('button', { name: 'Keep both', exact: true })).toHaveAttribute('aria-pressed', 'true');
	await expect(kept.getByRole('button', { name: 'Accept A', exact: true })).toHaveAttribute('aria-pressed', 'false');
	await expect(cards.filter({ hasText: 'Not adjudicated' })).toHaveCount(1);
	await expect(pane.getByText('into coder “Consensus”')).toBeVisible();

	// A third decision, undone.
	await page.keyboard.press('d');
	await expect(pane.getByText('3 of 3 adjudicated')).toBeVisible();
	await pane.getByRole('button', { name: 'Undo' }).click();
	await expect(pane.getByText('2 of 3 adjudicated')).toBeVisible();

	// The decisions come back after a reload (read from the consensus coder's coding); the
	// comparison and the chosen code are kept in the address.
	await page.reload();
	await expect(page.getByRole('region', { name: 'Disagreements' }).getByText('2 of 3 adjudicated')).toBeVisible();
	await expect(kept).toContainText('Kept both');
	await expect(boundaries).toContainText('Accepted A');
	await expect(page.getByRole('group', { name: 'Agreement settings' }).getByLabel('Coder B').locator('option:checked')).toHaveText('Third coder (84 segments)');

	// Jump to a passage in the coding view, and come back to the same place.
	await boundaries.getByRole('link', { name: 'Open in coding view' }).click();
	await page.waitForURL(/\/code\?doc=/);
	await page.goBack();
	await expect(page.getByRole('region', { name: 'Disagreements' }).getByRole('heading', { name: 'Factory visits' })).toBeVisible();
	await expect(page.getByRole('region', { name: 'Disagreements' }).getByText('2 of 3 adjudicated')).toBeVisible();
	// The consensus coder is not offered as coder A or B.
	await expect(page.getByRole('group', { name: 'Agreement settings' }).getByLabel('Coder B').locator('option')).toHaveText([
		'Demo coder (376 segments)',
		'Third coder (84 segments)',
		'Second coder (83 segments)'
	]);

	// Consensus is a coder like any other in Analyse.
	await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Analyse' }).click();
	await expect(page.getByRole('heading', { name: 'Analyse', level: 1 })).toBeVisible();
	await page.getByRole('checkbox', { name: 'Per coder' }).check();
	await expect(page.getByRole('columnheader', { name: 'Consensus' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Factory visits (Consensus): 2 segments' })).toBeVisible();
});

/** The demo backup as sent back by "Third coder", who coded one "Factory visits" passage of the Demo coder's as "CP training". */
function otherCodeBackup(): { buffer: Buffer; document: string } {
	const b = JSON.parse(readFileSync(DEMO, 'utf8')) as { coders: Row[]; codes: Row[]; documents: Row[]; segments: Seg[] };
	const id = (name: string) => b.coders.find((c) => c.name === name)!.id;
	const code = (name: string) => b.codes.find((c) => c.name === name)!.id;
	const [demo, second] = [id('Demo coder'), id('Second coder')];
	const third = '7e1d0c0a-0000-4000-8000-00000000e2e4';
	b.coders.push({ id: third, name: 'Third coder', createdAt: '2026-02-01T10:00:00.000Z' });
	const mine: Seg[] = b.segments.filter((s) => s.coderId === second).map((s, i) => ({ ...s, id: `e2e-other-${i}`, coderId: third }));
	const docs = new Set(mine.map((s) => s.documentId));
	const meets = (x: Seg, y: Seg) => x.documentId === y.documentId && x.start < y.end && y.start < x.end;
	// a Factory visits passage of the Demo coder's that no other coding touches
	const visit = b.segments
		.filter((s) => s.coderId === demo && s.codeId === code('Factory visits') && docs.has(s.documentId))
		.filter((s) => !b.segments.some((t) => t !== s && (t.coderId === demo || t.coderId === second) && meets(s, t)))
		.at(-1)!;
	mine.push({ ...visit, id: 'e2e-other-training', coderId: third, codeId: code('CP training'), memo: '' });
	b.segments.push(...mine);
	return { buffer: Buffer.from(JSON.stringify(b)), document: b.documents.find((d) => d.id === visit.documentId)!.name };
}

/** Console warnings and errors, which must stay at none. */
function watchConsole(page: import('@playwright/test').Page): string[] {
	const messages: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'warning' || m.type() === 'error') messages.push(`${m.type()}: ${m.text()}`);
	});
	page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
	return messages;
}

async function importBackup(page: import('@playwright/test').Page, buffer: Buffer) {
	await page.getByRole('button', { name: 'Import a coder’s backup…' }).click();
	const dialog = page.getByRole('dialog', { name: 'Import a coder’s backup' });
	await dialog.getByLabel('Choose a backup file: choose files').setInputFiles({ name: 'third-coder.gloss.json', mimeType: 'application/json', buffer });
	await expect(dialog.getByRole('status')).toContainText(/Added \d+ segments, 1 coder\./);
	await dialog.getByRole('button', { name: 'Done' }).click();
	await expect(dialog).toBeHidden();
}

test('a passage coded with one code by A and another by B is one “different codes” disagreement', async ({ page }) => {
	const messages = watchConsole(page);
	const { buffer, document } = otherCodeBackup();
	await openDemo(page);
	await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Review' }).click();
	await importBackup(page, buffer);
	await page.getByRole('group', { name: 'Agreement settings' }).getByLabel('Coder B').selectOption({ label: 'Third coder (84 segments)' });

	const table = page.getByRole('region', { name: 'Agreement table' });
	const pane = page.getByRole('region', { name: 'Disagreements' });
	const name = new RegExp(`^Passage \\d+ of \\d+: Different codes: Demo coder “Factory visits”, Third coder “CP training”, in ${document.replace(/[()]/g, '\\$&')}, paragraph \\d+`);
	const diff = pane.getByRole('group', { name });

	// Under Factory visits: once, with both codes; not as "only Demo coder" there
	await table.getByRole('button', { name: 'Factory visits', exact: true }).click();
	await expect(diff).toHaveCount(1);
	await expect(diff.getByRole('region', { name: 'A: Demo coder' })).toContainText('Factory visits');
	await expect(diff.getByRole('region', { name: 'B: Third coder' })).toContainText('CP training');
	await expect(pane.getByRole('group', { name: new RegExp(`Only Demo coder coded this, in ${document.replace(/[()]/g, '\\$&')}`) })).toHaveCount(0);
	// Under CP training: the same disagreement, not "only Third coder"
	await table.getByRole('button', { name: 'CP training', exact: true }).click();
	await expect(diff).toHaveCount(1);
	await expect(pane.getByRole('group', { name: /Only Third coder coded this/ })).toHaveCount(0);
	// All codes together: listed once
	await table.getByRole('button', { name: 'All codes (pooled)' }).click();
	await expect(pane.getByRole('heading', { name: 'All codes' })).toBeVisible();
	await expect(diff).toHaveCount(1);

	// Accept B: the consensus takes CP training there, and the decision shows in each list
	await diff.getByRole('button', { name: 'Accept B', exact: true }).click();
	await expect(diff).toContainText('Accepted B');
	await table.getByRole('button', { name: 'Factory visits', exact: true }).click();
	await expect(diff).toContainText('Accepted B');
	await expect(diff.getByRole('button', { name: 'Accept B', exact: true })).toHaveAttribute('aria-pressed', 'true');
	expect(messages).toEqual([]);
});

test('a supervisor reviews without becoming a coder: read-only, yet adjudicates', async ({ page }) => {
	const messages = watchConsole(page);
	await page.goto('/');
	await page.getByRole('button', { name: 'Load the demo study' }).first().click();
	await page.waitForURL(/\/study\/[^/]+\//);
	const who = page.getByRole('dialog', { name: 'Who is coding?' });
	await who.getByRole('button', { name: 'I am only reviewing' }).click();
	await expect(who).toBeHidden();
	const header = page.getByRole('button', { name: 'Reviewing · read-only (switch to a coder)' });
	await expect(header).toBeVisible();

	// No coding in the coding view
	await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Code', exact: true }).click();
	await expect(page.getByText('Reviewing, read-only: you can read and search, not code.')).toBeVisible();
	await page.keyboard.press('/');
	await expect(page.getByText(/You are reviewing \(read-only\)/)).toBeVisible();
	await expect(page.getByRole('dialog', { name: 'Apply a code' })).toHaveCount(0);

	// The codebook reads, and offers no edits it would refuse
	await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Codebook' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'You are reviewing (read-only)' })).toBeVisible();
	await expect(page.getByRole('tree', { name: 'Codes' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Add code' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Import codebook' })).toHaveCount(0);
	await expect(page.getByRole('textbox', { name: 'Name' }).first()).toBeDisabled();
	await expect(page.getByRole('button', { name: 'Export JSON' })).toBeEnabled();

	// so do Documents and Cases: values shown, not editable
	await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Documents' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'You are reviewing (read-only)' })).toBeVisible();
	await expect(page.getByRole('button', { name: /^Rename / })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Import transcripts' })).toHaveCount(0);
	await expect(page.getByRole('combobox', { name: /^Case of / }).first()).toBeDisabled();
	await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Cases' }).click();
	await expect(page.getByRole('button', { name: 'Add case' })).toHaveCount(0);
	await expect(page.getByRole('columnheader', { name: /^City/ })).toBeVisible();
	const city = page.getByRole('combobox', { name: /^City of / }).first();
	await expect(city).toHaveValue(/.+/);
	await expect(city).not.toBeEditable();

	// Review: compare and adjudicate, into the consensus coder
	await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Review' }).click();
	const table = page.getByRole('region', { name: 'Agreement table' });
	await table.getByRole('button', { name: 'Factory visits', exact: true }).click();
	const pane = page.getByRole('region', { name: 'Disagreements' });
	await expect(pane.getByText(/^0 of \d+ adjudicated$/)).toBeVisible();
	await pane.getByRole('group', { name: /^Passage 1 of/ }).getByRole('button', { name: 'Accept A', exact: true }).click();
	await expect(pane.getByText(/^1 of \d+ adjudicated$/)).toBeVisible();
	await expect(pane.getByText('into coder “Consensus”')).toBeVisible();

	// and switch to being a coder from the header
	await header.click();
	await who.getByRole('button', { name: /Demo coder/ }).click();
	await expect(page.getByRole('button', { name: 'Coder: Demo coder (switch coder)' })).toBeVisible();
	// a coder edits the codebook again
	await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Codebook' }).click();
	await expect(page.getByRole('button', { name: 'Add code' })).toBeVisible();
	await expect(page.getByRole('textbox', { name: 'Name' }).first()).toBeEnabled();
	expect(messages).toEqual([]);
});

test('before a second coder has coded, Review says so instead of comparing with an empty coder', async ({ page }) => {
	const messages = watchConsole(page);
	await page.goto('/');
	await page.getByRole('button', { name: 'New study' }).click();
	const dialog = page.getByRole('dialog', { name: 'New study' });
	await dialog.getByLabel('Study name').fill('Pilot');
	await dialog.getByRole('button', { name: 'Create study' }).click();
	const who = page.getByRole('dialog', { name: 'Who is coding?' });
	await who.getByLabel('Your name').fill('Ann');
	await who.getByRole('button', { name: 'Start coding' }).click();
	await expect(who).toBeHidden();
	// a second coder who has not coded anything yet
	await page.getByRole('button', { name: 'Coder: Ann (switch coder)' }).click();
	await who.getByLabel('Or a new coder').fill('Ben');
	await who.getByRole('button', { name: 'Start coding' }).click();
	await expect(who).toBeHidden();
	await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Review' }).click();
	await expect(page.getByText('There is no second coder yet.')).toBeVisible();
	await expect(page.getByText(/Nobody has coded this study yet\. Ann, Ben are coders but have not coded anything\./)).toBeVisible();
	await expect(page.getByRole('group', { name: 'Agreement settings' })).toHaveCount(0);
	await expect(page.getByRole('region', { name: 'Agreement table' })).toHaveCount(0);
	expect(messages).toEqual([]);
});

test('character unit: the table per code and document, and the figure over documents says which it is', async ({ page }) => {
	const messages = watchConsole(page);
	await openDemo(page);
	await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Review' }).click();
	const settings = page.getByRole('group', { name: 'Agreement settings' });
	await settings.getByLabel('Unit').selectOption({ label: 'Character' });
	await expect(page.getByText(/Over several documents the figure is all characters pooled/)).toBeVisible();
	const pooled = page.getByRole('region', { name: 'Agreement table' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Factory visits', exact: true }) });
	const pooledKappa = await pooled.getByRole('cell').nth(2).textContent();
	await settings.getByLabel('Over several documents').selectOption({ label: 'Mean over documents' });
	await expect(page.getByText(/Over several documents the figure is the mean over documents, each document equal/)).toBeVisible();
	await expect(pooled.getByRole('cell').nth(2)).not.toHaveText(pooledKappa!);
	// NVivo's table: one row per code and document
	await settings.getByRole('checkbox', { name: 'Per document (as NVivo)' }).check();
	const perDoc = page.getByRole('table', { name: 'Agreement per code and document' });
	await expect(perDoc.getByRole('columnheader')).toHaveText(['Code', 'Document', 'n', 'Cohen’s κ', '% agreement', 'A and B', 'Neither', 'A, not B', 'B, not A']);
	await expect(perDoc.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Factory visits', exact: true }) })).toHaveCount(6);
	expect(messages).toEqual([]);
});
