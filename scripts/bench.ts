/**
 * `npm run bench`: runs every case in bench/*.bench.ts, prints a table and writes
 * bench-results.json, an array of { name, unit, median, target }.
 *
 * A case file exports `cases: BenchCase[]`. `measure()` returns the samples of several runs.
 * Browser cases drive Debian's Chromium with Playwright against `npm run build` + preview.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BenchCase {
	name: string;
	unit: 'ms' | 'MB';
	target: number;
	/** Extra figures worth printing (e.g. p95, max). */
	measure(): Promise<{ samples: number[]; extra?: Record<string, number> }>;
}

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const only = process.argv.slice(2);
const dir = resolve('bench');
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
const results: { name: string; unit: string; median: number; target: number }[] = [];
const rows: string[][] = [];
for (const f of files) {
	const mod = (await import(pathToFileURL(join(dir, f)).href)) as { cases: BenchCase[] };
	for (const c of mod.cases) {
		if (only.length && !only.includes(c.name)) continue;
		process.stderr.write(`running ${c.name} …\n`);
		const { samples, extra } = await c.measure();
		const med = Math.round(median(samples) * 100) / 100;
		results.push({ name: c.name, unit: c.unit, median: med, target: c.target });
		rows.push([
			c.name,
			String(samples.length),
			`${med} ${c.unit}`,
			`${c.target} ${c.unit}`,
			med <= c.target ? 'ok' : 'SLOW',
			extra ? Object.entries(extra).map(([k, v]) => `${k}=${Math.round(v * 100) / 100}`).join(' ') : ''
		]);
	}
}
const head = ['case', 'runs', 'median', 'target', 'verdict', 'notes'];
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i])).join('  ');
console.log(line(head));
console.log(w.map((n) => '-'.repeat(n)).join('  '));
for (const r of rows) console.log(line(r));
writeFileSync('bench-results.json', JSON.stringify(results, null, 2) + '\n');
console.log('\nwrote bench-results.json');
