import { describe, expect, it } from 'vitest';
import { favouriteCodes, favouriteKeys, setFavourite } from './favourites';
import type { Code } from './types';

const T = '2026-01-01T00:00:00.000Z';
const code = (id: string, parentId: string | null, order: number, favourite: number | null = null): Code => ({
	id,
	studyId: 'st',
	parentId,
	name: id,
	definition: '',
	inclusion: '',
	exclusion: '',
	example: '',
	colour: '#000000',
	order,
	favourite,
	createdAt: T,
	updatedAt: T
});

// Motivations > (Economic > (wages, rent), family); Barriers > language; trust
const book = [
	code('trust', null, 2),
	code('motivations', null, 0),
	code('economic', 'motivations', 0),
	code('wages', 'economic', 0),
	code('rent', 'economic', 1),
	code('family', 'motivations', 1),
	code('barriers', null, 1),
	code('language', 'barriers', 0)
];

describe('favouriteCodes', () => {
	it('without favourites, gives the keys to leaf codes in codebook order, skipping containers', () => {
		expect(favouriteCodes(book).map((c) => c.id)).toEqual(['wages', 'rent', 'family', 'language', 'trust']);
		expect([...favouriteKeys(book).keys()]).toEqual([1, 2, 3, 4, 5]);
	});

	it('stops at nine', () => {
		const many = Array.from({ length: 12 }, (_, i) => code(`c${i}`, null, i));
		const favs = favouriteCodes(many);
		expect(favs).toHaveLength(9);
		expect(favs[8].id).toBe('c8');
	});

	it('uses the set favourites, by key, and only them', () => {
		const b = book.map((c) => (c.id === 'trust' ? { ...c, favourite: 1 } : c.id === 'economic' ? { ...c, favourite: 4 } : c));
		const m = favouriteKeys(b);
		expect([...m].map(([k, c]) => [k, c.id])).toEqual([
			[1, 'trust'],
			[4, 'economic']
		]);
		expect(favouriteCodes(b).map((c) => c.id)).toEqual(['trust', 'economic']);
	});

	it('ignores keys outside 1–9 and lets the first code in codebook order win a doubled key', () => {
		const b = book.map((c) => (c.id === 'trust' ? { ...c, favourite: 2 } : c.id === 'rent' ? { ...c, favourite: 2 } : c.id === 'family' ? { ...c, favourite: 12 } : c));
		expect([...favouriteKeys(b)].map(([k, c]) => [k, c.id])).toEqual([[2, 'rent']]);
	});

	it('is empty for an empty codebook', () => {
		expect(favouriteCodes([])).toEqual([]);
	});
});

describe('setFavourite', () => {
	it('gives a code a key and takes it from the code that had it', () => {
		const b = book.map((c) => (c.id === 'trust' ? { ...c, favourite: 3 } : c));
		const r = setFavourite(b, 'wages', 3, 'now');
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		const byId = new Map(r.value.upserts.map((c) => [c.id, c]));
		expect(byId.get('wages')?.favourite).toBe(3);
		expect(byId.get('trust')?.favourite).toBeNull();
		expect(byId.get('trust')?.updatedAt).toBe('now');
		expect(r.value.upserts).toHaveLength(2);
	});

	it('clears a key', () => {
		const b = book.map((c) => (c.id === 'trust' ? { ...c, favourite: 3 } : c));
		const r = setFavourite(b, 'trust', null, 'now');
		expect(r.ok && r.value.upserts.map((c) => [c.id, c.favourite])).toEqual([['trust', null]]);
	});

	it('writes nothing when the key is already the code’s', () => {
		const b = book.map((c) => (c.id === 'trust' ? { ...c, favourite: 3 } : c));
		const r = setFavourite(b, 'trust', 3);
		expect(r.ok && r.value.upserts).toEqual([]);
	});

	it('refuses a key outside 1–9 and a missing code', () => {
		expect(setFavourite(book, 'trust', 0).ok).toBe(false);
		expect(setFavourite(book, 'trust', 10).ok).toBe(false);
		expect(setFavourite(book, 'trust', 2.5).ok).toBe(false);
		expect(setFavourite(book, 'nope', 1).ok).toBe(false);
	});
});
