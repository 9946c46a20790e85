/** The study worker's jobs, run where there is no Worker: the same bytes as the core export functions, from the database. */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { sampleStudy } from '../../../tests/fixtures/sample-study';
import { matrixCsv, segmentsCsv, segmentsCsvParts } from '../core/exports';
import { newId } from '../core/ids';
import { GlossDB } from '../db/db';
import { insertStudyData, loadStudyData } from '../db/studies';
import { CSV_TYPE, HeldStudy, runStudyJob, type StudyJobResult } from './study';

/** The Blob's bytes against the text's UTF-8 (Blob.text() would drop a BOM). */
async function sameBytes(blob: Blob, text: string): Promise<void> {
	expect(blob.type).toBe(CSV_TYPE);
	const got = new Uint8Array(await blob.arrayBuffer());
	const want = new TextEncoder().encode(text);
	expect(got.length).toBe(want.length);
	expect(got.findIndex((b, i) => b !== want[i])).toBe(-1);
}

describe('runStudyJob', () => {
	it('makes the coded-segments and matrix CSVs of the study as stored, with the filter and options given', async () => {
		const db = new GlossDB('test-' + newId());
		const data = sampleStudy();
		await insertStudyData(db, data);
		const stored = (await loadStudyData(db, data.study.id))!;
		const coderId = data.coders[0].id;
		const seg = await runStudyJob(db, data.study.id, { kind: 'segments-csv', filter: { coderIds: [coderId] }, opts: { bom: true } });
		expect(seg).toMatchObject({ ok: true, value: { rows: data.segments.length } });
		await sameBytes((seg as { value: StudyJobResult }).value.blob, segmentsCsv(stored, { coderIds: [coderId] }, { bom: true }));
		const m = await runStudyJob(db, data.study.id, { kind: 'matrix-csv', filter: {}, opts: { binary: true, includeDescendants: true } });
		expect(m).toMatchObject({ ok: true, value: { rows: data.cases.length } });
		await sameBytes((m as { value: StudyJobResult }).value.blob, matrixCsv(stored, {}, { binary: true, includeDescendants: true }));
	});

	it('makes the segments CSV in pieces of 4,096 rows whose bytes are the whole text’s, the BOM first', async () => {
		const data = sampleStudy();
		const s0 = data.segments[0];
		for (let i = 0; i < 5000; i++) data.segments.push({ ...s0, id: `many${i}`, start: i % 7, end: (i % 7) + 5, memo: i % 3 ? '' : `memo "${i}", ‘quoted’` });
		const whole = segmentsCsv(data, {}, { bom: true });
		const parts = segmentsCsvParts(data, {}, { bom: true });
		expect(parts[0]).toBe('\ufeff');
		expect(parts.length).toBe(1 + Math.ceil((1 + data.segments.length) / 4096));
		expect(parts.join('')).toBe(whole);
		expect(whole.split('\r\n').length).toBe(data.segments.length + 2);
		await sameBytes(new Blob(parts, { type: CSV_TYPE }), whole);
	});

	it('says so when the study is gone', async () => {
		const db = new GlossDB('test-' + newId());
		expect(await runStudyJob(db, 'gone', { kind: 'segments-csv', filter: {}, opts: {} })).toEqual({ ok: false, errors: ['the study is no longer in this browser'] });
	});
});

describe('HeldStudy', () => {
	it('reads the study once per change time, and again when it moves', async () => {
		const db = new GlossDB('test-' + newId());
		const data = sampleStudy();
		await insertStudyData(db, data);
		const held = new HeldStudy(db);
		const job = { kind: 'segments-csv' as const, filter: {}, opts: {} };
		const first = (await held.run(data.study.id, 'v1', job)) as { value: StudyJobResult };
		await held.run(data.study.id, 'v1', { kind: 'matrix-csv', filter: {}, opts: {} });
		expect(held.reads).toBe(1);
		await db.segments.where('studyId').equals(data.study.id).delete();
		expect((await (((await held.run(data.study.id, 'v1', job)) as { value: StudyJobResult }).value.blob.text())).length).toBe((await first.value.blob.text()).length);
		const after = (await held.run(data.study.id, 'v2', job)) as { value: StudyJobResult };
		expect(held.reads).toBe(2);
		expect(after.value.rows).toBe(0);
		expect((await after.value.blob.text()).split('\r\n').length).toBe(2);
	});
});
