/**
 * A Web Worker that reads a REFI-QDA project off the main thread (unzip, XML, sources), posting
 * its progress, then the result. The page stores the result in one transaction; cancelling is
 * terminating this worker, which has written nothing.
 */
import { parseQdpx } from '../core/refi/import';
import type { RefiWorkerReply, RefiWorkerRequest } from './refi-import';

const post = (m: RefiWorkerReply) => (self as unknown as { postMessage: (m: RefiWorkerReply) => void }).postMessage(m);

self.onmessage = (e: MessageEvent<RefiWorkerRequest>) => {
	const { bytes, fileName, studyId } = e.data;
	try {
		const result = parseQdpx(bytes, fileName, studyId, undefined, (done, total) => post({ kind: 'progress', done, total }));
		post({ kind: 'result', result });
	} catch (err) {
		post({ kind: 'result', result: { ok: false, errors: [`${fileName}: could not be read (${(err as Error).message})`] } });
	}
};
