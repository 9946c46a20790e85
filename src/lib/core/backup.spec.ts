import { describe, expect, it } from 'vitest';
import { backupToJson, parseBackup, toBackup } from './backup';
import type { StudyData } from './types';
import { sampleStudy, T } from '../../../tests/fixtures/sample-study';

const withStudyId = (d: StudyData, id: string): StudyData => ({
	study: { ...d.study, id },
	coders: d.coders.map((r) => ({ ...r, studyId: id })),
	attributes: d.attributes.map((r) => ({ ...r, studyId: id })),
	cases: d.cases.map((r) => ({ ...r, studyId: id })),
	documents: d.documents.map((r) => ({ ...r, studyId: id })),
	codes: d.codes.map((r) => ({ ...r, studyId: id })),
	segments: d.segments.map((r) => ({ ...r, studyId: id })),
	memos: d.memos.map((r) => ({ ...r, studyId: id }))
});

describe('backup round trip', () => {
	it('restores a study identical to the original but for the new study id', () => {
		const data = sampleStudy();
		const json = backupToJson(data, T);
		const back = parseBackup(json, 's2');
		expect(back).toEqual({ ok: true, value: withStudyId(data, 's2') });
		if (back.ok) expect(backupToJson(withStudyId(back.value, 's1'), T)).toBe(json);
	});

	it('restores a version 1 file (attributes keyed by name, segment notes)', () => {
		const v2 = toBackup(sampleStudy(), T) as unknown as Record<string, unknown>;
		const v1 = {
			...v2,
			version: 1,
			cases: [{ id: 'c1', name: 'E01', attributes: { City: 'C' }, createdAt: T, updatedAt: T }],
			segments: [{ id: 'x1', documentId: 'd1', codeId: 'g2', coderId: 'k1', start: 3, end: 5, note: 'cost', createdAt: T, updatedAt: T }],
			memos: undefined
		};
		const back = parseBackup(JSON.stringify(v1), 's3');
		expect(back.ok).toBe(true);
		if (back.ok) {
			expect(back.value.cases[0].attributes).toEqual({ a1: 'C' });
			expect(back.value.segments[0].memo).toBe('cost');
			expect(back.value.memos).toEqual([]);
		}
	});
});

describe('bad backups', () => {
	const bad = (text: string) => {
		const r = parseBackup(text, 'new', 'x.gloss.json');
		return r.ok ? [] : r.errors;
	};
	it('names the file for empty, malformed and foreign files', () => {
		expect(bad('')).toEqual(['x.gloss.json: the file is empty']);
		expect(bad('{"format": ')[0]).toMatch(/^x\.gloss\.json: not valid JSON/);
		expect(bad('[1,2]')).toEqual(['x.gloss.json: not a Gloss backup (expected a JSON object)']);
		expect(bad('{"format":"nvivo"}')).toEqual(['x.gloss.json: format: expected "gloss-study", found "nvivo"']);
	});
	it('refuses an unknown version', () => {
		const j = { ...toBackup(sampleStudy(), T), version: 99 };
		expect(bad(JSON.stringify(j))).toEqual(['x.gloss.json: version: this Gloss reads backup versions 1 to 2, found 99']);
	});
	it('reports every broken reference and field with its path', () => {
		const j = toBackup(sampleStudy(), T) as unknown as { [k: string]: Record<string, unknown>[] };
		j.segments[0].end = 999;
		j.segments[0].codeId = 'nope';
		j.codes[1].colour = 'red';
		delete j.documents[0].name;
		j.codes[0].parentId = 'g2';
		expect(bad(JSON.stringify(j))).toEqual([
			'x.gloss.json: documents[0].name: missing',
			'x.gloss.json: codes[1].colour: must be #rrggbb, found "red"',
			'x.gloss.json: codes[0].parentId: the code is its own ancestor',
			'x.gloss.json: codes[1].parentId: the code is its own ancestor',
			'x.gloss.json: segments[0].codeId: no code has id "nope"',
			'x.gloss.json: segments[0].end: 999 is past the end of the document (20)'
		]);
	});
	it('refuses text that is not normalised, since offsets count over normalised text', () => {
		const j = toBackup(sampleStudy(), T) as unknown as { [k: string]: Record<string, unknown>[] };
		j.documents[0].text = 'a\r\nb';
		expect(bad(JSON.stringify(j))).toContain('x.gloss.json: documents[0].text: not normalised (CR line endings or not NFC)');
	});
});
