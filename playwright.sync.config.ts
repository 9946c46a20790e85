import { defineConfig } from '@playwright/test';
import { chromiumLaunch } from './tests/chromium';
import { syncPorts } from './tests/sync/env';

// `npm run test:sync`: shared studies against real sync servers (PostgreSQL + Redis + two
// instances, and one embedded PGlite instance), started by tests/sync/env.ts.
// Ports come from SYNC_E2E_PORT, SYNC_PORT_A, SYNC_PORT_B, SYNC_PORT_EMBEDDED, SYNC_PG_PORT, SYNC_REDIS_PORT.
// The app is build-sync/, built by scripts/test-sync.mjs with GLOSS_SYNC_ORIGINS naming the servers
// (docs/sync.md), served with the SPA fallback as a static host would; build/ keeps its strict policy.
const port = syncPorts().preview;

export default defineConfig({
	testDir: 'tests/sync',
	fullyParallel: false,
	workers: 1,
	// Several servers, databases and browsers over real sockets: on CI a scenario that fails is run
	// once more, and reported as flaky (never hidden) when the second run passes.
	retries: process.env.CI ? 1 : 0,
	timeout: 90_000,
	globalSetup: './tests/sync/env.ts',
	reporter: [['list'], ['json', { outputFile: 'test-results/sync.json' }]],
	// SYNC_NO_PREVIEW=1 runs the node-only specs (servers.spec.ts) without building the app.
	webServer: process.env.SYNC_NO_PREVIEW
		? undefined
		: {
				command: `node scripts/serve-static.mjs build-sync ${port} 127.0.0.1`,
				url: `http://127.0.0.1:${port}/`,
				reuseExistingServer: !process.env.CI,
				timeout: 120_000
			},
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		headless: true,
		acceptDownloads: true,
		launchOptions: chromiumLaunch
	}
});
