/**
 * Issue 9, scenarios 1, 2 and 4, through the UI: a supervisor shares the demo study on server
 * instance a and invites two coders; Ana joins on a, Ben on b (one study, two servers kept in step
 * through Redis). Both code, once the same passage at the same moment; the supervisor sees both
 * coders' segments and the Review screen computes agreement on them.
 */
import { expect, test } from '../e2e/helpers';
import { axe, code, shot, expectStatus, FIRST_DOC, invite, join, onInstance, openSection, person, shareDemo, syncBadge } from './ui';

test.describe.configure({ timeout: 240_000 });

test('a supervisor shares the demo, two coders join on different instances and code; both are kept and Review compares them', async ({ page, browser }) => {
	await shareDemo(page, 'a');
	await axe(page, 'study header, shared');

	// the Sharing panel: invitations per person and role
	await syncBadge(page).click();
	const panel = page.getByRole('dialog', { name: 'Sharing' });
	await panel.getByRole('button', { name: 'Invite…' }).click();
	await expect(panel.getByRole('group', { name: 'Role' })).toContainText('cannot code or edit');
	await axe(page, 'Sharing panel, inviting');
	await shot(page, 'sharing-panel-invite');
	await panel.getByRole('button', { name: 'Cancel' }).click();
	await panel.getByRole('button', { name: 'Close' }).last().click();
	const anaLink = await invite(page, 'Ana', 'coder');
	const benLink = onInstance(await invite(page, 'Ben', 'coder'), 'b');
	await syncBadge(page).click();
	await shot(page, 'sharing-panel-link');
	await page.getByRole('dialog', { name: 'Sharing' }).getByRole('button', { name: 'Close' }).last().click();

	const ana = await person(browser);
	const ben = await person(browser);
	await ana.page.goto(anaLink);
	await expect(ana.page.getByRole('button', { name: 'Join study' })).toBeEnabled();
	await axe(ana.page, 'join page');
	await shot(ana.page, 'join');
	await join(ana.page, anaLink);
	await join(ben.page, benLink);
	// a coder codes as their own coder, fixed by the invitation
	await expect(ana.page.getByRole('banner')).toContainText('Ana · coder');
	await expect(ben.page.getByRole('banner')).toContainText('Ben · coder');
	await expectStatus(ana.page, 'Synced');
	await expectStatus(ben.page, 'Synced');
	await shot(ana.page, 'coder-synced');

	// the same passage, coded by both at the same moment (scenario 4)
	await Promise.all([code(ana.page, 'the weekly management meeting', 'Discharge standards'), code(ben.page, 'the weekly management meeting', 'Discharge standards')]);
	await code(ana.page, 'we have about 4,010 people on the payroll', 'Production cost reduction');
	await code(ben.page, 'The safety and environment department does it', 'International markets');
	await expectStatus(ana.page, 'Synced');
	await expectStatus(ben.page, 'Synced');

	// each coder sees the other's coding too (the study is not blind): both segments on the passage
	await expect(ana.page.getByRole('document', { name: FIRST_DOC })).toBeVisible();
	await openSection(ana.page, 'Review');
	const anaSettings = ana.page.getByRole('group', { name: 'Agreement settings' });
	await expect(anaSettings.getByLabel('Coder A').locator('option', { hasText: /^Ben \(2 segments\)/ })).toHaveCount(1, { timeout: 30_000 });

	// the supervisor sees both coders' segments, and Review computes agreement on them
	await openSection(page, 'Review');
	const settings = page.getByRole('group', { name: 'Agreement settings' });
	await expect(settings.getByLabel('Coder A').locator('option', { hasText: /^Ana \(2 segments\)/ })).toHaveCount(1, { timeout: 30_000 });
	await expect(settings.getByLabel('Coder A').locator('option', { hasText: /^Ben \(2 segments\)/ })).toHaveCount(1);
	await settings.getByLabel('Coder A').selectOption({ label: 'Ana (2 segments)' });
	await settings.getByLabel('Coder B').selectOption({ label: 'Ben (2 segments)' });
	await expect(page.getByText(/^Comparing Ana \(A\) and Ben \(B\) over 1 document/)).toBeVisible();
	const table = page.getByRole('region', { name: 'Agreement table' });
	const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Discharge standards', exact: true }) });
	await expect(row).toBeVisible();

	for (const p of [ana, ben]) {
		expect(p.problems, 'a coder’s page logged warnings or errors').toEqual([]);
		await p.context.close();
	}
});
