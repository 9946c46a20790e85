/**
 * `gloss agreement` run for real (node + tsx) on the demo study, whose coders are "Demo coder"
 * and "Second coder" (the second coder coded six transcripts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agreementReport } from '../lib/core/agreement';
import { parseBackup } from '../lib/core/backup';
import { parseCsv } from '../lib/core/csv';
import { parseThreshold } from './agreement';

const ROOT = resolve(import.meta.dirname, '../..');
const DEMO = join(ROOT, 'static/demo/cleaner-production.gloss.json');
const CODERS = 'Demo coder,Second coder';

function gloss(...args: string[]) {
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
	return { code: r.status, out: r.stdout, err: r.stderr };
}

function csv(text: string) {
	const r = parseCsv(text);
	if (!r.ok) throw new Error(r.errors.join('\n'));
	return r.value;
}

function demo() {
	const r = parseBackup(readFileSync(DEMO, 'utf8'), 'demo', DEMO);
	if (!r.ok) throw new Error(r.errors.join('\n'));
	return r.value;
}

describe('parseThreshold', () => {
	it('reads a share or a percentage and refuses anything else', () => {
		expect(parseThreshold('0.9')).toEqual({ ok: true, value: 0.9 });
		expect(parseThreshold('90%')).toEqual({ ok: true, value: 0.9 });
		expect(parseThreshold('75')).toEqual({ ok: true, value: 0.75 });
		expect(parseThreshold('1')).toEqual({ ok: true, value: 1 });
		for (const bad of ['0', 'abc', '-0.5', '150%', ''])
			expect(parseThreshold(bad).ok, bad).toBe(false);
	});
});

describe('gloss agreement', { timeout: 120_000 }, () => {
	it('writes the CSV columns exactly, one row per code and the pooled (all) row, matching the core', () => {
		const r = gloss('agreement', DEMO, '--coders', CODERS, '--format', 'csv');
		expect(r.err).toBe('');
		expect(r.code).toBe(0);
		const t = csv(r.out);
		expect(t.header).toEqual([
			'code',
			'unit',
			'coders',
			'n',
			'percent_agreement',
			'cohen_kappa',
			'fleiss_kappa',
			'krippendorff_alpha',
			'brennan_prediger_kappa',
			'u_alpha',
			'cu_alpha'
		]);
		const data = demo();
		const ids = ['Demo coder', 'Second coder'].map((n) => data.coders.find((c) => c.name === n)!.id);
		const report = agreementReport(data, { coderIds: ids, unit: 'presence' });
		expect(t.rows.length).toBe(data.codes.length + 1);
		const all = t.rows.at(-1)!;
		expect(all.slice(0, 4)).toEqual(['(all)', 'presence', 'Demo coder; Second coder', String(report.rows.at(-1)!.n)]);
		expect(Number(all[5])).toBeCloseTo(report.rows.at(-1)!.stats.cohen_kappa!.value!, 12);
		// presence: no Brennan–Prediger, no unitizing columns
		expect(all.slice(8)).toEqual(['', '', '']);
		// an undefined statistic is n/a, never 0 or empty
		expect(t.rows.some((row) => row[5] === 'n/a')).toBe(true);
	});

	it('computes the segment unit with a threshold, and the unitized unit', () => {
		const seg = csv(gloss('agreement', DEMO, '--coder', 'Demo coder', '--coder', 'Second coder', '--unit', 'segment', '--threshold', '80%', '--format', 'csv').out);
		const all = seg.rows.at(-1)!;
		expect(all[1]).toBe('segment');
		expect(all[5]).toBe('');
		expect(Number(all[4])).toBeGreaterThan(0);
		expect(Number(all[8])).toBeLessThanOrEqual(1);
		const strict = csv(gloss('agreement', DEMO, '--coders', CODERS, '--unit', 'segment', '--threshold', '1', '--format', 'csv').out);
		expect(Number(strict.rows.at(-1)![4])).toBeLessThan(Number(all[4]));

		const u = csv(gloss('agreement', DEMO, '--coders', CODERS, '--unit', 'unitized', '--format', 'csv').out);
		expect(u.rows.at(-1)![1]).toBe('unitized');
		expect(u.rows.at(-1)![9]).toMatch(/^(-?\d|n\/a)/);
		expect(u.rows.at(-1)![4]).toBe('');
	});

	it('prints a table with the notes, and JSON with the report', () => {
		const t = gloss('agreement', DEMO, '--coders', CODERS);
		expect(t.code).toBe(0);
		expect(t.out.split('\n')[0]).toBe('unit: presence; coders: Demo coder, Second coder');
		expect(t.out).toMatch(/\n\(all\)\s+\d+\s/);
		expect(t.out).toMatch(/note: Compared the 6 documents coded by every selected coder/);
		const j = JSON.parse(gloss('agreement', DEMO, '--coders', CODERS, '--format', 'json', '--unit', 'character').out);
		expect(j.unit).toBe('character');
		expect(j.documentIds.length).toBe(6);
		expect(j.rows.at(-1).code).toBe('(all)');
		// --where keeps the documents of those cases that both coders coded
		const c = JSON.parse(gloss('agreement', DEMO, '--coders', CODERS, '--format', 'json', '--where', 'City=C').out);
		expect(c.documentIds.length).toBe(2);
		expect(c.rows.at(-1).n).toBe(2 * demo().codes.length);
	});

	it('--pooling: the character figures over several documents pooled, or the mean over documents (weighted or not), as the core', () => {
		const data = demo();
		const ids = ['Demo coder', 'Second coder'].map((n) => data.coders.find((c) => c.name === n)!.id);
		for (const pooling of ['mean', 'weighted'] as const) {
			const r = gloss('agreement', DEMO, '--coders', CODERS, '--unit', 'character', '--pooling', pooling, '--format', 'csv');
			expect(r.code).toBe(0);
			const core = agreementReport(data, { coderIds: ids, unit: 'character', pooling });
			const rows = csv(r.out).rows;
			rows.forEach((row, i) => {
				const k = core.rows[i].stats.cohen_kappa!;
				if (k.value === null) expect(row[5]).toBe('n/a');
				else expect(Number(row[5])).toBeCloseTo(k.value, 12);
			});
			// differs from the pooled figure
			expect(core.rows.at(-1)!.stats.cohen_kappa).not.toEqual(agreementReport(data, { coderIds: ids, unit: 'character' }).rows.at(-1)!.stats.cohen_kappa);
		}
		const t = gloss('agreement', DEMO, '--coders', CODERS, '--unit', 'character', '--by-document');
		expect(t.out).toMatch(/note: rows over several documents: all characters pooled .*; the rows per document are NVivo’s per-source figures\./);
		const m = gloss('agreement', DEMO, '--coders', CODERS, '--unit', 'character', '--pooling', 'mean');
		expect(m.out).toMatch(/note: rows over several documents: the mean over documents, each document equal\./);
		expect(JSON.parse(gloss('agreement', DEMO, '--coders', CODERS, '--unit', 'character', '--pooling', 'weighted', '--format', 'json').out).pooling).toBe('weighted');
	});

	it('refuses bad arguments and bad files with a message and exit code 2', () => {
		const cases: [string[], RegExp][] = [
			[['agreement', DEMO], /--coders: name at least two coders/],
			[['agreement', DEMO, '--coders', 'Demo coder'], /at least two coders/],
			[['agreement', DEMO, '--coders', 'Demo coder,Nobody'], /--coders: no coder is called "Nobody"/],
			[['agreement', DEMO, '--coders', CODERS, '--unit', 'words'], /--unit/],
			[['agreement', DEMO, '--coders', CODERS, '--threshold', 'lots'], /--threshold: expected a share/],
			[['agreement', DEMO, '--coders', CODERS, '--unit', 'character', '--pooling', 'median'], /--pooling: expected one of pooled, mean, weighted/],
			[['agreement', DEMO, '--coders', CODERS, '--pooling', 'mean'], /--pooling: only for --unit character/],
			[['agreement', DEMO, '--coders', CODERS, '--document', 'No such interview'], /--document: no document is called/],
			[['agreement', join(ROOT, 'no-such-file.gloss.json'), '--coders', CODERS], /no-such-file\.gloss\.json: no such file/]
		];
		for (const [args, msg] of cases) {
			const r = gloss(...args);
			expect(r.code, args.join(' ')).toBe(2);
			expect(r.out).toBe('');
			expect(r.err).toMatch(msg);
		}
		const dir = mkdtempSync(join(tmpdir(), 'gloss-agreement-'));
		const bad = join(dir, 'broken.gloss.json');
		writeFileSync(bad, '{"format": "gloss-study", ');
		const r = gloss('agreement', bad, '--coders', CODERS);
		expect(r.code).toBe(2);
		expect(r.err).toMatch(/broken\.gloss\.json: not valid JSON/);
	});
});
