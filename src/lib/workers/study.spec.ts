/** The study worker's jobs, run where there is no Worker: the same text as the core export functions, from the database. */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { sampleStudy } from '../../../tests/fixtures/sample-study';
import { matrixCsv, segmentsCsv } from '../core/exports';
import { newId } from '../core/ids';
import { GlossDB } from '../db/db';
import { insertStudyData, loadStudyData } from '../db/studies';
import { runStudyJob } from './study';

describe('runStudyJob', () => {
	it('makes the coded-segments and matrix CSVs of the study as stored, with the filter and options given', async () => {
		const db = new GlossDB('test-' + newId());
		const data = sampleStudy();
		await insertStudyData(db, data);
		const stored = (await loadStudyData(db, data.study.id))!;
		const coderId = data.coders[0].id;
		const seg = await runStudyJob(db, data.study.id, { kind: 'segments-csv', filter: { coderIds: [coderId] }, opts: { bom: true } });
		expect(seg).toEqual({ ok: true, value: { text: segmentsCsv(stored, { coderIds: [coderId] }, { bom: true }), rows: data.segments.length } });
		const m = await runStudyJob(db, data.study.id, { kind: 'matrix-csv', filter: {}, opts: { binary: true, includeDescendants: true } });
		expect(m).toEqual({ ok: true, value: { text: matrixCsv(stored, {}, { binary: true, includeDescendants: true }), rows: data.cases.length } });
	});

	it('says so when the study is gone', async () => {
		const db = new GlossDB('test-' + newId());
		expect(await runStudyJob(db, 'gone', { kind: 'segments-csv', filter: {}, opts: {} })).toEqual({ ok: false, errors: ['the study is no longer in this browser'] });
	});
});
