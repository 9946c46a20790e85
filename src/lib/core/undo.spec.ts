import { describe, expect, it } from 'vitest';
import { applyChanges, planAdjust, planApply, planApplyMany, planChangeCode, planRemove } from './segments';
import type { Code, Segment } from './types';
import { UndoStack, type CodingAction } from './undo';

const T = '2026-01-01T00:00:00.000Z';
let n = 0;
const mkId = () => `s${++n}`;
const d = (codeId: string, start: number, end: number) => ({ studyId: 'st', documentId: 'd', codeId, coderId: 'ann', start, end });

/** A tiny session: state + stack, doing what the coding state does. */
function session() {
	let segs: Segment[] = [];
	let codes: Code[] = [];
	const stack = new UndoStack();
	const run = (a: CodingAction) => {
		segs = applyChanges(segs, a.segments);
		for (const c of a.codes ?? []) {
			codes = codes.filter((x) => x.id !== (c.before ?? c.after)!.id);
			if (c.after) codes.push(c.after);
		}
	};
	return {
		get segs() {
			return segs;
		},
		get codes() {
			return codes;
		},
		stack,
		do(a: CodingAction) {
			run(a);
			stack.push(a);
		},
		undo() {
			const a = stack.undo();
			if (a) run(a);
			return a;
		},
		redo() {
			const a = stack.redo();
			if (a) run(a);
			return a;
		}
	};
}

describe('undo and redo', () => {
	it('undoes and redoes apply, remove, change code and adjust in order', () => {
		const s = session();
		s.do({ kind: 'apply', label: 'Apply cost', segments: planApply(s.segs, d('cost', 0, 5), mkId, T) });
		const one = s.segs[0];
		s.do({ kind: 'change-code', label: 'Change to trust', segments: planChangeCode(s.segs, one, 'trust', mkId, T) });
		const adj = planAdjust(s.segs[0], 0, 9, 100, T);
		if (!adj.ok) throw new Error('adjust failed');
		s.do({ kind: 'adjust', label: 'Adjust', segments: adj.value });
		s.do({ kind: 'remove', label: 'Remove', segments: planRemove([s.segs[0]]) });
		expect(s.segs).toEqual([]);

		s.undo();
		expect(s.segs[0]).toMatchObject({ codeId: 'trust', start: 0, end: 9 });
		s.undo();
		expect(s.segs[0]).toMatchObject({ codeId: 'trust', start: 0, end: 5 });
		s.undo();
		expect(s.segs[0]).toMatchObject({ codeId: 'cost', start: 0, end: 5 });
		expect(s.stack.undoLabel).toBe('Apply cost');
		s.undo();
		expect(s.segs).toEqual([]);
		expect(s.stack.canUndo).toBe(false);
		expect(s.undo()).toBeNull();

		s.redo();
		s.redo();
		expect(s.segs[0]).toMatchObject({ codeId: 'trust', id: one.id });
		expect(s.stack.canRedo).toBe(true);
	});

	it('a new action clears the redo list', () => {
		const s = session();
		s.do({ kind: 'apply', label: 'a', segments: planApply(s.segs, d('cost', 0, 5), mkId, T) });
		s.undo();
		expect(s.stack.canRedo).toBe(true);
		s.do({ kind: 'apply', label: 'b', segments: planApply(s.segs, d('trust', 0, 5), mkId, T) });
		expect(s.stack.canRedo).toBe(false);
		expect(s.redo()).toBeNull();
	});

	it('undoes an auto-code batch as one action', () => {
		const s = session();
		s.do({ kind: 'apply', label: 'a', segments: planApply(s.segs, d('cost', 50, 60), mkId, T) });
		const before = s.segs;
		s.do({ kind: 'auto-code', label: 'Auto-code', segments: planApplyMany(s.segs, [d('cost', 0, 3), d('cost', 10, 13), d('cost', 55, 70)], mkId, T) });
		expect(s.segs).toHaveLength(3);
		s.undo();
		expect(s.segs).toEqual(before);
		s.redo();
		expect(s.segs.map((x) => [x.start, x.end]).sort((a, b) => a[0] - b[0])).toEqual([
			[0, 3],
			[10, 13],
			[50, 70]
		]);
	});

	it('undoes in-vivo coding: the segment and the new code both go', () => {
		const s = session();
		const code: Code = {
			id: 'c-new', studyId: 'st', parentId: null, name: 'fines were high', definition: '', inclusion: '', exclusion: '',
			example: '', colour: '#0072b2', order: 0, createdAt: T, updatedAt: T
		};
		s.do({ kind: 'in-vivo', label: 'In-vivo', segments: planApply(s.segs, d('c-new', 3, 18), mkId, T), codes: [{ before: null, after: code }] });
		expect(s.codes).toHaveLength(1);
		s.undo();
		expect(s.codes).toHaveLength(0);
		expect(s.segs).toHaveLength(0);
	});

	it('ignores empty actions (applying a code that is already there)', () => {
		const s = session();
		s.do({ kind: 'apply', label: 'a', segments: planApply(s.segs, d('cost', 0, 5), mkId, T) });
		s.do({ kind: 'apply', label: 'again', segments: planApply(s.segs, d('cost', 0, 5), mkId, T) });
		expect(s.stack.undoLabel).toBe('a');
	});

	it('keeps at most `limit` actions', () => {
		const st = new UndoStack(2);
		for (const l of ['a', 'b', 'c']) st.push({ kind: 'apply', label: l, segments: [{ before: null, after: null as unknown as Segment }] });
		expect(st.undo()?.label).toBe('c');
		expect(st.undo()?.label).toBe('b');
		expect(st.undo()).toBeNull();
	});
});

describe('forgetting a refused action', () => {
	it('takes it out of undo and redo, leaving the others', () => {
		const stack = new UndoStack();
		const seg = { id: 's', studyId: 'st', documentId: 'd', codeId: 'c', coderId: 'k', start: 0, end: 1, memo: '', createdAt: '', updatedAt: '' };
		const a = { kind: 'apply' as const, label: 'A', segments: [{ before: null, after: seg }] };
		const b = { kind: 'apply' as const, label: 'B', segments: [{ before: null, after: { ...seg, id: 't' } }] };
		stack.push(a);
		stack.push(b);
		expect(stack.peekUndo()).toBe(b);
		stack.undo();
		stack.forget(b);
		expect(stack.canRedo).toBe(false);
		expect(stack.undoLabel).toBe('A');
		stack.forget(a);
		expect(stack.canUndo).toBe(false);
	});
});

