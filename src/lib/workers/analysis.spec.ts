/**
 * Analyse's worker jobs (workers/analysis.ts), run where there is no Worker, over the demo study as
 * stored: the same tables as core computes from the whole study, the passages behind a figure a
 * page at a time with their context, the study read once per change time (without its texts), and
 * a request overtaken by a newer one answered as stale.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
	codeCaseMatrix,
	cooccurrence,
	cooccurrenceSegments,
	crosstab,
	frequencies,
	onlyCoder,
	segmentsFor,
	type AnalysisFilter
} from '../core/analysis';
import { attributeTest, crosstabTests } from '../core/analysis/crosstab-tests';
import { matrixView, shownCooccurrence, shownCrosstab, shownFrequencies } from '../core/analysis/shown';
import { parseBackup } from '../core/backup';
import { newId } from '../core/ids';
import type { StudyData } from '../core/types';
import { GlossDB } from '../db/db';
import { insertStudyData, loadStudyData } from '../db/studies';
import {
	AnalysisComputer,
	AnalysisJobs,
	passageContext,
	pieceKeys,
	resolveBy,
	resolveFilter,
	type AnalysisSettings,
	type DrillTarget
} from './analysis';

const DEMO = fileURLToPath(new URL('../../../static/demo/cleaner-production.gloss.json', import.meta.url));

function demo(): StudyData {
	const r = parseBackup(readFileSync(DEMO, 'utf8'), 'demo', 'cleaner-production.gloss.json');
	if (!r.ok) throw new Error(r.errors.join('\n'));
	const d = r.value;
	const id = 'study-' + newId();
	d.study.id = id;
	for (const t of [d.coders, d.attributes, d.cases, d.documents, d.codes, d.segments, d.memos]) for (const row of t) row.studyId = id;
	return d;
}

async function stored(): Promise<{ db: GlossDB; data: StudyData }> {
	const db = new GlossDB('test-' + newId());
	const d = demo();
	await insertStudyData(db, d);
	return { db, data: (await loadStudyData(db, d.study.id))! };
}

const base: AnalysisSettings = {
	shownCoderId: null,
	tab: 'frequencies',
	choices: { coderIds: null, documentIds: [], attributeValues: {} },
	count: 'cases',
	by: null,
	rollup: true,
	coRollup: false,
	sortByCount: false,
	hideEmpty: false,
	tests: false,
	adjust: 'none',
	yates: false,
	coMode: 'overlap',
	binary: false
};

const valueOf = <T>(r: { ok: true; value: T } | { ok: false; errors: string[] } | null): T => {
	expect(r?.ok).toBe(true);
	return (r as { value: T }).value;
};

const attr = (data: StudyData, name: string) => data.attributes.find((a) => a.name === name)!.id;

describe('analysis jobs', () => {
	it('give the tables core computes from the whole study, for every tab and setting', async () => {
		const { db, data } = await stored();
		const jobs = new AnalysisJobs(db, data.study.id);
		const [city, sector] = [attr(data, 'City'), attr(data, 'Sector')];
		const coder = data.coders[0].id;
		const variants: AnalysisSettings[] = [
			base,
			{ ...base, count: 'segments', sortByCount: true },
			{ ...base, rollup: false, hideEmpty: true },
			{ ...base, choices: { coderIds: [coder], documentIds: [], attributeValues: {} } },
			{ ...base, choices: { coderIds: [], documentIds: data.documents.slice(0, 5).map((d) => d.id), attributeValues: {} } },
			{ ...base, choices: { coderIds: null, documentIds: [], attributeValues: { [city]: ['C', null] } } },
			{ ...base, by: [sector], count: 'documents', sortByCount: true, hideEmpty: true },
			{ ...base, by: [city, sector] },
			{ ...base, tests: true, adjust: 'holm' },
			{ ...base, tests: true, adjust: 'bh', yates: true, by: [city, sector] },
			{ ...base, coMode: 'documents', coRollup: true },
			{ ...base, coMode: 'cases', hideEmpty: true },
			{ ...base, binary: true, hideEmpty: true }
		];
		for (const s of variants)
			for (const tab of ['frequencies', 'crosstab', 'cooccurrence', 'matrix'] as const) {
				const st = { ...s, tab };
				const v = valueOf(await jobs.run('v1', { kind: 'view', settings: st }));
				const keys = pieceKeys(st);
				const filter: AnalysisFilter = resolveFilter({ coders: data.coders, documents: data.documents }, st.choices);
				const f = shownFrequencies(frequencies(data, filter, { includeDescendants: st.rollup, sort: st.sortByCount ? st.count : 'codebook' }), st.hideEmpty);
				expect(v.frequencies).toEqual({ key: keys.frequencies, value: f });
				expect(v.meta.coders.map((c) => c.name)).toEqual([...data.coders].map((c) => c.name).sort());
				if (tab === 'crosstab') {
					const by = resolveBy(v.meta.attributes, st.by);
					expect(by).toEqual(st.by ?? [city]);
					const result = shownCrosstab(crosstab(data, filter, { by, count: st.count, includeDescendants: st.rollup }), { hideEmpty: st.hideEmpty, byTotal: st.sortByCount });
					expect(v.crosstab).toEqual({
						key: keys.crosstab,
						value: {
							result,
							tests: st.tests ? crosstabTests(result, { adjust: st.adjust, yates: st.yates }) : null,
							nested: st.tests && by.length === 2 ? attributeTest(data, filter, by[0], by[1]) : null
						}
					});
					if (st.tests) expect(v.crosstab?.value?.tests?.codes.length).toBeGreaterThan(0);
				} else expect(v.crosstab).toBeUndefined();
				if (tab === 'cooccurrence')
					expect(v.cooccurrence).toEqual({
						key: keys.cooccurrence,
						value: shownCooccurrence(cooccurrence(data, filter, { mode: st.coMode, includeDescendants: st.coRollup }), st.hideEmpty)
					});
				if (tab === 'matrix')
					expect(v.matrix).toEqual({
						key: keys.matrix,
						value: matrixView(codeCaseMatrix(data, filter, { includeDescendants: st.rollup }), { binary: st.binary, hideEmpty: st.hideEmpty })
					});
			}
	});

	it('say what the page shows of the study: attributes case first, the values each takes, coders, documents', async () => {
		const { db, data } = await stored();
		const v = valueOf(await new AnalysisJobs(db, data.study.id).run('v1', { kind: 'view', settings: base }));
		expect(v.meta.attributes.map((a) => a.name)).toEqual([...data.attributes].sort((a, b) => a.order - b.order).map((a) => a.name));
		const city = v.meta.attributeChoices.find((c) => c.attribute.name === 'City')!;
		expect(city.values).toEqual(['C', 'N', 'S']);
		expect(city.missing).toBe(false);
		expect(v.meta.documents).toHaveLength(data.documents.length);
		expect(v.meta.codeCount).toBe(data.codes.length);
		// the default coders: all (there is no consensus coder)
		expect(resolveFilter(v.meta, base.choices)).toEqual({});
	});

	it('give the passages behind a figure a page at a time, with their context from the stored texts', async () => {
		const { db, data } = await stored();
		const jobs = new AnalysisJobs(db, data.study.id);
		const code = data.codes.find((c) => c.name === '(B) Audit study conducted genuinely')!.id;
		const sector = attr(data, 'Sector');
		const target: DrillTarget = { kind: 'code', query: { codeId: code, by: [sector], columnKey: 'Chemicals', count: 'cases', includeDescendants: true }, filter: {} };
		const segs = segmentsFor(data, {}, target.query);
		expect(segs.length).toBeGreaterThanOrEqual(11);
		const page = valueOf(await jobs.run('v1', { kind: 'passages', shownCoderId: null, target, limit: 5 }));
		expect(page.total).toBe(segs.length);
		expect(page.documents).toBe(new Set(segs.map((s) => s.documentId)).size);
		expect(page.passages.map((p) => p.segment)).toEqual(segs.slice(0, 5));
		for (const p of page.passages) {
			const doc = data.documents.find((d) => d.id === p.segment.documentId)!;
			expect(p).toMatchObject({ document: doc.name, ...passageContext(doc.text, p.segment.start, p.segment.end) });
			expect(p.text).toBe(doc.text.slice(p.segment.start, p.segment.end));
			expect(p.href).toBe(`/study/${encodeURIComponent(data.study.id)}/code?doc=${encodeURIComponent(doc.id)}&seg=${encodeURIComponent(p.segment.id)}`);
		}
		const all = valueOf(await jobs.run('v1', { kind: 'passages', shownCoderId: null, target, limit: 100 }));
		expect(all.passages.map((p) => p.segment)).toEqual(segs);

		const [a, b] = [data.codes[1].id, data.codes[2].id];
		const pair: DrillTarget = { kind: 'pair', a, b, mode: 'cases', includeDescendants: true, filter: {} };
		const pairs = valueOf(await jobs.run('v1', { kind: 'passages', shownCoderId: null, target: pair, limit: 1000 }));
		expect(pairs.passages.map((p) => p.segment)).toEqual(cooccurrenceSegments(data, {}, { mode: 'cases', includeDescendants: true }, a, b));
	});

	it('show a coder only their own work under blind coding', async () => {
		const { db, data } = await stored();
		const jobs = new AnalysisJobs(db, data.study.id);
		const coder = data.coders.find((c) => data.segments.some((s) => s.coderId === c.id))!;
		const v = valueOf(await jobs.run('v1', { kind: 'view', settings: { ...base, shownCoderId: coder.id } }));
		expect(v.meta.coders.map((c) => c.id)).toEqual([coder.id]);
		expect(v.frequencies.value).toEqual(frequencies(onlyCoder(data, coder.id), {}, { includeDescendants: true, sort: 'codebook' }));
		const code = data.segments.find((s) => s.coderId !== coder.id)!.codeId;
		const page = valueOf(
			await jobs.run('v1', { kind: 'passages', shownCoderId: coder.id, target: { kind: 'code', query: { codeId: code }, filter: {} }, limit: 1000 })
		);
		expect(page.passages.every((p) => p.segment.coderId === coder.id)).toBe(true);
	});

	it('read the study once per change time, without its texts, and compute only the tables whose settings changed', async () => {
		const { db, data } = await stored();
		const c = new AnalysisComputer(db);
		const id = data.study.id;
		await c.run(1, id, 'v1', { kind: 'view', settings: base });
		await c.run(2, id, 'v1', { kind: 'view', settings: { ...base, tab: 'crosstab' } });
		// back to frequencies, and a page-only change of the cross-tab's count: nothing new for the frequencies
		await c.run(3, id, 'v1', { kind: 'view', settings: base });
		expect(c.counts).toEqual({ reads: 1, tables: 2 });
		await c.run(4, id, 'v1', { kind: 'view', settings: { ...base, tab: 'crosstab', count: 'segments' } });
		expect(c.counts).toEqual({ reads: 1, tables: 3 });
		// a segment is deleted: the held study is stale only once the change time moves
		const seg = data.segments[0];
		await db.segments.delete([id, seg.id]);
		const before = await c.run(5, id, 'v1', { kind: 'view', settings: base });
		expect(valueOf(before)).toMatchObject({ frequencies: { value: { baseSegments: data.segments.length } } });
		const after = await c.run(6, id, 'v2', { kind: 'view', settings: base });
		expect(c.counts.reads).toBe(2);
		expect(valueOf(after)).toMatchObject({ frequencies: { value: { baseSegments: data.segments.length - 1 } } });
	});

	it('answer a request a newer one of the same kind overtook as stale, and the newer one in full', async () => {
		const { db, data } = await stored();
		const jobs = new AnalysisJobs(db, data.study.id);
		const older = jobs.run('v1', { kind: 'view', settings: base });
		const newer = jobs.run('v1', { kind: 'view', settings: { ...base, tab: 'matrix', binary: true } });
		expect(await older).toBeNull();
		const v = valueOf(await newer);
		expect(v.matrix?.value.values.flat().every((x) => x === 0 || x === 1)).toBe(true);
	});

	it('say so when the study is gone', async () => {
		const db = new GlossDB('test-' + newId());
		expect(await new AnalysisJobs(db, 'gone').run('v1', { kind: 'view', settings: base })).toEqual({ ok: false, errors: ['the study is no longer in this browser'] });
	});
});
