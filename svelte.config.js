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
		paths: { relative: false }
	}
};

export default config;
