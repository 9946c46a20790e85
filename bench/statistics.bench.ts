/**
 * Tests on a cross-tab (issue 13): every code of the demo study's cross-tab by City — 41 codes,
 * a 3-value attribute, 30 cases, as in the seed — tested (Fisher's exact 2 × 3, chi-square, G,
 * V, residuals) and adjusted (Holm). Goal: under 50 ms in total.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BenchCase } from '../scripts/bench';
import { parseBackup } from '../src/lib/core/backup';
import { crosstab } from '../src/lib/core/analysis/crosstab';
import { crosstabTests } from '../src/lib/core/analysis/crosstab-tests';
import { sample } from './lib';

export const cases: BenchCase[] = [
	{
		name: 'crosstab-tests-41codes',
		unit: 'ms',
		target: 50,
		async measure() {
			const r = parseBackup(readFileSync(resolve('static/demo/cleaner-production.gloss.json'), 'utf8'), 'demo', 'demo');
			if (!r.ok) throw new Error(r.errors.join('\n'));
			const city = r.value.attributes.find((a) => a.name === 'City')!;
			const x = crosstab(r.value, {}, { by: [city.id] });
			if (x.rows.length !== 41 || x.columns.length !== 3 || x.grandTotal !== 30) throw new Error(`expected 41 codes × 3 values on 30 cases, got ${x.rows.length} × ${x.columns.length} on ${x.grandTotal}`);
			let tested = 0;
			const samples = sample(20, 3, () => {
				tested = crosstabTests(x, { adjust: 'holm' }).family;
			});
			return { samples, extra: { max: Math.max(...samples), codesTested: tested } };
		}
	}
];
