/**
 * Undo and redo of coding actions. Pure.
 *
 * An action is a list of before → after changes to segments (and, for in-vivo coding, to codes).
 * Undoing applies the inverse; an auto-code batch is one action, so one Ctrl+Z undoes it all.
 */
import type { Code } from './types';
import { invertChanges, type SegmentChange } from './segments';

export interface CodeChange {
	before: Code | null;
	after: Code | null;
}

export type ActionKind = 'apply' | 'remove' | 'change-code' | 'adjust' | 'memo' | 'auto-code' | 'in-vivo';

export interface CodingAction {
	kind: ActionKind;
	/** What the researcher sees: "Apply Motivation", "Auto-code 12 hits with Cost". */
	label: string;
	segments: SegmentChange[];
	codes?: CodeChange[];
}

export function invertAction(a: CodingAction): CodingAction {
	return {
		kind: a.kind,
		label: a.label,
		segments: invertChanges(a.segments),
		codes: a.codes ? [...a.codes].reverse().map((c) => ({ before: c.after, after: c.before })) : undefined
	};
}

export function isEmptyAction(a: CodingAction): boolean {
	return a.segments.length === 0 && (a.codes?.length ?? 0) === 0;
}

export class UndoStack {
	#done: CodingAction[] = [];
	#undone: CodingAction[] = [];
	readonly limit: number;

	constructor(limit = 500) {
		this.limit = limit;
	}

	/** Record an action that has just been done. Clears the redo list. Empty actions are ignored. */
	push(a: CodingAction): void {
		if (isEmptyAction(a)) return;
		this.#done.push(a);
		if (this.#done.length > this.limit) this.#done.shift();
		this.#undone = [];
	}

	get canUndo(): boolean {
		return this.#done.length > 0;
	}
	get canRedo(): boolean {
		return this.#undone.length > 0;
	}
	/** The label of the action Ctrl+Z would undo. */
	get undoLabel(): string | null {
		return this.#done.at(-1)?.label ?? null;
	}
	get redoLabel(): string | null {
		return this.#undone.at(-1)?.label ?? null;
	}

	/** Take the last action off the stack; returns the changes to apply to undo it. */
	undo(): CodingAction | null {
		const a = this.#done.pop();
		if (!a) return null;
		this.#undone.push(a);
		return invertAction(a);
	}

	/** Re-do the last undone action; returns the changes to apply. */
	redo(): CodingAction | null {
		const a = this.#undone.pop();
		if (!a) return null;
		this.#done.push(a);
		return a;
	}

	/** The action Ctrl+Z would undo, as it was done (not inverted). */
	peekUndo(): CodingAction | null {
		return this.#done.at(-1) ?? null;
	}

	/**
	 * Forget an action (as it was pushed) wherever it is: its write was refused (what it points to
	 * was deleted in another window), so neither undo nor redo may bring it back.
	 */
	forget(a: CodingAction): void {
		this.#done = this.#done.filter((x) => x !== a);
		this.#undone = this.#undone.filter((x) => x !== a);
	}

	clear(): void {
		this.#done = [];
		this.#undone = [];
	}
}
