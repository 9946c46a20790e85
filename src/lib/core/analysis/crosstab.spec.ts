import { describe, expect, it } from 'vitest';
import { analysisSmall } from '../../../../tests/fixtures/analysis-small';
import { crosstab } from './crosstab';
import { crosstabCellSegments, segmentsFor } from './drill';
import { crosstabTable } from './tables';

// Hand-computed from tests/fixtures/analysis-small.ts.
// City: K1 C, K2 C, K3 N, K4 (missing), K5 N (no documents). D6 has no case.

const cells = (r: ReturnType<typeof crosstab>) => Object.fromEntries(r.rows.map((x) => [x.path, [...x.cells, x.total]]));

describe('crosstab by one attribute', () => {
	it('counts cases by default, with a (missing) column and column bases', () => {
		const r = crosstab(analysisSmall(), {}, { by: ['city'] });
		expect(r.count).toBe('cases');
		expect(r.by).toEqual([{ id: 'city', name: 'City', scope: 'case' }]);
		expect(r.columns.map((c) => [c.label, c.total])).toEqual([
			['C', 2],
			['N', 2],
			['(missing)', 1]
		]);
		expect(r.grandTotal).toBe(5);
		expect(cells(r)).toEqual({
			Economic: [2, 0, 1, 3],
			'Economic > Cost': [2, 0, 0, 2], // D6 (no case) never counts as a case
			'Economic > Quality': [1, 0, 1, 2],
			Policy: [2, 1, 0, 3],
			'Policy > Standards': [2, 1, 0, 3],
			'Policy > Standards > Discharge': [1, 1, 0, 2],
			Social: [0, 1, 0, 1]
		});
	});

	it('gives row and column percentages', () => {
		const r = crosstab(analysisSmall(), {}, { by: ['city'] });
		const q = r.rows.find((x) => x.path === 'Economic > Quality')!;
		expect(q.rowPercent).toEqual([50, 0, 50]);
		expect(q.columnPercent).toEqual([50, 0, 100]);
		expect(q.totalPercent).toBe(40);
		const s = r.rows.find((x) => x.path === 'Social')!;
		expect(s.columnPercent).toEqual([0, 50, 0]);
		const p = r.rows.find((x) => x.path === 'Policy')!;
		expect(p.rowPercent.map((v) => Math.round(v * 10) / 10)).toEqual([66.7, 33.3, 0]);
	});

	it('counts segments: documents without a case fall into (missing)', () => {
		const r = crosstab(analysisSmall(), {}, { by: ['city'], count: 'segments' });
		// C: D1 D2 D3 = s01..s08; N: D4 = s09 s10 s11; (missing): D5 D6 = s12 s13 s14
		expect(r.columns.map((c) => [c.label, c.total])).toEqual([
			['C', 8],
			['N', 3],
			['(missing)', 3]
		]);
		expect(r.grandTotal).toBe(14);
		expect(cells(r)).toEqual({
			Economic: [6, 0, 2, 8],
			'Economic > Cost': [4, 0, 1, 5],
			'Economic > Quality': [1, 0, 1, 2],
			Policy: [2, 1, 0, 3],
			'Policy > Standards': [2, 1, 0, 3],
			'Policy > Standards > Discharge': [1, 1, 0, 2],
			Social: [0, 2, 1, 3]
		});
	});

	it('counts documents', () => {
		const r = crosstab(analysisSmall(), {}, { by: ['city'], count: 'documents' });
		expect(r.columns.map((c) => [c.label, c.total])).toEqual([
			['C', 3],
			['N', 1],
			['(missing)', 2]
		]);
		expect(cells(r)).toEqual({
			Economic: [3, 0, 2, 5],
			'Economic > Cost': [3, 0, 1, 4],
			'Economic > Quality': [1, 0, 1, 2],
			Policy: [2, 1, 0, 3],
			'Policy > Standards': [2, 1, 0, 3],
			'Policy > Standards > Discharge': [1, 1, 0, 2],
			Social: [0, 1, 1, 2]
		});
	});

	it('orders number values numerically, missing last', () => {
		const r = crosstab(analysisSmall(), {}, { by: ['wave'] });
		expect(r.columns.map((c) => [c.label, c.total])).toEqual([
			['1', 1],
			['2', 1],
			['(missing)', 3]
		]);
		expect(cells(r)['Policy > Standards']).toEqual([1, 1, 1, 3]);
	});

	it('shows no (missing) column when every case has a value', () => {
		const r = crosstab(analysisSmall(), { attributes: { city: ['C', 'N'] } }, { by: ['city'] });
		expect(r.columns.map((c) => c.label)).toEqual(['C', 'N']);
		expect(r.grandTotal).toBe(4);
	});

	it('applies the coder filter to cells but not to the column bases', () => {
		const r = crosstab(analysisSmall(), { coderIds: ['ben'] }, { by: ['city'] });
		expect(r.columns.map((c) => c.total)).toEqual([2, 2, 1]);
		expect(cells(r)['Economic > Cost']).toEqual([1, 0, 0, 1]);
		expect(cells(r).Social).toEqual([0, 1, 0, 1]);
	});
});

describe('crosstab with attributes that do not exist', () => {
	it('leaves unknown ids out instead of throwing', () => {
		const r = crosstab(analysisSmall(), {}, { by: ['gone', 'city'] });
		expect(r.by).toEqual([{ id: 'city', name: 'City', scope: 'case' }]);
		expect(r.columns.map((c) => c.label)).toEqual(['C', 'N', '(missing)']);
		const none = crosstab(analysisSmall(), {}, { by: ['gone'] });
		expect(none.columns).toEqual([]);
		expect(none.rows[0].cells).toEqual([]);
		expect(none.rows[0].total).toBe(0);
	});
});

describe('crosstab nested (City × Sector)', () => {
	it('has one column per value pair that occurs', () => {
		const r = crosstab(analysisSmall(), {}, { by: ['city', 'sector'] });
		// K1 C/Chemicals, K2 C/Textiles, K3 N/Chemicals, K5 N/(missing), K4 (missing)/Chemicals
		expect(r.columns.map((c) => [c.label, c.total])).toEqual([
			['C / Chemicals', 1],
			['C / Textiles', 1],
			['N / Chemicals', 1],
			['N / (missing)', 1],
			['(missing) / Chemicals', 1]
		]);
		expect(r.columns[3].values).toEqual(['N', null]);
		expect(cells(r)).toEqual({
			Economic: [1, 1, 0, 0, 1, 3],
			'Economic > Cost': [1, 1, 0, 0, 0, 2],
			'Economic > Quality': [1, 0, 0, 0, 1, 2],
			Policy: [1, 1, 1, 0, 0, 3],
			'Policy > Standards': [1, 1, 1, 0, 0, 3],
			'Policy > Standards > Discharge': [1, 0, 1, 0, 0, 2],
			Social: [0, 0, 1, 0, 0, 1]
		});
	});
});

describe('drill-down', () => {
	it('lists the segments behind a cross-tab cell', () => {
		const d = analysisSmall();
		const r = crosstab(d, {}, { by: ['city'] });
		const col = r.columns.find((c) => c.label === 'C')!;
		expect(crosstabCellSegments(d, {}, { by: ['city'] }, 'E', col.key).map((s) => s.id)).toEqual([
			's01',
			's02',
			's04',
			's05',
			's06',
			's07'
		]);
		const miss = r.columns.find((c) => c.label === '(missing)')!;
		expect(crosstabCellSegments(d, {}, { by: ['city'] }, 'E', miss.key).map((s) => s.id)).toEqual(['s12']);
		// With segments counted, the uncased D6 is in (missing) too.
		expect(
			crosstabCellSegments(d, {}, { by: ['city'], count: 'segments' }, 'E', miss.key).map((s) => s.id)
		).toEqual(['s12', 's13']);
	});

	it('lists the segments behind a frequency figure, per coder, with or without descendants', () => {
		const d = analysisSmall();
		expect(segmentsFor(d, {}, { codeId: 'P' }).map((s) => s.id)).toEqual(['s03', 's08', 's09']);
		expect(segmentsFor(d, {}, { codeId: 'P', includeDescendants: false })).toEqual([]);
		expect(segmentsFor(d, {}, { codeId: 'E1', coderId: 'ben' }).map((s) => s.id)).toEqual(['s05']);
		expect(segmentsFor(d, { attributes: { city: ['N'] } }, { codeId: 'S' }).map((s) => s.id)).toEqual(['s11', 's10']);
		// A matrix cell: case K1 (documents D1 and D2), code Economic with descendants.
		expect(segmentsFor(d, {}, { codeId: 'E', caseId: 'K1' }).map((s) => s.id)).toEqual(['s01', 's02', 's04', 's05']);
		expect(segmentsFor(d, {}, { codeId: 'E', caseId: 'nope' })).toEqual([]);
	});

	it('makes a table as shown, with a (total) row of column bases', () => {
		const t = crosstabTable(crosstab(analysisSmall(), {}, { by: ['city'] }));
		expect(t.header).toEqual(['code', 'C', 'N', '(missing)', 'total']);
		expect(t.rows[0]).toEqual(['Economic', 2, 0, 1, 3]);
		expect(t.rows.at(-1)).toEqual(['(total)', 2, 2, 1, 5]);
		const pc = crosstabTable(crosstab(analysisSmall(), {}, { by: ['city'] }), { show: 'columnPercent' });
		expect(pc.rows[2]).toEqual(['Economic > Quality', '50.0', '0.0', '100.0', '40.0']);
	});
});
