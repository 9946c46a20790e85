import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		// A static single-page app: every route falls back to index.html and renders in the browser.
		adapter: adapter({ fallback: 'index.html', strict: true }),
		prerender: { entries: [] },
		// Absolute asset paths: the SPA fallback page is served at every depth (/study/x/code).
		paths: { relative: false },
		// src/service-worker.ts keeps the app working offline; the root layout registers it, so that
		// an update is offered to the user rather than taken in the middle of coding.
		serviceWorker: { register: false },
		// A Content Security Policy baked into the built index.html as a <meta http-equiv>: scripts
		// only from this origin (SvelteKit's inline boot script gets a hash), no eval, connections only
		// to this origin. Styles allow inline style attributes (Svelte sets colours and sizes with them);
		// they cannot run script.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
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
