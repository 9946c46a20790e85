import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * Sync servers the built app may connect to (issue 9): `GLOSS_SYNC_ORIGINS`, space-separated
 * origins, e.g. `wss://sync.example.org https://sync.example.org`, read at build time. Unset, the
 * app connects to its own origin only. `GLOSS_BUILD_DIR` builds into another folder (default
 * `build`), so a build for a sync server can sit beside the strict one.
 */
/** @type {any[]} checked below to be origins */
const syncOrigins = (process.env.GLOSS_SYNC_ORIGINS ?? '').split(/\s+/).filter(Boolean);
for (const o of syncOrigins) {
	if (!/^(wss?|https?):\/\/[^\s/;,'"]+$/.test(o)) throw new Error(`GLOSS_SYNC_ORIGINS: "${o}" is not an origin such as wss://sync.example.org`);
}
const buildDir = process.env.GLOSS_BUILD_DIR || 'build';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		// A static single-page app: every route falls back to index.html and renders in the browser.
		adapter: adapter({ pages: buildDir, assets: buildDir, fallback: 'index.html', strict: true }),
		prerender: { entries: [] },
		// Absolute asset paths: the SPA fallback page is served at every depth (/study/x/code).
		paths: { relative: false },
		// src/service-worker.ts keeps the app working offline; the root layout registers it, so that
		// an update is offered to the user rather than taken in the middle of coding.
		serviceWorker: { register: false },
		// A Content Security Policy baked into the built index.html as a <meta http-equiv>: scripts
		// only from this origin (SvelteKit's inline boot script gets a hash), no eval, connections only
		// to this origin (and the configured sync servers). Styles allow inline style attributes (Svelte sets colours and sizes with them);
		// they cannot run script.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self', ...syncOrigins],
				'worker-src': ['self', 'blob:'],
				'manifest-src': ['self'],
				'media-src': ['self', 'blob:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
