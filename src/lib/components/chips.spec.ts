import { describe, expect, it } from 'vitest';
import { attributeChips } from './chips';
import type { Attribute, Case } from '$lib/core/types';

const attr = (id: string, name: string, type: Attribute['type'], order: number): Attribute => ({ id, studyId: 's', name, type, order });
const attrs = [attr('a', 'City', 'category', 0), attr('b', 'Employees', 'number', 1), attr('c', 'Interviewed', 'date', 2), attr('d', 'Note', 'text', 3)];
const kase = (attributes: Case['attributes']): Case => ({ id: 'k', studyId: 's', name: 'C01', attributes, createdAt: 't', updatedAt: 't' });

describe('attributeChips', () => {
	it('names numbers and dates, shows categories bare, and titles every chip "Attribute: value"', () => {
		expect(attributeChips(kase({ a: 'N', b: 120, c: '2024-03-01', d: 'pilot' }), attrs)).toEqual([
			{ name: 'City', text: 'N', title: 'City: N' },
			{ name: 'Employees', text: 'Employees 120', title: 'Employees: 120' },
			{ name: 'Interviewed', text: 'Interviewed 2024-03-01', title: 'Interviewed: 2024-03-01' },
			{ name: 'Note', text: 'pilot', title: 'Note: pilot' }
		]);
	});
	it('leaves out missing values', () => {
		expect(attributeChips(kase({ a: '', b: null }), attrs)).toEqual([]);
	});
});
