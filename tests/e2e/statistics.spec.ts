/**
 * Tests on the cross-tab, as a researcher checks a difference between cities: open the demo,
 * cross-tab by City, turn Tests on, read Fisher's p for "CP audit continued on own initiative"
 * (the seed's 1/2/4 of 10/12/8; R's value is in the reference vectors), adjust for the codes
 * tested, open a shaded cell's passages, and download the CSV with the test columns.
 */
import AxeBuilder from '@axe-core/playwright';
import { type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, openDemo, test } from './helpers';

const vector = (file: string) => JSON.parse(readFileSync(resolve('tests/fixtures/stats/vectors', file), 'utf8'));
// R 4.2.2: fisher.test(matrix(c(1, 9, 2, 10, 4, 4), 2))$p.value
const T01 = vector('T01_seed_cp_audit_continued__fisher_p.json');
const AUDIT = '(B1-b) CP audit continued on own initiative';

function codeRow(page: Page, name: string): Locator {
	return page
		.getByRole('tabpanel')
		.getByRole('row')
		.filter({ has: page.getByRole('rowheader', { name, exact: true }) });
}

test('Tests on the cross-tab by City: Fisher’s p equals R’s, cells open their passages, the CSV has the test columns', async ({ page }) => {
	expect(T01.table).toEqual([
		[1, 2, 4],
		[9, 10, 4]
	]);
	await openDemo(page);
	await page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: 'Analyse' }).click();
	await page.getByRole('tab', { name: 'Cross-tab' }).click();
	await expect(page.getByLabel('Break by').locator('option:checked')).toHaveText('City');

	await page.getByRole('checkbox', { name: 'Tests' }).check();
	const head = page.getByRole('tabpanel').getByRole('columnheader');
	await expect(head).toHaveText(['Code', 'C', 'N', 'S', 'Total', 'Test', 'Statistic', 'df', 'p', 'V']);

	// The seed row: 1, 2, 4 of 10, 12, 8 cases. Expected counts are below 5, so Fisher's exact test leads.
	const row = codeRow(page, AUDIT);
	const cells = row.getByRole('cell');
	await expect(cells).toHaveText(['1', '2', '4▲', '7', 'Fisher*(expected count below 5)', '—', '—', '0.16', '0.39']);
	const p = cells.nth(7);
	const title = (await p.getAttribute('title')) ?? '';
	const shown = Number(/p = ([0-9.e-]+)/.exec(title)![1]);
	expect(Math.abs(shown - T01.expected)).toBeLessThanOrEqual(1e-9 * T01.expected);

	// The plain-language lines and the warning.
	const summary = page.getByRole('region', { name: 'Test results' });
	await expect(summary).toContainText(
		'Cases citing Total emission control differ by City (Fisher’s exact p = 0.003, V = 0.59); S is above expectation; N is below expectation.'
	);
	await expect(summary).toContainText('The other 38 codes tested do not differ significantly by City at the 5% level.');
	await expect(summary).toContainText('an expected count below 5, so the chi-square approximation may be incorrect');

	// Holm over the 39 codes tested: the p column says so.
	await page.getByLabel('Adjust p').selectOption({ label: 'Holm' });
	await expect(head.nth(8)).toHaveText('p (Holm)');
	await expect(cells.nth(7)).toHaveText('1');
	await expect(summary).toContainText('All 39 codes tested do not differ significantly by City at the 5% level (Holm-adjusted over 39 codes).');

	// The shaded cell (S, above expectation) still opens its passages.
	await row.getByRole('button', { name: /^\(B1-b\) CP audit continued on own initiative, City = S: 4 cases; above expectation, adjusted residual \+2\.\d\d$/ }).click();
	const panel = page.getByRole('complementary', { name: 'Passages' });
	await expect(panel.getByRole('heading', { name: `${AUDIT} · City = S` })).toBeVisible();
	await expect(panel).toContainText('4 cases');
	expect(await panel.getByRole('listitem').count()).toBeGreaterThanOrEqual(4);
	await panel.getByRole('button', { name: 'Close passages' }).click();

	// No accessibility problems on the screen with tests on.
	const { violations } = await new AxeBuilder({ page }).options({ rules: { 'label-content-name-mismatch': { enabled: true } } }).analyze();
	expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);

	// Download: the new columns, exact names, unrounded p equal to R's.
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download CSV' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/crosstab-City-cases-tests-holm\.csv$/);
	const lines = readFileSync(await download.path(), 'utf8').slice(1).split('\r\n');
	expect(lines[0]).toBe('code,C,N,S,total,test,statistic,df,p,p_adjusted,cramers_v,min_expected,note');
	const line = lines.find((l) => l.includes(AUDIT))!;
	const f = line.split(',');
	const at = (name: string) => f[f.length - 13 + lines[0].split(',').indexOf(name)];
	expect(at('test')).toBe('fisher_exact');
	expect(Math.abs(Number(at('p')) - T01.expected)).toBeLessThanOrEqual(1e-9 * T01.expected);
	expect(Number(at('p_adjusted'))).toBe(1);
	expect(Number(at('cramers_v'))).toBeCloseTo(0.3860936712526721, 12);
	expect(Number(at('min_expected'))).toBeCloseTo(56 / 30, 12);
});
