/**
 * Properties of the backup format (fast-check): a random valid study (names with unicode and
 * HTML, nested codes, segments within the text, memos) survives `backupToJson` → `parseBackup`
 * unchanged but for the new study id, with nothing to repair; and no JSON value, however
 * wrong, makes `parseBackupReport` throw: always a Result, each error naming the file.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { studyArb } from '../../../tests/fuzz/study-arbitrary';
import { backupToJson, parseBackupReport } from './backup';
import type { StudyData } from './types';

const PARAMS = { numRuns: 150, seed: 20261202 };

/** The study as it should come back: every row moved to `studyId`, tables in id order. */
function moved(data: StudyData, studyId: string): StudyData {
	const rows = <T extends { id: string; studyId: string }>(t: T[]) =>
		t.map((r) => ({ ...r, studyId })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return {
		study: { ...data.study, id: studyId },
		coders: rows(data.coders),
		attributes: rows(data.attributes),
		cases: rows(data.cases).map((c) => ({ ...c, attributes: { ...c.attributes } })),
		documents: rows(data.documents),
		codes: rows(data.codes),
		segments: rows(data.segments),
		memos: rows(data.memos)
	};
}

describe('backup properties', () => {
	it('a random valid study survives backupToJson → parseBackupReport, with no repairs', () => {
		fc.assert(
			fc.property(studyArb, (study) => {
				const r = parseBackupReport(backupToJson(study, '2026-12-02T00:00:00.000Z'), 'new-id', 's.gloss.json');
				expect(r.ok ? null : r.errors).toBeNull();
				if (!r.ok) return;
				expect(r.value.repairs).toEqual([]);
				const got = moved(r.value.data, 'new-id');
				got.cases = got.cases.map((c) => ({ ...c, attributes: { ...c.attributes } }));
				expect(got).toEqual(moved(study, 'new-id'));
			}),
			PARAMS
		);
	});

	it('no JSON value makes parseBackupReport throw; errors name the file', () => {
		const valueArb = fc.oneof(
			fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }),
			fc.json({ maxDepth: 4 }).map((j) => JSON.parse(j) as unknown),
			// backup-shaped objects with wrong tables
			fc.record({
				format: fc.constantFrom('gloss-study', 'x'),
				version: fc.constantFrom(1, 2, 3, '2'),
				study: fc.anything({ maxDepth: 2 }),
				coders: fc.anything({ maxDepth: 2 }),
				attributes: fc.anything({ maxDepth: 2 }),
				cases: fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }),
				documents: fc.array(fc.record({ id: fc.anything({ maxDepth: 1 }), name: fc.anything({ maxDepth: 1 }), text: fc.string() }, { requiredKeys: [] }), { maxLength: 3 }),
				codes: fc.array(fc.record({ id: fc.string(), parentId: fc.anything({ maxDepth: 1 }), name: fc.anything({ maxDepth: 1 }) }, { requiredKeys: [] }), { maxLength: 3 }),
				segments: fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }),
				memos: fc.anything({ maxDepth: 2 })
			}, { requiredKeys: ['format', 'version'] })
		);
		fc.assert(
			fc.property(valueArb, (v) => {
				let text: string | undefined;
				try {
					text = JSON.stringify(v);
				} catch {
					return; // not serialisable (a BigInt): no file can hold it
				}
				if (text === undefined) return;
				const r = parseBackupReport(text, 'new-id', 'bad.gloss.json');
				expect(typeof r.ok).toBe('boolean');
				if (!r.ok) for (const e of r.errors) expect(e.startsWith('bad.gloss.json: ')).toBe(true);
			}),
			PARAMS
		);
	});
});
