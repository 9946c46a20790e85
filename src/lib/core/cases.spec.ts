import { describe, expect, it } from 'vitest';
import {
	SUGGESTED_ATTRIBUTES,
	attributeNameError,
	caseNameError,
	guessAttributeType,
	guessCaseColumn,
	isValidDate,
	matchCaseRows,
	parseAttributeValue,
	planAttributeImport,
	suggestMapping,
	type AttributeMapping
} from './cases';
import { parseCsv } from './csv';
import type { Attribute, Case } from './types';

const city: Attribute = { id: 'a-city', studyId: 's', name: 'City', type: 'category', order: 0 };
const wave: Attribute = { id: 'a-wave', studyId: 's', name: 'Wave', type: 'number', order: 1 };
const c01: Case = { id: 'c1', studyId: 's', name: 'Enterprise C01', attributes: { 'a-city': 'C' }, createdAt: 't', updatedAt: 't' };

function csv(text: string) {
	const r = parseCsv(text, 'cases.csv');
	if (!r.ok) throw new Error(r.errors.join('\n'));
	return r.value;
}

describe('suggested attributes', () => {
	it('puts the enterprise’s City, Sector, Size and Ownership on cases, the interview’s Wave, Date, Interviewer and Language on documents', () => {
		const at = (scope: string) => SUGGESTED_ATTRIBUTES.filter((a) => a.scope === scope).map((a) => a.name);
		expect(at('case')).toEqual(['City', 'Sector', 'Size', 'Ownership']);
		expect(at('document')).toEqual(['Wave', 'Date', 'Interviewer', 'Language']);
		expect(SUGGESTED_ATTRIBUTES.find((a) => a.name === 'Date')?.type).toBe('date');
	});
});

describe('attribute values', () => {
	it('reads numbers, dates and text, empty as no value', () => {
		expect(parseAttributeValue('number', ' 42 ')).toEqual({ ok: true, value: 42 });
		expect(parseAttributeValue('number', '-1.5')).toEqual({ ok: true, value: -1.5 });
		expect(parseAttributeValue('number', '')).toEqual({ ok: true, value: null });
		expect(parseAttributeValue('number', 'two')).toEqual({ ok: false, errors: '"two" is not a number' });
		expect(parseAttributeValue('number', '1,000').ok).toBe(false);
		expect(parseAttributeValue('date', '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
		expect(parseAttributeValue('date', '2023-02-29').ok).toBe(false);
		expect(parseAttributeValue('date', '31/03/2024')).toEqual({
			ok: false,
			errors: '"31/03/2024" is not a date (write it as YYYY-MM-DD, e.g. 2024-03-31)'
		});
		expect(parseAttributeValue('category', '  State-owned ')).toEqual({ ok: true, value: 'State-owned' });
		expect(isValidDate('2024-13-01')).toBe(false);
	});

	it('keeps attribute and case names unique ignoring case', () => {
		expect(attributeNameError([city], 'city')).toBe('Attribute name: "city" already exists');
		expect(attributeNameError([city], 'city', 'a-city')).toBeNull();
		expect(attributeNameError([city], ' ')).toBe('Attribute name: must not be empty');
		expect(caseNameError([c01], 'enterprise c01')).toBe('Case name: "enterprise c01" already exists');
	});

	it('guesses types and the case column', () => {
		expect(guessAttributeType(['1', '2', ''])).toBe('number');
		expect(guessAttributeType(['2024-01-01', '2023-05-06'])).toBe('date');
		expect(guessAttributeType(['C', 'N', 'C', 'S'])).toBe('category');
		// A stray value in a column of numbers or dates keeps the type, so the import reports it.
		expect(guessAttributeType(['120', 'eighty', '300'])).toBe('number');
		expect(guessAttributeType(['2024-03-12', '12/03/2024', '2024-03-20', ''])).toBe('date');
		expect(guessAttributeType(['1', 'x'])).toBe('category');
		expect(guessAttributeType(['2001-02', '2004', '2001-02', '2004', '2004'])).toBe('category');
		expect(guessAttributeType(['1', '2', 'Large', 'Small', '3'])).toBe('category');
		expect(guessAttributeType(Array.from({ length: 40 }, (_, i) => `A long free-text remark number ${i}`))).toBe('text');
		expect(guessCaseColumn(['City', 'Case name', 'Size'])).toBe(1);
		expect(guessCaseColumn(['x', 'y'])).toBe(0);
	});
});

describe('attribute CSV import plan', () => {
	const existing = { studyId: 's', attributes: [city, wave], cases: [c01] };

	it('maps existing attributes by name, creates new ones and new cases', () => {
		const file = csv('case,City,Wave,Sector\r\nenterprise c01,N,2,Chemicals\r\nEnterprise N07,N,1,Textiles\r\n');
		const mapping = suggestMapping(file, existing.attributes);
		expect(mapping.caseColumn).toBe(0);
		expect(mapping.targets).toEqual([
			{ kind: 'skip' },
			{ kind: 'existing', attributeId: 'a-city' },
			{ kind: 'existing', attributeId: 'a-wave' },
			{ kind: 'new', name: 'Sector', type: 'category' }
		]);
		const plan = planAttributeImport(file, mapping, existing, 'cases.csv', 'now');
		if (!plan.ok) throw new Error(plan.errors.join('\n'));
		const sector = plan.value.newAttributes[0];
		expect(sector).toMatchObject({ name: 'Sector', type: 'category', order: 2, studyId: 's' });
		expect(plan.value.updatedCases).toEqual([
			{ ...c01, attributes: { 'a-city': 'N', 'a-wave': 2, [sector.id]: 'Chemicals' }, updatedAt: 'now' }
		]);
		expect(plan.value.newCases).toHaveLength(1);
		expect(plan.value.newCases[0]).toMatchObject({ name: 'Enterprise N07', attributes: { 'a-city': 'N', 'a-wave': 1 } });
		expect(plan.value.valuesSet).toBe(6);
	});

	it('reports every bad row by number: duplicates, empty names, bad numbers, bad dates, ragged rows', () => {
		const file = {
			header: ['case', 'Wave', 'Visited'],
			rows: [
				['A', '1', '2024-01-01'],
				['a ', '2', ''],
				['', '3', ''],
				['B', 'two', '2024-02-30'],
				['C', '1']
			]
		};
		const mapping: AttributeMapping = {
			caseColumn: 0,
			targets: [{ kind: 'skip' }, { kind: 'existing', attributeId: 'a-wave' }, { kind: 'new', name: 'Visited', type: 'date' }],
			createMissingCases: true
		};
		const plan = planAttributeImport(file, mapping, existing, 'cases.csv');
		expect(plan).toEqual({
			ok: false,
			errors: [
				'cases.csv: row 3: the case "a" is already on row 2',
				'cases.csv: row 4: case: the case name is empty',
				'cases.csv: row 5: Wave: "two" is not a number (the attribute is a number)',
				'cases.csv: row 5: Visited: "2024-02-30" is not a date (write it as YYYY-MM-DD, e.g. 2024-03-31) (the attribute is a date)',
				'cases.csv: row 6: has 2 cells, the header has 3'
			]
		});
	});

	it('refuses a new attribute whose name is taken, and a file where no row matches a case', () => {
		const file = csv('case,city,City2\nZ,C,N\n');
		const plan = planAttributeImport(
			file,
			{
				caseColumn: 0,
				targets: [{ kind: 'skip' }, { kind: 'new', name: 'CITY', type: 'category' }, { kind: 'existing', attributeId: 'a-city' }],
				createMissingCases: false
			},
			existing,
			'x.csv'
		);
		expect(plan.ok).toBe(false);
		expect(!plan.ok && plan.errors).toEqual(['x.csv: column "city": Attribute name: "CITY" already exists']);
		const none = planAttributeImport(file, { caseColumn: 0, targets: [{ kind: 'skip' }, { kind: 'skip' }, { kind: 'skip' }], createMissingCases: false }, existing, 'x.csv');
		expect(!none.ok && none.errors).toEqual([
			'x.csv: no row matches a case of the study (the case names are in the column "case"); choose another case name column, or create the cases'
		]);
		const twice = planAttributeImport(
			file,
			{
				caseColumn: 0,
				targets: [{ kind: 'skip' }, { kind: 'existing', attributeId: 'a-city' }, { kind: 'existing', attributeId: 'a-city' }],
				createMissingCases: true
			},
			existing,
			'x.csv'
		);
		expect(!twice.ok && twice.errors).toEqual(['x.csv: columns "city" and "City2" both map to the attribute "City"']);
	});

	it('refuses a file with no rows', () => {
		const plan = planAttributeImport({ header: ['case'], rows: [] }, { caseColumn: 0, targets: [], createMissingCases: true }, existing, 'h.csv');
		expect(plan).toEqual({ ok: false, errors: ['h.csv: the file has a header but no rows'] });
	});
});

describe('matching rows to cases', () => {
	const mk = (id: string, name: string): Case => ({ id, studyId: 's', name, attributes: {}, createdAt: 't', updatedAt: 't' });
	const cases = [mk('t1', 'T01 Tannery'), mk('t12', 'T012 Textiles'), mk('t2a', 'T02 Dye works'), mk('t2b', 'T02-b Dye works'), mk('cn', '工厂A纺织'), mk('x', 'X03')];
	const file = csv('case,City\nt01,C\nT02,N\nT03,S\n工厂A,N\nx03,C\n,C\nT01 Tannery extra,C\n');

	it('matches whole names ignoring case, and by the start of a name only when asked', () => {
		expect(matchCaseRows(file, 0, cases).map((m) => m.kind)).toEqual(['none', 'none', 'none', 'none', 'exact', 'invalid', 'none']);
		expect(matchCaseRows(file, 0, cases, true)).toEqual([
			{ row: 2, name: 't01', kind: 'prefix', caseId: 't1', caseName: 'T01 Tannery' },
			{ row: 3, name: 'T02', kind: 'ambiguous', candidates: ['T02 Dye works', 'T02-b Dye works'] },
			{ row: 4, name: 'T03', kind: 'none' },
			// A letter right after the row's name is not a boundary, in any script.
			{ row: 5, name: '工厂A', kind: 'none' },
			{ row: 6, name: 'x03', kind: 'exact', caseId: 'x', caseName: 'X03' },
			{ row: 7, name: '', kind: 'invalid' },
			// The row's name must be the shorter one.
			{ row: 8, name: 'T01 Tannery extra', kind: 'none' }
		]);
	});

	it('never matches by its start a case that another row names in full', () => {
		const f = csv('case\nT01\nt01 tannery\n');
		expect(matchCaseRows(f, 0, cases, true).map((m) => m.kind)).toEqual(['none', 'exact']);
	});

	it('creates new cases only when the study has none, and skips unmatched rows otherwise', () => {
		expect(suggestMapping(file, [], []).createMissingCases).toBe(true);
		expect(suggestMapping(file, [], cases)).toMatchObject({ createMissingCases: false, matchPrefix: true });
		const f = csv('case,City\nT01,C\nT03,S\nx03,N\n');
		const mapping: AttributeMapping = { ...suggestMapping(f, [city], cases) };
		const plan = planAttributeImport(f, mapping, { studyId: 's', attributes: [city], cases }, 'c.csv', 'now');
		if (!plan.ok) throw new Error(plan.errors.join('\n'));
		expect(plan.value.updatedCases.map((c) => [c.name, c.attributes])).toEqual([
			['T01 Tannery', { 'a-city': 'C' }],
			['X03', { 'a-city': 'N' }]
		]);
		expect(plan.value.newCases).toEqual([]);
		expect(plan.value.skippedRows).toEqual([{ row: 3, name: 'T03' }]);
		expect(plan.value.valuesSet).toBe(2);
		const create = planAttributeImport(f, { ...mapping, createMissingCases: true, matchPrefix: false }, { studyId: 's', attributes: [city], cases }, 'c.csv');
		if (!create.ok) throw new Error(create.errors.join('\n'));
		expect(create.value.newCases.map((c) => c.name)).toEqual(['T01', 'T03']);
	});

	it('gives a case to one row only: a second row starting its name matches nothing, and says which row has it', () => {
		const f = csv('case\nA.\nA\n');
		const ab = [mk('ab', 'A. B')];
		expect(matchCaseRows(f, 0, ab, true)).toEqual([
			{ row: 2, name: 'A.', kind: 'prefix', caseId: 'ab', caseName: 'A. B' },
			{ row: 3, name: 'A', kind: 'none', takenBy: { row: 2, caseName: 'A. B' } }
		]);
		const plan = planAttributeImport(f, { caseColumn: 0, targets: [{ kind: 'skip' }], createMissingCases: false, matchPrefix: true }, { studyId: 's', attributes: [], cases: ab }, 'c.csv');
		expect(plan.ok && plan.value.skippedRows).toEqual([{ row: 3, name: 'A' }]);
	});

	it('does not guess when a name starts several cases, even if a row names one of them in full', () => {
		const f = csv('case\nEnterprise C01\nEnterprise\n');
		const two = [mk('c1', 'Enterprise C01'), mk('n7', 'Enterprise N07 访谈')];
		expect(matchCaseRows(f, 0, two, true)[1]).toEqual({
			row: 3,
			name: 'Enterprise',
			kind: 'ambiguous',
			candidates: ['Enterprise C01', 'Enterprise N07 访谈']
		});
	});
});

describe('document attributes from CSV, keyed by document name', () => {
	const docs = [
		{ id: 'd1', name: 'C03 2001 interview' },
		{ id: 'd2', name: 'C03 2004 follow-up', attributes: { 'a-lang': 'zh' } }
	];
	const lang: Attribute = { id: 'a-lang', studyId: 's', name: 'Language', type: 'category', order: 2, scope: 'document' };
	it('suggests the document column, maps only document attributes, and never creates documents', () => {
		const f = csv('Document,Wave,Language,City\nC03 2001 interview,2001,zh,C\nC03 2004 follow-up,2004,en,C\nNo such interview,2004,,\n');
		const m = suggestMapping(f, [city, lang], docs, 'document');
		expect(m.caseColumn).toBe(0);
		expect(m.createMissingCases).toBe(false);
		// City is a case attribute: a document attribute cannot take its name, so the column is left out
		expect(m.targets).toEqual([
			{ kind: 'skip' },
			{ kind: 'new', name: 'Wave', type: 'number' },
			{ kind: 'existing', attributeId: 'a-lang' },
			{ kind: 'skip' }
		]);
		const plan = planAttributeImport(f, { ...m, targets: [m.targets[0], { kind: 'new', name: 'Interview wave', type: 'category' }, m.targets[2], { kind: 'skip' }], createMissingCases: true }, { studyId: 's', attributes: [city, lang], cases: docs, scope: 'document' }, 'docs.csv', 'now');
		expect(plan.ok).toBe(true);
		if (!plan.ok) return;
		expect(plan.value.newCases).toEqual([]);
		expect(plan.value.skippedRows).toEqual([{ row: 4, name: 'No such interview' }]);
		expect(plan.value.newAttributes.map((a) => [a.name, a.scope])).toEqual([['Interview wave', 'document']]);
		const w = plan.value.newAttributes[0].id;
		expect(plan.value.updatedCases.map((d) => [d.id, d.attributes])).toEqual([
			['d1', { [w]: '2001', 'a-lang': 'zh' }],
			['d2', { [w]: '2004', 'a-lang': 'en' }]
		]);
	});
	it('refuses a column mapped to a case attribute, and a bad row, writing nothing', () => {
		const f = csv('document,City\nC03 2001 interview,C\n');
		const r = planAttributeImport(f, { caseColumn: 0, targets: [{ kind: 'skip' }, { kind: 'existing', attributeId: 'a-city' }], createMissingCases: false }, { studyId: 's', attributes: [city], cases: docs, scope: 'document' }, 'docs.csv');
		expect(r).toEqual({ ok: false, errors: ['docs.csv: column "City": "City" is a case attribute, not a document attribute'] });
		const dup = planAttributeImport(csv('document,Language\nC03 2001 interview,zh\nc03 2001 interview,en\n'), { caseColumn: 0, targets: [{ kind: 'skip' }, { kind: 'existing', attributeId: 'a-lang' }], createMissingCases: false }, { studyId: 's', attributes: [lang], cases: docs, scope: 'document' }, 'docs.csv');
		expect(dup).toEqual({ ok: false, errors: ['docs.csv: row 3: the document "c03 2001 interview" is already on row 2'] });
	});
});
