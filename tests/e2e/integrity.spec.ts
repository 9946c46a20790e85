/**
 * Issue 14: the study tried in two tabs, as a person would. Tab B deletes the code "Savings"
 * while tab A still shows it; tab A then applies "Savings" to a passage. The coding is refused
 * with a message, a third open tab drops the code at once, the study checks clean, and its
 * backup restores. A file with an orphan segment restores with its repair listed.
 */
import type { ConsoleMessage, Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { expect, selectPhrase, test } from './helpers';

const FIXTURE = fileURLToPath(new URL('../fixtures/coding-small.gloss.json', import.meta.url));
const ORPHANS = fileURLToPath(new URL('../fixtures/orphans-v2.gloss.json', import.meta.url));

/** Every console warning or error of a page opened by hand (the guard in helpers covers `page`). */
function watchConsole(page: Page, into: string[]) {
	page.on('console', (m: ConsoleMessage) => {
		if (m.type() === 'warning' || m.type() === 'error') into.push(`${m.type()}: ${m.text()}`);
	});
	page.on('pageerror', (e) => into.push(`pageerror: ${e.message}`));
}

/** A code in the Code view's codebook tree (its name is the code's name, then its count). */
const codeRow = (page: Page, name: string) =>
	page
		.getByRole('tree', { name: 'Codes' })
		.getByRole('treeitem', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\d+ segments?$`) });

test('a code deleted in one tab: another tab cannot code with it, a third drops it at once, and the backup restores', async ({ browser }) => {
	const logs: string[] = [];
	const context = await browser.newContext();
	const a = await context.newPage();
	watchConsole(a, logs);
	// Tab A stands for a window that has not yet heard of another window's changes (a tab in the
	// background): it receives no cross-tab notices, so it still shows "Savings" after B deletes it.
	await a.addInitScript(() => {
		class Deaf {
			onmessage: unknown = null;
			postMessage() {}
			close() {}
			addEventListener() {}
			removeEventListener() {}
		}
		(window as unknown as { BroadcastChannel: unknown }).BroadcastChannel = Deaf;
	});
	await a.goto('/');
	await a.getByLabel('Backup file to restore').setInputFiles(FIXTURE);
	await a.getByRole('link', { name: 'Coding e2e study' }).click();
	await a.getByRole('button', { name: /Ana/ }).first().click();
	await expect(a.getByRole('button', { name: /Coder: Ana/ })).toBeVisible();
	const studyUrl = a.url().replace(/\/[^/]+$/, '');
	await a.getByRole('link', { name: 'Code', exact: true }).click();
	await expect(a.getByRole('document', { name: 'Transcript: Interview A' })).toBeVisible();
	await expect(codeRow(a, 'Savings')).toHaveCount(1);

	// Tab C: an ordinary open tab on the coding view
	const c = await context.newPage();
	watchConsole(c, logs);
	await c.goto(`${studyUrl}/code`);
	await expect(c.getByRole('document', { name: 'Transcript: Interview A' })).toBeVisible();
	await expect(codeRow(c, 'Savings')).toHaveCount(1);

	// Tab B deletes "Savings" in the codebook
	const b = await context.newPage();
	watchConsole(b, logs);
	await b.goto(`${studyUrl}/codebook`);
	await b.getByRole('treeitem').filter({ hasText: 'Savings' }).click();
	await b.getByRole('button', { name: 'Delete…' }).click();
	await b.getByRole('dialog', { name: /Delete “Savings”/ }).getByRole('button', { name: 'Delete code' }).click();
	await expect(b.getByRole('treeitem').filter({ hasText: 'Savings' })).toHaveCount(0);

	// the delete reaches tab C at once
	await expect(codeRow(c, 'Savings')).toHaveCount(0);

	// tab A still shows "Savings" and applies it: refused, with the message, and nothing is stored
	await a.bringToFront();
	await expect(codeRow(a, 'Savings')).toHaveCount(1);
	await selectPhrase(a, 'save water and energy');
	await codeRow(a, 'Savings').click();
	await expect(a.getByRole('alert').filter({ hasText: "The code 'Savings' was deleted in another window; the passage was not coded" })).toBeVisible();
	await expect(codeRow(a, 'Savings')).toContainText('0');
	// undo has nothing of it to bring back
	await expect(a.getByRole('button', { name: 'Undo', exact: true })).toBeDisabled();

	// the study checks clean, and its backup restores with nothing to repair
	await a.getByRole('link', { name: 'Export', exact: true }).click();
	await a.getByRole('button', { name: 'Check this study' }).click();
	await expect(a.getByText('No problems found')).toBeVisible();
	const downloading = a.waitForEvent('download');
	await a.getByRole('button', { name: 'Download backup' }).click();
	const file = await (await downloading).path();
	await a.goto('/');
	await a.getByLabel('Backup file to restore').setInputFiles(file);
	await expect(a.getByRole('link', { name: 'Coding e2e study (2)' })).toBeVisible();
	await expect(a.getByRole('heading', { name: /with \d+ repair/ })).toHaveCount(0);
	await expect(a.getByRole('alert')).toHaveCount(0);

	await context.close();
	expect(logs).toEqual([]);
});

test('a backup with an orphan segment restores, with the repair listed and the passage under "(unknown code)"', async ({ page }) => {
	const logs: string[] = [];
	watchConsole(page, logs);
	await page.goto('/');
	await page.getByLabel('Backup file to restore').setInputFiles(ORPHANS);
	const report = page.getByRole('region', { name: /Restored “Two tabs” with 1 repair/ });
	await expect(report).toBeVisible();
	await expect(report).toContainText('segment "x3" (document "E01 interview", 6–13): its code "code-savings" does not exist; it is now under "(unknown code)"');
	await report.getByRole('link', { name: 'Open the study' }).click();
	await page.waitForURL(/\/study\/[^/]+\/documents/);
	const who = page.getByRole('dialog', { name: 'Who is coding?' });
	await who.getByRole('button', { name: /^Ann( |$)/ }).click();
	await expect(who).toBeHidden();
	await page.getByRole('link', { name: 'Codebook', exact: true }).click();
	await expect(page.getByRole('treeitem').filter({ hasText: '(unknown code)' })).toContainText('1');

	// deleting a coder asks first, counting their segments, and takes the segments with them
	await page.getByRole('button', { name: /Coder: Ann/ }).click();
	const who2 = page.getByRole('dialog', { name: 'Who is coding?' });
	await who2.getByText('Delete a coder…').click();
	await who2.getByLabel('Coder to delete').selectOption({ label: 'Ann' });
	await who2.getByRole('button', { name: 'Delete…' }).click();
	const confirm = who2.getByRole('group', { name: 'Delete coder Ann' });
	await expect(confirm).toContainText('Delete Ann and their 3 coded segments?');
	await confirm.getByRole('button', { name: 'Delete coder' }).click();
	await expect(who2.getByRole('button', { name: /^Ann( |$)/ })).toHaveCount(0);
	await who2.getByLabel('Your name').fill('Cleo');
	await who2.getByRole('button', { name: 'Start coding' }).click();
	await expect(page.getByRole('button', { name: /Coder: Cleo/ })).toBeVisible();
	await expect(page.getByRole('treeitem').filter({ hasText: '(unknown code)' })).toContainText('0');

	await page.getByRole('link', { name: 'Export', exact: true }).click();
	await page.getByRole('button', { name: 'Check this study' }).click();
	await expect(page.getByText('No problems found')).toBeVisible();
	expect(logs).toEqual([]);
});
