/**
 * Steps of the shared-study scenarios, done through the app's UI as a supervisor or coder would.
 * Pages opened in extra browser contexts (the coders) get the same console guard as the
 * helpers' `test`, except for the network errors a scenario causes on purpose (`allowNetwork`).
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { expect, openDemo, selectPhrase } from '../e2e/helpers';
import { adminToken, serverUrl, type Instance } from './env';

export const FIRST_DOC = 'Transcript: C01 Dye intermediates (2001-02)';

/** Chromium's own lines when a connection fails (offline, a killed server): expected where a scenario causes them. */
const NETWORK = /WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/study\/|net::ERR_(INTERNET_DISCONNECTED|CONNECTION_REFUSED|CONNECTION_RESET|EMPTY_RESPONSE)|Failed to load resource/;

export interface Guarded {
	page: Page;
	context: BrowserContext;
	problems: string[];
}

/** A person in their own browser (a fresh context: their own IndexedDB). */
export async function person(browser: Browser, opts: { allowNetwork?: boolean } = {}): Promise<Guarded> {
	const context = await browser.newContext();
	const page = await context.newPage();
	const problems: string[] = [];
	guard(page, problems, opts.allowNetwork ?? false);
	return { page, context, problems };
}

export function guard(page: Page, problems: string[], allowNetwork: boolean) {
	page.on('console', (m) => {
		if (m.type() !== 'warning' && m.type() !== 'error') return;
		if (allowNetwork && NETWORK.test(m.text())) return;
		problems.push(`console.${m.type()}: ${m.text()}`);
	});
	page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
}

/** A new page in a person's context, guarded the same way. */
export async function reopen(p: Guarded, url: string, allowNetwork = false): Promise<Page> {
	const page = await p.context.newPage();
	guard(page, p.problems, allowNetwork);
	await page.goto(url);
	p.page = page;
	return page;
}

export const syncBadge = (page: Page) => page.getByRole('button', { name: /\(sharing\)$/ });

export async function expectStatus(page: Page, text: string | RegExp, timeout = 30_000) {
	await expect(page.getByRole('status').filter({ has: syncBadge(page) })).toContainText(text, { timeout });
}

/** Load the demo and share it on `instance` through the Share dialog; returns the study's URL base. */
export async function shareDemo(page: Page, instance: Instance): Promise<string> {
	await openDemo(page);
	const token = await adminToken(instance, 'supervisor');
	await page.getByRole('button', { name: 'Share…' }).click();
	const dialog = page.getByRole('dialog', { name: 'Share study' });
	await expect(dialog.getByRole('group', { name: 'What will be uploaded' })).toContainText('32 documents');
	await dialog.getByLabel('Sync server').fill(serverUrl(instance));
	await dialog.getByLabel('Share token').fill(token);
	await expect(dialog.getByLabel('You code as')).toHaveValue(/.+/);
	await dialog.getByRole('button', { name: 'Share', exact: true }).click();
	// sharing opens the Sharing panel
	const panel = page.getByRole('dialog', { name: 'Sharing' });
	await expect(panel).toBeVisible({ timeout: 60_000 });
	await expect(panel).toContainText('You are');
	await panel.getByRole('button', { name: 'Close' }).last().click();
	await expectStatus(page, 'Synced', 60_000);
	return page.url().replace(/\/[^/]*$/, '');
}

/** Invite a person from the Sharing panel; returns their invitation link. */
export async function invite(page: Page, name: string, role: 'coder' | 'supervisor' | 'viewer'): Promise<string> {
	const panel = page.getByRole('dialog', { name: 'Sharing' });
	if (!(await panel.isVisible())) await syncBadge(page).click();
	await panel.getByRole('button', { name: 'Invite…' }).click();
	await panel.getByLabel('Name').fill(name);
	await panel.getByRole('radio', { name: new RegExp(`^${role}`, 'i') }).check();
	await panel.getByRole('button', { name: 'Create invitation' }).click();
	const group = panel.getByRole('group', { name: `Invitation link for ${name}` });
	await expect(group).toContainText('This link is a secret');
	const url = await group.getByRole('textbox').inputValue();
	await expect(panel.getByRole('row', { name: new RegExp(`^${name} `) })).toContainText('Active');
	await panel.getByRole('button', { name: 'Close' }).last().click();
	return url;
}

/** The same invitation, pointed at another server instance (one study, two servers behind Redis). */
export function onInstance(link: string, instance: Instance): string {
	const u = new URL(link);
	const q = new URLSearchParams(u.hash.slice(1));
	q.set('server', serverUrl(instance));
	u.hash = q.toString();
	return u.toString();
}

/** Open an invitation and join; ends on the coding screen. */
export async function join(page: Page, link: string, expectRole: RegExp = /coder/) {
	await page.goto(link);
	await expect(page.getByRole('heading', { name: 'Join a shared study' })).toBeVisible();
	await expect(page.getByText('Cleaner Production in Jiangsu (demo)')).toBeVisible();
	await expect(page.locator('dd').nth(1)).toContainText(expectRole);
	await page.getByRole('button', { name: 'Join study' }).click();
	await page.waitForURL(/\/study\/[^/]+\/code/, { timeout: 60_000 });
	await expect(page.getByRole('document', { name: FIRST_DOC })).toBeVisible({ timeout: 30_000 });
}

/** Select a phrase of the open transcript and apply a code with the quick picker. */
export async function code(page: Page, phrase: string, codeName: string) {
	await selectPhrase(page, phrase);
	await page.keyboard.press('/');
	await page.getByRole('combobox', { name: 'Apply a code' }).fill(codeName);
	await page.keyboard.press('Enter');
	await expect(page.getByRole('combobox', { name: 'Apply a code' })).toBeHidden();
}

/** On the Review screen: the segment count the coder list gives for `coder`. */
export async function reviewCount(page: Page, coder: string): Promise<string> {
	const settings = page.getByRole('group', { name: 'Agreement settings' });
	const opt = settings.getByLabel('Coder A').locator('option', { hasText: new RegExp(`^${coder} \\(`) });
	return (await opt.textContent()) ?? '';
}

export async function openSection(page: Page, name: string) {
	await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name, exact: true }).click();
	// The client-side navigation has happened once the address says so: a reload before that would
	// load the section left behind (the offline scenario's Review, reloaded until a coder's segments
	// arrive, reloaded Documents for 90 s when its first reload came 150 ms after the click).
	await expect(page).toHaveURL(new RegExp(`/study/[^/]+/${name.toLowerCase()}(?:[?#]|$)`));
}

/** axe on the page as it is now: no violations. */
export async function axe(page: Page, where: string) {
	await page.waitForTimeout(150);
	const { violations } = await new AxeBuilder({ page }).options({ rules: { 'label-content-name-mismatch': { enabled: true } } }).analyze();
	expect(
		violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
		`axe on ${where}`
	).toEqual([]);
}

/** With SYNC_SHOTS=<folder>, a screenshot of the page as it is now (to look at the screens). */
export async function shot(page: Page, name: string) {
	if (process.env.SYNC_SHOTS) await page.screenshot({ path: `${process.env.SYNC_SHOTS}/${name}.png` });
}
