import { describe, expect, it } from 'vitest';
import { analysisSmall } from '../../../tests/fixtures/analysis-small';
import { crosstab } from './analysis/crosstab';
import { frequencies } from './analysis/frequencies';
import { crosstabTable, frequencyTable } from './analysis/tables';
import { parseCsv, toCsv } from './csv';
import { attributesCsv, documentAttributesCsv, matrixCsv, segmentsCsv, segmentsHeader, segmentsRows, tableCsv } from './exports';

function read(csv: string) {
	const r = parseCsv(csv);
	if (!r.ok) throw new Error(r.errors.join('\n'));
	return r.value;
}

describe('segmentsCsv', () => {
	it('has the documented columns, attributes in attribute order', () => {
		const d = analysisSmall();
		expect(segmentsHeader(d)).toEqual([
			'study',
			'document',
			'case',
			'City',
			'Sector',
			'Wave',
			'code_id',
			'code',
			'coder',
			'start',
			'end',
			'text',
			'memo',
			'created',
			'updated'
		]);
		const { header, rows } = read(segmentsCsv(d));
		expect(header).toEqual(segmentsHeader(d));
		expect(rows).toHaveLength(14);
	});

	it('gives document attributes after the case attributes, one column each, in both writers', () => {
		const d = analysisSmall();
		d.attributes.push(
			{ id: 'dw', studyId: d.study.id, name: 'Interview wave', type: 'category', order: 9, scope: 'document' },
			{ id: 'dl', studyId: d.study.id, name: 'Language', type: 'category', order: 10, scope: 'document' }
		);
		const d1 = d.documents.find((x) => x.name === 'Interview 1a')!;
		d1.attributes = { dw: '2004', dl: 'zh' };
		const header = segmentsHeader(d);
		expect(header.slice(3, 8)).toEqual(['City', 'Sector', 'Wave', 'Interview wave', 'Language']);
		const { header: h, rows } = read(segmentsCsv(d));
		expect(h).toEqual(header);
		const iw = header.indexOf('Interview wave');
		const ofD1 = rows.filter((r) => r[1] === 'Interview 1a');
		expect(ofD1.length).toBeGreaterThan(0);
		expect(ofD1.every((r) => r[iw] === '2004' && r[iw + 1] === 'zh')).toBe(true);
		expect(rows.filter((r) => r[1] === 'Interview 2').every((r) => r[iw] === '' && r[iw + 1] === '')).toBe(true);
		expect(segmentsRows(d).filter((r) => r[1] === 'Interview 1a').every((r) => r[iw] === '2004' && r[iw + 1] === 'zh')).toBe(true);
		// the case attributes export keeps to case attributes
		expect(read(attributesCsv(d)).header).toEqual(['case', 'City', 'Sector', 'Wave']);
		const docCsv = read(documentAttributesCsv(d));
		expect(docCsv.header).toEqual(['document', 'Interview wave', 'Language']);
		expect(docCsv.rows.find((r) => r[0] === 'Interview 1a')).toEqual(['Interview 1a', '2004', 'zh']);
		expect(docCsv.rows).toHaveLength(d.documents.length);
	});

	it('gives the page after end when a document has pages (a PDF), in both writers', () => {
		const d = analysisSmall();
		const doc = d.documents[0];
		const mid = doc.text.indexOf('\n') + 1;
		const paged = { ...d, documents: [{ ...doc, pages: [0, mid] }, ...d.documents.slice(1)] };
		const header = segmentsHeader(paged);
		expect(header.slice(header.indexOf('end'), header.indexOf('end') + 3)).toEqual(['end', 'page', 'text']);
		const { rows } = read(segmentsCsv(paged));
		const rowsDirect = segmentsRows(paged);
		const pageCol = header.indexOf('page');
		const startCol = header.indexOf('start');
		for (const [i, r] of rows.entries()) {
			const expected = r[1] === doc.name ? (Number(r[startCol]) >= mid ? '2' : '1') : '';
			expect(r[pageCol]).toBe(expected);
			expect(rowsDirect[i][pageCol] ?? '').toBe(expected === '' ? '' : Number(expected));
		}
		expect(segmentsHeader(d)).not.toContain('page');
	});

	it('writes one row per segment in document order with the passage text, RFC 4180 quoted', () => {
		const d = analysisSmall();
		const csv = segmentsCsv(d);
		expect(csv.startsWith('study,document,case,City,Sector,Wave,code_id,code,coder,start,end,text,memo,created,updated\r\n')).toBe(true);
		const { rows } = read(csv);
		expect(rows.map((r) => r[6])).toEqual(['E1', 'E2', 'P1a', 'E1', 'E1', 'E', 'E1', 'P1', 'S', 'P1a', 'S', 'E2', 'E1', 'S']);
		expect(rows[0]).toEqual([
			'Small analysis fixture',
			'Interview 1a',
			'K1',
			'C',
			'Chemicals',
			'1',
			'E1',
			'Economic > Cost',
			'Ana',
			'0',
			'10',
			'Costs, "qu',
			'line one\nline two, "quoted"',
			'2026-01-01T00:00:00.000Z',
			'2026-01-02T00:00:00.000Z'
		]);
		// The raw text: the quote is doubled inside a quoted field, the newline kept.
		expect(csv).toContain('"Costs, ""qu","line one\nline two, ""quoted"""');
		// A memo starting with = is neutralised.
		expect(rows[2][12]).toBe("'=cmd|' /C calc'!A0");
		expect(rows[2][7]).toBe('Policy > Standards > Discharge');
		// D4: s11 (0-5, Ben) before s09 (0-10) before s10 (8-20)
		expect(rows.slice(8, 11).map((r) => [r[6], r[8], r[9]])).toEqual([
			['S', 'Ben', '0'],
			['P1a', 'Ana', '0'],
			['S', 'Ana', '8']
		]);
		// D6 has no case: case and attribute cells are empty.
		expect(rows[12].slice(0, 6)).toEqual(['Small analysis fixture', 'Loose notes', '', '', '', '']);
		// K4 has no City, a Sector, no Wave.
		expect(rows[11].slice(2, 6)).toEqual(['K4', '', 'Chemicals', '']);
	});

	it('writes the same text as toCsv (papaparse) over segmentsRows', () => {
		const d = analysisSmall();
		expect(segmentsCsv(d)).toBe(toCsv(segmentsHeader(d), segmentsRows(d)));
		expect(segmentsCsv(d, { attributes: { city: ['N'] } }, { bom: true })).toBe(
			toCsv(segmentsHeader(d), segmentsRows(d, { attributes: { city: ['N'] } }), { bom: true })
		);
	});

	it('applies a filter and the BOM option', () => {
		const csv = segmentsCsv(analysisSmall(), { coderIds: ['ben'] }, { bom: true });
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		expect(read(csv).rows.map((r) => r[8])).toEqual(['Ben', 'Ben', 'Ben']);
	});
});

describe('matrixCsv', () => {
	it('is wide: case, attributes, one column per code path; counts or 0/1', () => {
		const d = analysisSmall();
		const counts = read(matrixCsv(d));
		expect(counts.header.slice(0, 5)).toEqual(['case', 'City', 'Sector', 'Wave', 'Economic']);
		expect(counts.rows[0]).toEqual(['K1', 'C', 'Chemicals', '1', '4', '3', '1', '1', '1', '1', '0']);
		const bin = read(matrixCsv(d, {}, { binary: true }));
		expect(bin.rows[0]).toEqual(['K1', 'C', 'Chemicals', '1', '1', '1', '1', '1', '1', '1', '0']);
		expect(bin.rows[4]).toEqual(['K5', 'N', '', '', '0', '0', '0', '0', '0', '0', '0']);
	});
});

describe('tableCsv', () => {
	it('writes a frequency table as shown', () => {
		const { header, rows } = read(tableCsv(frequencyTable(frequencies(analysisSmall()))));
		expect(header).toEqual(['code', 'segments', 'documents', 'cases', 'percent_cases']);
		expect(rows[0]).toEqual(['Economic', '8', '5', '3', '60.0']);
		expect(rows[6]).toEqual(['Social', '3', '2', '1', '20.0']);
	});

	it('writes per-coder columns on request', () => {
		const { header, rows } = read(tableCsv(frequencyTable(frequencies(analysisSmall()), { perCoder: true })));
		expect(header.slice(5)).toEqual([
			'segments [Ana]',
			'documents [Ana]',
			'cases [Ana]',
			'percent_cases [Ana]',
			'segments [Ben]',
			'documents [Ben]',
			'cases [Ben]',
			'percent_cases [Ben]'
		]);
		expect(rows[0].slice(5)).toEqual(['7', '5', '3', '60.0', '1', '1', '1', '20.0']);
	});

	it('writes a cross-tab with code first and total last', () => {
		const { header, rows } = read(tableCsv(crosstabTable(crosstab(analysisSmall(), {}, { by: ['city', 'sector'] }))));
		expect(header).toEqual(['code', 'C / Chemicals', 'C / Textiles', 'N / Chemicals', 'N / (missing)', '(missing) / Chemicals', 'total']);
		expect(rows.at(-1)).toEqual(['(total)', '1', '1', '1', '1', '1', '5']);
	});
});

describe('attributesCsv', () => {
	it('lists cases by name with one column per attribute', () => {
		const { header, rows } = read(attributesCsv(analysisSmall()));
		expect(header).toEqual(['case', 'City', 'Sector', 'Wave']);
		expect(rows).toEqual([
			['K1', 'C', 'Chemicals', '1'],
			['K2', 'C', 'Textiles', '2'],
			['K3', 'N', 'Chemicals', ''],
			['K4', '', 'Chemicals', ''],
			['K5', 'N', '', '']
		]);
	});
});
