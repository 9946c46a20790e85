/**
 * Read a REFI-QDA project in a Web Worker (src/lib/workers/refi-import.worker.ts), with progress
 * and cancel. Where the browser has no workers (or in a test without one) it reads on this thread.
 */
import { parseQdpx, type RefiImport, type RefiProgress } from '../core/refi/import';
import type { Result } from '../core/types';

export type RefiWorkerRequest = { bytes: Uint8Array; fileName: string; studyId: string };
export type RefiWorkerReply = { kind: 'progress'; done: number; total: number } | { kind: 'result'; result: Result<RefiImport> };

export const CANCELLED = 'Cancelled: nothing was imported.';

export function readProjectInWorker(bytes: Uint8Array, fileName: string, studyId: string, onProgress?: RefiProgress, signal?: AbortSignal): Promise<Result<RefiImport>> {
	if (signal?.aborted) return Promise.resolve({ ok: false, errors: [CANCELLED] });
	if (typeof Worker === 'undefined') return Promise.resolve(parseQdpx(bytes, fileName, studyId, undefined, onProgress));
	return new Promise((resolve) => {
		const worker = new Worker(new URL('./refi-import.worker.ts', import.meta.url), { type: 'module' });
		const finish = (r: Result<RefiImport>) => {
			worker.terminate();
			signal?.removeEventListener('abort', abort);
			resolve(r);
		};
		const abort = () => finish({ ok: false, errors: [CANCELLED] });
		signal?.addEventListener('abort', abort);
		worker.onmessage = (e: MessageEvent<RefiWorkerReply>) => {
			if (e.data.kind === 'progress') onProgress?.(e.data.done, e.data.total);
			else finish(e.data.result);
		};
		worker.onerror = (e) => {
			e.preventDefault();
			finish({ ok: false, errors: [`${fileName}: could not be read (${e.message || 'the reader stopped'})`] });
		};
		// The bytes move to the worker rather than being copied.
		worker.postMessage({ bytes, fileName, studyId } satisfies RefiWorkerRequest, [bytes.buffer]);
	});
}
