/** Every backup fixture, of every version, restores; those with orphans restore with their repairs listed. */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupToJson, parseBackupReport } from './backup';
import { checkIntegrity, UNKNOWN_CODE_NAME } from './integrity';

const DIR = resolve(import.meta.dirname, '../../../tests/fixtures');
const files = [...readdirSync(DIR).filter((f) => f.endsWith('.gloss.json')), '../../static/demo/cleaner-production.gloss.json'];

describe('backup fixtures', () => {
	it.each(files)('%s restores, and its restored study is sound and round-trips', (f) => {
		const r = parseBackupReport(readFileSync(resolve(DIR, f), 'utf8'), 'restored', f);
		if (!r.ok) throw new Error(r.errors.join('\n'));
		expect(checkIntegrity(r.value.data).repairs).toEqual([]);
		const again = parseBackupReport(backupToJson(r.value.data), 'restored', f);
		expect(again.ok && again.value.repairs).toEqual([]);
		expect(again.ok && again.value.data.segments.length).toBe(r.value.data.segments.length);
		if (!f.includes('orphans')) expect(r.value.repairs).toEqual([]);
	});

	it('the two-tab study of issue 14 keeps the passage coded with the deleted code, under "(unknown code)"', () => {
		const r = parseBackupReport(readFileSync(resolve(DIR, 'orphans-v2.gloss.json'), 'utf8'), 'x', 'orphans-v2.gloss.json');
		if (!r.ok) throw new Error(r.errors.join('\n'));
		expect(r.value.repairs.map((x) => x.message)).toEqual([
			'segment "x3" (document "E01 interview", 6–13): its code "code-savings" does not exist; it is now under "(unknown code)"'
		]);
		const unknown = r.value.data.codes.find((c) => c.name === UNKNOWN_CODE_NAME)!;
		expect(r.value.data.segments.find((s) => s.id === 'x3')).toMatchObject({ codeId: unknown.id, memo: 'saved money' });
	});

	it('the version 1 file with orphans: the orphan is kept, the overlong passage cut at the end', () => {
		const r = parseBackupReport(readFileSync(resolve(DIR, 'v1-orphans.gloss.json'), 'utf8'), 'x', 'v1-orphans.gloss.json');
		if (!r.ok) throw new Error(r.errors.join('\n'));
		expect(r.value.repairs.map((x) => x.id)).toEqual(['x2', 'x3']);
		expect(r.value.data.segments.map((s) => [s.id, s.start, s.end, s.memo])).toEqual([
			['x1', 3, 5, 'cost'],
			['x2', 0, 2, 'orphan'],
			['x3', 10, 20, '']
		]);
	});
});
