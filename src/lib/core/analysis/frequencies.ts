/**
 * The frequency table: per code, the segments, documents and cases citing it, the % of cases,
 * and the same per coder.
 */
import type { Id, StudyData } from '../types';
import { type AnalysisFilter, applyFilter } from './filter';
import { type CodeInfo, codeInfo, indexOf, percent } from './model';
import { tallyTotalAndByCoder } from './tally';

export interface Counts {
	segments: number;
	documents: number;
	/** Cases citing the code (documents without a case never count here). */
	cases: number;
	/** `cases` as a % of the cases in the filtered set, unrounded (0–100). */
	percentCases: number;
}

export interface FrequencyRow extends CodeInfo, Counts {
	/** Keyed by coder id; one entry per coder in `FrequencyResult.coders`. */
	byCoder: Record<Id, Counts>;
}

export type FrequencySort = 'codebook' | 'segments' | 'documents' | 'cases';

export interface FrequencyOptions {
	/** A parent counts its descendants' segments too (default true). */
	includeDescendants?: boolean;
	/** Codebook order (default), or by a count, largest first (ties in codebook order). */
	sort?: FrequencySort;
}

export interface FrequencyResult {
	rows: FrequencyRow[];
	/** The coders covered (the filter's, or all), sorted by name. */
	coders: { id: Id; name: string }[];
	/** Cases in the filtered set: the base of `percentCases`. */
	baseCases: number;
	baseDocuments: number;
	baseSegments: number;
	includeDescendants: boolean;
	sort: FrequencySort;
}

export function frequencies(data: StudyData, filter: AnalysisFilter = {}, opts: FrequencyOptions = {}): FrequencyResult {
	const ix = indexOf(data);
	const rollup = opts.includeDescendants ?? true;
	const sort = opts.sort ?? 'codebook';
	const f = applyFilter(ix, filter);
	const { total: all, byCoder } = tallyTotalAndByCoder(ix, f.segPass, rollup);
	const nCoders = ix.coders.length;
	const coderList: number[] = [];
	for (let k = 0; k < nCoders; k++) if (f.coderPass[k]) coderList.push(k);
	const base = f.baseCases;
	const rows: FrequencyRow[] = ix.codes.map((_, i) => {
		const bc: Record<Id, Counts> = {};
		for (const k of coderList) {
			const j = i * nCoders + k;
			bc[ix.coders[k].id] = {
				segments: byCoder.segments[j],
				documents: byCoder.documents[j],
				cases: byCoder.cases[j],
				percentCases: percent(byCoder.cases[j], base)
			};
		}
		return {
			...codeInfo(ix, i),
			segments: all.segments[i],
			documents: all.documents[i],
			cases: all.cases[i],
			percentCases: percent(all.cases[i], base),
			byCoder: bc
		};
	});
	if (sort !== 'codebook') {
		const pos = new Map(rows.map((r, i) => [r, i]));
		rows.sort((a, b) => b[sort] - a[sort] || pos.get(a)! - pos.get(b)!);
	}
	return {
		rows,
		coders: coderList.map((k) => ({ id: ix.coders[k].id, name: ix.coders[k].name })),
		baseCases: base,
		baseDocuments: f.baseDocuments,
		baseSegments: f.baseSegments,
		includeDescendants: rollup,
		sort
	};
}
