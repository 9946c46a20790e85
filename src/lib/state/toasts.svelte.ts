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

class Toasts {
	#items = $state<Toast[]>([]);
	#next = 1;

	get items(): Toast[] {
		return this.#items;
	}

	/** Show a toast; it stays for `ms` (0: until dismissed). Errors and details stay by default. */
	show(message: string, opts: { kind?: ToastKind; details?: string[]; ms?: number } = {}): number {
		const id = this.#next++;
		const kind = opts.kind ?? 'info';
		const details = opts.details ?? [];
		this.#items = [...this.#items, { id, kind, message, details }];
		const ms = opts.ms ?? (kind === 'error' || details.length ? 0 : 6000);
		if (ms > 0 && typeof window !== 'undefined') window.setTimeout(() => this.dismiss(id), ms);
		return id;
	}

	dismiss(id: number): void {
		this.#items = this.#items.filter((t) => t.id !== id);
	}
}

export const toasts = new Toasts();
