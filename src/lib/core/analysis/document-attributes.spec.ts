/**
 * Cross-tabs and filters by document attributes, hand-computed (issue 12 §4).
 *
 * Cases K1 (City C: D0 in 2001, D1 in 2004), K2 (City C: D2 in 2001), K3 (City N: D3 and D4,
 * both 2004). D5 (2004) has no case. Code X is cited in D0, D1, D3, D4 and D5; Y in D2 only.
 */
import { describe, expect, it } from 'vitest';
import { fixture } from '../agreement/fixture';
import type { StudyData } from '../types';
import { crosstab } from './crosstab';
import { crosstabTests } from './crosstab-tests';
import { crosstabCellSegments } from './drill';

const T = '2026-01-01T00:00:00.000Z';

function study(): StudyData {
	const d = fixture({
		docs: ['one two three', 'one two three four', 'five six seven', 'eight nine', 'ten eleven', 'loose notes here'],
		codes: [
			['x', 'X'],
			['y', 'Y']
		],
		coders: ['Ana'],
		segments: [
			[0, 'x', 'Ana', 0, 3],
			[1, 'x', 'Ana', 0, 3],
			[1, 'x', 'Ana', 4, 7],
			[2, 'y', 'Ana', 0, 4],
			[3, 'x', 'Ana', 0, 5],
			[4, 'x', 'Ana', 0, 3],
			[5, 'x', 'Ana', 0, 5]
		]
	});
	d.attributes = [
		{ id: 'city', studyId: 'study', name: 'City', type: 'category', order: 0 },
		{ id: 'wave', studyId: 'study', name: 'Wave', type: 'category', order: 1, scope: 'document' }
	];
	d.cases = [
		{ id: 'k1', studyId: 'study', name: 'K1', attributes: { city: 'C' }, createdAt: T, updatedAt: T },
		{ id: 'k2', studyId: 'study', name: 'K2', attributes: { city: 'C' }, createdAt: T, updatedAt: T },
		{ id: 'k3', studyId: 'study', name: 'K3', attributes: { city: 'N' }, createdAt: T, updatedAt: T }
	];
	const place: [string | null, string][] = [
		['k1', '2001'],
		['k1', '2004'],
		['k2', '2001'],
		['k3', '2004'],
		['k3', '2004'],
		[null, '2004']
	];
	d.documents.forEach((doc, i) => {
		doc.caseId = place[i][0];
		doc.attributes = { wave: place[i][1] };
	});
	return d;
}

const cells = (r: ReturnType<typeof crosstab>) => Object.fromEntries(r.rows.map((row) => [row.name, row.cells]));

describe('cross-tab by a document attribute', () => {
	it('counts a case once per wave of the documents in which it cites the code', () => {
		const r = crosstab(study(), {}, { by: ['wave'], count: 'cases' });
		expect(r.level).toBe('document');
		expect(r.by).toEqual([{ id: 'wave', name: 'Wave', scope: 'document' }]);
		expect(r.columns.map((c) => [c.label, c.total])).toEqual([
			['2001', 2], // K1, K2
			['2004', 2] // K1, K3 (twice in 2004, once); D5 has no case
		]);
		// X: K1 under 2001 and again under 2004; K3 once though cited in D3 and D4
		expect(cells(r)).toEqual({ X: [1, 2], Y: [1, 0] });
		expect(r.rows[0].total).toBe(3);
	});

	it('counts documents and segments by the document’s own value; a document without a case falls under its wave', () => {
		const docs = crosstab(study(), {}, { by: ['wave'], count: 'documents' });
		expect(docs.columns.map((c) => [c.label, c.total])).toEqual([
			['2001', 2],
			['2004', 4]
		]);
		expect(cells(docs)).toEqual({ X: [1, 4], Y: [1, 0] });
		const segs = crosstab(study(), {}, { by: ['wave'], count: 'segments' });
		expect(cells(segs)).toEqual({ X: [1, 5], Y: [1, 0] });
	});

	it('nests a case attribute with a document attribute: City / Wave from the document’s case', () => {
		const r = crosstab(study(), {}, { by: ['city', 'wave'], count: 'cases' });
		expect(r.columns.map((c) => [c.label, c.total])).toEqual([
			['C / 2001', 2],
			['C / 2004', 1],
			['N / 2004', 1]
		]);
		expect(cells(r)).toEqual({ X: [1, 1, 1], Y: [1, 0, 0] });
	});

	it('nested City × Wave counts documents and segments by each document’s wave, a document without a case under (missing) city', () => {
		const docs = crosstab(study(), {}, { by: ['city', 'wave'], count: 'documents' });
		expect(docs.level).toBe('document');
		expect(docs.by.map((b) => b.scope)).toEqual(['case', 'document']);
		// D0 C/2001, D1 C/2004, D2 C/2001, D3 and D4 N/2004, D5 (no case)/2004
		expect(docs.columns.map((c) => [c.label, c.total])).toEqual([
			['C / 2001', 2],
			['C / 2004', 1],
			['N / 2004', 2],
			['(missing) / 2004', 1]
		]);
		expect(docs.columns[3].values).toEqual([null, '2004']);
		expect(cells(docs)).toEqual({ X: [1, 1, 2, 1], Y: [1, 0, 0, 0] });
		const segs = crosstab(study(), {}, { by: ['city', 'wave'], count: 'segments' });
		// X: D0 1, D1 2, D3 1, D4 1, D5 1; Y: D2 1
		expect(segs.columns.map((c) => c.total)).toEqual([2, 2, 2, 1]);
		expect(cells(segs)).toEqual({ X: [1, 2, 2, 1], Y: [1, 0, 0, 0] });
	});

	it('nested City × Wave with the filter Wave = 2004: K1’s follow-up counts under C / 2004 only', () => {
		const r = crosstab(study(), { attributes: { wave: ['2004'] } }, { by: ['city', 'wave'], count: 'cases' });
		expect(r.columns.map((c) => [c.label, c.total])).toEqual([
			['C / 2004', 1],
			['N / 2004', 1]
		]);
		expect(cells(r)).toEqual({ X: [1, 1], Y: [0, 0] });
	});

	it('a case attribute alone stays at the case level (each case in one column)', () => {
		const r = crosstab(study(), {}, { by: ['city'], count: 'cases' });
		expect(r.level).toBe('case');
		expect(cells(r)).toEqual({ X: [1, 1], Y: [1, 0] });
	});

	it('filters by a document attribute: only the documents with the value, and the cases that have one', () => {
		const r = crosstab(study(), { attributes: { wave: ['2004'] } }, { by: ['city'], count: 'cases' });
		expect(r.columns.map((c) => [c.label, c.total])).toEqual([
			['C', 1], // K1 only: K2 has no 2004 document
			['N', 1]
		]);
		expect(cells(r)).toEqual({ X: [1, 1], Y: [0, 0] });
	});

	it('drills into a document-level cell: the segments of the documents in the column', () => {
		const segs = crosstabCellSegments(study(), {}, { by: ['wave'], count: 'cases' }, 'x', '2004');
		expect(segs.map((s) => s.documentId).sort()).toEqual(['doc1', 'doc1', 'doc3', 'doc4']);
	});

	it('tests the same cited / not-cited table: cases citing X by Wave', () => {
		const t = crosstabTests(crosstab(study(), {}, { by: ['wave'], count: 'cases' }));
		const x = t.codes.find((c) => c.name === 'X')!;
		expect(x.tests?.table ?? null).toEqual([
			[1, 2],
			[1, 0]
		]);
	});
});
