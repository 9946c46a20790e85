import { describe, expect, it } from 'vitest';
import { attributeValues, codeAndBelow, MISSING, retrieve } from './retrieval';
import type { Case, Code, GlossDocument, Segment } from './types';

const T = '';
const code = (id: string, parentId: string | null): Code => ({
	id, studyId: 's', parentId, name: id, definition: '', inclusion: '', exclusion: '', example: '', colour: '#000000', order: 0, createdAt: T, updatedAt: T
});
const cs = (id: string, city: string | null): Case => ({ id, studyId: 's', name: id, attributes: { city }, createdAt: T, updatedAt: T });
const doc = (id: string, caseId: string | null, text: string, order: number): GlossDocument => ({
	id, studyId: 's', name: id, text, caseId, order, createdAt: T, updatedAt: T
});
const seg = (id: string, documentId: string, codeId: string, coderId: string, start: number, end: number): Segment => ({
	id, studyId: 's', documentId, codeId, coderId, start, end, memo: '', createdAt: T, updatedAt: T
});

const data = {
	codes: [code('drivers', null), code('fines', 'drivers'), code('big-fines', 'fines'), code('other', null)],
	coders: [
		{ id: 'ann', studyId: 's', name: 'Ann', createdAt: T },
		{ id: 'bo', studyId: 's', name: 'Bo', createdAt: T }
	],
	cases: [cs('e1', 'City C'), cs('e2', 'City N'), cs('e3', null)],
	documents: [doc('d2', 'e2', 'Fines pushed us. Nothing else.', 1), doc('d1', 'e1', 'We feared fines from the EPB.', 0), doc('d3', 'e3', 'fines', 2)],
	segments: [
		seg('x1', 'd1', 'fines', 'ann', 10, 15),
		seg('x2', 'd2', 'big-fines', 'bo', 0, 5),
		seg('x3', 'd1', 'drivers', 'ann', 0, 2),
		seg('x4', 'd3', 'fines', 'ann', 0, 5),
		seg('x5', 'd1', 'other', 'ann', 0, 2)
	]
};

describe('retrieval', () => {
	it('collects a code with or without its sub-codes', () => {
		expect([...codeAndBelow(data.codes, 'drivers')].sort()).toEqual(['big-fines', 'drivers', 'fines']);
		expect(retrieve(data, { codeId: 'fines', withSubcodes: false }).map((r) => r.segment.id)).toEqual(['x1', 'x4']);
		expect(retrieve(data, { codeId: 'fines', withSubcodes: true }).map((r) => r.segment.id)).toEqual(['x1', 'x2', 'x4']);
	});
	it('gives document order, context, case and coder', () => {
		const r = retrieve(data, { codeId: 'drivers', withSubcodes: true });
		expect(r.map((x) => x.segment.id)).toEqual(['x3', 'x1', 'x2', 'x4']);
		expect(r[1].context.match).toBe('fines');
		expect(r[1].context.before).toBe('We feared ');
		expect(r[1].case?.id).toBe('e1');
		expect(r[2].coder?.name).toBe('Bo');
	});
	it('filters by attribute value, including (missing)', () => {
		const byCity = (vals: string[]) =>
			retrieve(data, { codeId: 'drivers', withSubcodes: true, attributes: { city: vals } }).map((r) => r.segment.id);
		expect(byCity(['City C'])).toEqual(['x3', 'x1']);
		expect(byCity(['City N', MISSING])).toEqual(['x2', 'x4']);
		expect(byCity([])).toHaveLength(4);
	});
	it('filters by document and coder', () => {
		expect(retrieve(data, { codeId: 'drivers', withSubcodes: true, documentIds: ['d2'] }).map((r) => r.segment.id)).toEqual(['x2']);
		expect(retrieve(data, { codeId: 'drivers', withSubcodes: true, coderIds: ['bo'] }).map((r) => r.segment.id)).toEqual(['x2']);
	});
	it('lists attribute values with (missing) last', () => {
		expect(attributeValues(data.cases, 'city')).toEqual(['City C', 'City N', MISSING]);
	});
});
