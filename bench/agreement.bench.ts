/**
 * Agreement speed: 500 transcripts of ~10,000 characters, 2 coders, 36 codes in two levels,
 * ~40 segments per coder per transcript (coder B mostly follows A with shifted boundaries, and
 * codes some passages of their own).
 *
 * - agreement-character-500docs: agreementReport at character level (NVivo coding comparison)
 *   for all codes plus the pooled row, from a fresh StudyData object each run.
 */
import type { BenchCase } from '../scripts/bench';
import { agreementReport } from '../src/lib/core/agreement/report';
import type { Code, Coder, GlossDocument, Segment, StudyData } from '../src/lib/core/types';
import { benchCode, rng, sample, T } from './lib';

export function agreementStudy(nDocs = 500, chars = 10_000, segsPerCoder = 40): StudyData {
	const rand = rng(7);
	const studyId = 'bench';
	const coders: Coder[] = ['Ana', 'Ben'].map((name, i) => ({ id: `coder-${i}`, studyId, name, createdAt: T }));
	const codes: Code[] = [];
	for (let g = 0; g < 6; g++)
		for (let k = 0; k < 6; k++)
			codes.push(benchCode(studyId, `code-${g}-${k}`, k === 0 ? `Theme ${g + 1}` : `Sub ${g + 1}.${k}`, k === 0 ? null : `code-${g}-0`, k));
	const words = 'we the plant water cost audit report worker health market price waste energy training policy'.split(' ');
	const documents: GlossDocument[] = [];
	const segments: Segment[] = [];
	const seg = (documentId: string, codeId: string, coderId: string, start: number, end: number): Segment => ({
		id: `seg-${segments.length}`,
		studyId,
		documentId,
		codeId,
		coderId,
		start,
		end,
		memo: '',
		createdAt: T,
		updatedAt: T
	});
	for (let d = 0; d < nDocs; d++) {
		let text = '';
		while (text.length < chars) text += words[Math.floor(rand() * words.length)] + (rand() < 0.06 ? '.\n' : ' ');
		const id = `doc-${d}`;
		documents.push({ id, studyId, name: `Transcript ${d + 1}`, text, caseId: null, order: d, createdAt: T, updatedAt: T });
		for (let s = 0; s < segsPerCoder; s++) {
			const code = codes[Math.floor(rand() * codes.length)].id;
			const len = 50 + Math.floor(rand() * 600);
			const start = Math.floor(rand() * (text.length - len));
			segments.push(seg(id, code, 'coder-0', start, start + len));
			const r = rand();
			if (r < 0.7) {
				const s2 = Math.max(0, start + Math.floor((rand() - 0.5) * 60));
				const e2 = Math.min(text.length, start + len + Math.floor((rand() - 0.5) * 60));
				if (e2 > s2) segments.push(seg(id, code, 'coder-1', s2, e2));
			} else if (r < 0.85) {
				const other = codes[Math.floor(rand() * codes.length)].id;
				segments.push(seg(id, other, 'coder-1', start, start + len));
			} else {
				const s2 = Math.floor(rand() * (text.length - len));
				segments.push(seg(id, code, 'coder-1', s2, s2 + len));
			}
		}
	}
	return {
		study: { id: studyId, name: 'Agreement bench', description: '', createdAt: T, updatedAt: T },
		coders,
		attributes: [],
		cases: [],
		documents,
		codes,
		segments,
		memos: []
	};
}

let study: StudyData | null = null;

export const cases: BenchCase[] = [
	{
		name: 'agreement-character-500docs',
		unit: 'ms',
		target: 1000,
		async measure() {
			const base = (study ??= agreementStudy());
			const run = () => {
				const rep = agreementReport({ ...base }, { coderIds: ['coder-0', 'coder-1'], unit: 'character' });
				const k = rep.rows[rep.rows.length - 1].stats.cohen_kappa?.value;
				if (typeof k !== 'number' || rep.rows.length !== base.codes.length + 1) throw new Error('nothing computed');
				return rep;
			};
			const samples = sample(10, 2, run);
			return {
				samples,
				extra: { max: Math.max(...samples), segments: base.segments.length, mchars: base.documents.reduce((s, d) => s + d.text.length, 0) / 1e6 }
			};
		}
	}
];
