/** Interval arithmetic over half-open [start, end) ranges: sorted unions, overlaps, coverage sweeps. */

export interface Interval {
	start: number;
	end: number;
}

/** The union of the intervals as sorted, disjoint, non-touching intervals. Empty ones are dropped. */
export function union(list: readonly Interval[]): Interval[] {
	const sorted = list.filter((x) => x.end > x.start).sort((a, b) => a.start - b.start || a.end - b.end);
	const out: Interval[] = [];
	for (const x of sorted) {
		const last = out[out.length - 1];
		if (last && x.start <= last.end) {
			if (x.end > last.end) last.end = x.end;
		} else out.push({ start: x.start, end: x.end });
	}
	return out;
}

/**
 * Like `union`, but intervals that only touch stay apart: [0,4) and [4,6) remain two units.
 * Unitizing needs this (two adjacent units are not one long unit).
 */
export function mergeOverlapping(list: readonly Interval[]): Interval[] {
	const sorted = list.filter((x) => x.end > x.start).sort((a, b) => a.start - b.start || a.end - b.end);
	const out: Interval[] = [];
	for (const x of sorted) {
		const last = out[out.length - 1];
		if (last && x.start < last.end) {
			if (x.end > last.end) last.end = x.end;
		} else out.push({ start: x.start, end: x.end });
	}
	return out;
}

/** Total length of sorted disjoint intervals. */
export function totalLength(list: readonly Interval[]): number {
	let s = 0;
	for (const x of list) s += x.end - x.start;
	return s;
}

/** Length of the intersection of two sorted disjoint interval lists. */
export function intersectionLength(a: readonly Interval[], b: readonly Interval[]): number {
	let i = 0;
	let j = 0;
	let s = 0;
	while (i < a.length && j < b.length) {
		const lo = Math.max(a[i].start, b[j].start);
		const hi = Math.min(a[i].end, b[j].end);
		if (hi > lo) s += hi - lo;
		if (a[i].end <= b[j].end) i++;
		else j++;
	}
	return s;
}

/** Overlap length of two single intervals (0 when they do not overlap). */
export function overlap(a: Interval, b: Interval): number {
	return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

/**
 * Coverage histogram: given each coder's sorted disjoint intervals over [0, length), returns
 * h where h[k] = the number of positions covered by exactly k of the coders.
 */
export function coverageHistogram(perCoder: readonly (readonly Interval[])[], length: number): number[] {
	const m = perCoder.length;
	const h = new Array<number>(m + 1).fill(0);
	const events: number[] = [];
	for (const list of perCoder)
		for (const x of list) {
			const s = Math.max(0, x.start);
			const e = Math.min(length, x.end);
			if (e <= s) continue;
			events.push(s * 2 + 1, e * 2); // at equal positions, ends (even) sort before starts (odd)
		}
	events.sort((a, b) => a - b);
	let depth = 0;
	let pos = 0;
	for (const ev of events) {
		const p = Math.floor(ev / 2);
		h[depth] += p - pos;
		pos = p;
		depth += ev % 2 === 1 ? 1 : -1;
	}
	h[0] += length - pos;
	return h;
}
