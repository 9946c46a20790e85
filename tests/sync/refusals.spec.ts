/**
 * Issue 9, scenario 6: refusals, each with a clear message, through the UI: a wrong token; a
 * viewer's write; a coder and another coder's document in a blind study; a revoked member.
 */
import { API, docName, type Member } from '../../src/lib/core/sync/protocol';
import { connectDoc, studySocket } from '../../src/server/testkit';
import { expect, test } from '../e2e/helpers';
import { httpUrl, serverUrl } from './env';
import { axe, code, shot, expectStatus, invite, join, person, shareDemo, syncBadge } from './ui';

test.describe.configure({ timeout: 300_000 });

const tokenOf = (link: string) => new URLSearchParams(new URL(link).hash.slice(1)).get('token')!;

test('refused, each with a clear message: a wrong token, a viewer’s write, blind coding, a revoked member', async ({ page, browser }) => {
	await shareDemo(page, 'a');
	const studyId = decodeURIComponent(page.url().split('/study/')[1].split('/')[0]);
	const anaLink = await invite(page, 'Ana', 'coder');
	const benLink = await invite(page, 'Ben', 'coder');
	const veraLink = await invite(page, 'Vera', 'viewer');

	// a wrong token: the join page says the server does not know it
	// (Chromium itself logs a 401 answer as a console error: expected where the server refuses)
	const stranger = await person(browser, { allowNetwork: true });
	const q = new URLSearchParams(new URL(anaLink).hash.slice(1));
	q.set('token', 'x'.repeat(43));
	await stranger.page.goto(`/join#${q}`);
	await expect(stranger.page.getByRole('alert')).toHaveText(/does not know this invitation/);
	await expect(stranger.page.getByRole('button', { name: 'Join study' })).toHaveCount(0);
	await axe(stranger.page, 'join page, refused');
	await shot(stranger.page, 'join-unknown-token');
	// a link cut short
	await stranger.page.goto(`/join#server=${encodeURIComponent(serverUrl('a'))}&study=x`);
	await expect(stranger.page.getByRole('alert')).toHaveText(/no valid token/);

	// a viewer reads, and every write is refused with a message
	const vera = await person(browser);
	await join(vera.page, veraLink, /viewer/);
	await expect(vera.page.getByRole('banner')).toContainText('You are a viewer');
	await expect(vera.page.getByText('You are a viewer: you can read and search this shared study, not code.')).toBeVisible();
	await vera.page.keyboard.press('/');
	await expect(vera.page.getByText('You are a viewer of this shared study: you can read everything, but not code or edit.')).toBeVisible();
	await syncBadge(vera.page).click();
	await expect(vera.page.getByRole('dialog', { name: 'Sharing' })).toContainText('You are Vera, viewer.');
	await axe(vera.page, 'Sharing panel, viewer');
	await shot(vera.page, 'viewer-sharing-panel');

	// blind coding: Ben codes; the supervisor turns blind coding on; Ana cannot load Ben's coding
	const ben = await person(browser, { allowNetwork: true });
	await join(ben.page, benLink);
	await code(ben.page, 'the weekly management meeting', 'Discharge standards');
	await expectStatus(ben.page, 'Synced');
	await syncBadge(page).click();
	const panel = page.getByRole('dialog', { name: 'Sharing' });
	await panel.getByRole('checkbox', { name: /Blind coding/ }).check();
	await expect(panel.getByRole('checkbox', { name: /Blind coding/ })).toBeChecked();
	const ana = await person(browser);
	await join(ana.page, anaLink);
	await syncBadge(ana.page).click();
	await expect(ana.page.getByRole('dialog', { name: 'Sharing' })).toContainText('Blind coding is on: coders see only their own coding.');
	// the server refuses Ana's connection to Ben's document, and says why
	const members = (await (await fetch(httpUrl('a') + API.members(studyId), { headers: { Authorization: `Bearer ${tokenOf(anaLink)}` } })).json()) as {
		error?: string;
	};
	expect(members.error).toBe('only a supervisor may do this');
	const benCoder = ((await (await fetch(httpUrl('a') + API.me, { headers: { Authorization: `Bearer ${tokenOf(benLink)}` } })).json()) as { member: Member })
		.member.coderId!;
	const peek = connectDoc(studySocket(serverUrl('a'), studyId), docName({ kind: 'coder', studyId, coderId: benCoder }), tokenOf(anaLink));
	expect(await peek.ready).toEqual({ ok: false, reason: "blind study: another coder's coding" });
	peek.close();

	// revoked: the supervisor revokes Ben; on his next connection he is refused, and told why
	await panel.getByRole('button', { name: 'Revoke Ben' }).click();
	const confirm = panel.getByRole('group', { name: 'Revoke Ben' });
	await expect(confirm).toContainText('takes effect on their next connection');
	await shot(page, 'revoke-confirm');
	await confirm.getByRole('button', { name: 'Revoke', exact: true }).click();
	await expect(panel.getByRole('row', { name: /^Ben / })).toContainText('Revoked');
	await ben.page.reload();
	await expectStatus(ben.page, 'Refused: your access was revoked');
	await shot(ben.page, 'header-refused');
	const again = await person(browser, { allowNetwork: true });
	await again.page.goto(benLink);
	await expect(again.page.getByRole('alert')).toHaveText(/This invitation was revoked/);

	for (const p of [stranger, vera, ben, ana, again]) {
		expect(p.problems, 'a page logged warnings or errors').toEqual([]);
		await p.context.close();
	}
});
