/**
 * Accessibility: axe-core finds nothing on the start page, on every screen of the demo study
 * and with each dialog open, in light and (for a few screens) dark mode. Then the keyboard:
 * a key moves focus to the transcript, the Code view's codebook is a tree driven by arrow keys,
 * and a keyboard selection starts mid-paragraph, extends across paragraphs, has its start moved
 * both ways, and takes a code. Console warnings fail every test (helpers' `test`).
 */
import AxeBuilder from '@axe-core/playwright';
import { type Locator, type Page } from '@playwright/test';
import { expect, openDemo, test } from './helpers';

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/** Violations as lines a person can act on: rule, impact, what is wrong, and where. */
function describe(where: string, violations: Violation[]): string {
	const out = [`axe found ${violations.length} problem(s) on ${where}:`];
	for (const v of violations) {
		out.push(`- ${v.id} (${v.impact}): ${v.help}`);
		for (const n of v.nodes.slice(0, 6)) {
			out.push(`    ${n.target.join(' ')}`);
			const why = n.failureSummary?.split('\n').slice(1).join(' ').trim();
			if (why) out.push(`      ${why.slice(0, 240)}`);
		}
		if (v.nodes.length > 6) out.push(`    … and ${v.nodes.length - 6} more`);
	}
	return out.join('\n');
}

/** Run axe on the page as it is now; every problem is reported, the test goes on. */
async function scan(page: Page, where: string) {
	// let transitions and late renders settle
	await page.waitForTimeout(150);
	// every rule axe runs by default, and the experimental check that a control's accessible name
	// contains its visible label (what a speech-input user says to press it)
	const { violations } = await new AxeBuilder({ page })
		.options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
		.analyze();
	expect.soft(violations.map((v) => v.id), describe(where, violations)).toEqual([]);
}

// axe takes seconds a page on a busy machine
test.describe.configure({ timeout: 600_000 });
test.use({ actionTimeout: 15_000 });

const rail = (page: Page) => page.getByRole('navigation', { name: 'Study sections' });

async function section(page: Page, name: string, heading: string | RegExp = name) {
	await rail(page).getByRole('link', { name, exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: heading }).first()).toBeVisible();
}

async function openTranscript(page: Page) {
	await section(page, 'Code', /.+/);
	await expect(page.getByRole('document', { name: /^Transcript:/ })).toBeVisible();
	await expect(page.locator('.transcript[data-painted]')).toHaveCount(1);
}

/** Close a modal dialog with its Close or Cancel button and wait until it is gone. */
async function closeDialog(dialog: Locator, button = 'Cancel') {
	await dialog.getByRole('button', { name: button, exact: true }).first().click();
	await expect(dialog).toBeHidden();
}

test('the start page and the New study dialog', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Studies', exact: true })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Load the demo study' }).first()).toBeVisible();
	await scan(page, 'the start page, no studies');

	await page.getByRole('button', { name: /New study/ }).first().click();
	const dlg = page.getByRole('dialog', { name: 'New study' });
	await expect(dlg).toBeVisible();
	await scan(page, 'the New study dialog');
	await closeDialog(dlg);

	await openDemo(page);
	await page.goto('/');
	await expect(page.getByRole('link', { name: /Cleaner Production/ }).first()).toBeVisible();
	await scan(page, 'the start page with the demo study');

	await page.getByRole('button', { name: /^Delete / }).first().click();
	const del = page.getByRole('dialog', { name: /^Delete / });
	await expect(del).toBeVisible();
	await scan(page, 'the Delete study dialog');
	await closeDialog(del);

	await page.getByRole('button', { name: /^Rename / }).first().click();
	const ren = page.getByRole('dialog', { name: 'Rename study' });
	await scan(page, 'the Rename study dialog');
	await closeDialog(ren);
});

test('every screen of the demo study: Documents, Cases, Codebook, Code', async ({ page }) => {
	await openDemo(page);

	await section(page, 'Documents');
	await scan(page, 'Documents');
	await page.getByRole('button', { name: /^Preview / }).first().click();
	await scan(page, 'Documents, a preview open');

	await section(page, 'Cases');
	await scan(page, 'Cases');

	await section(page, 'Codebook');
	await scan(page, 'Codebook');

	await openTranscript(page);
	await scan(page, 'Code');
});

test('every screen of the demo study: Retrieve and Analyse', async ({ page }) => {
	await openDemo(page);
	await section(page, 'Retrieve');
	for (const tab of await page.getByRole('tablist', { name: 'Retrieve by' }).getByRole('tab').all()) {
		await tab.click();
		await expect(tab).toHaveAttribute('aria-selected', 'true');
		await scan(page, `Retrieve, ${await tab.textContent()}`);
	}

	await section(page, 'Analyse');
	for (const tab of await page.getByRole('tablist', { name: 'Analyses' }).getByRole('tab').all()) {
		await tab.click();
		await expect(tab).toHaveAttribute('aria-selected', 'true');
		await scan(page, `Analyse, ${await tab.textContent()}`);
	}
	// the passages behind a number
	await page.getByRole('tab', { name: 'Frequencies' }).click();
	await page.getByRole('tabpanel').getByRole('button').filter({ hasText: /^\d+$/ }).first().click();
	await expect(page.getByRole('complementary', { name: 'Passages' })).toBeVisible();
	await scan(page, 'Analyse, passages open');
});

test('every screen of the demo study: Review and Export', async ({ page }) => {
	await openDemo(page);
	await section(page, 'Review');
	await scan(page, 'Review');
	await page.getByRole('region', { name: 'Agreement table' }).locator('button[aria-pressed]').first().click();
	await expect(page.getByRole('region', { name: 'Disagreements' })).toBeVisible();
	await scan(page, 'Review, disagreements open');

	await section(page, 'Export');
	await scan(page, 'Export');
});

test('a reviewing session: Documents, Cases and Codebook read-only', async ({ page }) => {
	await page.goto('/');
	await page.getByRole('button', { name: 'Load the demo study' }).first().click();
	await page.getByRole('dialog', { name: 'Who is coding?' }).getByRole('button', { name: 'I am only reviewing' }).click();
	for (const name of ['Documents', 'Cases', 'Codebook']) {
		await section(page, name);
		await expect(page.getByRole('status').filter({ hasText: 'You are reviewing (read-only)' })).toBeVisible();
		await scan(page, `${name}, reviewing`);
	}
});

test('every dialog of the study screens', async ({ page }) => {
	await openDemo(page);

	// who is coding
	await page.getByRole('button', { name: /^Coder: / }).click();
	const who = page.getByRole('dialog', { name: 'Who is coding?' });
	await expect(who).toBeVisible();
	await scan(page, 'the coder switch');
	await closeDialog(who, 'Close');

	// Documents: rename, delete
	await section(page, 'Documents');
	await page.getByRole('button', { name: /^Rename / }).first().click();
	let dlg = page.getByRole('dialog');
	await expect(dlg).toBeVisible();
	await scan(page, 'Documents, rename');
	await closeDialog(dlg);
	await page.getByRole('button', { name: /^Delete / }).first().click();
	dlg = page.getByRole('dialog');
	await expect(dlg).toBeVisible();
	await scan(page, 'Documents, delete');
	await closeDialog(dlg);

	// Cases: add case, add attribute, edit a case, attribute import
	await section(page, 'Cases');
	for (const name of ['Add case', 'Add attribute']) {
		await page.getByRole('button', { name, exact: true }).click();
		dlg = page.getByRole('dialog');
		await expect(dlg).toBeVisible();
		await scan(page, `Cases, ${name}`);
		await closeDialog(dlg);
	}
	await page.getByRole('button', { name: /^Edit case / }).first().click();
	dlg = page.getByRole('dialog');
	await expect(dlg).toBeVisible();
	await scan(page, 'Cases, edit a case');
	await closeDialog(dlg);
	await page.getByRole('button', { name: /^Edit attribute / }).first().click();
	dlg = page.getByRole('dialog');
	await expect(dlg).toBeVisible();
	await scan(page, 'Cases, edit an attribute');
	await closeDialog(dlg);
	await page.getByLabel('Attributes CSV file', { exact: true }).setInputFiles({
		name: 'attributes.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from('Case,Region,Founded\nE01,North,1998\nE02,South,2004\nNew one,East,2010\n')
	});
	await expect(page.getByRole('heading', { name: /Import attributes from/ })).toBeVisible();
	await scan(page, 'Cases, attribute import');
	await page.getByRole('region', { name: /Import attributes from/ }).getByRole('button', { name: 'Cancel' }).click();

	// Codebook: the code editor, merge, delete
	await section(page, 'Codebook');
	await page.getByRole('tree', { name: 'Codes' }).getByRole('treeitem').nth(1).click();
	await expect(page.getByRole('region', { name: 'Selected code' }).getByRole('textbox').first()).toBeVisible();
	await scan(page, 'Codebook, the code editor');
	await page.getByRole('button', { name: 'Merge…' }).click();
	dlg = page.getByRole('dialog');
	await expect(dlg).toBeVisible();
	await scan(page, 'Codebook, merge');
	await closeDialog(dlg);
	await page.getByRole('button', { name: 'Delete…' }).click();
	dlg = page.getByRole('dialog');
	await expect(dlg).toBeVisible();
	await scan(page, 'Codebook, confirm delete');
	await closeDialog(dlg);

	// Code: shortcut sheet, memo, quick picker, selection bar, segment popover
	await openTranscript(page);
	await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
	dlg = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
	await scan(page, 'Code, the shortcut sheet');
	await closeDialog(dlg, 'Close');
	await page.getByRole('button', { name: 'Document memo' }).click();
	dlg = page.getByRole('dialog', { name: /^Memo on / });
	await scan(page, 'Code, the document memo');
	await closeDialog(dlg);

	const transcript = page.getByRole('document', { name: /^Transcript:/ });
	await transcript.focus();
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('p');
	await expect(page.getByRole('toolbar', { name: 'Code the selection' })).toBeVisible();
	await scan(page, 'Code, the selection bar');
	await page.keyboard.press('/');
	dlg = page.getByRole('dialog', { name: 'Apply a code' });
	await expect(dlg).toBeVisible();
	await scan(page, 'Code, the quick picker');
	await page.keyboard.press('Escape');
	await expect(dlg).toBeHidden();
	await page.keyboard.press('Escape');

	await transcript.focus();
	await page.keyboard.press('j');
	await page.keyboard.press('Enter');
	dlg = page.getByRole('dialog', { name: 'Codes on this passage' });
	await expect(dlg).toBeVisible();
	await scan(page, 'Code, the segment popover');
	await page.keyboard.press('Escape');

	// Retrieve: the code memo
	await section(page, 'Retrieve');
	await page.getByLabel('Code', { exact: true }).selectOption({ index: 1 });
	await page.getByRole('button', { name: /code memo$/ }).click();
	dlg = page.getByRole('dialog');
	await expect(dlg).toBeVisible();
	await scan(page, 'Retrieve, a memo');
	await closeDialog(dlg);

	// Review: import a coder's backup
	await section(page, 'Review');
	await page.getByRole('button', { name: 'Import a coder’s backup…' }).first().click();
	dlg = page.getByRole('dialog', { name: 'Import a coder’s backup' });
	await expect(dlg).toBeVisible();
	await scan(page, 'Review, import a coder’s backup');
	await closeDialog(dlg, 'Close');
});

test.describe('dark mode', () => {
	test.use({ colorScheme: 'dark' });
	test('the start page, Code, Analyse and Review in dark mode', async ({ page }) => {
			await page.goto('/');
		await expect(page.getByRole('heading', { name: 'Studies', exact: true })).toBeVisible();
		await scan(page, 'the start page (dark)');
		await openDemo(page);
		await section(page, 'Documents');
		await scan(page, 'Documents (dark)');
		await openTranscript(page);
		await scan(page, 'Code (dark)');
		await section(page, 'Analyse');
		await scan(page, 'Analyse (dark)');
		await page.getByRole('tab', { name: 'Matrix' }).click();
		await scan(page, 'Analyse, Matrix (dark)');
		await section(page, 'Review');
		await scan(page, 'Review (dark)');
		});
});

/** The text the browser has selected (what a screen reader reads back). */
const selected = (page: Page) => page.evaluate(() => window.getSelection()?.toString().replace(/\s+/g, ' ').trim() ?? '');

test('the keyboard: T to the transcript, the codebook tree, a selection across paragraphs, a code', async ({ page }) => {
	await openDemo(page);
	await openTranscript(page);
	const transcript = page.getByRole('document', { name: /^Transcript:/ });
	const tree = page.getByRole('tree', { name: 'Codes' });

	// T moves focus to the transcript from anywhere in the view; C to the codebook tree
	await page.getByRole('complementary', { name: 'Documents' }).getByRole('link').first().focus();
	await page.keyboard.press('t');
	await expect(transcript).toBeFocused();
	await page.keyboard.press('c');
	const items = tree.getByRole('treeitem');
	await expect(items.first()).toBeFocused();
	// the shortcut sheet says so
	await page.keyboard.press('?');
	const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
	await expect(sheet.getByRole('row', { name: /^T Focus the transcript/ })).toBeVisible();
	await closeDialog(sheet, 'Close');

	// the tree: one tab stop, arrows, Home/End, ← and → fold, open and go to parent and child
	await items.first().focus();
	await expect(tree.locator('[role="treeitem"][tabindex="0"]')).toHaveCount(1);
	await page.keyboard.press('ArrowDown');
	await expect(items.nth(1)).toBeFocused();
	await page.keyboard.press('End');
	await expect(items.last()).toBeFocused();
	await page.keyboard.press('Home');
	await expect(items.first()).toBeFocused();
	const parentId = await tree.locator('[role="treeitem"][aria-expanded="true"]').first().getAttribute('data-id');
	const parent = tree.locator(`[data-id="${parentId}"]`);
	await parent.focus();
	const level = Number(await parent.getAttribute('aria-level'));
	const before = await items.count();
	await page.keyboard.press('ArrowLeft');
	await expect(parent).toHaveAttribute('aria-expanded', 'false');
	expect(await items.count()).toBeLessThan(before);
	await page.keyboard.press('ArrowRight');
	await expect(parent).toHaveAttribute('aria-expanded', 'true');
	await expect(items).toHaveCount(before);
	await page.keyboard.press('ArrowRight');
	const childId = await page.locator(':focus').getAttribute('data-id');
	const child = tree.locator(`[data-id="${childId}"]`);
	await expect(child).toHaveAttribute('aria-level', String(level + 1));
	if ((await child.getAttribute('aria-expanded')) === 'true') {
		// ← on an open group closes it first
		await page.keyboard.press('ArrowLeft');
		await expect(child).toHaveAttribute('aria-expanded', 'false');
		await expect(child).toBeFocused();
	}
	await page.keyboard.press('ArrowLeft');
	await expect(parent).toBeFocused();
	// open the group again (the code applied below is in it)
	if ((await child.getAttribute('aria-expanded')) === 'false') {
		await child.focus();
		await page.keyboard.press('ArrowRight');
		await expect(child).toHaveAttribute('aria-expanded', 'true');
	}

	// a keyboard selection: it starts mid-paragraph, its end goes on into the next paragraph, its
	// start moves earlier and later
	const bodies = await page.$$eval('.transcript .para .pt', (els) => els.map((e) => (e.lastElementChild?.textContent ?? '').trim()));
	const words0 = bodies[0].split(/\s+/);
	const words1 = bodies[1].split(/\s+/);
	expect(words0.length).toBeGreaterThan(5);
	await page.keyboard.press('t');
	await expect(transcript).toBeFocused();
	await page.keyboard.press('ArrowDown');
	for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
	await expect.poll(() => selected(page)).toBe(words0[2]);
	await expect(page.getByRole('toolbar', { name: 'Code the selection' })).toBeVisible();
	await page.keyboard.press('Shift+ArrowRight');
	await expect.poll(() => selected(page)).toBe(`${words0[2]} ${words0[3]}`);
	await page.keyboard.press('Shift+ArrowDown');
	await expect.poll(() => selected(page)).toBe(words0.slice(2).join(' '));
	await page.keyboard.press('Shift+ArrowRight');
	await expect.poll(() => selected(page)).toMatch(new RegExp(`^${esc(words0[2])} .* ${esc(words1[0])}$`));
	await page.keyboard.press('Alt+Shift+ArrowLeft');
	await expect.poll(() => selected(page)).toMatch(new RegExp(`^${esc(words0[1])} ${esc(words0[2])} .* ${esc(words1[0])}$`));
	await page.keyboard.press('Alt+Shift+ArrowRight');
	await page.keyboard.press('Alt+Shift+ArrowRight');
	await expect.poll(() => selected(page)).toMatch(new RegExp(`^${esc(words0[3])} .* ${esc(words1[0])}$`));

	// and a code goes on it, from the quick picker
	const code = tree.getByRole('treeitem', { name: /^Production cost reduction \d+ segments?$/ });
	const count = async () => Number((await code.locator('.count').innerText()).match(/\d+/)?.[0]);
	const n = await count();
	await page.keyboard.press('/');
	await page.getByRole('combobox', { name: 'Apply a code' }).fill('Production cost reduction');
	await page.keyboard.press('Enter');
	await expect.poll(count).toBe(n + 1);
});

function esc(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
