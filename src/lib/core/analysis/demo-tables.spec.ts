/**
 * The demo study (static/demo/cleaner-production.gloss.json) reproduces the seed's two tables
 * through the analysis core: "Reasons cited by enterprises for adopting CP measures" and
 * "CP audits at case-study enterprises" by City. Which codes carry them: static/demo/README.md.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBackup } from '../backup';
import type { StudyData } from '../types';
import { crosstab } from './crosstab';
import { frequencies } from './frequencies';

const DEMO = fileURLToPath(new URL('../../../../static/demo/cleaner-production.gloss.json', import.meta.url));
const guid = (n: string) => `cb0c0de0-0000-4000-8000-000000000${n}`;

function demo(): StudyData {
	const r = parseBackup(readFileSync(DEMO, 'utf8'), 'demo', 'cleaner-production.gloss.json');
	if (!r.ok) throw new Error(r.errors.join('\n'));
	return r.value;
}

const REASONS: [string, string, number][] = [
	['111', 'Production cost reduction', 23],
	['121', 'Discharge standards', 19],
	['113', 'International markets', 17],
	['112', 'Product quality improvement', 14],
	['122', 'Total emission control', 10],
	['114', 'Abatement cost reductions', 9],
	['131', 'Personal concern for the environment', 7],
	['123', 'Occupational health and safety', 6],
	['132', "Residents' complaints", 4]
];

describe('the demo study reproduces the seed tables', () => {
	const data = demo();
	const demoCoder = data.coders.find((c) => c.name === 'Demo coder');

	it('"Reasons cited by enterprises": cases per reason for the Demo coder', () => {
		expect(demoCoder).toBeDefined();
		for (const includeDescendants of [true, false]) {
			const f = frequencies(data, { coderIds: [demoCoder!.id] }, { includeDescendants, sort: 'cases' });
			const got = REASONS.map(([n]) => {
				const row = f.rows.find((r) => r.codeId === guid(n))!;
				return [row.name, row.cases];
			});
			expect(got).toEqual(REASONS.map(([, name, cases]) => [name, cases]));
			// Sorted by count, the reasons keep the seed's order.
			const order = f.rows.filter((r) => REASONS.some(([n]) => guid(n) === r.codeId)).map((r) => r.cases);
			expect(order).toEqual([23, 19, 17, 14, 10, 9, 7, 6, 4]);
		}
	});

	it('"CP audits at case-study enterprises": the cross-tab by City', () => {
		const city = data.attributes.find((a) => a.name === 'City')!;
		for (const filter of [{ coderIds: [demoCoder!.id] }, {}]) {
			const x = crosstab(data, filter, { by: [city.id], count: 'cases' });
			expect(x.columns.map((c) => c.label)).toEqual(['C', 'N', 'S']);
			const row = (n: string) => {
				const r = x.rows.find((r) => r.codeId === guid(n))!;
				return [...r.cells, r.total];
			};
			// columns C, N, S, total; rows: cases with a CP audit, first audit genuine, audit continued
			expect([row('700'), row('720'), row('723')]).toEqual([
				[9, 12, 6, 27],
				[7, 7, 6, 20],
				[1, 2, 4, 7]
			]);
		}
	});
});
