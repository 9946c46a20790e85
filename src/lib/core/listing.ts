/**
 * A long list shown a page at a time (the Documents screen): filtered by words, sorted by a
 * column, then cut to one page. Filtering and sorting always run over every item, so the page a
 * person sees is a page of the whole list, not of what happens to be drawn.
 */

export type SortDir = 'asc' | 'desc';

export interface ListColumn<T> {
	/** The value sorted by: numbers compare as numbers, strings in natural order ("Transcript 2" < "Transcript 10"). */
	value: (item: T) => string | number | null | undefined;
}

export interface ListQuery<K extends string> {
	/** Words that must all appear (any case, any order) in an item's searchable text. */
	filter: string;
	/** The column sorted by, or null for the list's own order. */
	sort: K | null;
	dir: SortDir;
	/** Zero-based page. Out of range is clamped. */
	page: number;
	size: number;
}

export interface ListPage<T> {
	items: T[];
	/** Items that pass the filter. */
	matched: number;
	/** Zero-based page shown (clamped), and how many pages there are (at least 1). */
	page: number;
	pages: number;
	/** Index in the filtered, sorted list of the first item shown. */
	first: number;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Lower-cased words of a filter ("  Beijing  wave 2 " → ["beijing", "wave", "2"]). */
export function filterWords(filter: string): string[] {
	return filter.toLocaleLowerCase().split(/\s+/).filter(Boolean);
}

/** Compare two column values: empty last, numbers as numbers, strings naturally. */
export function compareValues(a: string | number | null | undefined, b: string | number | null | undefined): number {
	const ea = a === null || a === undefined || a === '';
	const eb = b === null || b === undefined || b === '';
	if (ea || eb) return ea === eb ? 0 : ea ? 1 : -1;
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	return collator.compare(String(a), String(b));
}

/**
 * Filter, sort and page `items`. `text(item)` is what the filter searches; `columns` name what
 * can be sorted by. The sort is stable: equal values keep the list's own order, whichever the
 * direction (and empty values stay last).
 */
export function listPage<T, K extends string>(
	items: readonly T[],
	q: ListQuery<K>,
	text: (item: T) => string,
	columns: Record<K, ListColumn<T>>
): ListPage<T> {
	const words = filterWords(q.filter);
	let rows: T[] = words.length
		? items.filter((it) => {
				const t = text(it).toLocaleLowerCase();
				return words.every((w) => t.includes(w));
			})
		: [...items];
	const col = q.sort !== null ? columns[q.sort] : undefined;
	if (col) {
		const keyed = rows.map((it, i) => ({ it, i, v: col.value(it) }));
		const sign = q.dir === 'desc' ? -1 : 1;
		keyed.sort((x, y) => {
			const ex = x.v === null || x.v === undefined || x.v === '';
			const ey = y.v === null || y.v === undefined || y.v === '';
			if (ex || ey) return ex === ey ? x.i - y.i : ex ? 1 : -1;
			return sign * compareValues(x.v, y.v) || x.i - y.i;
		});
		rows = keyed.map((k) => k.it);
	}
	const size = Math.max(1, Math.floor(q.size));
	const pages = Math.max(1, Math.ceil(rows.length / size));
	const page = Math.min(Math.max(0, Math.floor(q.page)), pages - 1);
	const first = page * size;
	return { items: rows.slice(first, first + size), matched: rows.length, page, pages, first };
}
