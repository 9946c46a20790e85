/** Cycle repair of a merged code table: the same tree whatever order the codes come in. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Code } from '../types';
import { isForest, repairCycles } from './cycles';

const code = (id: string, parentId: string | null, updatedAt = '2026-01-01T00:00:00.000Z'): Code => ({
	id, studyId: 'st', parentId, name: id, definition: '', inclusion: '', exclusion: '', example: '', colour: '#000000', order: 0, createdAt: updatedAt, updatedAt
});
const parents = (cs: Code[]) => Object.fromEntries(cs.map((c) => [c.id, c.parentId]));

describe('repairCycles', () => {
	it('breaks a three-code cycle at the member moved last, and lifts a code whose parent is gone', () => {
		const out = repairCycles([
			code('a', 'b', '2026-01-02T00:00:00.000Z'),
			code('b', 'c', '2026-01-04T00:00:00.000Z'),
			code('c', 'a', '2026-01-03T00:00:00.000Z'),
			code('d', 'c'),
			code('e', 'gone')
		]);
		expect(parents(out)).toEqual({ a: 'b', b: null, c: 'a', d: 'c', e: null });
		expect(isForest(out)).toBe(true);
	});

	it('equal times: the greater id is lifted', () => {
		expect(parents(repairCycles([code('x', 'y'), code('y', 'x')]))).toEqual({ x: 'y', y: null });
	});

	it('leaves a tree alone (same array back)', () => {
		const tree = [code('a', null), code('b', 'a')];
		expect(repairCycles(tree)).toBe(tree);
	});

	it('any parent table, in any order: a forest, and the same one (fast-check)', () => {
		const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
		const table = fc.tuple(...ids.map(() => fc.tuple(fc.constantFrom(null, 'zz', ...ids), fc.integer({ min: 1, max: 3 }))));
		fc.assert(
			fc.property(table, fc.func(fc.integer()), (rows, key) => {
				const codes = ids.map((id, i) => code(id, rows[i][0] === id ? null : rows[i][0], `2026-01-0${rows[i][1]}T00:00:00.000Z`));
				const shuffled = [...codes].sort((x, y) => key(x.id) - key(y.id));
				const r1 = repairCycles(codes);
				expect(isForest(r1)).toBe(true);
				expect(parents(repairCycles(shuffled))).toEqual(parents(r1));
			}),
			{ numRuns: 300 }
		);
	});
});
