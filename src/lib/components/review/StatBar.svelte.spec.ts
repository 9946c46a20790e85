import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import StatBar from './StatBar.svelte';

describe('StatBar', () => {
	it('shows n/a with its reason, never 0, for an undefined statistic', () => {
		const { container } = render(StatBar, { stat: { value: null, reason: 'no variation: every coder used one category' }, kind: 'coefficient' });
		const na = screen.getByTitle('no variation: every coder used one category');
		expect(na.textContent).toBe('n/a: no variation: every coder used one category');
		expect(container.textContent).not.toMatch(/\d/);
	});

	it('shows a coefficient to three decimals with its band, and a percentage with one decimal', () => {
		const k = render(StatBar, { stat: { value: 0.5714 }, kind: 'coefficient' });
		expect(k.container.textContent?.trim()).toBe('0.571');
		expect(k.container.querySelector('[title]')?.getAttribute('title')).toBe('0.571: moderate (Landis & Koch)');
		const p = render(StatBar, { stat: { value: 0.8333 }, kind: 'percent' });
		expect(p.container.textContent?.trim()).toBe('83.3%');
		const none = render(StatBar, { stat: undefined, kind: 'percent' });
		expect(none.container.textContent?.trim()).toBe('–');
	});

	it('shows a real 0 as a value in normal colour, not as a faint empty count', () => {
		const k = render(StatBar, { stat: { value: 0 }, kind: 'coefficient' });
		expect(k.container.textContent?.trim()).toBe('0.000');
		const num = k.container.querySelector('.num');
		expect(num?.classList.contains('zero')).toBe(false);
		expect(num?.classList.contains('faint')).toBe(false);
	});
});
