import { expect, test } from './helpers';

// `npm start` opens `/?demo`: the README promises the app "with the demo study loaded".
test('opening /?demo loads the demo study once and opens it', async ({ page }) => {
	await page.goto('/?demo');
	await expect(page).toHaveURL(/\/study\/[^/]+\//);
	await expect(page.getByText('Cleaner Production in Jiangsu (demo)').first()).toBeVisible();

	// A second visit opens the same study instead of loading a copy.
	const first = page.url().match(/study\/([^/]+)/)?.[1];
	await page.goto('/?demo');
	await expect(page).toHaveURL(new RegExp(`/study/${first}/`));
	await page.goto('/');
	await expect(page.getByRole('link', { name: 'Cleaner Production in Jiangsu (demo)' })).toHaveCount(1);
});
