/**
 * CSV injection: every CSV Gloss writes (coded segments, code × case matrix, frequencies,
 * cross-tab, co-occurrence, codebook, attributes, agreement) from a study whose code names,
 * attribute names and values, case, coder and document names start with `=`, `+`, `-`, `@`, a
 * tab or a CR. Every cell, headers included, must be neutralised (a leading apostrophe), while a
 * number column's -2 stays the number -2.
 */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { agreementCsv, agreementReport } from './agreement/report';
import { cooccurrence } from './analysis/cooccurrence';
import { crosstab } from './analysis/crosstab';
import { frequencies } from './analysis/frequencies';
import { cooccurrenceTable, crosstabTable, frequencyTable } from './analysis/tables';
import { codebookCsv } from './codebook';
import { attributesCsv, matrixCsv, segmentsCsv, tableCsv } from './exports';
import type { Code, Segment, StudyData } from './types';

const T = '2026-01-01T00:00:00.000Z';
const S = 'study';
/** One payload per dangerous first character. */
const PAYLOADS = ['=HYPERLINK("http://x","y")', '+1+cmd|/C calc', '-2+3', '@SUM(A1:A2)', '\tTabbed', '\rCarriage'];

function hostileStudy(): StudyData {
	const text = 'Interviewer: Why?\nManager: Because the bureau asked, and it saved money.';
	const base = { studyId: S, createdAt: T, updatedAt: T };
	const codes: Code[] = PAYLOADS.map((p, i) => ({
		...base,
		id: `code${i}`,
		parentId: i === 0 ? null : 'code0',
		name: p,
		definition: p,
		inclusion: p,
		exclusion: p,
		example: p,
		colour: '#e69f00',
		order: i,
		favourite: null
	}));
	const segments: Segment[] = [];
	PAYLOADS.forEach((p, i) =>
		['coderA', 'coderB'].forEach((coderId, k) =>
			segments.push({ ...base, id: `s${i}-${k}`, documentId: `doc${i % 2}`, codeId: `code${i}`, coderId, start: i, end: 20 + i + k, memo: p })
		)
	);
	return {
		study: { id: S, name: 'Injection', description: '', createdAt: T, updatedAt: T },
		coders: [
			{ id: 'coderA', studyId: S, name: '=coder A', createdAt: T },
			{ id: 'coderB', studyId: S, name: '@coder B', createdAt: T }
		],
		attributes: [
			{ id: 'attrCat', studyId: S, name: '=City', type: 'category', order: 0 },
			{ id: 'attrNum', studyId: S, name: '-Employees', type: 'number', order: 1 },
			{ id: 'attrText', studyId: S, name: '+Notes', type: 'text', order: 2 }
		],
		cases: [
			{ ...base, id: 'case0', name: '=Case one', attributes: { attrCat: '=Nanjing', attrNum: -2, attrText: '@note' } },
			{ ...base, id: 'case1', name: '\tCase two', attributes: { attrCat: '+Wuxi', attrNum: 7, attrText: '-dash' } }
		],
		documents: [
			{ ...base, id: 'doc0', name: '=Doc one', text, caseId: 'case0', order: 0 },
			{ ...base, id: 'doc1', name: '\rDoc two', text, caseId: 'case1', order: 1 }
		],
		codes,
		segments,
		memos: []
	};
}

const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?(e-?\d+)?$/;

function cells(csv: string): string[][] {
	const r = Papa.parse<string[]>(csv.replace(/^\ufeff/, ''), { skipEmptyLines: true });
	expect(r.errors).toEqual([]);
	return r.data;
}

const data = hostileStudy();
const exportsOf: [string, () => string][] = [
	['coded segments', () => segmentsCsv(data, {}, { bom: true })],
	['code × case matrix', () => matrixCsv(data)],
	['frequencies', () => tableCsv(frequencyTable(frequencies(data)))],
	['cross-tab by a category', () => tableCsv(crosstabTable(crosstab(data, {}, { by: ['attrCat'] })))],
	['cross-tab by two attributes', () => tableCsv(crosstabTable(crosstab(data, {}, { by: ['attrCat', 'attrText'] })))],
	['co-occurrence', () => tableCsv(cooccurrenceTable(cooccurrence(data)))],
	['codebook', () => codebookCsv(data.codes)],
	['attributes', () => attributesCsv(data)],
	['agreement', () => agreementCsv(agreementReport(data, { coderIds: ['coderA', 'coderB'], unit: 'segment' }).rows)],
	['agreement per document', () => agreementCsv(agreementReport(data, { coderIds: ['coderA', 'coderB'], unit: 'character', byDocument: true }).documentRows, { withDocument: true })]
];

describe('CSV injection: every export neutralises every cell and header', () => {
	for (const [name, make] of exportsOf)
		it(`${name}: no cell starts with = + - @ tab or CR unless it is a number`, () => {
			const rows = cells(make());
			expect(rows.length).toBeGreaterThan(1);
			const bad = rows.flatMap((r, i) => r.filter((c) => FORMULA.test(c) && !NUMBER.test(c)).map((c) => `row ${i + 1}: ${JSON.stringify(c)}`));
			expect(bad).toEqual([]);
			// Not vacuous: the hostile names reached this file, neutralised.
			expect(rows.flat().some((c) => /^'[=+\-@\t\r]/.test(c) || / > '?[=+\-@\t\r]/.test(c))).toBe(true);
		});

	it('the header of the attributes and matrix CSVs holds the attribute and code names neutralised', () => {
		expect(cells(attributesCsv(data))[0]).toEqual(['case', "'=City", "'-Employees", "'+Notes"]);
		const matrixHeader = cells(matrixCsv(data))[0];
		expect(matrixHeader.slice(0, 4)).toEqual(['case', "'=City", "'-Employees", "'+Notes"]);
		expect(matrixHeader).toContain(`'${PAYLOADS[0]}`);
		for (const h of matrixHeader) expect(FORMULA.test(h), h).toBe(false);
	});

	it('a number attribute’s -2 stays the number -2; a text value "-dash" does not', () => {
		const rows = cells(attributesCsv(data));
		const col = rows[0].indexOf("'-Employees");
		const one = rows.find((r) => r[0] === "'=Case one") as string[];
		expect(one[col]).toBe('-2');
		expect(Number(one[col])).toBe(-2);
		const two = rows.find((r) => r[0] === "'\tCase two") as string[];
		expect(two[rows[0].indexOf("'+Notes")]).toBe("'-dash");
		const matrix = cells(matrixCsv(data));
		expect((matrix.find((r) => r[0] === "'=Case one") as string[])[matrix[0].indexOf("'-Employees")]).toBe('-2');
	});

	it('coded segments: names, coders, memos and cited text are neutralised; offsets stay numbers', () => {
		const rows = cells(segmentsCsv(data));
		const h = rows[0];
		const seg = rows.find((r) => r[h.indexOf('memo')] === `'${PAYLOADS[2]}`) as string[];
		expect(seg).toBeDefined();
		expect(seg[h.indexOf('coder')]).toMatch(/^'[=@]coder/);
		expect(seg[h.indexOf('start')]).toBe('2');
		expect(h.some((x) => x === "'=City")).toBe(true);
	});
});
