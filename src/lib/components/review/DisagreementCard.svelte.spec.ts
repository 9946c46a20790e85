import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Disagreement } from '$lib/core/agreement';
import DisagreementCard from './DisagreementCard.svelte';

// "The main measure was recycling": A coded 0–30, B coded 4–30.
const text = 'The main measure was recycling';
const passage: Disagreement = {
	id: 'd1:boundaries:0-30:4-30',
	kind: 'boundaries',
	documentId: 'd1',
	documentName: 'C01 interview',
	codeId: 'k',
	codeIds: ['k'],
	location: { paragraph: 12, lastParagraph: 12, speakers: ['R'] },
	start: 0,
	end: 30,
	excerpt: text,
	a: [{ segmentId: 's1', codeId: 'k', start: 0, end: 30, text, memo: 'clear case' }],
	b: [{ segmentId: 's2', codeId: 'k', start: 4, end: 30, text: text.slice(4), memo: '' }],
	overlap: 26 / 30,
	matches: false
};

function props(over: Record<string, unknown> = {}) {
	return {
		passage,
		index: 0,
		total: 2,
		nameA: 'Ann',
		nameB: 'Ben',
		decision: null,
		decisionLabel: '',
		active: true,
		before: 'R: ',
		after: ' water.',
		codeName: (id: string) => ({ k: 'Recycling', w: 'Water' })[id] ?? id,
		listedUnder: 'k',
		href: '/study/s/code?doc=d1&at=0&end=30',
		busy: false,
		ondecide: vi.fn(),
		onfocus: vi.fn(),
		...over
	};
}

describe('DisagreementCard', () => {
	it('shows a different-codes disagreement once, with both coders’ codes', () => {
		const diff: Disagreement = {
			...passage,
			id: 'd1:different-codes',
			kind: 'different-codes',
			codeIds: ['k', 'w'],
			location: { paragraph: 3, lastParagraph: 4, speakers: ['Interviewer', 'R'] },
			b: [{ ...passage.b[0], codeId: 'w' }],
			overlap: 0
		};
		render(DisagreementCard, props({ passage: diff, listedUnder: null }));
		const card = screen.getByRole('group', {
			name: 'Passage 1 of 2: Different codes: Ann “Recycling”, Ben “Water”, in C01 interview, paragraphs 3 to 4, Interviewer, then R speaking'
		});
		expect(within(card).getByRole('region', { name: 'A: Ann' }).textContent).toContain('Recycling');
		expect(within(card).getByRole('region', { name: 'B: Ben' }).textContent).toContain('Water');
		expect(card.querySelector('header')!.textContent).toContain('¶ 3–4 · Interviewer → R');
	});

	it('shows both boundaries side by side and marks the text only one coder coded', () => {
		const { container } = render(DisagreementCard, props());
		const card = screen.getByRole('group', {
			name: 'Passage 1 of 2: Both coded it, with different boundaries (overlap 86.7%), in C01 interview, paragraph 12, R speaking'
		});
		const a = within(card).getByRole('region', { name: 'A: Ann' });
		const b = within(card).getByRole('region', { name: 'B: Ben' });
		// where the passage is, as a reader finds it; never raw offsets
		expect(card.querySelector('header')!.textContent).toContain('¶ 12 · R');
		expect(card.textContent).not.toMatch(/0–30|4–30/);
		// A's side: "The " is coded only by A (the difference); B's side: "The " is not coded there
		expect([...a.querySelectorAll('.coded.diff')].map((e) => e.textContent)).toEqual(['The ']);
		expect([...b.querySelectorAll('.missing-here')].map((e) => e.textContent)).toEqual(['The ']);
		expect([...b.querySelectorAll('.coded')].map((e) => e.textContent)).toEqual(['main measure was recycling']);
		expect(a.textContent).toContain('Memo: clear case');
		expect(container.querySelector('.ctx')?.textContent).toBe('…R: ');
		expect(within(card).getByText('Not adjudicated')).toBeTruthy();
	});

	it('hands each decision to its callback and shows the chosen one as pressed', async () => {
		const ondecide = vi.fn();
		render(DisagreementCard, props({ ondecide, decision: 'keep-both', decisionLabel: 'Kept both' }));
		await fireEvent.click(screen.getByRole('button', { name: 'Accept B' }));
		await fireEvent.click(screen.getByRole('button', { name: 'Drop' }));
		expect(ondecide.mock.calls).toEqual([['accept-b'], ['drop']]);
		expect(screen.getByRole('button', { name: 'Keep both' }).getAttribute('aria-pressed')).toBe('true');
		expect(screen.getByText('Kept both')).toBeTruthy();
		expect(screen.getByRole('link', { name: 'Open in coding view' }).getAttribute('href')).toBe('/study/s/code?doc=d1&at=0&end=30');
	});
});
