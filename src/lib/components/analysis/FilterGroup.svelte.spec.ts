import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import FilterGroup from './FilterGroup.svelte';

const options = [
	{ value: 'a', label: 'Ann' },
	{ value: 'b', label: 'Bob' },
	{ value: 'c', label: 'Consensus' }
];
const box = (name: string) => screen.getByRole('checkbox', { name }) as HTMLInputElement;

describe('FilterGroup', () => {
	it('shows "all" as every box ticked; unticking one leaves it out', async () => {
		const onchange = vi.fn();
		render(FilterGroup, { label: 'Coders', options, selected: [], onchange });
		expect(options.map((o) => box(o.label).checked)).toEqual([true, true, true]);
		expect(screen.queryByRole('button', { name: 'All' })).toBeNull();
		await fireEvent.click(box('Bob'));
		expect(onchange).toHaveBeenLastCalledWith(['a', 'c']);
	});

	it('ticking the last box left out is "all" again; the only box ticked cannot be unticked', async () => {
		const onchange = vi.fn();
		const view = render(FilterGroup, { label: 'Coders', options, selected: ['a', 'c'], onchange });
		expect(box('Bob').checked).toBe(false);
		await fireEvent.click(box('Bob'));
		expect(onchange).toHaveBeenLastCalledWith([]);

		await view.rerender({ selected: ['c'] });
		expect(box('Consensus').checked).toBe(true);
		expect(box('Consensus').disabled).toBe(true);
		expect(box('Ann').disabled).toBe(false);
		await fireEvent.click(screen.getByRole('button', { name: 'All' }));
		expect(onchange).toHaveBeenLastCalledWith([]);
	});

	it('ignores selected values that are no longer options', () => {
		render(FilterGroup, { label: 'Coders', options, selected: ['gone'], onchange: () => {} });
		expect(options.map((o) => box(o.label).checked)).toEqual([true, true, true]);
	});
});
