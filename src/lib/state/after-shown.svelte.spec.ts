/**
 * A coding write waits for the frame that shows the change, but never for a frame that will not
 * come: a hidden or closing page paints none, and a write held for one would be lost with it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterShown } from './coding.svelte';

const hidden = (on: boolean) => Object.defineProperty(document, 'visibilityState', { value: on ? 'hidden' : 'visible', configurable: true });

describe('afterShown', () => {
	afterEach(() => {
		vi.useRealTimers();
		vi.unstubAllGlobals();
		hidden(false);
	});

	it('resolves a little after the next frame', async () => {
		vi.useFakeTimers();
		let frame: FrameRequestCallback | null = null;
		vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => ((frame = cb), 1));
		let done = false;
		void afterShown().then(() => (done = true));
		await vi.advanceTimersByTimeAsync(20);
		expect(done).toBe(false);
		frame!(0);
		await vi.advanceTimersByTimeAsync(40);
		expect(done).toBe(true);
	});

	it('does not wait for a frame that never comes', async () => {
		vi.useFakeTimers();
		vi.stubGlobal('requestAnimationFrame', () => 1);
		let done = false;
		void afterShown().then(() => (done = true));
		await vi.advanceTimersByTimeAsync(150);
		expect(done).toBe(false);
		await vi.advanceTimersByTimeAsync(60);
		expect(done).toBe(true);
	});

	it('resolves at once when the page is hidden, or becomes hidden while waiting', async () => {
		vi.stubGlobal('requestAnimationFrame', () => 1);
		hidden(true);
		await afterShown();
		hidden(false);
		let done = false;
		const p = afterShown().then(() => (done = true));
		await Promise.resolve();
		expect(done).toBe(false);
		hidden(true);
		document.dispatchEvent(new Event('visibilitychange'));
		await p;
		expect(done).toBe(true);
	});
});
