import { describe, expect, it } from 'vitest';
import { adjudicate, disagreements, inferDecision } from './disagreements';
import { fixture } from './fixture';

const text = 'I look after my mother. Work is hard. We never talk about money. Sleep is short.';
//            0         1         2         3         4         5         6         7
//            0123456789012345678901234567890123456789012345678901234567890123456789012345678

const data = fixture({
	docs: [text, 'second document text'],
	codes: [
		['c', 'Care'],
		['k', 'Family care', 'c']
	],
	coders: ['A', 'B', 'C'],
	segments: [
		[0, 'c', 'A', 0, 23], // identical in both: agreement
		[0, 'c', 'B', 0, 23],
		[0, 'c', 'A', 24, 37], // only A
		[0, 'c', 'B', 38, 64], // B longer than A: boundaries
		[0, 'c', 'A', 41, 64],
		[0, 'c', 'B', 65, 80], // only B
		[0, 'c', 'C', 24, 37], // another coder: ignored
		[1, 'k', 'A', 0, 6] // child code: only with includeDescendants
	]
});

describe('disagreements', () => {
	it('lists passages only A coded, only B coded, and both with different boundaries, with their text', () => {
		const list = disagreements(data, 'c', 'coder-A', 'coder-B');
		expect(list.map((d) => d.kind)).toEqual(['only-a', 'boundaries', 'only-b']);
		const [onlyA, bounds, onlyB] = list;
		expect(onlyA).toMatchObject({ documentId: 'doc0', start: 24, end: 37, excerpt: 'Work is hard.', overlap: 0, matches: false });
		expect(onlyA.a).toEqual([{ segmentId: 'seg2', codeId: 'c', start: 24, end: 37, text: 'Work is hard.', memo: '' }]);
		expect(onlyA.b).toEqual([]);
		expect(bounds.a.map((s) => [s.start, s.end])).toEqual([[41, 64]]);
		expect(bounds.b.map((s) => [s.start, s.end])).toEqual([[38, 64]]);
		expect(bounds.excerpt).toBe('We never talk about money.');
		expect(bounds.overlap).toBeCloseTo(23 / 26, 12);
		expect(bounds.matches).toBe(false);
		expect(disagreements(data, 'c', 'coder-A', 'coder-B', 0.85)[1].matches).toBe(true);
		expect(onlyB.b[0].text).toBe('Sleep is short.');
		expect(new Set(list.map((d) => d.id)).size).toBe(3);
	});

	it('lists agreements on request, and a child code’s passages with includeDescendants', () => {
		const withAgree = disagreements(data, 'c', 'coder-A', 'coder-B', 0.9, { includeAgreements: true });
		expect(withAgree[0]).toMatchObject({ kind: 'agreement', start: 0, end: 23, overlap: 1, matches: true });
		const nested = disagreements(data, 'c', 'coder-A', 'coder-B', 0.9, { includeDescendants: true });
		expect(nested.map((d) => [d.documentId, d.kind])).toContainEqual(['doc1', 'only-a']);
		expect(nested.find((d) => d.documentId === 'doc1')!.a[0].codeId).toBe('k');
		expect(disagreements(data, 'c', 'coder-A', 'coder-B', 0.9, { documentIds: ['doc1'], includeDescendants: true })).toHaveLength(1);
	});

	it('the same coding gives the same ids (so the review screen can remember decisions)', () => {
		expect(disagreements(data, 'c', 'coder-A', 'coder-B').map((d) => d.id)).toEqual(
			disagreements(structuredClone(data), 'c', 'coder-A', 'coder-B').map((d) => d.id)
		);
	});
});

describe('adjudicate', () => {
	const target = { studyId: 'study', coderId: 'coder-consensus' };
	const [onlyA, bounds] = disagreements(data, 'c', 'coder-A', 'coder-B');

	it('accept A / accept B copy that coder’s segments to the consensus coder', () => {
		expect(adjudicate(bounds, 'accept-a', target)).toEqual([
			{ studyId: 'study', documentId: 'doc0', codeId: 'c', coderId: 'coder-consensus', start: 41, end: 64, memo: '' }
		]);
		expect(adjudicate(bounds, 'accept-b', target).map((s) => [s.start, s.end])).toEqual([[38, 64]]);
		expect(adjudicate(onlyA, 'accept-b', target)).toEqual([]);
	});

	it('keep both writes the union of both coders’ text; drop writes nothing', () => {
		expect(adjudicate(bounds, 'keep-both', target).map((s) => [s.start, s.end])).toEqual([[38, 64]]);
		const split = disagreements(
			fixture({
				docs: [text],
				codes: [['c', 'Care']],
				coders: ['A', 'B'],
				segments: [
					[0, 'c', 'A', 0, 10],
					[0, 'c', 'B', 5, 20],
					[0, 'c', 'A', 18, 30]
				]
			}),
			'c',
			'coder-A',
			'coder-B'
		);
		expect(split).toHaveLength(1);
		expect(adjudicate(split[0], 'keep-both', target).map((s) => [s.start, s.end])).toEqual([[0, 30]]);
		expect(adjudicate(split[0], 'accept-a', target).map((s) => [s.start, s.end])).toEqual([
			[0, 10],
			[18, 30]
		]);
		expect(adjudicate(bounds, 'drop', target)).toEqual([]);
	});
});

describe('inferDecision', () => {
	it('reads the consensus coder’s coding back as a decision', () => {
		const [onlyA, bounds] = disagreements(data, 'c', 'coder-A', 'coder-B');
		const withConsensus = (segs: ReturnType<typeof adjudicate>) => ({
			...data,
			segments: [...data.segments, ...segs.map((s, i) => ({ ...s, id: `cons${i}`, createdAt: '', updatedAt: '' }))]
		});
		const target = { studyId: 'study', coderId: 'coder-Consensus' };
		expect(inferDecision(bounds, data, 'coder-Consensus')).toBeNull();
		expect(inferDecision(bounds, withConsensus(adjudicate(bounds, 'accept-a', target)), 'coder-Consensus')).toBe('accept-a');
		expect(inferDecision(bounds, withConsensus(adjudicate(bounds, 'accept-b', target)), 'coder-Consensus')).toBe('accept-b');
		expect(inferDecision(onlyA, withConsensus(adjudicate(onlyA, 'keep-both', target)), 'coder-Consensus')).toBe('accept-a');
		const odd = withConsensus([{ ...adjudicate(bounds, 'accept-a', target)[0], start: 45 }]);
		expect(inferDecision(bounds, odd, 'coder-Consensus')).toBe('other');
	});
});
