/**
 * The demo study (static/demo/cleaner-production.gloss.json, made by scripts/make-demo.ts):
 * it restores, it is current, its segments sit exactly on the passages they were made from,
 * and counting cases per code for "Demo coder" reproduces the seed study's tables.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CODE, CODEBOOK_PATH, DEMO_PATH, buildDemo, demoJson } from '../../../scripts/make-demo';
import { crosstab } from './analysis/crosstab';
import { parseBackup } from './backup';
import { parseCodebook } from './codebook';
import type { StudyData } from './types';

const fileText = readFileSync(DEMO_PATH, 'utf8');
let data: StudyData;

beforeAll(() => {
	const r = parseBackup(fileText, 'restored-demo', 'cleaner-production.gloss.json');
	if (!r.ok) throw new Error(r.errors.join('\n'));
	data = r.value;
});

/** Tiny local helpers, independent of the analysis core. */
const coderId = (name: string) => data.coders.find((c) => c.name === name)!.id;
const attrId = (name: string) => data.attributes.find((a) => a.name === name)!.id;
/** The Wave of a case's first interview (its first document). */
const firstWave = (caseId: string) =>
	[...data.documents].sort((a, b) => a.order - b.order).find((d) => d.caseId === caseId)?.attributes?.[attrId('Wave')];
function subtree(codeId: string): Set<string> {
	const out = new Set([codeId]);
	let grew = true;
	while (grew) {
		grew = false;
		for (const c of data.codes)
			if (c.parentId && out.has(c.parentId) && !out.has(c.id)) {
				out.add(c.id);
				grew = true;
			}
	}
	return out;
}
/** Ids of cases with at least one segment of the code (or its subcodes with `rollup`). */
function cases(codeId: string, opts: { coder?: string; rollup?: boolean } = {}): string[] {
	const codes = opts.rollup ? subtree(codeId) : new Set([codeId]);
	const coder = opts.coder ? coderId(opts.coder) : null;
	const caseOfDoc = new Map(data.documents.map((d) => [d.id, d.caseId]));
	const out = new Set<string>();
	for (const s of data.segments)
		if (codes.has(s.codeId) && (coder === null || s.coderId === coder)) out.add(caseOfDoc.get(s.documentId)!);
	return [...out];
}
function byCity(caseIds: string[]): Record<string, number> {
	const city = attrId('City');
	const out: Record<string, number> = { C: 0, N: 0, S: 0 };
	for (const id of caseIds) out[data.cases.find((c) => c.id === id)!.attributes[city] as string]++;
	return out;
}

describe('the demo study file', () => {
	it('restores with parseBackup and is what scripts/make-demo.ts generates now', () => {
		expect(data.study.name).toBe('Cleaner Production in Jiangsu (demo)');
		expect(fileText).toBe(demoJson());
	});

	it('holds the Cleaner Production codebook exactly', () => {
		const book = parseCodebook(readFileSync(CODEBOOK_PATH, 'utf8'), 'cb');
		expect(book.ok).toBe(true);
		if (!book.ok) return;
		const ids: string[] = [];
		const walk = (list: typeof book.value.codes) => list.forEach((e) => (ids.push(e.id!), walk(e.children)));
		walk(book.value.codes);
		expect(data.codes.map((c) => c.id).sort()).toEqual(ids.sort());
		expect(data.codes).toHaveLength(41);
		for (const c of data.codes) {
			expect(c.definition.length, c.name).toBeGreaterThan(40);
			expect(c.inclusion, c.name).not.toBe('');
			expect(c.exclusion, c.name).not.toBe('');
			expect(c.example, c.name).not.toBe('');
		}
		expect(Object.values(CODE).every((id) => data.codes.some((c) => c.id === id))).toBe(true);
	});

	it('has 30 enterprise cases in C, N and S with category attributes, one or two documents each', () => {
		expect(data.attributes.map((a) => [a.name, a.type])).toEqual([
			['City', 'category'],
			['Sector', 'category'],
			['Size', 'category'],
			['Ownership', 'category'],
			['Wave', 'category']
		]);
		expect(data.cases).toHaveLength(30);
		expect(byCity(data.cases.map((c) => c.id))).toEqual({ C: 10, N: 12, S: 8 });
		// Wave is a document attribute: each interview has its own, C03's and S01's follow-ups are 2004
		const wave = attrId('Wave');
		expect(data.attributes.find((a) => a.id === wave)!.scope).toBe('document');
		expect(data.cases.every((c) => c.attributes[wave] === undefined)).toBe(true);
		expect(data.cases.filter((c) => firstWave(c.id) === '2001-02')).toHaveLength(14);
		expect(data.cases.filter((c) => firstWave(c.id) === '2004')).toHaveLength(16);
		const followUps = data.documents.filter((d) => d.name.includes('follow-up'));
		expect(followUps.map((d) => [d.name.slice(0, 3), d.attributes?.[wave]])).toEqual([
			['C03', '2004'],
			['S01', '2004']
		]);
		expect(data.documents.filter((d) => d.attributes?.[wave] === '2004')).toHaveLength(18);
		for (const a of ['Sector', 'Size', 'Ownership'])
			expect(data.cases.every((c) => typeof c.attributes[attrId(a)] === 'string')).toBe(true);
		const docsPerCase = data.cases.map((c) => data.documents.filter((d) => d.caseId === c.id).length);
		expect(docsPerCase.every((n) => n === 1 || n === 2)).toBe(true);
		expect(docsPerCase.filter((n) => n === 2)).toHaveLength(2);
		expect(data.documents).toHaveLength(32);
	});

	it('counts C03 and S01 under 2004 too in a cross-tab by Wave: their follow-ups are 2004 interviews', () => {
		const r = crosstab(data, {}, { by: [attrId('Wave')], count: 'cases' });
		expect(r.level).toBe('document');
		expect(r.columns.map((c) => [c.label, c.total])).toEqual([
			['2001-02', 14],
			['2004', 18]
		]);
		// the follow-ups hold "no further audit" (C03) and "audit continued" (S01): both under 2004
		const c03 = data.cases.find((c) => c.name.startsWith('C03'))!.id;
		const s01 = data.cases.find((c) => c.name.startsWith('S01'))!.id;
		const docs2004 = data.documents.filter((d) => d.attributes?.[attrId('Wave')] === '2004').map((d) => d.caseId);
		expect(docs2004).toContain(c03);
		expect(docs2004).toContain(s01);
	});

	it('marks every transcript as illustrative; five are in Chinese; all use speaker turns', () => {
		for (const d of data.documents) {
			expect(d.text.startsWith('ILLUSTRATIVE TRANSCRIPT') || d.text.startsWith('【示例文本】'), d.name).toBe(true);
			expect(d.text).toMatch(/not a real interview|Not a real interview/i);
		}
		const zh = data.documents.filter((d) => d.text.includes('受访者：'));
		expect(zh).toHaveLength(5);
		for (const d of zh) expect(d.text).toMatch(/^访谈者：/m);
		for (const d of data.documents.filter((x) => !zh.includes(x))) {
			expect(d.text).toMatch(/^Interviewer: /m);
			expect(d.text).toMatch(/^R: /m);
			const words = d.text.split(/\s+/).length;
			expect(words, d.name).toBeGreaterThan(d.name.includes('follow-up') ? 150 : 280);
			expect(words, d.name).toBeLessThan(1500);
		}
	});

	it('puts every segment exactly on the passage it was made from', () => {
		const { quotes } = buildDemo();
		const byId = new Map(data.segments.map((s) => [s.id, s]));
		const textOf = new Map(data.documents.map((d) => [d.id, d.text]));
		expect(quotes).toHaveLength(data.segments.length);
		for (const q of quotes) {
			const s = byId.get(q.segmentId)!;
			expect(s, q.quote).toBeDefined();
			expect(s.codeId).toBe(CODE[q.code]);
			expect(textOf.get(s.documentId)!.slice(s.start, s.end)).toBe(q.quote);
			expect(q.quote.trim()).toBe(q.quote);
			expect(q.quote.length).toBeGreaterThan(5);
		}
		// The Demo coder's passages are whole sentences: they end with a full stop.
		for (const q of quotes.filter((x) => x.coder === 'Demo coder')) expect(q.quote).toMatch(/[.。]$/);
	});
});

const REASONS: [keyof typeof CODE, number][] = [
	['productionCost', 23],
	['dischargeStandards', 19],
	['internationalMarkets', 17],
	['productQuality', 14],
	['totalEmissionControl', 10],
	['abatementCost', 9],
	['personalConcern', 7],
	['occupationalHealth', 6],
	['residentsComplaints', 4]
];

describe("the seed's tables, counted as cases per code for Demo coder", () => {
	it('reproduces "Reasons cited by enterprises for adopting CP measures"', () => {
		for (const [key, n] of REASONS) expect([key, cases(CODE[key], { coder: 'Demo coder' }).length]).toEqual([key, n]);
		// The reasons are leaves: rolling up changes nothing.
		for (const [key, n] of REASONS) expect(cases(CODE[key], { coder: 'Demo coder', rollup: true })).toHaveLength(n);
	});

	it('reproduces "CP audits at case-study enterprises" by City, with and without rolling up subcodes', () => {
		for (const rollup of [false, true]) {
			const count = (k: keyof typeof CODE) => byCity(cases(CODE[k], { coder: 'Demo coder', rollup }));
			expect(count('response')).toEqual({ C: 9, N: 12, S: 6 });
			expect(count('genuineAudit')).toEqual({ C: 7, N: 7, S: 6 });
			expect(count('auditContinued')).toEqual({ C: 1, N: 2, S: 4 });
		}
		expect(cases(CODE.response, { coder: 'Demo coder' })).toHaveLength(27);
		expect(cases(CODE.genuineAudit, { coder: 'Demo coder' })).toHaveLength(20);
		expect(cases(CODE.auditContinued, { coder: 'Demo coder' })).toHaveLength(7);
	});

	it('splits the audited enterprises into A and B, and B into B1 and B2, as the seed does', () => {
		const n = (k: keyof typeof CODE) => cases(CODE[k], { coder: 'Demo coder' }).length;
		expect(n('reportOnly') + n('genuineAudit')).toBe(27);
		expect(n('measuresImplemented') + n('noMeasures')).toBe(20);
		expect(n('noFurtherAudit') + n('auditContinued')).toBe(n('measuresImplemented'));
		expect(n('tokenCompliance')).toBe(n('reportOnly'));
		// The audit requirement was received by exactly the audited enterprises.
		expect(cases(CODE.auditRequirement, { coder: 'Demo coder' }).sort()).toEqual(cases(CODE.response, { coder: 'Demo coder' }).sort());
	});

	it('gives every continuing enterprise leadership commitment and external technical support', () => {
		const continued = cases(CODE.auditContinued, { coder: 'Demo coder' });
		const lead = new Set(cases(CODE.leadership, { coder: 'Demo coder' }));
		const ext = new Set(cases(CODE.externalSupport, { coder: 'Demo coder' }));
		expect(continued.every((c) => lead.has(c) && ext.has(c))).toBe(true);
		const firstSetStudies = cases(CODE.genuineAudit, { coder: 'Demo coder' }).filter((id) => firstWave(id) === '2001-02');
		expect(firstSetStudies).toHaveLength(12);
		const plans = new Set(cases(CODE.renovationPlans, { coder: 'Demo coder' }));
		expect(firstSetStudies.filter((c) => plans.has(c))).toHaveLength(7);
	});

	it('gives the same tables when all coders are counted', () => {
		for (const [key, n] of REASONS) expect([key, cases(CODE[key]).length]).toEqual([key, n]);
		expect(byCity(cases(CODE.response, { rollup: true }))).toEqual({ C: 9, N: 12, S: 6 });
		expect(byCity(cases(CODE.genuineAudit, { rollup: true }))).toEqual({ C: 7, N: 7, S: 6 });
		expect(byCity(cases(CODE.auditContinued, { rollup: true }))).toEqual({ C: 1, N: 2, S: 4 });
	});
});

describe('the second coder', () => {
	it('coded six transcripts, disagreeing with Demo coder in every usual way', () => {
		const demo = coderId('Demo coder');
		const second = coderId('Second coder');
		const secondSegs = data.segments.filter((s) => s.coderId === second);
		const docs = [...new Set(secondSegs.map((s) => s.documentId))];
		expect(docs).toHaveLength(6);
		const demoSegs = data.segments.filter((s) => s.coderId === demo && docs.includes(s.documentId));
		const key = (s: { documentId: string; codeId: string; start: number; end: number }) =>
			`${s.documentId}|${s.codeId}|${s.start}|${s.end}`;
		const overlaps = (a: (typeof demoSegs)[0], b: (typeof demoSegs)[0]) =>
			a.documentId === b.documentId && a.start < b.end && b.start < a.end;
		const demoKeys = new Set(demoSegs.map(key));
		const identical = secondSegs.filter((s) => demoKeys.has(key(s)));
		const missed = demoSegs.filter((d) => !secondSegs.some((s) => s.codeId === d.codeId && overlaps(s, d)));
		const extra = secondSegs.filter((s) => !demoSegs.some((d) => overlaps(s, d)));
		const shifted = secondSegs.filter(
			(s) => !demoKeys.has(key(s)) && demoSegs.some((d) => d.codeId === s.codeId && overlaps(s, d))
		);
		const otherCode = secondSegs.filter(
			(s) => demoSegs.some((d) => d.start === s.start && d.end === s.end && d.documentId === s.documentId) && !demoKeys.has(key(s))
		);
		expect(identical.length).toBeGreaterThan(secondSegs.length * 0.7);
		expect(missed.length).toBeGreaterThanOrEqual(6);
		expect(extra.length).toBeGreaterThanOrEqual(4);
		expect(shifted.length).toBeGreaterThanOrEqual(6);
		expect(otherCode.length).toBeGreaterThanOrEqual(4);
		// One of the six is in Chinese.
		expect(docs.some((id) => data.documents.find((d) => d.id === id)!.text.includes('受访者：'))).toBe(true);
	});
});

describe('static/demo/README.md', () => {
	it('lists, for every code, the case counts the demo file gives', () => {
		const readme = readFileSync(resolve(dirname(DEMO_PATH), 'README.md'), 'utf8');
		const rows = [...readme.matchAll(/^\|[^|]*\| `([0-9a-f-]{36})` \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$/gm)];
		expect(rows).toHaveLength(data.codes.length);
		for (const [, id, direct, roll, c, n, s] of rows) {
			const all = cases(id, { coder: 'Demo coder', rollup: true });
			expect([id, cases(id, { coder: 'Demo coder' }).length, all.length, byCity(all)]).toEqual([
				id,
				Number(direct),
				Number(roll),
				{ C: Number(c), N: Number(n), S: Number(s) }
			]);
		}
	});
});
