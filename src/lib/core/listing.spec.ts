import { describe, expect, it } from 'vitest';
import { compareValues, filterWords, listPage, type ListColumn } from './listing';

type Doc = { name: string; city: string | null; segs: number };
const docs: Doc[] = Array.from({ length: 500 }, (_, i) => ({
	name: `Transcript ${i + 1}`,
	city: i % 3 === 0 ? 'Beijing' : i % 3 === 1 ? 'Shanghai' : null,
	segs: (i * 37) % 101
}));
const columns: Record<'name' | 'city' | 'segs', ListColumn<Doc>> = {
	name: { value: (d) => d.name },
	city: { value: (d) => d.city },
	segs: { value: (d) => d.segs }
};
const text = (d: Doc) => `${d.name} ${d.city ?? ''}`;
const q = { filter: '', sort: null, dir: 'asc' as const, page: 0, size: 100 };

describe('listPage', () => {
	it('shows one page of the whole list, and the last page holds the 500th item', () => {
		const p = listPage(docs, q, text, columns);
		expect(p.items).toHaveLength(100);
		expect(p.pages).toBe(5);
		expect(p.matched).toBe(500);
		expect(p.items[0].name).toBe('Transcript 1');
		const last = listPage(docs, { ...q, page: 4 }, text, columns);
		expect(last.first).toBe(400);
		expect(last.items.at(-1)!.name).toBe('Transcript 500');
	});

	it('clamps the page to the pages there are', () => {
		expect(listPage(docs, { ...q, page: 99 }, text, columns).page).toBe(4);
		expect(listPage(docs, { ...q, page: -3 }, text, columns).page).toBe(0);
		const none = listPage(docs, { ...q, filter: 'nothing like this' }, text, columns);
		expect(none).toMatchObject({ items: [], matched: 0, page: 0, pages: 1 });
	});

	it('filters over every item by all the words, in any case and order', () => {
		const p = listPage(docs, { ...q, filter: '  beijing   TRANSCRIPT 49' }, text, columns);
		// each word anywhere: Transcript 49, 349, 490… where the city is Beijing
		expect(p.items.map((d) => d.name)).toEqual(docs.filter((d) => d.city === 'Beijing' && d.name.includes('49')).map((d) => d.name));
		expect(p.items.map((d) => d.name)).toContain('Transcript 349');
		expect(p.items.map((d) => d.name)).toContain('Transcript 499');
	});

	it('sorts names naturally, and descending puts Transcript 500 first', () => {
		const asc = listPage(docs, { ...q, sort: 'name' }, text, columns);
		expect(asc.items.slice(0, 3).map((d) => d.name)).toEqual(['Transcript 1', 'Transcript 2', 'Transcript 3']);
		const desc = listPage(docs, { ...q, sort: 'name', dir: 'desc' }, text, columns);
		expect(desc.items[0].name).toBe('Transcript 500');
	});

	it('sorts numbers as numbers, stably, with empty values last in both directions', () => {
		const bySegs = listPage(docs, { ...q, sort: 'segs', size: 500 }, text, columns).items;
		for (let i = 1; i < bySegs.length; i++) expect(bySegs[i - 1].segs).toBeLessThanOrEqual(bySegs[i].segs);
		// ties keep the list's own order
		const zeros = bySegs.filter((d) => d.segs === 0).map((d) => docs.indexOf(d));
		expect(zeros).toEqual([...zeros].sort((a, b) => a - b));
		for (const dir of ['asc', 'desc'] as const) {
			const byCity = listPage(docs, { ...q, sort: 'city', dir, size: 500 }, text, columns).items;
			const firstEmpty = byCity.findIndex((d) => d.city === null);
			expect(byCity.slice(firstEmpty).every((d) => d.city === null)).toBe(true);
			expect(byCity[0].city).toBe(dir === 'asc' ? 'Beijing' : 'Shanghai');
		}
	});
});

describe('helpers', () => {
	it('splits a filter into lower-case words', () => {
		expect(filterWords('  Wave  2 ')).toEqual(['wave', '2']);
		expect(filterWords('')).toEqual([]);
	});
	it('compares numbers numerically and strings naturally', () => {
		expect(compareValues(9, 10)).toBeLessThan(0);
		expect(compareValues('Transcript 9', 'Transcript 10')).toBeLessThan(0);
		expect(compareValues(null, 'a')).toBeGreaterThan(0);
	});
});
