/**
 * `gloss` on every backup of the hostile corpus (tests/fuzz/hostile.ts), written to a temporary
 * folder and read with the command's own file reading, in-process (`runCaptured`, as main.ts runs
 * `runCli`): exit 0 (read, with any repairs listed on stderr) or 2 (refused, one line naming the
 * file, no stack trace); never 1 (an internal error) or a throw. With `--strict`, a file that
 * needed repairs exits 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostileCorpus } from '../../tests/fuzz/hostile';
import { runCaptured } from './node-io';

const dir = mkdtempSync(join(tmpdir(), 'gloss-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inputs = hostileCorpus()
	.filter((h) => h.format === 'backup')
	.map((h, i) => {
		const path = join(dir, `${String(i).padStart(3, '0')}-${h.fileName}`);
		writeFileSync(path, h.bytes);
		return { name: h.name, path };
	});

const STACK = /^\s+at |^(\w*Error|Error):|internal error/m;

describe('gloss on the hostile backups', { timeout: 120_000 }, () => {
	it('has backup inputs to run', () => {
		expect(inputs.length).toBeGreaterThan(50);
	});

	it.each(inputs)('$name', ({ path }) => {
		for (const command of [['frequencies'], ['export', 'segments'], ['agreement']]) {
			const r = runCaptured([...command, path]);
			expect([0, 2], `${command.join(' ')}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
			expect(r.stderr).not.toMatch(STACK);
			if (r.code === 2 && command[0] === 'frequencies') {
				const lines = r.stderr.split('\n').filter((l) => l !== '');
				expect(lines, r.stderr).toHaveLength(1);
				expect(lines[0]).toContain(path);
				expect(lines[0].startsWith('gloss: ')).toBe(true);
			}
		}
		const plain = runCaptured(['frequencies', path]);
		const strict = runCaptured(['frequencies', path, '--strict']);
		expect(strict.stderr).not.toMatch(STACK);
		const repaired = plain.code === 0 && plain.stderr.includes('made while reading');
		if (repaired) {
			expect(strict.code).toBe(2);
			expect(strict.stdout).toBe('');
			expect(strict.stderr.trimEnd().split('\n').at(-1)).toContain(`${path}: --strict`);
		} else expect(strict.code).toBe(plain.code);
	});
});

describe('gloss as a process, on a sample of the hostile backups', { timeout: 120_000 }, () => {
	const ROOT = resolve(import.meta.dirname, '../..');
	const sample = ['backup: not JSON', 'backup: UTF-16 with BOM', 'backup: segment codeId dangling', 'backup: code parent chain 5000 deep'];
	it.each(inputs.filter((h) => sample.includes(h.name)))('$name: the process answers as runCaptured does', ({ path }) => {
		for (const argv of [['frequencies', path], ['frequencies', path, '--strict']]) {
			const p = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...argv], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
			const r = runCaptured(argv);
			expect(p.status).toBe(r.code);
			expect(p.stderr).toBe(r.stderr);
			expect(p.stderr).not.toMatch(STACK);
		}
	});
});
