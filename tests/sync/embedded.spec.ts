/**
 * Issue 9, scenario 7: the same flow on the embedded default (PGlite), one instance: share, invite,
 * join, code, and the supervisor sees it.
 */
import { expect, test } from '../e2e/helpers';
import { code, expectStatus, invite, join, openSection, person, shareDemo } from './ui';

test.describe.configure({ timeout: 240_000 });

test('on the embedded PGlite server: share, invite, join, code, and the supervisor sees it', async ({ page, browser }) => {
	await shareDemo(page, 'embedded');
	const link = await invite(page, 'Ana', 'coder');
	const ana = await person(browser);
	await join(ana.page, link);
	await code(ana.page, 'the weekly management meeting', 'Discharge standards');
	await expectStatus(ana.page, 'Synced');
	await openSection(page, 'Review');
	const settings = page.getByRole('group', { name: 'Agreement settings' });
	await expect(settings.getByLabel('Coder A').locator('option', { hasText: /^Ana \(1 segment\)/ })).toHaveCount(1, { timeout: 30_000 });
	expect(ana.problems, 'the coder’s page logged warnings or errors').toEqual([]);
	await ana.context.close();
});
