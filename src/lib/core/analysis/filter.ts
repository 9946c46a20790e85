/**
 * Analysis filters: which coders, documents and cases (by attribute value) a table covers.
 *
 * - `coderIds`: only segments by these coders. The case and document bases are not changed by
 *   the coder filter (a case nobody coded is still a case of the study).
 * - `documentIds`: only these documents; the case base becomes the cases with at least one of them.
 * - `attributes`: `{ [attributeId]: values[] }`: only cases whose value is one of the values
 *   (`null` in the list selects cases with no value). Several attributes combine with AND.
 *   When any case attribute filter is set, documents without a case are left out.
 *   For a document attribute (Wave) it is the documents whose value is one of the values; the
 *   case base becomes the cases with at least one such document.
 *
 * Empty or missing lists mean "no restriction".
 */
import type { AttributeValue, Id } from '../types';
import { scopeOf } from '../types';
import { type AnalysisIndex, valueKey } from './model';

export interface AnalysisFilter {
	coderIds?: Id[];
	documentIds?: Id[];
	attributes?: Record<Id, AttributeValue[]>;
}

export interface AppliedFilter {
	/** Per case (index order): 1 when the case is in the base. */
	casePass: Uint8Array;
	/** Per document: 1 when its segments count. */
	docPass: Uint8Array;
	/** Per coder. */
	coderPass: Uint8Array;
	/** Per segment position: 1 when the segment counts. */
	segPass: Uint8Array;
	baseCases: number;
	baseDocuments: number;
	baseSegments: number;
}

const applied = new WeakMap<AnalysisIndex, Map<string, AppliedFilter>>();

/** A canonical key of a filter (order of ids and values does not matter). */
function filterKey(f: AnalysisFilter): string {
	const sorted = (xs: unknown[] | undefined) => (xs ?? []).map((x) => JSON.stringify(x)).sort();
	const attrs = Object.entries(f.attributes ?? {})
		.filter(([, v]) => v && v.length)
		.map(([k, v]) => [k, sorted(v)] as const)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return JSON.stringify([sorted(f.coderIds), sorted(f.documentIds), attrs]);
}

/** Apply a filter to an index (cached per index and filter; the result must not be mutated). */
export function applyFilter(ix: AnalysisIndex, filter: AnalysisFilter = {}): AppliedFilter {
	let byKey = applied.get(ix);
	if (!byKey) applied.set(ix, (byKey = new Map()));
	const key = filterKey(filter);
	let hit = byKey.get(key);
	if (!hit) {
		if (byKey.size > 20) byKey.clear();
		byKey.set(key, (hit = computeFilter(ix, filter)));
	}
	return hit;
}

function computeFilter(ix: AnalysisIndex, filter: AnalysisFilter): AppliedFilter {
	const nCases = ix.cases.length;
	const nDocs = ix.docs.length;
	const casePass = new Uint8Array(nCases).fill(1);
	const scope = new Map(ix.attributes.map((a) => [a.id, scopeOf(a)] as const));
	const allFilters = Object.entries(filter.attributes ?? {}).filter(([, vals]) => vals && vals.length > 0);
	const attrFilters = allFilters.filter(([id]) => scope.get(id) !== 'document');
	const docFilters = allFilters
		.filter(([id]) => scope.get(id) === 'document')
		.map(([id, vals]) => [id, new Set(vals.map((v) => valueKey(v)))] as const);
	for (const [attrId, vals] of attrFilters) {
		const wanted = new Set(vals.map((v) => valueKey(v)));
		for (let c = 0; c < nCases; c++) if (casePass[c] && !wanted.has(valueKey(ix.cases[c].attributes[attrId]))) casePass[c] = 0;
	}
	const docPass = new Uint8Array(nDocs);
	const docIds = filter.documentIds && filter.documentIds.length ? new Set(filter.documentIds) : null;
	for (let d = 0; d < nDocs; d++) {
		const c = ix.docCase[d];
		if (docIds && !docIds.has(ix.docs[d].id)) continue;
		if (c >= 0 ? !casePass[c] : attrFilters.length > 0) continue;
		const doc = ix.docs[d];
		if (docFilters.some(([id, wanted]) => !wanted.has(valueKey(doc.attributes?.[id])))) continue;
		docPass[d] = 1;
	}
	if (docIds || docFilters.length) {
		const hasDoc = new Uint8Array(nCases);
		for (let d = 0; d < nDocs; d++) if (docPass[d] && ix.docCase[d] >= 0) hasDoc[ix.docCase[d]] = 1;
		for (let c = 0; c < nCases; c++) casePass[c] &= hasDoc[c];
	}
	const coderPass = new Uint8Array(ix.coders.length);
	if (filter.coderIds && filter.coderIds.length) {
		for (const id of filter.coderIds) {
			const i = ix.coderIdx.get(id);
			if (i !== undefined) coderPass[i] = 1;
		}
	} else coderPass.fill(1);
	const n = ix.segCode.length;
	const segPass = new Uint8Array(n);
	let baseSegments = 0;
	const { segDoc, segCoder } = ix;
	for (let p = 0; p < n; p++) {
		if (docPass[segDoc[p]] && coderPass[segCoder[p]]) {
			segPass[p] = 1;
			baseSegments++;
		}
	}
	let baseCases = 0;
	for (let c = 0; c < nCases; c++) baseCases += casePass[c];
	let baseDocuments = 0;
	for (let d = 0; d < nDocs; d++) baseDocuments += docPass[d];
	return { casePass, docPass, coderPass, segPass, baseCases, baseDocuments, baseSegments };
}
