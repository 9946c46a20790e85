/**
 * The analysis index: a study turned into integer arrays once, so every table is one pass over
 * the segments with no string look-ups. Pure; built lazily and cached per `StudyData` object.
 *
 * Treat the `StudyData` handed to the analysis as immutable: the cache is keyed on the object
 * and on the identity and length of its arrays. A new object (or new arrays) gives a new index.
 */
import { flatten } from '../codebook';
import type { Attribute, AttributeValue, Case, Code, Coder, GlossDocument, Id, Segment, StudyData } from '../types';

/** The label of the column for cases with no value for an attribute. */
export const MISSING = '(missing)';
/** Between the levels of a code's path. */
export const PATH_SEPARATOR = ' > ';

export interface AnalysisIndex {
	data: StudyData;
	/** Codes in codebook order: depth-first, siblings by `order`, then name (as codebook.ts `flatten`). */
	codes: Code[];
	codeIdx: Map<Id, number>;
	/** Full path of each code, names joined by ` > `. */
	paths: string[];
	/** 0 for a top-level code. */
	depth: Int32Array;
	/** Index of the parent code, -1 at top level. */
	parent: Int32Array;
	/** Ancestors-or-self of code i: `ancList[ancStart[i] .. ancStart[i+1]]`, self first. */
	ancStart: Int32Array;
	ancList: Int32Array;
	/** Cases sorted by name (natural order). */
	cases: Case[];
	caseIdx: Map<Id, number>;
	/** Documents grouped by case (in case order; documents without a case last), then by `order`. */
	docs: GlossDocument[];
	docIdx: Map<Id, number>;
	/** Case index of each document, -1 when the document has no case. */
	docCase: Int32Array;
	/** Coders sorted by name. */
	coders: Coder[];
	coderIdx: Map<Id, number>;
	/** Attributes in attribute order. */
	attributes: Attribute[];
	/** Segment positions, grouped by document: the segments of doc d are positions `docSegStart[d] .. docSegStart[d+1]`. */
	docSegStart: Int32Array;
	/** Per position: the segment, its code, document and coder index. */
	/** Built on first use (drill-down, exports, co-occurrence); the tallies do not need it. */
	readonly segs: Segment[];
	/** Per position: the segment's index in `data.segments`. */
	segOrig: Int32Array;
	segCode: Int32Array;
	segDoc: Int32Array;
	segCoder: Int32Array;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
export const naturalCompare = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/** The key of an attribute value; null for no value (missing key, null, or blank text). */
export function valueKey(v: AttributeValue | undefined): string | null {
	if (v === null || v === undefined) return null;
	if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
	const t = v.trim();
	return t === '' ? null : t;
}

/** Sort attribute value keys: numbers numerically for number attributes, natural order otherwise. */
export function compareValueKeys(type: Attribute['type'], a: string | null, b: string | null): number {
	if (a === b) return 0;
	if (a === null) return 1;
	if (b === null) return -1;
	if (type === 'number') {
		const d = Number(a) - Number(b);
		if (d !== 0 && !Number.isNaN(d)) return d;
	}
	return naturalCompare(a, b);
}

/** Codes in codebook order, exactly as the codebook shows them (codebook.ts `flatten`). */
export function codebookOrder(codes: Code[]): Code[] {
	return flatten(codes);
}

export function buildIndex(data: StudyData): AnalysisIndex {
	const codes = codebookOrder(data.codes);
	const nCodes = codes.length;
	const codeIdx = new Map<Id, number>();
	codes.forEach((c, i) => codeIdx.set(c.id, i));
	const parent = new Int32Array(nCodes).fill(-1);
	for (let i = 0; i < nCodes; i++) {
		const p = codes[i].parentId;
		if (p !== null) parent[i] = codeIdx.get(p) ?? -1;
	}
	const depth = new Int32Array(nCodes);
	const paths: string[] = new Array(nCodes);
	const ancStart = new Int32Array(nCodes + 1);
	const anc: number[] = [];
	for (let i = 0; i < nCodes; i++) {
		ancStart[i] = anc.length;
		const names: string[] = [];
		let j = i;
		for (let steps = 0; j >= 0 && steps <= nCodes; steps++) {
			anc.push(j);
			names.push(codes[j].name);
			j = parent[j];
		}
		depth[i] = names.length - 1;
		paths[i] = names.reverse().join(PATH_SEPARATOR);
	}
	ancStart[nCodes] = anc.length;
	const ancList = Int32Array.from(anc);

	const cases = [...data.cases].sort((a, b) => naturalCompare(a.name, b.name) || (a.id < b.id ? -1 : 1));
	const caseIdx = new Map<Id, number>();
	cases.forEach((c, i) => caseIdx.set(c.id, i));

	const docCaseOf = (d: GlossDocument) => (d.caseId === null ? -1 : (caseIdx.get(d.caseId) ?? -1));
	const docs = [...data.documents].sort((a, b) => {
		const ca = docCaseOf(a);
		const cb = docCaseOf(b);
		if (ca !== cb) return ca < 0 ? 1 : cb < 0 ? -1 : ca - cb;
		return a.order - b.order || naturalCompare(a.name, b.name) || (a.id < b.id ? -1 : 1);
	});
	const nDocs = docs.length;
	const docIdx = new Map<Id, number>();
	const docCase = new Int32Array(nDocs);
	docs.forEach((d, i) => {
		docIdx.set(d.id, i);
		docCase[i] = docCaseOf(d);
	});

	const coders = [...data.coders].sort((a, b) => naturalCompare(a.name, b.name) || (a.id < b.id ? -1 : 1));
	const coderIdx = new Map<Id, number>();
	coders.forEach((c, i) => coderIdx.set(c.id, i));

	const attributes = [...data.attributes].sort((a, b) => a.order - b.order || naturalCompare(a.name, b.name));

	// Counting sort of the segments by document.
	const src = data.segments;
	const n = src.length;
	const sDoc = new Int32Array(n);
	const sCode = new Int32Array(n);
	const sCoder = new Int32Array(n);
	const counts = new Int32Array(nDocs + 1);
	let kept = 0;
	for (let i = 0; i < n; i++) {
		const s = src[i];
		const d = docIdx.get(s.documentId);
		const k = codeIdx.get(s.codeId);
		const r = coderIdx.get(s.coderId);
		if (d === undefined || k === undefined || r === undefined) {
			sDoc[i] = -1;
			continue;
		}
		sDoc[i] = d;
		sCode[i] = k;
		sCoder[i] = r;
		counts[d + 1]++;
		kept++;
	}
	const docSegStart = new Int32Array(nDocs + 1);
	for (let d = 0; d < nDocs; d++) docSegStart[d + 1] = docSegStart[d] + counts[d + 1];
	const fill = docSegStart.slice(0, nDocs);
	const segOrig = new Int32Array(kept);
	const segCode = new Int32Array(kept);
	const segDoc = new Int32Array(kept);
	const segCoder = new Int32Array(kept);
	for (let i = 0; i < n; i++) {
		const d = sDoc[i];
		if (d < 0) continue;
		const p = fill[d]++;
		segOrig[p] = i;
		segDoc[p] = d;
		segCode[p] = sCode[i];
		segCoder[p] = sCoder[i];
	}
	return {
		data,
		codes,
		codeIdx,
		paths,
		depth,
		parent,
		ancStart,
		ancList,
		cases,
		caseIdx,
		docs,
		docIdx,
		docCase,
		coders,
		coderIdx,
		attributes,
		docSegStart,
		segOrig,
		get segs() {
			const v = Array.from(segOrig, (i) => src[i]);
			Object.defineProperty(this, 'segs', { value: v });
			return v;
		},
		segCode,
		segDoc,
		segCoder
	};
}

const cache = new WeakMap<StudyData, { index: AnalysisIndex; sig: unknown[] }>();
const signature = (d: StudyData): unknown[] => [
	d.codes,
	d.codes.length,
	d.cases,
	d.cases.length,
	d.documents,
	d.documents.length,
	d.coders,
	d.coders.length,
	d.attributes,
	d.attributes.length,
	d.segments,
	d.segments.length
];

/** The (cached) index of a study. */
export function indexOf(data: StudyData): AnalysisIndex {
	const hit = cache.get(data);
	const sig = signature(data);
	if (hit && hit.sig.every((v, i) => v === sig[i])) return hit.index;
	const index = buildIndex(data);
	cache.set(data, { index, sig });
	return index;
}

/** The row header every table shares: which code, its path and depth. */
export interface CodeInfo {
	codeId: Id;
	name: string;
	/** The code's path, names joined by ` > `. */
	path: string;
	/** 0 for a top-level code. */
	depth: number;
	parentId: Id | null;
	colour: string;
}

export function codeInfo(ix: AnalysisIndex, i: number): CodeInfo {
	const c = ix.codes[i];
	return { codeId: c.id, name: c.name, path: ix.paths[i], depth: ix.depth[i], parentId: c.parentId, colour: c.colour };
}

/** A percentage 0–100, unrounded; 0 when the base is 0. */
export const percent = (n: number, base: number): number => (base > 0 ? (n * 100) / base : 0);
