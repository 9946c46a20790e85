/**
 * The update offer: a new build that installs behind the running one is offered, never taken by
 * itself; taking it tells the waiting worker and reloads once it controls the page.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppUpdate } from './app-update.svelte';

class FakeWorker extends EventTarget {
	state = 'installing';
	messages: unknown[] = [];
	postMessage(m: unknown) {
		this.messages.push(m);
	}
	become(state: string) {
		this.state = state;
		this.dispatchEvent(new Event('statechange'));
	}
}
class FakeRegistration extends EventTarget {
	installing: FakeWorker | null = null;
	waiting: FakeWorker | null = null;
	update = vi.fn(async () => {});
}
function fakeContainer(controller: object | null, reg: FakeRegistration) {
	const c = Object.assign(new EventTarget(), { controller, register: vi.fn(async () => reg) });
	Object.defineProperty(navigator, 'serviceWorker', { value: c, configurable: true });
	return c;
}

afterEach(() => {
	// @ts-expect-error remove the fake
	delete navigator.serviceWorker;
});

describe('AppUpdate', () => {
	it('registers the worker and offers nothing on a first visit', async () => {
		const reg = new FakeRegistration();
		const c = fakeContainer(null, reg);
		const u = new AppUpdate();
		await u.start('/service-worker.js');
		expect(c.register).toHaveBeenCalledWith('/service-worker.js');
		const w = new FakeWorker();
		reg.installing = w;
		reg.dispatchEvent(new Event('updatefound'));
		w.become('installed');
		// No controller: this is the first install, not an update.
		expect(u.available).toBe(false);
	});

	it('offers a new version that installed behind the running one, and takes it only when asked', async () => {
		const reg = new FakeRegistration();
		const c = fakeContainer({}, reg);
		const u = new AppUpdate();
		await u.start('/service-worker.js');
		const w = new FakeWorker();
		reg.installing = w;
		reg.dispatchEvent(new Event('updatefound'));
		w.become('installing');
		expect(u.available).toBe(false);
		w.become('installed');
		expect(u.available).toBe(true);
		reg.waiting = w;
		// Later: the offer goes, nothing is sent to the worker.
		u.dismiss();
		expect(u.available).toBe(false);
		expect(w.messages).toEqual([]);
		// A controller change that the user did not ask for does not reload.
		const reload = vi.fn();
		Object.defineProperty(window, 'location', { value: { reload }, configurable: true });
		c.dispatchEvent(new Event('controllerchange'));
		expect(reload).not.toHaveBeenCalled();
		u.apply();
		expect(w.messages).toEqual(['skip-waiting']);
		c.dispatchEvent(new Event('controllerchange'));
		expect(reload).toHaveBeenCalledTimes(1);
	});

	it('offers a version already waiting from an earlier visit', async () => {
		const reg = new FakeRegistration();
		reg.waiting = new FakeWorker();
		fakeContainer({}, reg);
		const u = new AppUpdate();
		await u.start('/service-worker.js');
		expect(u.available).toBe(true);
	});

	it('does nothing where the browser has no service workers', async () => {
		const u = new AppUpdate();
		await u.start('/service-worker.js');
		expect(u.available).toBe(false);
		u.apply();
	});
});
