/**
 * How a study maps onto Yjs documents (records.ts): the demo study round-trips exactly, each
 * record lands in the document access is decided by, and the per-field merge is a join
 * (any order of merging gives the same record).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_PATH } from '../../../../scripts/make-demo';
import { parseBackup } from '../backup';
import type { StudyData } from '../types';
import { docName } from './protocol';
import {
	docsToStudy,
	isTombstone,
	mergeRecords,
	recordFor,
	rowFor,
	sameContent,
	studyToDocs,
	tombstoneFor,
	type SyncRecord
} from './records';

function demo(): StudyData {
	const r = parseBackup(readFileSync(DEMO_PATH, 'utf8'), 'demo-study', 'cleaner-production.gloss.json');
	if (!r.ok) throw new Error(r.errors.join('\n'));
	return r.value;
}

const sortById = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));
function normal(d: StudyData) {
	return {
		study: d.study,
		coders: sortById(d.coders),
		attributes: sortById(d.attributes),
		cases: sortById(d.cases),
		documents: sortById(d.documents),
		codes: sortById(d.codes),
		segments: sortById(d.segments),
		memos: sortById(d.memos)
	};
}

describe('study ↔ documents', () => {
	it('round-trips the demo study exactly, through JSON as a server would store it', () => {
		const data = demo();
		// A timed transcript: its paragraph times travel with its text.
		data.documents[0] = { ...data.documents[0], times: [{ offset: 0, seconds: 0 }, { offset: 12, seconds: 3.5 }] };
		const docs = studyToDocs(data);
		const stored = new Map([...docs].map(([k, v]) => [k, JSON.parse(JSON.stringify(v))]));
		const back = docsToStudy(data.study.id, stored);
		expect(back).not.toBeNull();
		expect(normal(back!)).toEqual(normal(data));
	});

	it('puts each record in its document: shared metadata without text, one document per coder, consensus, one per text', () => {
		const data = demo();
		const id = data.study.id;
		const docs = studyToDocs(data);
		const shared = docs.get(docName({ kind: 'shared', studyId: id }))!;
		expect(Object.keys(shared)).toEqual(expect.arrayContaining(['study', 'coders', 'attributes', 'cases', 'documents', 'codes']));
		expect(shared).not.toHaveProperty('segments');
		for (const d of Object.values(shared.documents)) {
			expect(d).not.toHaveProperty('text');
			expect(d).not.toHaveProperty('times');
		}
		for (const rec of Object.values(shared.codes)) expect((rec as SyncRecord).fieldTimes).toHaveProperty('name');
		for (const c of data.coders) {
			const name = c.isConsensus ? docName({ kind: 'consensus', studyId: id }) : docName({ kind: 'coder', studyId: id, coderId: c.id });
			const segs = Object.values(docs.get(name)?.segments ?? {}) as SyncRecord[];
			expect(segs.length).toBe(data.segments.filter((s) => s.coderId === c.id).length);
			for (const s of segs) expect(s).not.toHaveProperty('studyId');
		}
		for (const d of data.documents) expect(docs.get(docName({ kind: 'text', studyId: id, documentId: d.id }))!.text.text).toBe(d.text);
		// Study-level memos with no coder go to shared, a coder's memos to that coder's document.
		for (const m of data.memos) {
			const name = m.coderId ? docName({ kind: 'coder', studyId: id, coderId: m.coderId }) : docName({ kind: 'shared', studyId: id });
			const held = [...docs.entries()].filter(([, v]) => v.memos?.[m.id]).map(([k]) => k);
			if (!data.coders.find((c) => c.id === m.coderId)?.isConsensus) expect(held).toEqual([name]);
		}
	});

	it('drops tombstones when reading back', () => {
		const data = demo();
		const docs = studyToDocs(data);
		const shared = docs.get(docName({ kind: 'shared', studyId: data.study.id }))!;
		const victim = data.cases[0];
		shared.cases[victim.id] = tombstoneFor('cases', victim.id, shared.cases[victim.id] as SyncRecord, '2027-01-01T00:00:00.000Z');
		const back = docsToStudy(data.study.id, docs)!;
		expect(back.cases.map((c) => c.id)).not.toContain(victim.id);
		expect(back.cases).toHaveLength(data.cases.length - 1);
	});
});

describe('records and their merge', () => {
	const base = { id: 'k', name: 'Cost', colour: '#000000', parentId: null, updatedAt: '2026-01-01T00:00:00.000Z', createdAt: '2026-01-01T00:00:00.000Z' };

	it('gives a changed field a time later than any before it, even when the clock is behind', () => {
		const r0 = recordFor('codes', base, undefined, '2026-01-01T00:00:00.000Z')!;
		const r1 = recordFor('codes', { ...base, name: 'Costs' }, r0, '2025-06-01T00:00:00.000Z')!;
		expect(r1.fieldTimes!.name > r0.fieldTimes!.name).toBe(true);
		expect(r1.fieldTimes!.colour).toBe(r0.fieldTimes!.colour);
		expect(recordFor('codes', { ...base, name: 'Costs' }, r1, '2026-02-01T00:00:00.000Z')).toBeNull();
		// A write that follows another wins over it: merging them gives the later one.
		expect(sameContent(mergeRecords(r0, r1), r1)).toBe(true);
		expect(sameContent(mergeRecords(r1, r0), r1)).toBe(true);
	});

	it('merges concurrent edits field by field, and a delete beats an edit made before it', () => {
		const r0 = recordFor('codes', base, undefined, '2026-01-01T00:00:00.000Z')!;
		const renamed = recordFor('codes', { ...base, name: 'Costs' }, r0, '2026-01-02T00:00:00.000Z')!;
		const recoloured = recordFor('codes', { ...base, colour: '#ff0000' }, r0, '2026-01-03T00:00:00.000Z')!;
		const m = mergeRecords(renamed, recoloured);
		expect(rowFor('codes', m, 'st')).toMatchObject({ name: 'Costs', colour: '#ff0000' });
		const gone = tombstoneFor('codes', 'k', r0, '2026-01-04T00:00:00.000Z');
		expect(isTombstone(mergeRecords(gone, recoloured))).toBe(true);
		// Undo of the delete (the same id written again) wins over the tombstone.
		const back = recordFor('codes', base, gone, '2026-01-05T00:00:00.000Z')!;
		expect(isTombstone(mergeRecords(gone, back))).toBe(false);
		expect(isTombstone(mergeRecords(back, gone))).toBe(false);
	});

	it('is commutative, associative and idempotent over random edits (fast-check)', () => {
		const time = fc.integer({ min: 0, max: 5 }).map((d) => `2026-01-0${d + 1}T00:00:00.000Z`);
		const edit = fc.record({
			name: fc.option(fc.constantFrom('A', 'B', 'C'), { nil: undefined }),
			colour: fc.option(fc.constantFrom('#111111', '#222222'), { nil: undefined }),
			parentId: fc.option(fc.constantFrom('p', 'q', null), { nil: undefined }),
			del: fc.boolean(),
			at: time
		});
		const r0 = recordFor('codes', base, undefined, '2026-01-01T00:00:00.000Z')!;
		const make = (e: { name?: string; colour?: string; parentId?: string | null; del: boolean; at: string }): SyncRecord => {
			if (e.del) return tombstoneFor('codes', 'k', r0, e.at);
			const row = { ...base, ...(e.name ? { name: e.name } : {}), ...(e.colour ? { colour: e.colour } : {}), ...(e.parentId !== undefined ? { parentId: e.parentId } : {}) };
			return recordFor('codes', row, r0, e.at) ?? r0;
		};
		fc.assert(
			fc.property(edit, edit, edit, (e1, e2, e3) => {
				const [a, b, c] = [make(e1), make(e2), make(e3)];
				expect(sameContent(mergeRecords(a, b), mergeRecords(b, a))).toBe(true);
				expect(sameContent(mergeRecords(mergeRecords(a, b), c), mergeRecords(a, mergeRecords(b, c)))).toBe(true);
				expect(sameContent(mergeRecords(a, a), a)).toBe(true);
			}),
			{ numRuns: 300 }
		);
	});
});
