/** Attribute chips for a case (document list, coding view header). Pure. */
import { attributeText, MISSING } from '$lib/core/retrieval';
import type { Attribute, Case } from '$lib/core/types';

export interface Chip {
	name: string;
	/** What the chip shows: the value, named when a bare number or date would mean nothing ("Employees 120"). */
	text: string;
	/** The tooltip: "Attribute: value". */
	title: string;
}

/** The case's attributes in the given order, as chips; missing values are left out. */
export function attributeChips(c: Case, attrs: readonly Attribute[]): Chip[] {
	const out: Chip[] = [];
	for (const a of attrs) {
		const value = attributeText(c.attributes[a.id]);
		if (value === MISSING) continue;
		out.push({ name: a.name, text: a.type === 'number' || a.type === 'date' ? `${a.name} ${value}` : value, title: `${a.name}: ${value}` });
	}
	return out;
}
