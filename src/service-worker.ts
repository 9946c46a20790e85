/**
 * Gloss offline: after the first visit the app (its code, styles, icons and the demo study) is
 * served from a cache named after the build, so it opens and works with no network.
 *
 * - install: cache every file of this build; do NOT take over from a running version.
 * - activate: drop the caches of earlier builds.
 * - fetch: same-origin GETs of this build from the cache; every page (the app is one page) is the
 *   cached index.html; anything else from the network, falling back to the cache.
 * - message 'skip-waiting': the user accepted the update offered by the page (src/lib/state/app-update.svelte.ts).
 */
/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `gloss-${version}`;
// The app's one page (adapter-static's fallback index.html), as every static server serves it at /.
const INDEX = '/';
const ASSETS = new Set([...build, ...files, INDEX]);

sw.addEventListener('install', (event) => {
	event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([...ASSETS])));
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('message', (event) => {
	if (event.data === 'skip-waiting') void sw.skipWaiting();
});

sw.addEventListener('fetch', (event) => {
	const req = event.request;
	if (req.method !== 'GET') return;
	const url = new URL(req.url);
	if (url.origin !== sw.location.origin) return;
	event.respondWith(
		(async () => {
			const cache = await caches.open(CACHE);
			if (req.mode === 'navigate') {
				const page = await cache.match(INDEX);
				if (page) return page;
			} else if (ASSETS.has(url.pathname)) {
				const hit = await cache.match(url.pathname);
				if (hit) return hit;
			}
			try {
				return await fetch(req);
			} catch (e) {
				const hit = await cache.match(req);
				if (hit) return hit;
				throw e;
			}
		})()
	);
});
