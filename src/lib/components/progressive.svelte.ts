import { untrack } from 'svelte';

/**
 * A long table drawn a few rows a frame the first time, so that no frame builds all of it: the
 * first `step` rows at once, then `step` more in the task after each painted frame, until every
 * row is there; after that every row is drawn at once (an update changes rows in place).
 *
 *   const rows = new Progressive(() => result.rows.length, () => 12);
 *   {#each rows.slice(result.rows) as row (row.id)} …   // aria-busy={!rows.done}
 *
 * Make it during a component's initialisation: its effect belongs to the component.
 * `tellDrawn(rows, ondrawn)` tells the caller while every row is drawn (true once they are, false
 * when the table goes away), e.g. to draw a chart only after its table.
 */
export class Progressive {
	#limit = $state(0);
	#done = $state(false);

	/** `length`: how many rows there are (reactive); `step`: rows a frame. */
	constructor(length: () => number, step: () => number) {
		this.#limit = Math.max(1, step());
		$effect(() => {
			if (this.#done) return;
			const n = length();
			if (this.#limit >= n) {
				this.#done = true;
				return;
			}
			let timer: ReturnType<typeof setTimeout> | undefined;
			const frame = requestAnimationFrame(() => (timer = setTimeout(() => (this.#limit += Math.max(1, step())))));
			return () => {
				cancelAnimationFrame(frame);
				clearTimeout(timer);
			};
		});
	}

	/** Every row is drawn. */
	get done(): boolean {
		return this.#done;
	}

	/** The rows to draw now. */
	slice<T>(rows: readonly T[]): readonly T[] {
		return this.#done || this.#limit >= rows.length ? rows : rows.slice(0, this.#limit);
	}
}

/** Call `ondrawn(true)` once every row of `rows` is drawn and `ondrawn(false)` when its component goes away (during initialisation). */
export function tellDrawn(rows: Progressive, ondrawn: (() => ((drawn: boolean) => void) | undefined)): void {
	$effect(() => {
		if (!rows.done) return;
		const tell = untrack(ondrawn);
		if (!tell) return;
		untrack(() => tell(true));
		return () => untrack(() => tell(false));
	});
}

/** Rows a frame for a table of `cells` figures a row: some 40 figures a frame, at least one row. */
export function rowsPerFrame(cells: number): number {
	return Math.max(1, Math.floor(40 / Math.max(1, cells)));
}
