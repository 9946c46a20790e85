/**
 * Toasts: only for what happened elsewhere or in the background ("Imported 12 transcripts;
 * 1 skipped"). Errors about something on screen belong inline, next to it.
 */
export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
	id: number;
	kind: ToastKind;
	message: string;
	/** Extra lines, e.g. the reason each skipped file was skipped. */
	details: string[];
}

/** How many toasts show at once. */
const MAX_SHOWN = 3;

class Toasts {
	#items = $state<Toast[]>([]);
	#next = 1;

	get items(): Toast[] {
		return this.#items;
	}

	/**
	 * Show a toast; it stays for `ms` (0: until dismissed). Errors and details stay by default.
	 * The same message again replaces the old one, and at most MAX_SHOWN show at once (the oldest
	 * go, errors last), so toasts never pile up over the screen.
	 */
	show(message: string, opts: { kind?: ToastKind; details?: string[]; ms?: number } = {}): number {
		const id = this.#next++;
		const kind = opts.kind ?? 'info';
		const details = opts.details ?? [];
		let items = [...this.#items.filter((t) => t.message !== message || t.kind !== kind), { id, kind, message, details }];
		while (items.length > MAX_SHOWN) {
			const drop = items.find((t) => t.kind !== 'error') ?? items[0];
			items = items.filter((t) => t !== drop);
		}
		this.#items = items;
		const ms = opts.ms ?? (kind === 'error' || details.length ? 0 : 6000);
		if (ms > 0 && typeof window !== 'undefined') window.setTimeout(() => this.dismiss(id), ms);
		return id;
	}

	dismiss(id: number): void {
		this.#items = this.#items.filter((t) => t.id !== id);
	}

	/** Moving to another screen takes the passing news away; errors and lists stay until dismissed. */
	clearPassing(): void {
		if (this.#items.some((t) => t.kind !== 'error' && t.details.length === 0))
			this.#items = this.#items.filter((t) => t.kind === 'error' || t.details.length > 0);
	}
}

export const toasts = new Toasts();
