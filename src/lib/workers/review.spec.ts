/**
 * Review's worker jobs (workers/review.ts), run where there is no Worker: the same report and
 * disagreements as core computes from the study as stored, the study read once per change time,
 * and a request overtaken by a newer one answered as stale.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { adjudicate, AGREEMENT_UNITS, reviewDisagreements, tryAgreementReport } from '../core/agreement';
import { fixture } from '../core/agreement/fixture';
import { newId } from '../core/ids';
import type { Result, StudyData } from '../core/types';
import { GlossDB } from '../db/db';
import { insertStudyData, loadStudyData } from '../db/studies';
import { ALL_CODES, consensusByDocument, decisionOf, dropKey, ReviewComputer, ReviewJobs, summarise, type ReviewResult, type ReviewSettings } from './review';

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

const base: ReviewSettings = {
	coderA: null,
	coderB: null,
	unit: 'presence',
	threshold: 0.9,
	docMode: 'default',
	includeDescendants: false,
	pooling: 'pooled',
	perDocument: false
};

async function stored(d: StudyData = study()): Promise<{ db: GlossDB; data: StudyData }> {
	const db = new GlossDB('test-' + newId());
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

const valueOf = <T>(r: { ok: true; value: T } | { ok: false; errors: string[] } | null): T => {
	expect(r?.ok).toBe(true);
	return (r as { value: T }).value;
};

describe('review jobs', () => {
	it('give the report, disagreements and figures per document core gives, for every unit and choice of documents, coders and sub-codes', async () => {
		const { db, data } = await stored();
		const jobs = new ReviewJobs(db, data.study.id);
		const variants: ReviewSettings[] = [];
		for (const unit of AGREEMENT_UNITS)
			for (const docMode of ['default', 'all', 'doc1'])
				for (const includeDescendants of [false, true]) variants.push({ ...base, unit, docMode, includeDescendants });
		variants.push(
			{ ...base, unit: 'segment', threshold: 0.5 },
			{ ...base, unit: 'character', pooling: 'weighted' },
			{ ...base, unit: 'character', perDocument: true },
			{ ...base, coderA: 'coder-Bea', coderB: 'coder-Cem' }
		);
		let passages = 0;
		for (const s of variants) {
			const got = valueOf(await jobs.run('v1', { kind: 'review', settings: s }));
			const [a, b] = s.coderA ? [s.coderA, s.coderB!] : ['coder-Bea', 'coder-Ann']; // the default: most coding first
			expect([got.a, got.b]).toEqual([a, b]);
			const want = direct(data, a, b, s);
			const rep = valueOf(want.report);
			// the rows per code and document come only when they are shown (the rest of the report is the same without them)
			expect(valueOf(got.report)).toEqual(s.perDocument ? rep : { ...rep, documentRows: [] });
			if (s.unit === 'character') expect(rep.documentRows.length).toBeGreaterThan(0);
			expect(valueOf(await jobs.run('v1', { kind: 'passages', settings: s, codeId: ALL_CODES, limit: 1000 }))).toEqual({ passages: want.passages, total: want.passages.length });
			// a page of them: the first ones, and how many there are
			expect(valueOf(await jobs.run('v1', { kind: 'passages', settings: s, codeId: ALL_CODES, limit: 2 }))).toEqual({
				passages: want.passages.slice(0, 2),
				total: want.passages.length
			});
			const summary = valueOf(await jobs.run('v1', { kind: 'summary', settings: s }));
			expect(summary[ALL_CODES]).toEqual({ done: 0, total: want.passages.length });
			for (const code of data.codes) {
				const mine = want.passages.filter((p) => p.codeIds.includes(code.id));
				expect(valueOf(await jobs.run('v1', { kind: 'passages', settings: s, codeId: code.id, limit: 1000 }))).toEqual({ passages: mine, total: mine.length });
				expect(summary[code.id] ?? { done: 0, total: 0 }).toEqual({ done: 0, total: mine.length });
				const per = tryAgreementReport(data, {
					coderIds: [a, b],
					unit: s.unit,
					threshold: s.threshold,
					documentIds: rep.documentIds,
					codeIds: rep.codeIds,
					includeDescendants: s.includeDescendants,
					pooling: s.pooling,
					byDocument: true
				});
				const rows = valueOf(await jobs.run('v1', { kind: 'document-rows', settings: s, codeId: code.id }));
				expect(rows).toEqual(valueOf(per).documentRows.filter((r) => r.codeId === code.id));
				if (rep.documentIds.length) expect(rows.length).toBe(rep.documentIds.length);
			}
			passages += want.passages.length;
		}
		expect(passages).toBeGreaterThan(20);
	});

	it('list the coders most coding first without the consensus coder, and the documents and codes', async () => {
		const { db, data } = await stored();
		const meta = valueOf(await new ReviewJobs(db, data.study.id).run('v1', { kind: 'review', settings: base })).meta;
		expect(meta.coders.map((c) => [c.coder.name, c.segments])).toEqual([
			['Bea', 4],
			['Ann', 3],
			['Cem', 1],
			['Dee', 0]
		]);
		expect(meta.consensus?.name).toBe('Consensus');
		expect(meta.documents).toEqual(data.documents.map((d) => ({ id: d.id, name: d.name })));
		expect(meta.codes).toEqual(data.codes);
	});

	it('compare nobody with fewer than two coders who coded', async () => {
		const d = study();
		d.segments = d.segments.filter((s) => s.coderId === 'coder-Ann');
		const { db } = await stored(d);
		const jobs = new ReviewJobs(db, d.study.id);
		expect(valueOf(await jobs.run('v1', { kind: 'review', settings: base }))).toMatchObject({ a: 'coder-Ann', b: null, report: null });
		expect(valueOf(await jobs.run('v1', { kind: 'passages', settings: base, codeId: ALL_CODES, limit: 10 }))).toEqual({ passages: [], total: 0 });
	});

	it('count a passage as decided when the consensus coder’s coding is a decision, as the page reads it', async () => {
		const first = await stored();
		const p = direct(first.data, 'coder-Bea', 'coder-Ann', base).passages.find((x) => x.kind === 'only-a')!;
		const d = study();
		d.study.id = first.data.study.id + '-2';
		for (const t of [d.coders, d.documents, d.codes, d.segments]) for (const r of t) r.studyId = d.study.id;
		adjudicate(p, 'accept-a', { studyId: d.study.id, coderId: 'coder-Con' }).forEach((s, i) =>
			d.segments.push({ ...s, id: `con${i}`, createdAt: d.study.createdAt, updatedAt: d.study.createdAt })
		);
		const { db, data } = await stored(d);
		const summary = valueOf(await new ReviewJobs(db, d.study.id).run('v1', { kind: 'summary', settings: base }));
		expect(summary[ALL_CODES].done).toBe(1);
		for (const id of p.codeIds) expect(summary[id].done).toBe(1);
		const src = { consensusId: 'coder-Con', consensusByDocument: consensusByDocument(data.segments, 'coder-Con'), drops: new Set<string>(), remembered: {} };
		expect(decisionOf(p, dropKey('coder-Bea', 'coder-Ann', p), src)).toBe('accept-a');
		expect(summarise([p], 'coder-Bea', 'coder-Ann', { ...src, consensusId: null })[ALL_CODES]).toEqual({ done: 0, total: 1 });
	});

	it('read the study once per change time: a unit change computes only the report again, a new change time reads it again', async () => {
		const { db, data } = await stored();
		const c = new ReviewComputer(db);
		const id = data.study.id;
		const first = await c.run(1, id, 'v1', { kind: 'review', settings: base });
		await c.run(2, id, 'v1', { kind: 'summary', settings: base });
		await c.run(3, id, 'v1', { kind: 'review', settings: { ...base, unit: 'character' } });
		await c.run(4, id, 'v1', { kind: 'summary', settings: { ...base, unit: 'character' } });
		expect(c.counts).toEqual({ reads: 1, reports: 2, passages: 1 });
		await c.run(5, id, 'v1', { kind: 'review', settings: { ...base, coderA: 'coder-Cem' } });
		await c.run(6, id, 'v1', { kind: 'passages', settings: { ...base, coderA: 'coder-Cem' }, codeId: ALL_CODES, limit: 10 });
		expect(c.counts).toEqual({ reads: 1, reports: 3, passages: 2 });
		// Bea's coding is deleted: the held study is stale only once the change time moves
		await db.segments.where('[studyId+coderId]').equals([id, 'coder-Bea']).delete();
		expect(await c.run(7, id, 'v1', { kind: 'review', settings: base })).toEqual(first);
		const v = valueOf((await c.run(8, id, 'v2', { kind: 'review', settings: base })) as Result<ReviewResult>);
		expect(c.counts.reads).toBe(2);
		expect(v.meta.coders.find((x) => x.coder.name === 'Bea')?.segments).toBe(0);
		expect([v.a, v.b]).toEqual(['coder-Ann', 'coder-Cem']);
	});

	it('answer a request a newer one of the same kind overtook as stale, and the newer one in full', async () => {
		const { db, data } = await stored();
		const jobs = new ReviewJobs(db, data.study.id);
		const older = jobs.run('v1', { kind: 'review', settings: base });
		const olderSummary = jobs.run('v1', { kind: 'summary', settings: base });
		const newer = jobs.run('v1', { kind: 'review', settings: { ...base, unit: 'character' } });
		const newerSummary = jobs.run('v1', { kind: 'summary', settings: { ...base, threshold: 0.5 } });
		expect(await older).toBeNull();
		expect(await olderSummary).toBeNull();
		expect(valueOf(valueOf(await newer).report).unit).toBe('character');
		expect(valueOf(await newerSummary)[ALL_CODES].total).toBe(direct(data, 'coder-Bea', 'coder-Ann', { ...base, threshold: 0.5 }).passages.length);
	});

	it('say so when the study is gone', async () => {
		const db = new GlossDB('test-' + newId());
		expect(await new ReviewJobs(db, 'gone').run('v1', { kind: 'review', settings: base })).toEqual({ ok: false, errors: ['the study is no longer in this browser'] });
	});
});
