/**
 * The app's service worker (src/service-worker.ts): registered once, and a new version offered,
 * never forced. A new build installs in the background and waits; `available` turns true and the
 * page shows an offer; `apply()` tells the waiting worker to take over and reloads once it has.
 * Until then the running version keeps serving, so nobody loses their place mid-coding.
 */
export class AppUpdate {
	available = $state(false);
	#registration: ServiceWorkerRegistration | null = null;
	#reloading = false;

	/** Register the worker; a no-op where the browser has none (or in the dev server). */
	async start(scriptUrl: string): Promise<void> {
		if (!('serviceWorker' in navigator)) return;
		const container = navigator.serviceWorker;
		container.addEventListener('controllerchange', () => {
			if (this.#reloading) location.reload();
		});
		const reg = await container.register(scriptUrl);
		this.#registration = reg;
		// A version already waiting from an earlier visit.
		if (reg.waiting && container.controller) this.available = true;
		reg.addEventListener('updatefound', () => {
			const worker = reg.installing;
			worker?.addEventListener('statechange', () => {
				// 'installed' with a controller present: a newer build waits behind the running one.
				if (worker.state === 'installed' && container.controller) this.available = true;
			});
		});
		// Look for a new build when the user comes back to the tab.
		document.addEventListener('visibilitychange', () => {
			if (document.visibilityState === 'visible') void reg.update().catch(() => {});
		});
	}

	/** Take the new version now: the waiting worker takes over, then the page reloads. */
	apply(): void {
		const waiting = this.#registration?.waiting;
		if (!waiting) return;
		this.#reloading = true;
		waiting.postMessage('skip-waiting');
	}

	dismiss(): void {
		this.available = false;
	}
}
