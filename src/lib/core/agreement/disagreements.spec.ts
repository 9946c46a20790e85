import { describe, expect, it } from 'vitest';
import { adjudicate, disagreements, inferDecision, reviewDisagreements } from './disagreements';
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
		// keeping both on a passage only A coded writes what accepting A writes: without a remembered
		// decision it reads as accept-a, with one it reads as what the reviewer chose
		const kept = withConsensus(adjudicate(onlyA, 'keep-both', target));
		expect(inferDecision(onlyA, kept, 'coder-Consensus')).toBe('accept-a');
		expect(inferDecision(onlyA, kept, 'coder-Consensus', 'keep-both')).toBe('keep-both');
		expect(inferDecision(onlyA, data, 'coder-Consensus', 'accept-b')).toBe('accept-b');
		expect(inferDecision(onlyA, data, 'coder-Consensus', 'drop')).toBe('drop');
		// a remembered decision the coding no longer matches (edited since) is not believed
		expect(inferDecision(onlyA, kept, 'coder-Consensus', 'drop')).toBe('accept-a');
		const odd = withConsensus([{ ...adjudicate(bounds, 'accept-a', target)[0], start: 45 }]);
		expect(inferDecision(bounds, odd, 'coder-Consensus')).toBe('other');
	});
});

describe('reviewDisagreements: one passage, two different codes', () => {
	const t = 'Interviewer: How do you manage?\nR: I look after my mother every day.\nR: Work is hard.\nInterviewer: And money?\n';
	//          0         1         2         3         4         5         6         7         8
	//          0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890
	const d = fixture({
		docs: [t],
		codes: [
			['care', 'Care'],
			['work', 'Work'],
			['money', 'Money']
		],
		coders: ['A', 'B'],
		segments: [
			[0, 'care', 'A', 35, 67], // A: Care ...
			[0, 'work', 'B', 35, 67], // ... B: Work on the same text
			[0, 'money', 'A', 71, 85], // only A, and B coded nothing there
			[0, 'work', 'A', 71, 85], // A: Work, B: Work with other boundaries
			[0, 'work', 'B', 74, 85]
		]
	});

	it('shows A’s code against B’s other code once, as different codes, with both codes', () => {
		const list = reviewDisagreements(d, 'coder-A', 'coder-B');
		expect(list.map((p) => [p.kind, p.codeIds])).toEqual([
			['different-codes', ['care', 'work']],
			['boundaries', ['work']],
			['only-a', ['money']]
		]);
		const [diff] = list;
		expect(diff).toMatchObject({ start: 35, end: 67, excerpt: 'I look after my mother every day.'.slice(0, 32), overlap: 0, matches: false });
		expect(diff.a.map((s) => s.codeId)).toEqual(['care']);
		expect(diff.b.map((s) => s.codeId)).toEqual(['work']);
		// per code, the same text is 'only A' under Care and 'only B' under Work
		expect(disagreements(d, 'care', 'coder-A', 'coder-B').map((p) => p.kind)).toEqual(['only-a']);
		expect(disagreements(d, 'work', 'coder-A', 'coder-B').map((p) => p.kind)).toEqual(['only-b', 'boundaries']);
	});

	it('says where each passage is: paragraph number and speaker', () => {
		const [diff, , money] = reviewDisagreements(d, 'coder-A', 'coder-B');
		expect(diff.location).toEqual({ paragraph: 2, lastParagraph: 2, speakers: ['R'] });
		expect(money.location).toEqual({ paragraph: 3, lastParagraph: 3, speakers: ['R'] });
		const wide = reviewDisagreements(
			fixture({ docs: [t], codes: [['c', 'C']], coders: ['A', 'B'], segments: [[0, 'c', 'A', 13, 90]] }),
			'coder-A',
			'coder-B'
		)[0];
		expect(wide.location).toEqual({ paragraph: 1, lastParagraph: 4, speakers: ['Interviewer', 'R', 'Interviewer'] });
	});

	it('adjudicates a different-codes passage: A’s code, B’s code, both, or neither', () => {
		const [diff] = reviewDisagreements(d, 'coder-A', 'coder-B');
		const target = { studyId: 'study', coderId: 'coder-Consensus' };
		const codesOf = (dec: Parameters<typeof adjudicate>[1]) => adjudicate(diff, dec, target).map((s) => [s.codeId, s.start, s.end]);
		expect(codesOf('accept-a')).toEqual([['care', 35, 67]]);
		expect(codesOf('accept-b')).toEqual([['work', 35, 67]]);
		expect(codesOf('keep-both')).toEqual([
			['care', 35, 67],
			['work', 35, 67]
		]);
		expect(codesOf('drop')).toEqual([]);
		// the same text under another code is another decision: read back code by code
		const withB = { ...d, segments: [...d.segments, ...adjudicate(diff, 'accept-b', target).map((s, i) => ({ ...s, id: `c${i}`, createdAt: '', updatedAt: '' }))] };
		expect(inferDecision(diff, withB, 'coder-Consensus')).toBe('accept-b');
	});

	it('a chain of overlaps is one passage; a code’s own boundaries disagreement is not paired', () => {
		const chain = fixture({
			docs: [t],
			codes: [
				['x', 'X'],
				['y', 'Y'],
				['z', 'Z']
			],
			coders: ['A', 'B'],
			segments: [
				[0, 'x', 'A', 35, 67],
				[0, 'y', 'B', 30, 50],
				[0, 'z', 'B', 50, 70]
			]
		});
		const [p, ...rest] = reviewDisagreements(chain, 'coder-A', 'coder-B');
		expect(rest).toEqual([]);
		expect(p).toMatchObject({ kind: 'different-codes', codeIds: ['x', 'y', 'z'], start: 30, end: 70 });
		// only the chosen codes are compared
		expect(reviewDisagreements(chain, 'coder-A', 'coder-B', 0.9, { codeIds: ['x', 'y'] }).map((q) => q.kind)).toEqual(['different-codes']);
		expect(reviewDisagreements(chain, 'coder-A', 'coder-B', 0.9, { codeIds: ['x'] }).map((q) => q.kind)).toEqual(['only-a']);
	});
});
