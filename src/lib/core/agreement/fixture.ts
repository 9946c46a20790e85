/** Builds small StudyData values for specs and benches. Not used by the app. */
import type { Code, Coder, GlossDocument, Segment, StudyData } from '../types';

const T = '2026-01-01T00:00:00.000Z';

export interface FixtureSpec {
	docs: string[];
	/** [id, name, parentId?] */
	codes: [string, string, string?][];
	coders: string[];
	/** [docIndex, codeId, coderName, start, end] */
	segments: [number, string, string, number, number][];
}

export function fixture(spec: FixtureSpec): StudyData {
	const studyId = 'study';
	const coders: Coder[] = spec.coders.map((name) => ({ id: `coder-${name}`, studyId, name, createdAt: T }));
	const documents: GlossDocument[] = spec.docs.map((text, i) => ({
		id: `doc${i}`,
		studyId,
		name: `Document ${i}`,
		text,
		caseId: null,
		order: i,
		createdAt: T,
		updatedAt: T
	}));
	const codes: Code[] = spec.codes.map(([id, name, parentId], i) => ({
		id,
		studyId,
		parentId: parentId ?? null,
		name,
		definition: '',
		inclusion: '',
		exclusion: '',
		example: '',
		colour: '#336699',
		order: i,
		createdAt: T,
		updatedAt: T
	}));
	const segments: Segment[] = spec.segments.map(([d, codeId, coder, start, end], i) => ({
		id: `seg${i}`,
		studyId,
		documentId: `doc${d}`,
		codeId,
		coderId: `coder-${coder}`,
		start,
		end,
		memo: '',
		createdAt: T,
		updatedAt: T
	}));
	return {
		study: { id: studyId, name: 'Fixture', description: '', createdAt: T, updatedAt: T },
		coders,
		attributes: [],
		cases: [],
		documents,
		codes,
		segments,
		memos: []
	};
}
