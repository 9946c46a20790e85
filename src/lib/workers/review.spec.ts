/**
 * Review's worker jobs (workers/review.ts), run where there is no Worker: the same report and
 * disagreements as core computes from the study as stored, the study read once per change time,
 * and a request overtaken by a newer one answered as stale.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { AGREEMENT_UNITS, reviewDisagreements, tryAgreementReport, type AgreementRow } from '../core/agreement';
import { fixture } from '../core/agreement/fixture';
import { newId } from '../core/ids';
import type { StudyData } from '../core/types';
import { GlossDB } from '../db/db';
import { insertStudyData, loadStudyData } from '../db/studies';
import { computeReview, ReviewComputer, ReviewJobs, type ReviewResult, type ReviewSettings } from './review';

const TEXT0 = 'Line one about care.\nThe nurse came late and the food was cold, said the patient.\nLast line.';
const TEXT1 = 'Another transcript. Discharge was quick; nobody explained the medicines.';

function study(): StudyData {
	const d = fixture({
		docs: [TEXT0, TEXT1, 'Nobody coded this one.'],
		codes: [
			['c1', 'Care'],
			['c2', 'Nurses', 'c1'],
			['c3', 'Discharge']
		],
		coders: ['Ann', 'Bea', 'Cem', 'Dee'],
		segments: [
			[0, 'c1', 'Ann', 21, 60],
			[0, 'c1', 'Bea', 25, 60],
			[0, 'c2', 'Ann', 25, 41],
			[0, 'c3', 'Bea', 46, 70],
			[1, 'c3', 'Ann', 20, 40],
			[1, 'c3', 'Bea', 20, 40],
			[1, 'c2', 'Bea', 42, 71],
			[0, 'c1', 'Cem', 0, 10],
			[1, 'c1', 'Ann', 0, 0] // no extent: not counted as coding
		]
	});
	d.study.id = 'study-' + newId();
	for (const t of [d.coders, d.documents, d.codes, d.segments]) for (const r of t) r.studyId = d.study.id;
	d.coders.push({ id: 'coder-Con', studyId: d.study.id, name: 'Consensus', createdAt: d.study.createdAt, isConsensus: true });
	return d;
}

const base: ReviewSettings = { coderA: null, coderB: null, unit: 'presence', threshold: 0.9, docMode: 'default', includeDescendants: false, pooling: 'pooled' };

async function stored(): Promise<{ db: GlossDB; data: StudyData }> {
	const db = new GlossDB('test-' + newId());
	const d = study();
	await insertStudyData(db, d);
	return { db, data: (await loadStudyData(db, d.study.id))! };
}

/** What the page computed itself before the worker: the report, then the disagreements, with 90 characters of context. */
function direct(data: StudyData, a: string, b: string, s: ReviewSettings) {
	const report = tryAgreementReport(data, {
		coderIds: [a, b],
		unit: s.unit,
		threshold: s.threshold,
		documentIds: s.docMode === 'default' ? undefined : s.docMode === 'all' ? data.documents.map((d) => d.id) : [s.docMode],
		includeDescendants: s.includeDescendants,
		pooling: s.pooling,
		byDocument: s.unit === 'character'
	});
	if (!report.ok) return { report, passages: [] };
	const passages = reviewDisagreements(data, a, b, s.threshold, {
		codeIds: report.value.codeIds,
		documentIds: report.value.documentIds,
		includeDescendants: s.includeDescendants
	}).map((p) => {
		const text = data.documents.find((d) => d.id === p.documentId)!.text;
		const before = text.slice(Math.max(0, p.start - 90), p.start);
		const after = text.slice(p.end, p.end + 90);
		return { ...p, before: before.slice(before.lastIndexOf('\n') + 1), after: after.includes('\n') ? after.slice(0, after.indexOf('\n')) : after };
	});
	return { report, passages };
}

describe('review jobs', () => {
	it('give the report and disagreements core gives for every unit and choice of documents, coders and sub-codes', async () => {
		const { db, data } = await stored();
		const jobs = new ReviewJobs(db, data.study.id);
		const variants: ReviewSettings[] = [];
		for (const unit of AGREEMENT_UNITS)
			for (const docMode of ['default', 'all', 'doc1'])
				for (const includeDescendants of [false, true]) variants.push({ ...base, unit, docMode, includeDescendants });
		variants.push({ ...base, unit: 'segment', threshold: 0.5 }, { ...base, unit: 'character', pooling: 'weighted' }, { ...base, coderA: 'coder-Bea', coderB: 'coder-Cem' });
		let passages = 0;
		for (const s of variants) {
			const r = await jobs.run('v1', { kind: 'review', settings: s });
			expect(r?.ok).toBe(true);
			const got = (r as { value: ReviewResult }).value;
			const [a, b] = s.coderA ? [s.coderA, s.coderB!] : ['coder-Bea', 'coder-Ann']; // the default: most coding first
			expect([got.a, got.b]).toEqual([a, b]);
			const want = direct(data, a, b, s);
			expect(got.report).toEqual(want.report);
			expect(got.passages).toEqual(want.passages);
			passages += got.passages.length;
		}
		expect(passages).toBeGreaterThan(20);
	});

	it('list the coders most coding first without the consensus coder, and the documents and codes', async () => {
		const { db, data } = await stored();
		const r = await new ReviewJobs(db, data.study.id).run('v1', { kind: 'review', settings: base });
		const meta = (r as { value: ReviewResult }).value.meta;
		expect(meta.coders.map((c) => [c.coder.name, c.segments])).toEqual([
			['Ann', 3],
			['Bea', 4],
			['Cem', 1],
			['Dee', 0]
		].sort((x, y) => (y[1] as number) - (x[1] as number)));
		expect(meta.consensus?.name).toBe('Consensus');
		expect(meta.documents).toEqual(data.documents.map((d) => ({ id: d.id, name: d.name })));
		expect(meta.codes).toEqual(data.codes);
	});

	it('compare nobody with fewer than two coders who coded', async () => {
		const { db, data } = await stored();
		data.segments = data.segments.filter((s) => s.coderId === 'coder-Ann');
		expect(computeReview(data, base)).toMatchObject({ a: 'coder-Ann', b: null, report: null, passages: [] });
		void db;
	});

	it('give one code’s figures per document as core does', async () => {
		const { db, data } = await stored();
		const req = { a: 'coder-Ann', b: 'coder-Bea', unit: 'segment' as const, threshold: 0.9, includeDescendants: false, documentIds: ['doc0', 'doc1'], codeIds: ['c1', 'c2', 'c3'], codeId: 'c3' };
		const r = await new ReviewJobs(db, data.study.id).run('v1', { kind: 'document-rows', request: req });
		const per = tryAgreementReport(data, { coderIds: ['coder-Ann', 'coder-Bea'], unit: 'segment', threshold: 0.9, documentIds: req.documentIds, codeIds: req.codeIds, byDocument: true });
		const want = per.ok ? per.value.documentRows.filter((row) => row.codeId === 'c3') : [];
		expect(want.length).toBe(2);
		expect(r).toEqual({ ok: true, value: want });
		expect((r as { value: AgreementRow[] }).value.every((row) => row.codeId === 'c3')).toBe(true);
	});

	it('read the study once per change time: a unit change computes from the study held, a new change time reads it again', async () => {
		const { db, data } = await stored();
		const c = new ReviewComputer(db);
		const id = data.study.id;
		const first = await c.run(1, id, 'v1', { kind: 'review', settings: base });
		await c.run(2, id, 'v1', { kind: 'review', settings: { ...base, unit: 'character' } });
		await c.run(3, id, 'v1', { kind: 'review', settings: { ...base, coderA: 'coder-Cem' } });
		expect(c.reads).toBe(1);
		// Bea's coding of document 1 is deleted: the held study is stale only once the change time moves
		await db.segments.where('[studyId+coderId]').equals([id, 'coder-Bea']).delete();
		expect(await c.run(4, id, 'v1', { kind: 'review', settings: base })).toEqual(first);
		const after = await c.run(5, id, 'v2', { kind: 'review', settings: base });
		expect(c.reads).toBe(2);
		const v = (after as { value: ReviewResult }).value;
		expect(v.meta.coders.find((x) => x.coder.name === 'Bea')?.segments).toBe(0);
		expect(v.b).toBe('coder-Cem');
	});

	it('answer a request a newer one of the same kind overtook as stale, and the newer one in full', async () => {
		const { db, data } = await stored();
		const jobs = new ReviewJobs(db, data.study.id);
		const older = jobs.run('v1', { kind: 'review', settings: base });
		const newer = jobs.run('v1', { kind: 'review', settings: { ...base, unit: 'character' } });
		expect(await older).toBeNull();
		const r = await newer;
		expect(r?.ok && r.value.report?.ok && r.value.report.value.unit).toBe('character');
	});

	it('say so when the study is gone', async () => {
		const db = new GlossDB('test-' + newId());
		expect(await new ReviewJobs(db, 'gone').run('v1', { kind: 'review', settings: base })).toEqual({ ok: false, errors: ['the study is no longer in this browser'] });
	});
});
