/**
 * Room in the browser's storage. A write that does not fit fails with a QuotaExceededError
 * deep inside IndexedDB; Gloss checks the estimate before a large write and, when a write fails
 * all the same, says what did not fit and that nothing was stored (the write's transaction was
 * rolled back whole).
 */
import { formatBytes as formatSize } from '../core/size';

/** How many bytes IndexedDB may take to store this much JavaScript text (UTF-16, with indexes). */
const OVERHEAD = 3;

interface Estimate {
	usage: number;
	quota: number;
}

async function estimate(): Promise<Estimate | null> {
	try {
		const e = typeof navigator !== 'undefined' ? await navigator.storage?.estimate?.() : undefined;
		return e && typeof e.quota === 'number' && typeof e.usage === 'number' ? { usage: e.usage, quota: e.quota } : null;
	} catch {
		return null;
	}
}

const advice = 'Delete a study you have backed up, or free space on this computer, then try again.';

/**
 * Before writing about `chars` characters of text: null when it should fit, else a message
 * naming `what` and the room left. Where the browser gives no estimate, the write is tried.
 */
export async function roomFor(chars: number, what: string): Promise<string | null> {
	const e = await estimate();
	if (!e) return null;
	const need = chars * 2 * OVERHEAD;
	const free = e.quota - e.usage;
	if (need <= free) return null;
	return `${what} does not fit: it needs about ${formatSize(need)} and this browser has ${formatSize(Math.max(0, free))} left for Gloss (${formatSize(e.usage)} of ${formatSize(e.quota)} used). Nothing was stored. ${advice}`;
}

/** Before storing a file of `bytes` bytes as it is (a Blob): null when it should fit, else a message naming `what`. */
export async function roomForBytes(bytes: number, what: string): Promise<string | null> {
	return roomFor(Math.ceil(bytes / (2 * OVERHEAD)) + 1, what);
}

/** True for the errors a full storage gives, however Dexie wraps them. */
export function isQuotaError(e: unknown): boolean {
	for (let x = e as { name?: string; message?: string; inner?: unknown } | undefined, i = 0; x && i < 5; x = x.inner as typeof x, i++) {
		if (x.name === 'QuotaExceededError') return true;
		if (/quota/i.test(String(x.message ?? ''))) return true;
	}
	return false;
}

/** The message for a write that failed: a full storage said plainly, anything else as it came. */
export function writeFailure(e: unknown, what: string): string {
	// No figures here: where the browser enforces a smaller quota than it reports, they would mislead.
	if (isQuotaError(e)) return `${what} did not fit in the storage this browser gives Gloss. Nothing was stored. ${advice}`;
	return `${what} could not be stored (${(e as Error)?.message ?? String(e)})`;
}
