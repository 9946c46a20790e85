/** `gloss` reads files as the app does: one decoder, so a UTF-16 backup reads and bytes that are not text are refused. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupToJson } from '../lib/core/backup';
import { sampleStudy } from '../../tests/fixtures/sample-study';
import { readFile, runCaptured } from './node-io';

const dir = mkdtempSync(join(tmpdir(), 'gloss-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const json = backupToJson(sampleStudy());

describe('readFile', () => {
	it('reads a backup saved as UTF-16 (with a BOM) like one in UTF-8', () => {
		const utf16 = join(dir, 'utf16.gloss.json');
		writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]));
		expect(readFile(utf16)).toEqual({ ok: true, value: json });
		const r = runCaptured(['frequencies', utf16]);
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/^code\s+segments/);
	});

	it('refuses bytes that are not UTF-8 or UTF-16, naming the file, in one line', () => {
		const bad = join(dir, 'bad.gloss.json');
		writeFileSync(bad, Buffer.concat([Buffer.from(json.slice(0, 40)), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(json.slice(40))]));
		const r = runCaptured(['frequencies', bad]);
		expect(r.code).toBe(2);
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
		expect(r.stderr).toContain(`${bad}: not readable as text`);
	});
});
