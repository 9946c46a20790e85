/**
 * A Web Worker that reads a REFI-QDA project off the main thread (unzip, XML, sources), posting
 * its progress, then the result. The page stores the result in one transaction; cancelling is
 * terminating this worker, which has written nothing.
 */
import { parseQdpx } from '../core/refi/import';
import type { RefiWorkerReply, RefiWorkerRequest } from './refi-import';

const post = (m: RefiWorkerReply, transfer: Transferable[] = []) =>
	(self as unknown as { postMessage: (m: RefiWorkerReply, t: Transferable[]) => void }).postMessage(m, transfer);

self.onmessage = (e: MessageEvent<RefiWorkerRequest>) => {
	const { bytes, fileName, studyId } = e.data;
	try {
		const result = parseQdpx(bytes, fileName, studyId, undefined, (done, total) => post({ kind: 'progress', done, total }));
		// Recordings move to the page rather than being copied (each when it has a buffer of its own).
		const own = new Set<ArrayBuffer>();
		if (result.ok)
			for (const m of result.value.media) if (m.bytes.byteOffset === 0 && m.bytes.byteLength === m.bytes.buffer.byteLength) own.add(m.bytes.buffer as ArrayBuffer);
		post({ kind: 'result', result }, [...own]);
	} catch (err) {
		post({ kind: 'result', result: { ok: false, errors: [`${fileName}: could not be read (${(err as Error).message})`] } });
	}
};
