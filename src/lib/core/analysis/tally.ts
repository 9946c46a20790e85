/**
 * The one counting pass behind the frequency table and the cross-tabs.
 *
 * Walks the passing segments document by document (documents of a case are contiguous), and
 * for each segment adds it to its code and, with roll-up, to every ancestor. Distinct documents
 * and cases per (code, column) are counted with "last seen" stamps, so a case citing two child
 * codes counts once for the parent.
 */
import type { AnalysisIndex } from './model';

export interface Tally {
	nCols: number;
	/** `[code * nCols + col]` */
	segments: Int32Array;
	documents: Int32Array;
	cases: Int32Array;
}

/**
 * @param segPass per segment position, 1 when it counts
 * @param colOfDoc per document, its column (negative: skip the document); null for a single column
 * @param only count just this unit (the other arrays stay zero); all three by default
 */
export function tally(
	ix: AnalysisIndex,
	segPass: Uint8Array,
	colOfDoc: Int32Array | null,
	nCols: number,
	rollup: boolean,
	only?: 'segments' | 'documents' | 'cases'
): Tally {
	const nCodes = ix.codes.length;
	const size = nCodes * nCols;
	const segments = new Int32Array(size);
	const documents = new Int32Array(size);
	const cases = new Int32Array(size);
	const doSeg = !only || only === 'segments';
	const doDoc = !only || only === 'documents';
	const doCase = !only || only === 'cases';
	const lastDoc = new Int32Array(doDoc ? size : 0).fill(-1);
	const lastCase = new Int32Array(doCase ? size : 0).fill(-1);
	const { docSegStart, docCase, segCode, ancStart, ancList } = ix;
	const nDocs = ix.docs.length;
	for (let d = 0; d < nDocs; d++) {
		const col = colOfDoc === null ? 0 : colOfDoc[d];
		if (col < 0) continue;
		const c = docCase[d];
		if (only === 'cases' && c < 0) continue;
		const end = docSegStart[d + 1];
		for (let p = docSegStart[d]; p < end; p++) {
			if (!segPass[p]) continue;
			const code = segCode[p];
			const aEnd = rollup ? ancStart[code + 1] : ancStart[code] + 1;
			for (let q = ancStart[code]; q < aEnd; q++) {
				const k = ancList[q] * nCols + col;
				if (doSeg) segments[k]++;
				if (doDoc && lastDoc[k] !== d) {
					lastDoc[k] = d;
					documents[k]++;
				}
				if (doCase && c >= 0 && lastCase[k] !== c) {
					lastCase[k] = c;
					cases[k]++;
				}
			}
		}
	}
	return { nCols, segments, documents, cases };
}

/** The frequency table's two tallies in one pass: all coders together, and per coder. */
export function tallyTotalAndByCoder(ix: AnalysisIndex, segPass: Uint8Array, rollup: boolean): { total: Tally; byCoder: Tally } {
	const nCodes = ix.codes.length;
	const nCoders = ix.coders.length;
	const tS = new Int32Array(nCodes);
	const tD = new Int32Array(nCodes);
	const tC = new Int32Array(nCodes);
	const tLastD = new Int32Array(nCodes).fill(-1);
	const tLastC = new Int32Array(nCodes).fill(-1);
	const size = nCodes * nCoders;
	const cS = new Int32Array(size);
	const cD = new Int32Array(size);
	const cC = new Int32Array(size);
	const cLastD = new Int32Array(size).fill(-1);
	const cLastC = new Int32Array(size).fill(-1);
	const { docSegStart, docCase, segCode, segCoder, ancStart, ancList } = ix;
	const nDocs = ix.docs.length;
	for (let d = 0; d < nDocs; d++) {
		const c = docCase[d];
		const end = docSegStart[d + 1];
		for (let p = docSegStart[d]; p < end; p++) {
			if (!segPass[p]) continue;
			const code = segCode[p];
			const coder = segCoder[p];
			const aEnd = rollup ? ancStart[code + 1] : ancStart[code] + 1;
			for (let q = ancStart[code]; q < aEnd; q++) {
				const a = ancList[q];
				tS[a]++;
				if (tLastD[a] !== d) {
					tLastD[a] = d;
					tD[a]++;
				}
				if (c >= 0 && tLastC[a] !== c) {
					tLastC[a] = c;
					tC[a]++;
				}
				const k = a * nCoders + coder;
				cS[k]++;
				if (cLastD[k] !== d) {
					cLastD[k] = d;
					cD[k]++;
				}
				if (c >= 0 && cLastC[k] !== c) {
					cLastC[k] = c;
					cC[k]++;
				}
			}
		}
	}
	return {
		total: { nCols: 1, segments: tS, documents: tD, cases: tC },
		byCoder: { nCols: nCoders, segments: cS, documents: cD, cases: cC }
	};
}
