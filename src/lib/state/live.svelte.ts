/**
 * Bridge a Dexie liveQuery to Svelte 5 state.
 *
 *   const docs = new Live(() => db.documents.where('studyId').equals(id).toArray(), []);
 *   docs.current   // the latest result, re-read whenever the tables it touched change
 *   docs.loaded    // false until the first result arrives
 *
 * Construct it during component initialisation (or inside an effect): it subscribes in an
 * `$effect` and unsubscribes when the component goes away. Pass `deps` to re-run the query when
 * reactive values change: `new Live((d) => query(d), [], () => selectedDocId)`. Pass `enabled` to
 * read nothing until it says so (a query only some screens need: it then keeps `initial`).
 */
import { liveQuery } from 'dexie';
import { untrack } from 'svelte';

export class Live<T, D = void> {
	#value = $state.raw<T>() as T;
	#loaded = $state(false);
	#error = $state<string | null>(null);

	constructor(query: (deps: D) => T | Promise<T>, initial: T, deps?: () => D, enabled?: () => boolean) {
		this.#value = initial;
		$effect(() => {
			if (enabled && !enabled()) return;
			const d = deps ? deps() : (undefined as D);
			return untrack(() => {
				const sub = liveQuery(() => query(d)).subscribe({
					next: (v) => {
						this.#value = v;
						this.#loaded = true;
						this.#error = null;
					},
					error: (e: unknown) => {
						this.#error = e instanceof Error ? e.message : String(e);
						this.#loaded = true;
					}
				});
				return () => sub.unsubscribe();
			});
		});
	}

	get current(): T {
		return this.#value;
	}
	get loaded(): boolean {
		return this.#loaded;
	}
	get error(): string | null {
		return this.#error;
	}
}
