/**
 * `npm run bench`: runs every case in bench/*.bench.ts, prints a table and writes
 * bench-results.json, an array of { name, unit, median, target, load }: `load` is the one-minute
 * load average (os.loadavg()[0]) when the case finished, printed beside it, since this machine is
 * shared and a loaded machine is slower.
 *
 * A case file exports `cases: BenchCase[]`, and may export `teardown()`, called once its cases have
 * run (it stops what the file started). `measure()` returns the samples of several runs.
 * Browser cases drive Debian's Chromium with Playwright against `npm run build` + preview
 * (bench/browser.ts). Whatever a case file leaves running (a `vite preview` in its own process
 * group, a browser) is stopped after the file, and on exit or Ctrl-C: every process started
 * below this one, with its process group.
 *
 *   npx tsx scripts/bench.ts [case names…]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
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

/** Every live process below `root` (by parent pid, read from /proc), with its process group. */
export function descendants(root = process.pid): { pid: number; pgid: number }[] {
	const parent = new Map<number, { ppid: number; pgid: number; comm: string }>();
	let entries: string[];
	try {
		entries = readdirSync('/proc');
	} catch {
		return []; // not Linux
	}
	for (const e of entries) {
		if (!/^\d+$/.test(e)) continue;
		try {
			const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
			// pid (comm) state ppid pgrp …; comm may hold spaces and parentheses
			const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (f[0] === 'Z') continue;
			parent.set(Number(e), { ppid: Number(f[1]), pgid: Number(f[2]), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
		} catch {
			/* gone meanwhile */
		}
	}
	const out: { pid: number; pgid: number }[] = [];
	const seen = new Set([root]);
	let grew = true;
	while (grew) {
		grew = false;
		for (const [pid, p] of parent) {
			if (!seen.has(pid) && seen.has(p.ppid)) {
				seen.add(pid);
				// tsx's esbuild service, which this runner's own imports need
				if (p.comm !== 'esbuild') out.push({ pid, pgid: p.pgid });
				grew = true;
			}
		}
	}
	return out;
}

/** Stop every process started below this one but those in `keep` (a server a case file left running), group first. */
export function stopLeftovers(keep: ReadonlySet<number> = new Set()): number {
	const left = descendants().filter((p) => !keep.has(p.pid));
	const self = readFileSync('/proc/self/stat', 'utf8');
	const own = Number(self.slice(self.lastIndexOf(')') + 2).split(' ')[2]);
	for (const { pid, pgid } of left) {
		try {
			if (pgid === pid && pgid !== own) process.kill(-pgid, 'SIGTERM');
			else process.kill(pid, 'SIGTERM');
		} catch {
			/* already gone */
		}
	}
	return left.length;
}

const isMain = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;

if (isMain) {
	// A case's stray promise (a page closed under it) must not end the run before its cleanup.
	process.on('unhandledRejection', (e) => process.stderr.write(`unhandled rejection: ${e instanceof Error ? e.message : String(e)}\n`));
	process.on('exit', () => void stopLeftovers());
	for (const sig of ['SIGINT', 'SIGTERM'] as const) {
		process.on(sig, () => {
			stopLeftovers();
			process.exit(130);
		});
	}
	const only = process.argv.slice(2);
	const dir = resolve('bench');
	const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
	const results: { name: string; unit: string; median: number; target: number; load: number }[] = [];
	const rows: string[][] = [];
	let failed = 0;
	for (const f of files) {
		const mod = (await import(pathToFileURL(join(dir, f)).href)) as { cases: BenchCase[]; teardown?: () => Promise<void> };
		const chosen = mod.cases.filter((c) => !only.length || only.includes(c.name));
		if (!chosen.length) continue;
		const before = new Set(descendants().map((p) => p.pid));
		try {
			for (const c of chosen) {
				process.stderr.write(`running ${c.name} …\n`);
				let measured: Awaited<ReturnType<BenchCase['measure']>>;
				try {
					measured = await c.measure();
				} catch (e) {
					failed++;
					process.stderr.write(`${c.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
					rows.push([c.name, '0', 'failed', `${c.target} ${c.unit}`, 'FAIL', loadavg()[0].toFixed(2), '']);
					continue;
				}
				const { samples, extra } = measured;
				const load = Math.round(loadavg()[0] * 100) / 100;
				const med = Math.round(median(samples) * 100) / 100;
				results.push({ name: c.name, unit: c.unit, median: med, target: c.target, load });
				rows.push([
					c.name,
					String(samples.length),
					`${med} ${c.unit}`,
					`${c.target} ${c.unit}`,
					med <= c.target ? 'ok' : 'SLOW',
					load.toFixed(2),
					extra ? Object.entries(extra).map(([k, v]) => `${k}=${Math.round(v * 100) / 100}`).join(' ') : ''
				]);
			}
		} finally {
			await mod.teardown?.().catch(() => {});
			const n = stopLeftovers(before);
			if (n) process.stderr.write(`${f}: stopped ${n} process(es) it left running\n`);
		}
	}
	const head = ['case', 'runs', 'median', 'target', 'verdict', 'load', 'notes'];
	const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i])).join('  ');
	console.log(line(head));
	console.log(w.map((n) => '-'.repeat(n)).join('  '));
	for (const r of rows) console.log(line(r));
	writeFileSync('bench-results.json', JSON.stringify(results, null, 2) + '\n');
	console.log('\nwrote bench-results.json');
	stopLeftovers();
	// Nothing may keep the process alive (a sync server a case did not close): the table is written.
	process.exit(failed ? 1 : 0);
}
