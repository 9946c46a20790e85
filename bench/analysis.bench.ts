/**
 * Analysis and export speed over a generated study: 500 transcripts, 5 million words,
 * 100,000 segments, 3 coders, 40 codes in three levels, 400 cases with City, Sector and Wave.
 *
 * - aggregate-100k: the frequency table + the cross-tab by City + the cross-tab by City × Sector,
 *   from a fresh StudyData object each run (so the analysis index is rebuilt every time).
 * - export-segments-csv-100k: the coded-segments CSV of all 100,000 segments.
 */
import type { BenchCase } from '../scripts/bench';
import { crosstab } from '../src/lib/core/analysis/crosstab';
import { frequencies } from '../src/lib/core/analysis/frequencies';
import { segmentsCsv } from '../src/lib/core/exports';
import type { Attribute, Case, Code, Coder, GlossDocument, Segment, StudyData } from '../src/lib/core/types';
import { benchCode, rng, sample, T } from './lib';

export interface SyntheticOptions {
	documents?: number;
	wordsPerDocument?: number;
	segments?: number;
	cases?: number;
}

export function syntheticStudy(opts: SyntheticOptions = {}): StudyData {
	const nDocs = opts.documents ?? 500;
	const words = opts.wordsPerDocument ?? 10_000;
	const nSegs = opts.segments ?? 100_000;
	const nCases = opts.cases ?? 400;
	const rand = rng(42);
	const studyId = 'bench';
	const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];

	const coders: Coder[] = ['Ana', 'Ben', 'Consensus'].map((name, i) => ({
		id: `coder-${i}`,
		studyId,
		name,
		...(i === 2 ? { isConsensus: true } : {}),
		createdAt: T
	}));
	const attributes: Attribute[] = [
		{ id: 'city', studyId, name: 'City', type: 'category', order: 0 },
		{ id: 'sector', studyId, name: 'Sector', type: 'category', order: 1 },
		{ id: 'wave', studyId, name: 'Wave', type: 'number', order: 2 }
	];
	const sectors = ['Chemicals', 'Pharmaceuticals', 'Light industry', 'Textiles', 'Steel', 'Machine building', 'Power plant', 'Other'];
	const cases: Case[] = [];
	for (let i = 0; i < nCases; i++) {
		const attrs: Case['attributes'] = { city: pick(['C', 'N', 'S']), wave: rand() < 0.5 ? 1 : 2 };
		if (rand() > 0.05) attrs.sector = pick(sectors);
		if (rand() < 0.02) delete attrs.city;
		cases.push({ id: `case-${i}`, studyId, name: `E${String(i + 1).padStart(3, '0')}`, attributes: attrs, createdAt: T, updatedAt: T });
	}
	const codes: Code[] = [];
	const code = (name: string, parentId: string | null, order: number): Code => {
		const c = benchCode(studyId, `code-${codes.length}`, name, parentId, order);
		codes.push(c);
		return c;
	};
	for (let g = 0; g < 4; g++) {
		const top = code(`Group ${g + 1}`, null, g);
		for (let k = 0; k < 4; k++) {
			const mid = code(`Reason ${g + 1}.${k + 1}`, top.id, k);
			for (let l = 0; l < 1 + (k % 2); l++) code(`Detail ${g + 1}.${k + 1}.${l + 1}`, mid.id, l);
		}
	}
	const vocabulary = (
		'the we our plant cost water energy audit report standard discharge emission quality market export ' +
		'price worker safety health neighbour complaint bureau program training support manager equipment ' +
		'process product waste recycle reduce save investment technology renovation policy city province'
	).split(' ');
	const documents: GlossDocument[] = [];
	for (let d = 0; d < nDocs; d++) {
		const parts: string[] = new Array(words);
		for (let w = 0; w < words; w++) parts[w] = vocabulary[Math.floor(rand() * vocabulary.length)] + (w % 17 === 16 ? '.\n' : '');
		documents.push({
			id: `doc-${d}`,
			studyId,
			name: `Transcript ${d + 1}`,
			text: parts.join(' '),
			// The first nCases documents have one case each; the rest are second interviews of a case.
			caseId: d < nCases ? cases[d].id : cases[Math.floor(rand() * nCases)].id,
			order: d,
			createdAt: T,
			updatedAt: T
		});
	}
	const segments: Segment[] = new Array(nSegs);
	for (let i = 0; i < nSegs; i++) {
		const doc = documents[i % nDocs];
		const len = 60 + Math.floor(rand() * 400);
		const start = Math.floor(rand() * (doc.text.length - len));
		segments[i] = {
			id: `seg-${i}`,
			studyId,
			documentId: doc.id,
			codeId: codes[Math.floor(rand() * codes.length)].id,
			coderId: coders[Math.floor(rand() * coders.length)].id,
			start,
			end: start + len,
			memo: rand() < 0.1 ? 'A memo, with "quotes", on this passage' : '',
			createdAt: T,
			updatedAt: T
		};
	}
	return {
		study: { id: studyId, name: 'Bench study', description: '', createdAt: T, updatedAt: T },
		coders,
		attributes,
		cases,
		documents,
		codes,
		segments,
		memos: []
	};
}

let study: StudyData | null = null;
const getStudy = () => (study ??= syntheticStudy());

export const cases: BenchCase[] = [
	{
		name: 'aggregate-100k',
		unit: 'ms',
		target: 50,
		async measure() {
			const base = getStudy();
			let checksum = 0;
			const samples = sample(15, 3, () => {
				// A fresh object: the analysis index is rebuilt, as after any edit.
				const data = { ...base };
				const f = frequencies(data);
				const a = crosstab(data, {}, { by: ['city'] });
				const b = crosstab(data, {}, { by: ['city', 'sector'] });
				checksum += f.rows[0].segments + a.grandTotal + b.columns.length;
			});
			if (!checksum) throw new Error('nothing computed');
			// For information: the same three tables when the index is already built (as on the
			// analysis screen when only the filter or the cross-tab attribute changes).
			const cachedData = { ...base };
			const cached = sample(15, 2, () => {
				frequencies(cachedData);
				crosstab(cachedData, {}, { by: ['city'] });
				crosstab(cachedData, {}, { by: ['city', 'sector'] });
			});
			const c = [...cached].sort((x, y) => x - y);
			return { samples, extra: { min: Math.min(...samples), max: Math.max(...samples), cachedIndexMedian: c[c.length >> 1] } };
		}
	},
	{
		name: 'export-segments-csv-100k',
		unit: 'ms',
		target: 1000,
		async measure() {
			const base = getStudy();
			let bytes = 0;
			const samples = sample(5, 1, () => {
				bytes = segmentsCsv({ ...base }).length;
			});
			return { samples, extra: { max: Math.max(...samples), mchars: bytes / 1e6 } };
		}
	}
];
