/** Reading a project off the main thread: where there is no Worker (Node) it reads in place, with the same progress and cancel. */
import { describe, expect, it } from 'vitest';
import { projectQdpx } from '../core/refi/export';
import { REFI_T, tinyStudy } from '../../../tests/fixtures/refi-studies';
import { CANCELLED, readProjectInWorker } from './refi-import';

describe('readProjectInWorker', () => {
	it('reads a project, reporting each source read', async () => {
		const data = tinyStudy();
		const seen: [number, number][] = [];
		const r = await readProjectInWorker(projectQdpx(data, REFI_T), 't.qdpx', 'new-id', (d, t) => seen.push([d, t]));
		expect(r.ok && r.value.data.documents.length).toBe(data.documents.length);
		const total = seen[0][1];
		expect(total).toBeGreaterThan(0);
		expect(seen.at(-1)).toEqual([total, total]);
		expect(seen.map(([d]) => d)).toEqual([...Array(total + 1).keys()]);
	});

	it('reads nothing once cancelled', async () => {
		const c = new AbortController();
		c.abort();
		expect(await readProjectInWorker(projectQdpx(tinyStudy(), REFI_T), 't.qdpx', 'x', undefined, c.signal)).toEqual({ ok: false, errors: [CANCELLED] });
	});
});
