/** Room in storage: a large write that will not fit is refused before it starts, and a full storage is said plainly. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isQuotaError, roomFor, writeFailure } from './storage';

const MB = 1024 * 1024;
function storage(usage: number, quota: number) {
	vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage, quota }) } });
}
afterEach(() => vi.unstubAllGlobals());

describe('roomFor', () => {
	it('lets a write through that fits', async () => {
		storage(10 * MB, 100 * MB);
		expect(await roomFor(1 * MB, 'big.gloss.json')).toBeNull();
	});
	it('refuses one that does not, naming it and the room left', async () => {
		storage(95 * MB, 100 * MB);
		expect(await roomFor(2 * MB, 'big.gloss.json')).toBe(
			'big.gloss.json does not fit: it needs about 12 MB and this browser has 5.0 MB left for Gloss (95 MB of 100 MB used). Nothing was stored. Delete a study you have backed up, or free space on this computer, then try again.'
		);
	});
	it('tries the write where the browser gives no estimate', async () => {
		vi.stubGlobal('navigator', {});
		expect(await roomFor(1e12, 'x')).toBeNull();
	});
});

describe('writeFailure', () => {
	it('says a full storage plainly, however Dexie wraps it', async () => {
		storage(100 * MB, 100 * MB);
		const dexieError = { name: 'AbortError', message: 'Transaction aborted', inner: { name: 'QuotaExceededError', message: 'The quota has been exceeded.' } };
		expect(isQuotaError(dexieError)).toBe(true);
		expect(writeFailure(dexieError, 'study.gloss.json')).toBe(
			'study.gloss.json did not fit in the storage this browser gives Gloss. Nothing was stored. Delete a study you have backed up, or free space on this computer, then try again.'
		);
	});
	it('passes other failures on as they came', async () => {
		expect(isQuotaError(new Error('Key already exists'))).toBe(false);
		expect(writeFailure(new Error('Key already exists'), 'a.qdpx')).toBe('a.qdpx could not be stored (Key already exists)');
	});
});
