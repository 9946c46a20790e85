import { describe, expect, it } from 'vitest';
import { backupToJson, parseBackup, parseBackupReport, toBackup } from './backup';
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

describe('document attributes (version 3)', () => {
	const withWave = (): StudyData => {
		const data = sampleStudy();
		data.attributes.push({ id: 'a-wave', studyId: 's1', name: 'Wave', type: 'category', order: 1, scope: 'document' });
		data.documents[0] = { ...data.documents[0], attributes: { 'a-wave': '2004' } };
		return data;
	};
	it('writes version 3 with attribute scopes and document values, and reads them back unchanged', () => {
		const data = withWave();
		const json = backupToJson(data, T);
		const file = JSON.parse(json);
		expect(file.version).toBe(3);
		expect(file.attributes.find((a: { id: string }) => a.id === 'a-wave').scope).toBe('document');
		expect(file.attributes.find((a: { id: string }) => a.id === 'a1').scope).toBeUndefined();
		expect(file.documents[0].attributes).toEqual({ 'a-wave': '2004' });
		const back = parseBackup(json, 's2');
		expect(back).toEqual({ ok: true, value: withStudyId(data, 's2') });
	});
	it('restores a version 2 file unchanged: every attribute a case attribute, no document values', () => {
		const v3 = toBackup(sampleStudy(), T) as unknown as Record<string, unknown>;
		const back = parseBackup(JSON.stringify({ ...v3, version: 2 }), 's2');
		expect(back).toEqual({ ok: true, value: withStudyId(sampleStudy(), 's2') });
		if (back.ok) {
			expect(back.value.attributes.every((a) => a.scope === undefined)).toBe(true);
			expect(back.value.documents.every((d) => d.attributes === undefined)).toBe(true);
		}
	});
	it('a bad scope leaves the attribute out; a bad document value costs the document its values, never its text', () => {
		const file = JSON.parse(backupToJson(withWave(), T));
		file.attributes[1].scope = 'interview';
		file.documents[0].attributes = { 'a-wave': { year: 2004 } };
		const r = parseBackupReport(JSON.stringify(file), 's2');
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.value.data.attributes.map((a) => a.id)).toEqual(['a1']);
		expect(r.value.data.documents[0].text).toBe(sampleStudy().documents[0].text);
		expect(r.value.data.documents[0].attributes).toBeUndefined();
		const text = r.value.repairs.map((x) => x.message).join('\n');
		expect(text).toMatch(/attributes\[1\].*scope: must be case or document/);
		expect(text).toMatch(/documents\[0\]\.attributes\.a-wave: must be text, a number or null; the document's attribute values were left out/);
	});
	it('a value on the wrong kind of row is left out and reported', () => {
		const data = withWave();
		data.cases[0] = { ...data.cases[0], attributes: { a1: 'C', 'a-wave': '2001' } };
		data.documents[0] = { ...data.documents[0], attributes: { 'a-wave': '2004', a1: 'S' } };
		const r = parseBackupReport(backupToJson(data, T), 's2');
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.value.data.cases[0].attributes).toEqual({ a1: 'C' });
		expect(r.value.data.documents[0].attributes).toEqual({ 'a-wave': '2004' });
		expect(r.value.repairs.map((x) => x.message)).toEqual([
			'case "E01": a value for the document attribute "Wave", which a case cannot have, was left out',
			'document "' + data.documents[0].name + '": a value for the case attribute "City", which a document cannot have, was left out'
		]);
	});
});

describe('timed documents in backups', () => {
	it('keep their paragraph times, and refuse marks that are not at line starts or not times', () => {
		const data = sampleStudy();
		const d = data.documents[0];
		const second = d.text.indexOf('\n') + 1;
		data.documents[0] = { ...d, times: [{ offset: 0, seconds: 0 }, { offset: second, seconds: 12.5 }] };
		const back = parseBackup(backupToJson(data, T), 's2');
		expect(back.ok && back.value.documents[0].times).toEqual([{ offset: 0, seconds: 0 }, { offset: second, seconds: 12.5 }]);
		const bad = JSON.parse(backupToJson(data, T));
		bad.documents[0].times = [{ offset: 1, seconds: -3 }];
		const r = parseBackupReport(JSON.stringify(bad), 's2');
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.value.data.documents[0].times).toBeUndefined();
		expect(r.value.data.documents[0].text).toBe(d.text);
		const text = r.value.repairs.map((x) => x.message).join('\n');
		expect(text).toMatch(/documents\[0\]\.times\[0\]\.offset: must be the start of a line/);
		expect(text).toMatch(/documents\[0\]\.times\[0\]\.seconds: must be a number of seconds/);
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
		expect(bad(JSON.stringify(j))).toEqual(['x.gloss.json: version: this Gloss reads backup versions 1 to 3, found 99']);
	});
	it('refuses a file whose tables are not lists or whose study is missing', () => {
		expect(bad('{"format":"gloss-study","version":2}')[0]).toBe('x.gloss.json: study: missing');
		const j = { ...toBackup(sampleStudy(), T), segments: 'many' };
		expect(bad(JSON.stringify(j))).toEqual(['x.gloss.json: segments: must be a list, found string "many"']);
	});
});

describe('restore with repairs', () => {
	type Raw = { [k: string]: Record<string, unknown>[] };
	const read = (j: unknown) => {
		let n = 0;
		const r = parseBackupReport(JSON.stringify(j), 'new', 'x.gloss.json', { newId: () => `new${++n}`, now: T });
		if (!r.ok) throw new Error(r.errors.join('\n'));
		return r.value;
	};
	it('leaves out a record with a broken field, and repairs broken references, naming each record', () => {
		const j = toBackup(sampleStudy(), T) as unknown as Raw;
		j.segments[0].end = 999;
		j.segments[0].codeId = 'nope';
		j.codes[1].colour = 'red';
		j.codes[0].parentId = 'g1';
		const { data, repairs } = read(j);
		expect(repairs.map((r) => r.message)).toEqual([
			'codes[1] (id "g2"): colour: must be #rrggbb, found "red"; left out',
			'code "Economic": it was its own ancestor; it is now a top-level code',
			'segment "x1" (document "E01 interview", 3–999): its code "nope" does not exist; it is now under "(unknown code)"',
			'segment "x1" (document "E01 interview", 3–999): it ran past the end of the document (20 characters); it now ends there (3–20)'
		]);
		expect(data.codes.map((c) => [c.id, c.name, c.parentId])).toEqual([
			['g1', 'Economic', null],
			['new1', '(unknown code)', null]
		]);
		expect(data.segments[0]).toMatchObject({ id: 'x1', codeId: 'new1', start: 3, end: 20 });
	});
	it('an orphan segment (its code deleted) goes under "(unknown code)", so the passage is kept', () => {
		const j = toBackup(sampleStudy(), T) as unknown as Raw;
		j.segments.push({ ...j.segments[0], id: 'x2', codeId: 'code-savings', start: 0, end: 2 });
		j.segments.push({ ...j.segments[0], id: 'x3', codeId: 'code-savings', start: 6, end: 8 });
		const { data, repairs } = read(j);
		const unknown = data.codes.filter((c) => c.name === '(unknown code)');
		expect(unknown).toHaveLength(1);
		expect(data.segments.filter((s) => s.codeId === unknown[0].id).map((s) => s.id)).toEqual(['x2', 'x3']);
		expect(repairs).toHaveLength(2);
		expect(repairs[0]).toMatchObject({ table: 'segments', id: 'x2' });
		expect(repairs[0].message).toContain('its code "code-savings" does not exist');
		// a second pass finds nothing to repair
		expect(read(toBackup(data, T)).repairs).toEqual([]);
	});
	it('a memo on a deleted code becomes a study memo, keeping its text', () => {
		const j = toBackup(sampleStudy(), T) as unknown as Raw;
		j.memos.push({ id: 'm2', targetType: 'code', targetId: 'gone', title: 'Why', text: 'keep me', coderId: 'k9', createdAt: T, updatedAt: T });
		const { data, repairs } = read(j);
		expect(data.memos.find((m) => m.id === 'm2')).toMatchObject({ targetType: 'study', targetId: null, text: 'keep me', coderId: null, title: 'Why (was on the code "gone")' });
		expect(repairs.map((r) => r.message)).toEqual([
			'memo "m2" ("Why"): the code "gone" it was written on does not exist; it is now a study memo',
			'memo "m2" ("Why"): its coder "k9" does not exist; the memo keeps no coder'
		]);
	});
	it('a duplicate id: the first record is kept; a different passage under the same id gets a new id', () => {
		const j = toBackup(sampleStudy(), T) as unknown as Raw;
		j.codes.push({ ...j.codes[1], name: 'Copy' });
		j.segments.push({ ...j.segments[0] }, { ...j.segments[0], start: 0, end: 1 });
		const { data, repairs } = read(j);
		expect(data.codes.map((c) => c.name)).toEqual(['Economic', 'Cost']);
		expect(data.segments.map((s) => [s.id, s.start, s.end])).toEqual([
			['x1', 3, 5],
			['new1', 0, 1]
		]);
		expect(repairs.map((r) => r.message)).toEqual([
			'code "Copy": another record already has id "g2"; this one was left out',
			'segment "x1" (document "E01 interview", 3–5): a copy of another segment with the same id; left out',
			'segment "x1" (document "E01 interview", 0–1): another segment already has this id; it was given the id "new1"'
		]);
	});
	it('an offset past the end is cut at the end; a passage wholly past the end is left out; end before start is turned round', () => {
		const j = toBackup(sampleStudy(), T) as unknown as Raw;
		j.segments[0].end = 25;
		j.segments.push({ ...j.segments[0], id: 'x2', start: 30, end: 40 }, { ...j.segments[0], id: 'x3', start: 9, end: 4 });
		const { data, repairs } = read(j);
		expect(data.segments.map((s) => [s.id, s.start, s.end])).toEqual([
			['x1', 3, 20],
			['x3', 4, 9]
		]);
		expect(repairs).toHaveLength(3);
		expect(repairs[1].message).toContain('lies wholly past the end');
	});
	it('ids such as __proto__ are harmless, and a chain of 20,000 codes is read without recursion', () => {
		const j = toBackup(sampleStudy(), T) as unknown as Raw;
		j.attributes.push({ id: '__proto__', name: 'Proto', type: 'text', order: 1 });
		j.cases[0].attributes = JSON.parse('{"a1":"C","__proto__":"x","constructor":"y"}');
		j.cases.push({ ...j.cases[0], id: 'k2', name: 'K2', attributes: {} });
		const chain = Array.from({ length: 20000 }, (_, i) => ({ ...j.codes[1], id: `c${i}`, name: `C${i}`, parentId: i === 0 ? 'c19999' : `c${i - 1}` }));
		j.codes.push(...chain);
		const { data, repairs } = read(j);
		// no prototype at all: a case without a value for "__proto__" reads undefined there
		expect(Object.getPrototypeOf(data.cases[0].attributes)).toBe(null);
		expect(Object.keys(data.cases[0].attributes)).toEqual(['a1', '__proto__']);
		const other = data.cases.find((c) => !Object.keys(c.attributes).includes('__proto__'));
		expect(other?.attributes['__proto__']).toBeUndefined();
		const messages = repairs.map((r) => r.message);
		expect(messages.slice(0, 2)).toEqual([
			'case "E01": a value for attribute id "constructor", which does not exist, was left out',
			'code "C1": it was its own ancestor; it is now a top-level code'
		]);
		// the chain is cut into trees of at most 12 levels
		expect(messages.slice(2).every((m) => m.endsWith('nested more than 12 levels deep; it is now a top-level code'))).toBe(true);
		expect(messages).toHaveLength(2 + Math.floor(19999 / 12));
		expect(data.codes).toHaveLength(20002);
	});
	it('refuses text that is not normalised, since offsets count over normalised text', () => {
		const j = toBackup(sampleStudy(), T) as unknown as { [k: string]: Record<string, unknown>[] };
		j.documents[0].text = 'a\r\nb';
		const r = parseBackup(JSON.stringify(j), 'new', 'x.gloss.json');
		expect(r.ok ? [] : r.errors).toContain('x.gloss.json: documents[0].text: not normalised (CR line endings or not NFC)');
	});
});

describe('memos on a passage (start/end on a document memo)', () => {
	const withMemos = (extra: Record<string, unknown>[]) => {
		const data = sampleStudy();
		const doc = data.documents[0];
		const raw = toBackup(data, T) as unknown as { memos: Record<string, unknown>[] };
		raw.memos = [...raw.memos, ...extra.map((m, i) => ({ id: `pm${i}`, targetType: 'document', targetId: doc.id, title: '', text: 'x', coderId: null, createdAt: T, updatedAt: T, ...m }))];
		return { doc, text: JSON.stringify(raw) };
	};

	it('keeps the passage through backup and restore', () => {
		const { doc, text } = withMemos([{ start: 2, end: 5 }]);
		const r = parseBackupReport(text, 's2');
		if (!r.ok) throw new Error(r.errors.join('\n'));
		expect(r.value.repairs).toEqual([]);
		const m = r.value.data.memos.find((x) => x.id === 'pm0');
		expect([m?.start, m?.end]).toEqual([2, 5]);
		expect(doc.text.length).toBeGreaterThan(5);
		const again = parseBackup(backupToJson(r.value.data, T), 's3');
		expect(again.ok && again.value.memos.find((x) => x.id === 'pm0')).toMatchObject({ start: 2, end: 5 });
	});

	it('refuses a passage that is not inside the text, that ends before it starts, or is half given, saying which memo', () => {
		const { doc, text } = withMemos([
			{ start: 0, end: 10_000_000 },
			{ start: 4, end: 2 },
			{ start: 3 },
			{ start: -1, end: 2 },
			{ start: '1', end: 2 },
			{ start: 1, end: 2, targetType: 'study', targetId: null }
		]);
		const r = parseBackupReport(text, 's2', 'b.gloss.json');
		if (!r.ok) throw new Error(r.errors.join('\n'));
		const msgs = r.value.repairs.map((x) => x.message);
		expect(msgs).toEqual([
			expect.stringMatching(/^memos\[\d\] \(id "pm2"\): end: missing \(a memo on a passage has both start and end\); left out$/),
			expect.stringMatching(/^memos\[\d\] \(id "pm3"\): start: must be a whole number ≥ 0, found -1; left out$/),
			expect.stringMatching(/^memos\[\d\] \(id "pm4"\): start: must be a whole number ≥ 0, found "1"; left out$/),
			expect.stringMatching(/^memos\[\d\] \(id "pm5"\): start: only a memo on a document has a passage, this one is on a study; left out$/),
			`memo "pm0": its passage 0–10000000 is not inside the document (${doc.text.length} characters); it is now a memo on the whole document`,
			'memo "pm1": its passage 4–2 ends before it starts; it is now a memo on the whole document'
		]);
		for (const id of ['pm0', 'pm1']) {
			const m = r.value.data.memos.find((x) => x.id === id);
			expect(m).toMatchObject({ targetType: 'document', targetId: doc.id });
			expect(m && 'start' in m).toBe(false);
		}
	});
});
