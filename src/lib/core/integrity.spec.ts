import { describe, expect, it } from 'vitest';
import { sampleStudy, T } from '../../../tests/fixtures/sample-study';
import { backupToJson, parseBackupReport, toBackup } from './backup';
import { checkIntegrity, UNKNOWN_CODER_NAME } from './integrity';
import { mergeStudy } from './merge';

let n = 0;
const opts = { newId: () => `id${++n}`, now: T };

describe('checkIntegrity', () => {
	it('finds nothing to repair in a sound study, and leaves it as it was', () => {
		const data = sampleStudy();
		expect(checkIntegrity(data, opts)).toEqual({ data, repairs: [] });
	});

	it('gives a segment whose coder is gone to "(unknown coder)", once, and clears a study memo target', () => {
		const data = sampleStudy();
		data.segments.push({ ...data.segments[0], id: 'x2', coderId: 'gone' }, { ...data.segments[0], id: 'x3', coderId: 'gone2' });
		data.memos[0] = { ...data.memos[0], targetId: 'd1' };
		data.documents[0] = { ...data.documents[0], caseId: 'nope' };
		const { data: fixed, repairs } = checkIntegrity(data, opts);
		expect(fixed.coders.filter((c) => c.name === UNKNOWN_CODER_NAME)).toHaveLength(1);
		expect(new Set(fixed.segments.slice(1).map((s) => s.coderId)).size).toBe(1);
		expect(fixed.memos[0].targetId).toBeNull();
		expect(fixed.documents[0].caseId).toBeNull();
		expect(repairs.map((r) => r.table)).toEqual(['documents', 'segments', 'segments', 'memos']);
		expect(checkIntegrity(fixed, opts).repairs).toEqual([]);
	});
});

describe('hostile files', () => {
	it('deeply nested JSON is refused as unreadable, without a crash', () => {
		const r = parseBackupReport('['.repeat(200_000) + ']'.repeat(200_000), 'x', 'deep.json');
		expect(r.ok).toBe(false);
	});

	it('ids named after Object.prototype members are ordinary ids through restore and merge', () => {
		const j = toBackup(sampleStudy(), T) as unknown as { [k: string]: Record<string, unknown>[] };
		for (const [t, id] of [['codes', '__proto__'], ['coders', 'constructor'], ['documents', 'toString'], ['cases', 'hasOwnProperty']] as const)
			j[t].push({ ...j[t][0], id, name: `${id} row` });
		j.segments.push({ ...j.segments[0], id: '__proto__', codeId: '__proto__', coderId: 'constructor', documentId: 'toString' });
		j.memos.push({ ...j.memos[0], id: 'valueOf', targetType: 'code', targetId: '__proto__' });
		const r = parseBackupReport(JSON.stringify(j), 's2', 'x.gloss.json', opts);
		if (!r.ok) throw new Error(r.errors.join());
		expect(r.value.repairs).toEqual([]);
		expect(r.value.data.segments.find((s) => s.id === '__proto__')).toMatchObject({ codeId: '__proto__', documentId: 'toString' });
		const merged = mergeStudy({ ...sampleStudy() }, r.value.data, { newId: opts.newId });
		expect(checkIntegrity(merged.data, opts).repairs).toEqual([]);
		expect(parseBackupReport(backupToJson(merged.data, T), 's3', 'm', opts).ok).toBe(true);
	});

	it('a file of 50,000 dangling segments is repaired in one pass, quickly', () => {
		const j = toBackup(sampleStudy(), T) as unknown as { [k: string]: Record<string, unknown>[] };
		j.segments = Array.from({ length: 50_000 }, (_, i) => ({ ...j.segments[0], id: `s${i}`, codeId: `gone${i % 7}` }));
		const t0 = Date.now();
		const r = parseBackupReport(JSON.stringify(j), 's2', 'x.gloss.json', opts);
		expect(Date.now() - t0).toBeLessThan(5000);
		if (!r.ok) throw new Error(r.errors.join());
		expect(r.value.repairs).toHaveLength(50_000);
		expect(new Set(r.value.data.segments.map((s) => s.codeId)).size).toBe(1);
	});
});
