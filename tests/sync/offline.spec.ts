/**
 * Issue 9, scenarios 3 and 5, through the UI: a coder codes with no network, closes the page,
 * reopens it and goes online, and everything arrives; a server instance is killed in the middle
 * of sync and restarted, and nothing is lost.
 */
import { appInstalled, expect, test } from '../e2e/helpers';
import { killInstance, restartInstance } from './env';
import { SyncTrace, linkOf, whereIs } from './trace';
import { shot, code, expectStatus, FIRST_DOC, invite, join, onInstance, openSection, person, reopen, shareDemo } from './ui';

test.describe.configure({ timeout: 240_000 });

test('a coder codes offline, closes the page, reopens it and goes online: everything arrives', async ({ page, browser }, testInfo) => {
	const t = new SyncTrace();
	await t.watch(page.context(), 'supervisor');
	const ana = await person(browser, { allowNetwork: true });
	await t.watch(ana.context, 'Ana');
	const report = async () => {
		const l = await linkOf(page, 'Ana');
		return whereIs({ pages: { supervisor: page, Ana: ana.page }, instance: 'a', studyId: l.studyId, coderId: l.coderId, token: l.token });
	};
	await t.onFailure(testInfo, report, async () => {
		await shareDemo(page, 'a');
		const link = await invite(page, 'Ana', 'coder');
		t.step('Ana joins');
		await join(ana.page, link);
		await expectStatus(ana.page, 'Synced');
		const codeUrl = ana.page.url();
		// the app is on Ana's laptop once her first visit has installed it
		await appInstalled(ana.page);

		t.step('Ana goes offline');
		await ana.context.setOffline(true);
		await expectStatus(ana.page, /Offline · \d+ waiting/);
		t.step('Ana codes two passages');
		await code(ana.page, 'the weekly management meeting', 'Discharge standards');
		await code(ana.page, 'we have about 4,010 people on the payroll', 'Production cost reduction');
		// she closes the page once the header says her coding is saved, both passages waiting to sync
		await expect(ana.page.getByText('Saved', { exact: true })).toBeVisible();
		await expectStatus(ana.page, 'Offline · 2 waiting');
		await shot(ana.page, 'coder-offline');
		t.step('Ana closes the page');
		await ana.page.close();

		// still offline: the app and the coding come from this browser
		t.step('Ana reopens it, offline');
		const again = await reopen(ana, codeUrl, true);
		await expect(again.getByRole('document', { name: FIRST_DOC })).toBeVisible({ timeout: 30_000 });
		await expectStatus(again, 'Offline · 2 waiting');

		t.step('Ana goes online');
		await ana.context.setOffline(false);
		await expectStatus(again, 'Synced', 60_000);
		t.step('Ana: Synced');

		// everything arrives at the supervisor: both offline segments, in Review (opened again until
		// they are there: the coder list is read when Review opens)
		await openSection(page, 'Review');
		await expect
			.poll(
				async () => {
					const settings = page.getByRole('group', { name: 'Agreement settings' });
					const n = await settings.getByLabel('Coder A').locator('option', { hasText: /^Ana \(2 segments\)/ }).count();
					if (n === 0) {
						t.step('supervisor: no "Ana (2 segments)" yet, reloads');
						await page.reload();
					}
					return n;
				},
				{ timeout: 90_000, intervals: [2_000, 5_000] }
			)
			.toBe(1);
		expect(ana.problems, 'the coder’s page logged warnings or errors').toEqual([]);
	});
	await ana.context.close();
});

test('server instance a is killed in the middle of sync and restarted: nothing is lost', async ({ page, browser }) => {
	// the supervisor on b, the coder on a: b watches while a goes down
	await shareDemo(page, 'b');
	const link = onInstance(await invite(page, 'Ana', 'coder'), 'a');
	const ana = await person(browser, { allowNetwork: true });
	await join(ana.page, link);
	await expectStatus(ana.page, 'Synced');

	await code(ana.page, 'the weekly management meeting', 'Discharge standards');
	await killInstance('a'); // no goodbye: whatever a had not stored is gone with it
	await code(ana.page, 'we have about 4,010 people on the payroll', 'Production cost reduction');
	await code(ana.page, 'The safety and environment department does it', 'International markets');
	await expectStatus(ana.page, /Offline · [1-9]\d* waiting/);
	await restartInstance('a');
	await expectStatus(ana.page, 'Synced', 60_000);

	await openSection(page, 'Review');
	const settings = page.getByRole('group', { name: 'Agreement settings' });
	await expect(settings.getByLabel('Coder A').locator('option', { hasText: /^Ana \(3 segments\)/ })).toHaveCount(1, { timeout: 30_000 });
	expect(ana.problems, 'the coder’s page logged warnings or errors').toEqual([]);
	await ana.context.close();
});
