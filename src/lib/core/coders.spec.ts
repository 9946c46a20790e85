import { describe, expect, it } from 'vitest';
import { codersByLastUse, lastUseByCoder } from './coders';
import type { Coder } from './types';

const coder = (id: string, name: string): Coder => ({ id, studyId: 's', name, createdAt: 't' });

describe('the order coders are offered in', () => {
	it('puts the coder who worked last first, then by last work, then the rest by name', () => {
		const coders = [coder('a', 'Ana'), coder('b', 'Bo'), coder('c', 'Chen'), coder('d', 'Dee')];
		const last = lastUseByCoder([
			{ coderId: 'a', updatedAt: '2026-01-01T00:00:00Z' },
			{ coderId: 'c', updatedAt: '2026-03-01T00:00:00Z' },
			{ coderId: 'a', updatedAt: '2026-02-01T00:00:00Z' },
			{ coderId: null, updatedAt: '2027-01-01T00:00:00Z' }
		]);
		expect(last).toEqual(
			new Map([
				['a', '2026-02-01T00:00:00Z'],
				['c', '2026-03-01T00:00:00Z']
			])
		);
		expect(codersByLastUse(coders, last).map((c) => c.name)).toEqual(['Chen', 'Ana', 'Bo', 'Dee']);
	});
});
