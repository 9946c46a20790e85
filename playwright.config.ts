import { defineConfig } from '@playwright/test';
import { chromiumLaunch } from './tests/chromium';

// Another port lets several checkouts run their e2e side by side.
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
	// the app's scenarios, and the transcript view engine's own tests in a blank page
	projects: [
		{ name: 'e2e', testDir: 'tests/e2e' },
		{ name: 'view', testDir: 'tests/view' }
	],
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 60_000,
	reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
	webServer: {
		command: `npm run preview -- --port ${port} --strictPort`,
		port,
		reuseExistingServer: !process.env.CI,
		timeout: 120_000
	},
	use: {
		baseURL: `http://localhost:${port}`,
		headless: true,
		acceptDownloads: true,
		launchOptions: chromiumLaunch
	}
});
