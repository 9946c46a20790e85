import { describe, expect, it } from 'vitest';
import type { StudyData } from '../types';
import { defaultCoderIds, describeCoders, onlyCoder } from './coders';
import { frequencies } from './frequencies';

const coders = [
	{ id: 'a', studyId: 's', name: 'Ann', createdAt: '' },
	{ id: 'b', studyId: 's', name: 'Bob', createdAt: '' },
	{ id: 'c', studyId: 's', name: 'Consensus', isConsensus: true, createdAt: '' }
];

function study(): StudyData {
	const seg = (id: string, coderId: string) => ({
		id,
		studyId: 's',
		documentId: 'd',
		codeId: 'k',
		coderId,
		start: 0,
		end: 4,
		memo: '',
		createdAt: '',
		updatedAt: ''
	});
	return {
		study: { id: 's', name: 'S', createdAt: '', updatedAt: '' } as StudyData['study'],
		coders,
		attributes: [],
		cases: [],
		documents: [{ id: 'd', studyId: 's', name: 'D', text: 'text', caseId: null, order: 0 } as unknown as StudyData['documents'][number]],
		codes: [{ id: 'k', studyId: 's', parentId: null, name: 'K', order: 0 } as unknown as StudyData['codes'][number]],
		segments: [seg('1', 'a'), seg('2', 'b'), seg('3', 'c')],
		memos: [
			{ id: 'm1', studyId: 's', targetType: 'study', targetId: null, title: '', text: 'x', coderId: 'a', createdAt: '', updatedAt: '' },
			{ id: 'm2', studyId: 's', targetType: 'study', targetId: null, title: '', text: 'y', coderId: 'b', createdAt: '', updatedAt: '' },
			{ id: 'm3', studyId: 's', targetType: 'study', targetId: null, title: '', text: 'z', coderId: null, createdAt: '', updatedAt: '' }
		]
	};
}

describe('which coders a table counts', () => {
	it('defaults to the consensus coder where there is one, else to every coder', () => {
		expect(defaultCoderIds(coders)).toEqual(['c']);
		expect(defaultCoderIds(coders.slice(0, 2))).toEqual([]);
	});

	it('names the coders counted', () => {
		expect(describeCoders(coders, ['c'])).toBe('Consensus');
		expect(describeCoders(coders, [])).toBe('all coders (3)');
		expect(describeCoders(coders, ['a', 'b', 'c'])).toBe('all coders (3)');
		expect(describeCoders(coders, ['b', 'a'])).toBe('Ann and Bob');
		expect(describeCoders(coders, ['gone'])).toBe('all coders (3)');
		expect(describeCoders(coders.slice(0, 1), [])).toBe('Ann');
	});

	it('blind coding: the study as one coder sees it', () => {
		const d = onlyCoder(study(), 'a');
		expect(d.coders.map((c) => c.id)).toEqual(['a']);
		expect(d.segments.map((s) => s.id)).toEqual(['1']);
		expect(d.memos.map((m) => m.id)).toEqual(['m1', 'm3']);
		expect(frequencies(d, {}, { includeDescendants: false }).rows[0].segments).toBe(1);
		expect(frequencies(study(), {}, { includeDescendants: false }).rows[0].segments).toBe(3);
		expect(frequencies(study(), { coderIds: defaultCoderIds(coders) }, { includeDescendants: false }).rows[0].segments).toBe(1);
	});
});
