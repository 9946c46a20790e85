import { describe, expect, it } from 'vitest';
import {
	applyChanges,
	assignLanes,
	dedupe,
	invertChanges,
	nextSegment,
	planAdjust,
	planApply,
	planApplyMany,
	countApplyMany,
	applyManySummary,
	planChangeCode,
	planRemove,
	segmentsAt,
	validateSpan,
	type SegmentChange
} from './segments';
import type { Segment } from './types';

let n = 0;
const mkId = () => `s${++n}`;
const T = '2026-01-01T00:00:00.000Z';
const seg = (id: string, codeId: string, start: number, end: number, extra: Partial<Segment> = {}): Segment => ({
	id,
	studyId: 'st',
	documentId: 'd1',
	codeId,
	coderId: 'ann',
	start,
	end,
	memo: '',
	createdAt: T,
	updatedAt: T,
	...extra
});
const draft = (codeId: string, start: number, end: number, coderId = 'ann') => ({
	studyId: 'st',
	documentId: 'd1',
	codeId,
	coderId,
	start,
	end
});

describe('applying a code', () => {
	it('adds a new segment', () => {
		const ch = planApply([], draft('cost', 5, 10), mkId, T);
		expect(ch).toHaveLength(1);
		expect(ch[0].before).toBeNull();
		expect(ch[0].after).toMatchObject({ codeId: 'cost', start: 5, end: 10, coderId: 'ann', memo: '' });
	});
	it('does not duplicate the same code on the same span, or inside coding it already has', () => {
		const existing = [seg('a', 'cost', 5, 10)];
		expect(planApply(existing, draft('cost', 5, 10), mkId, T)).toEqual([]);
		expect(planApply(existing, draft('cost', 6, 9), mkId, T)).toEqual([]);
	});
	it('allows overlapping different codes', () => {
		const existing = [seg('a', 'cost', 5, 10)];
		const ch = planApply(existing, draft('trust', 5, 10), mkId, T);
		expect(ch).toHaveLength(1);
		expect(applyChanges(existing, ch)).toHaveLength(2);
	});
	it('allows the same code by another coder on the same span', () => {
		const existing = [seg('a', 'cost', 5, 10)];
		expect(planApply(existing, draft('cost', 5, 10, 'bo'), mkId, T)).toHaveLength(1);
	});
	it('merges overlapping or touching coding of the same code into one segment, keeping memos', () => {
		const existing = [seg('a', 'cost', 5, 10, { memo: 'first' }), seg('b', 'cost', 20, 30, { memo: 'second', createdAt: '2026-02-01T00:00:00.000Z' })];
		const ch = planApply(existing, draft('cost', 8, 22), mkId, T);
		const after = applyChanges(existing, ch);
		expect(after).toHaveLength(1);
		expect(after[0]).toMatchObject({ id: 'a', start: 5, end: 30, memo: 'first\n\nsecond' });
		const touching = planApply([seg('a', 'cost', 5, 10)], draft('cost', 10, 12), mkId, T);
		expect(applyChanges([seg('a', 'cost', 5, 10)], touching)[0]).toMatchObject({ start: 5, end: 12 });
	});
	it('auto-codes many spans as one list of changes, merging hits that overlap', () => {
		const existing = [seg('a', 'cost', 0, 4)];
		const ch = planApplyMany(existing, [draft('cost', 2, 6), draft('cost', 5, 8), draft('cost', 20, 25), draft('cost', 20, 25)], mkId, T);
		const after = applyChanges(existing, ch).sort((x, y) => x.start - y.start);
		expect(after.map((s) => [s.start, s.end])).toEqual([
			[0, 8],
			[20, 25]
		]);
		// undoing the whole batch gives back exactly what was there
		expect(applyChanges(after, invertChanges(ch))).toEqual(existing);
	});
	it('counts what auto-coding made, and says it', () => {
		const existing = [seg('a', 'cost', 0, 10), seg('b', 'cost', 30, 35)];
		const drafts = [draft('cost', 2, 6), draft('cost', 12, 15), draft('cost', 20, 25), draft('cost', 33, 40)];
		const count = countApplyMany(existing, drafts, planApplyMany(existing, drafts, mkId, T));
		expect(count).toEqual({ made: 2, extended: 1, already: 1 });
		expect(applyManySummary(count, 'hit')).toBe('2 new segments; 1 segment extended; 1 hit was already coded with this code');
		expect(applyManySummary({ made: 2, extended: 0, already: 1 }, 'hit')).toBe('2 new segments; 1 hit was already coded with this code');
		expect(applyManySummary({ made: 0, extended: 0, already: 3 }, 'sentence')).toBe('3 sentences were already coded with this code');
		expect(applyManySummary({ made: 0, extended: 0, already: 0 }, 'hit')).toBe('0 new segments');
	});
});

describe('other changes', () => {
	it('removes', () => {
		const s = [seg('a', 'cost', 1, 2), seg('b', 'trust', 1, 2)];
		expect(applyChanges(s, planRemove([s[0]]))).toEqual([s[1]]);
	});
	it('changes a code, merging when the new code already covers the passage', () => {
		const s = [seg('a', 'cost', 5, 10), seg('b', 'trust', 8, 12)];
		const plain = applyChanges(s, planChangeCode(s, s[0], 'fines', mkId, T));
		expect(plain.find((x) => x.id === 'a')?.codeId).toBe('fines');
		const merged = applyChanges(s, planChangeCode(s, s[0], 'trust', mkId, T));
		expect(merged).toHaveLength(1);
		expect(merged[0]).toMatchObject({ id: 'b', codeId: 'trust', start: 5, end: 12 });
		expect(planChangeCode(s, s[0], 'cost', mkId, T)).toEqual([]);
	});
	it('adjusts boundaries within the text and refuses an empty or out-of-range span', () => {
		const s = seg('a', 'cost', 5, 10);
		const r = planAdjust(s, 3, 12, 20, T);
		expect(r.ok && r.value[0].after).toMatchObject({ start: 3, end: 12 });
		const bad = planAdjust(s, 12, 12, 20, T);
		expect(bad.ok).toBe(false);
		expect(planAdjust(s, 3, 25, 20, T)).toMatchObject({ ok: false, errors: [expect.stringContaining('past the end')] });
		expect(validateSpan(-1, 3, 10).ok).toBe(false);
	});
});

describe('dedupe', () => {
	it('drops exact duplicates and keeps the earliest', () => {
		const s = [seg('b', 'cost', 1, 5, { createdAt: '2026-03-01T00:00:00.000Z' }), seg('a', 'cost', 1, 5), seg('c', 'cost', 1, 6)];
		const r = dedupe(s);
		expect(r.dropped).toEqual(['b']);
		expect(r.kept.map((x) => x.id)).toEqual(['a', 'c']);
	});
});

describe('lanes for coding stripes', () => {
	it('puts overlapping segments in separate lanes and reuses a lane once free', () => {
		const s = [seg('a', 'x', 0, 10), seg('b', 'y', 5, 15), seg('c', 'z', 12, 20), seg('d', 'w', 16, 18)];
		const { lane, count } = assignLanes(s);
		expect(lane.get('a')).toBe(0);
		expect(lane.get('b')).toBe(1);
		expect(lane.get('c')).toBe(0); // a ended at 10
		expect(lane.get('d')).toBe(1); // b ended at 15
		expect(count).toBe(2);
	});
	it('gives the longer of two segments starting together the outer lane', () => {
		const { lane } = assignLanes([seg('short', 'x', 0, 3), seg('long', 'y', 0, 30)]);
		expect(lane.get('long')).toBe(0);
		expect(lane.get('short')).toBe(1);
	});
	it('finds the segments at an offset, innermost first, and the next/previous one', () => {
		const s = [seg('a', 'x', 0, 10), seg('b', 'y', 5, 8), seg('c', 'z', 20, 30)];
		expect(segmentsAt(s, 6).map((x) => x.id)).toEqual(['b', 'a']);
		expect(segmentsAt(s, 10)).toEqual([]);
		expect(nextSegment(s, 0, 1)?.id).toBe('b');
		expect(nextSegment(s, 20, -1)?.id).toBe('b');
		expect(nextSegment(s, 20, 1)).toBeNull();
	});
});

describe('applyChanges with few changes and with many', () => {
	const mk = (i: number): Segment => ({
		id: `s${i}`,
		studyId: 'st',
		documentId: `d${i % 7}`,
		codeId: `c${i % 5}`,
		coderId: 'a',
		start: i * 3,
		end: i * 3 + 10,
		memo: '',
		createdAt: T,
		updatedAt: T
	});
	/** The rule by id, written plainly: the reference both paths must agree with. */
	function reference(list: readonly Segment[], changes: readonly SegmentChange[]): Segment[] {
		const removed = new Set(changes.filter((c) => c.before && !c.after).map((c) => c.before!.id));
		const replaced = new Map(changes.filter((c) => c.before && c.after).map((c) => [c.before!.id, c.after!]));
		return [...list.filter((s) => !removed.has(s.id)).map((s) => replaced.get(s.id) ?? s), ...changes.filter((c) => !c.before && c.after).map((c) => c.after!)];
	}
	it('replaces, removes and adds as the rule by id says, whether it finds the same objects or copies', () => {
		const list = Array.from({ length: 300 }, (_, i) => mk(i));
		for (const n of [1, 3, 64, 65, 200]) {
			const changes: SegmentChange[] = [];
			for (let k = 0; k < n; k++) {
				const i = (k * 37) % 300;
				// a copy (read back from the database) half of the time: matched by id
				const before = k % 2 ? { ...list[i] } : list[i];
				if (k % 3 === 0) changes.push({ before, after: null });
				else if (k % 3 === 1) changes.push({ before, after: { ...list[i], start: 1, end: 2 } });
				else changes.push({ before: null, after: mk(1000 + k) });
			}
			expect(applyChanges(list, changes)).toEqual(reference(list, changes));
		}
		expect(list).toEqual(Array.from({ length: 300 }, (_, i) => mk(i)));
	});
});
