/**
 * The real `gloss` command, run with child_process (through tsx, so no build is needed) on
 * tests/fixtures/analysis-small.gloss.json, whose figures are hand-computed in the analysis specs.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANALYSIS_SMALL_PATH } from '../../tests/fixtures/analysis-small';
import { parseCsv } from '../lib/core/csv';

const ROOT = resolve(import.meta.dirname, '../..');
const FILE = ANALYSIS_SMALL_PATH;

function gloss(...args: string[]) {
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
	return { code: r.status, out: r.stdout, err: r.stderr };
}

function csv(text: string) {
	const r = parseCsv(text);
	if (!r.ok) throw new Error(r.errors.join('\n'));
	return r.value;
}

describe('gloss command', { timeout: 120_000 }, () => {
	it('prints the frequency table as text, CSV and JSON', () => {
		const t = gloss('frequencies', FILE);
		expect(t.code).toBe(0);
		expect(t.err).toBe('');
		expect(t.out.split('\n')[0]).toMatch(/^code\s+segments\s+documents\s+cases\s+percent_cases$/);
		expect(t.out).toMatch(/\nEconomic > Cost\s+5\s+4\s+2\s+40\.0\n/);

		const c = csv(gloss('frequencies', FILE, '--format', 'csv').out);
		expect(c.header).toEqual(['code', 'segments', 'documents', 'cases', 'percent_cases']);
		expect(c.rows[0]).toEqual(['Economic', '8', '5', '3', '60.0']);

		const j = JSON.parse(gloss('frequencies', FILE, '--format', 'json', '--coder', 'ben').out);
		expect(j.baseCases).toBe(5);
		expect(j.rows.find((r: { path: string }) => r.path === 'Economic > Cost').segments).toBe(1);
	});

	it('breaks and filters by a document attribute (--by, --where, document:NAME), counting a case once per value', () => {
		const data = JSON.parse(readFileSync(FILE, 'utf8'));
		data.attributes.push({ id: 'round', name: 'Round', type: 'category', order: 9, scope: 'document' });
		const rounds: Record<string, string> = { 'Interview 1a': '2001', 'Interview 1b': '2004', 'Interview 2': '2001', 'Interview 3': '2004', 'Interview 4': '2004', 'Loose notes': '2004' };
		for (const d of data.documents) d.attributes = { round: rounds[d.name] };
		const dir = mkdtempSync(join(tmpdir(), 'gloss-docattr-'));
		const file = join(dir, 'rounds.gloss.json');
		writeFileSync(file, JSON.stringify(data));
		// Economic: K1 in 1a (2001) and 1b (2004) counts under both; K2 (2001); K4 (2004)
		const by = csv(gloss('crosstab', file, '--by', 'document:round', '--format', 'csv').out);
		expect(by.header).toEqual(['code', '2001', '2004', 'total']);
		expect(by.rows[0]).toEqual(['Economic', '2', '2', '4']);
		expect(by.rows.at(-1)).toEqual(['(total)', '2', '3', '5']);
		const where = csv(gloss('crosstab', file, '--by', 'City', '--where', 'Round=2004', '--format', 'csv').out);
		expect(where.header).toEqual(['code', 'C', 'N', '(missing)', 'total']);
		expect(where.rows[0]).toEqual(['Economic', '1', '0', '1', '2']);
		const text = gloss('crosstab', file, '--by', 'Round');
		expect(text.code).toBe(0);
		expect(text.out).toMatch(/Counted at the document level: a case counts once under each Round of the documents in which it cites the code\./);
		const bad = gloss('crosstab', file, '--by', 'case:Round');
		expect(bad.code).toBe(2);
		expect(bad.err).toMatch(/--by: no case attribute is called "Round"; the attributes are .*Round \(document\)/);
	});

	it('filters by coder (repeatable, case-insensitive) and sorts', () => {
		const c = csv(gloss('frequencies', FILE, '--format=csv', '--coder', 'Ben', '--coder', 'ANA', '--sort', 'segments').out);
		expect(c.rows[0]).toEqual(['Economic', '8', '5', '3', '60.0']);
		const b = csv(gloss('frequencies', FILE, '--format=csv', '--coder', 'Ben').out);
		expect(b.rows.map((r) => r[1])).toEqual(['1', '1', '0', '1', '1', '0', '1']);
	});

	it('prints cross-tabs by attribute name, one or two nested, counting cases, segments or documents', () => {
		const one = csv(gloss('crosstab', FILE, '--by', 'city', '--format', 'csv').out);
		expect(one.header).toEqual(['code', 'C', 'N', '(missing)', 'total']);
		expect(one.rows[0]).toEqual(['Economic', '2', '0', '1', '3']);
		expect(one.rows.at(-1)).toEqual(['(total)', '2', '2', '1', '5']);
		const seg = csv(gloss('crosstab', FILE, '--by', 'City', '--count', 'segments', '--format', 'csv').out);
		expect(seg.rows[0]).toEqual(['Economic', '6', '0', '2', '8']);
		const two = csv(gloss('crosstab', FILE, '--by', 'City', '--by', 'Sector', '--format', 'csv').out);
		expect(two.header).toEqual(['code', 'C / Chemicals', 'C / Textiles', 'N / Chemicals', 'N / (missing)', '(missing) / Chemicals', 'total']);
		const pct = csv(gloss('crosstab', FILE, '--by', 'City', '--percent', 'column', '--format', 'csv').out);
		expect(pct.rows[2]).toEqual(['Economic > Quality', '50.0', '0.0', '100.0', '40.0']);
		const j = JSON.parse(gloss('crosstab', FILE, '--by', 'City', '--format', 'json').out);
		expect(j.columns.map((c: { total: number }) => c.total)).toEqual([2, 2, 1]);
	});

	it('crosstab --tests: a test per code, p adjusted when asked, the columns the issue names', () => {
		const c = csv(gloss('crosstab', FILE, '--by', 'City', '--tests', '--adjust', 'holm', '--format', 'csv').out);
		expect(c.header).toEqual(['code', 'C', 'N', '(missing)', 'total', 'test', 'statistic', 'df', 'p', 'p_adjusted', 'cramers_v', 'min_expected', 'note']);
		// Economic: C 2 of 2, N 0 of 2 ("(missing)" left out) → [[2, 0], [0, 2]]: Fisher p = 1/6 + 1/6; V = 1.
		const eco = c.rows[0];
		expect(eco.slice(0, 8)).toEqual(['Economic', '2', '0', '1', '3', 'fisher_exact', '', '']);
		expect(Number(eco[8])).toBeCloseTo(1 / 3, 14);
		// Holm over 7 codes: the two smallest p (1/3) become min(1, 7/3) = 1.
		expect(Number(eco[9])).toBe(1);
		expect(Number(eco[10])).toBe(1);
		expect(Number(eco[11])).toBe(1);
		expect(eco[12]).toMatch(/expected count below 5 in 4 cells.*Holm over 7 codes/);
		expect(c.rows.at(-1)!.slice(5)).toEqual(['', '', '', '', '', '', '', '']);

		const bh = csv(gloss('crosstab', FILE, '--by', 'City', '--tests', '--adjust', 'bh', '--format', 'csv').out);
		expect(Number(bh.rows[0][9])).toBe(1);
		const plain = csv(gloss('crosstab', FILE, '--by', 'City', '--tests', '--format', 'csv').out);
		expect(plain.rows[0][9]).toBe('');

		const t = gloss('crosstab', FILE, '--by', 'City', '--tests');
		expect(t.code).toBe(0);
		expect(t.out).toMatch(/All 7 codes tested do not differ significantly by City at the 5% level\./);
		expect(t.out).toMatch(/expected count below 5/);

		const j = JSON.parse(gloss('crosstab', FILE, '--by', 'City', '--tests', '--format', 'json').out);
		expect(j.tests.codes[0].tests.table).toEqual([
			[2, 0],
			[0, 2]
		]);

		const bad = gloss('crosstab', FILE, '--by', 'City', '--adjust', 'holm');
		expect(bad.code).toBe(2);
		expect(bad.err).toMatch(/--adjust needs --tests/);
		const noTests = gloss('crosstab', FILE, '--by', 'City', '--yates');
		expect(noTests.code).toBe(2);
		expect(noTests.err).toMatch(/--yates needs --tests/);
		// Every table here has an expected count below 5: Fisher leads even with --yates.
		expect(csv(gloss('crosstab', FILE, '--by', 'City', '--tests', '--yates', '--format', 'csv').out).rows[0][5]).toBe('fisher_exact');
		const seg = gloss('crosstab', FILE, '--by', 'City', '--tests', '--count', 'segments');
		expect(seg.code).toBe(2);
		expect(seg.err).toMatch(/--tests needs --count cases or documents/);
	});

	it('prints co-occurrence and the exports', () => {
		const co = csv(gloss('cooccurrence', FILE, '--format', 'csv').out);
		expect(co.rows[1]).toEqual(['Economic > Cost', '1', '5', '1', '0', '0', '0', '0']);
		const seg = gloss('export', 'segments', FILE);
		expect(seg.code).toBe(0);
		const s = csv(seg.out);
		expect(s.header.slice(0, 6)).toEqual(['study', 'document', 'case', 'City', 'Sector', 'Wave']);
		expect(s.rows).toHaveLength(14);
		expect(gloss('export', 'segments', FILE, '--bom').out.charCodeAt(0)).toBe(0xfeff);
		const cb = csv(gloss('export', 'codebook', FILE).out);
		expect(cb.rows.map((r) => r[1])).toEqual([
			'Economic',
			'Economic > Cost',
			'Economic > Quality',
			'Policy',
			'Policy > Standards',
			'Policy > Standards > Discharge',
			'Social'
		]);
		const m = csv(gloss('export', 'matrix', FILE, '--binary', '--where', 'City=C').out);
		expect(m.rows).toEqual([
			['K1', 'C', 'Chemicals', '1', '1', '1', '1', '1', '1', '1', '0'],
			['K2', 'C', 'Textiles', '2', '1', '1', '0', '1', '1', '0', '0']
		]);
	});

	it('reproduces the seed tables on the demo study, naming the coder and the attribute', () => {
		const DEMO = resolve(ROOT, 'static/demo/cleaner-production.gloss.json');
		const x = csv(gloss('crosstab', DEMO, '--by', 'city', '--coder', 'Demo coder', '--format', 'csv').out);
		expect(x.header).toEqual(['code', 'C', 'N', 'S', 'total']);
		const row = (path: string) => x.rows.find((r) => r[0] === path)?.slice(1);
		expect(row('Response to the CP audit requirement')).toEqual(['9', '12', '6', '27']);
		expect(row('Response to the CP audit requirement > (B) Audit study conducted genuinely')).toEqual(['7', '7', '6', '20']);
		const f = csv(gloss('frequencies', DEMO, '--coder', 'demo coder', '--format', 'csv').out);
		expect(f.rows.find((r) => r[0].endsWith('> Production cost reduction'))?.[3]).toBe('23');
	});

	it('reads a file with orphans as the app restores it: repairs on stderr, exit 0; --strict exits 2', () => {
		const file = 'tests/fixtures/orphans-v2.gloss.json';
		const r = gloss('frequencies', file, '--format', 'csv');
		expect(r.code).toBe(0);
		expect(r.err).toContain(`gloss: ${file}: 1 repair made while reading`);
		expect(r.err).toContain('its code "code-savings" does not exist; it is now under "(unknown code)"');
		expect(csv(r.out).rows.map((row) => row[0])).toContain('(unknown code)');
		const strict = gloss('frequencies', file, '--strict');
		expect(strict.code).toBe(2);
		expect(strict.out).toBe('');
		expect(strict.err).toContain('--strict: the file needed repairs');
		expect(gloss('frequencies', FILE, '--strict').code).toBe(0);
	});

	it('shows help and exits 0', () => {
		const h = gloss('--help');
		expect(h.code).toBe(0);
		expect(h.out).toContain('export segments');
		const c = gloss('crosstab', '--help');
		expect(c.code).toBe(0);
		expect(c.out).toContain('--count UNIT');
	});

	it('rejects bad arguments and bad files with a message and exit code 2', () => {
		const dir = mkdtempSync(join(tmpdir(), 'gloss-cli-'));
		const bad = join(dir, 'bad.gloss.json');
		writeFileSync(bad, '{"format": "gloss-study", "version": 2, ');
		const wrong = join(dir, 'wrong.gloss.json');
		writeFileSync(wrong, JSON.stringify({ format: 'something-else' }));
		const cases: [string[], RegExp][] = [
			[['frequencies', join(dir, 'missing.gloss.json')], /missing\.gloss\.json: no such file/],
			[['frequencies', bad], /bad\.gloss\.json: not valid JSON/],
			[['frequencies', wrong], /format: expected "gloss-study"/],
			[['frequencies', dir], /is a folder/],
			[['crosstab', FILE, '--by', 'Town'], /no attribute is called "Town"; the attributes are "City", "Sector", "Wave"/],
			[['crosstab', FILE], /--by ATTRIBUTE is required/],
			[['frequencies', FILE, '--colour'], /unknown option --colour/],
			[['frequencies', FILE, '--format', 'xml'], /--format: expected one of table, csv, json/],
			[['frequencies', FILE, '--coder', 'Zoe'], /no coder is called "Zoe"; the coders are "Ana", "Ben"/],
			[['frequencies'], /no FILE given/],
			[['tabulate', FILE], /unknown command "tabulate/],
			[[], /Usage: gloss <command>/]
		];
		for (const [args, message] of cases) {
			const r = gloss(...args);
			expect({ args, code: r.code, out: r.out }).toEqual({ args, code: 2, out: '' });
			expect(r.err).toMatch(message);
		}
	});

	it('bin/gloss.js says how to build when the bundle is missing', () => {
		const dir = mkdtempSync(join(tmpdir(), 'gloss-bin-'));
		mkdirSync(join(dir, 'bin'));
		copyFileSync(join(ROOT, 'bin/gloss.js'), join(dir, 'bin/gloss.js'));
		writeFileSync(join(dir, 'package.json'), '{"type": "module"}');
		const r = spawnSync(process.execPath, [join(dir, 'bin/gloss.js'), '--help'], { encoding: 'utf8', timeout: 30_000 });
		expect(r.status).toBe(2);
		expect(r.stderr).toMatch(/build-cli\/gloss\.mjs is missing/);
		expect(r.stderr).toMatch(/npm run build/);
	});
});
