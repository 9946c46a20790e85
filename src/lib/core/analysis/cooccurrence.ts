/**
 * Co-occurrence: a symmetric code × code matrix.
 *
 * - `mode: 'overlap'` (default): a cell counts the PAIRS of segments, one of each code, that
 *   overlap (share at least one character: a.start < b.end and b.start < a.end) in the same
 *   document and were coded by the SAME coder. Passages that merely touch do not overlap, and
 *   two coders' segments are never paired (that is agreement, not co-occurrence).
 *   The diagonal holds the number of segments of the code.
 * - `mode: 'documents'`: documents in which both codes have a segment; diagonal = documents
 *   with the code.
 * - `mode: 'cases'`: cases in which both codes have a segment (in any of their documents);
 *   diagonal = cases citing the code.
 *
 * `includeDescendants` (default false here): a segment also counts for its code's ancestors;
 * a pair is then counted once for every (ancestor-or-self of one, ancestor-or-self of the other)
 * cell of two different codes, and a segment is never paired with itself.
 */
import type { Id, Segment, StudyData } from '../types';
import { type AnalysisFilter, type AppliedFilter, applyFilter } from './filter';
import { type AnalysisIndex, type CodeInfo, codeInfo, indexOf } from './model';

export type CooccurrenceMode = 'overlap' | 'documents' | 'cases';

export interface CooccurrenceOptions {
	mode?: CooccurrenceMode;
	includeDescendants?: boolean;
}

export interface CooccurrenceResult {
	mode: CooccurrenceMode;
	includeDescendants: boolean;
	codes: CodeInfo[];
	/** `cells[i][j]` for codes[i] × codes[j]; symmetric. */
	cells: number[][];
}

/** Whether the segment at position p counts for code c (its own code, or an ancestor with roll-up). */
function counts(ix: AnalysisIndex, p: number, c: number, rollup: boolean): boolean {
	const code = ix.segCode[p];
	if (!rollup) return code === c;
	for (let q = ix.ancStart[code]; q < ix.ancStart[code + 1]; q++) if (ix.ancList[q] === c) return true;
	return false;
}

/** Calls `cb(p, q)` for every overlapping pair of passing segments of one coder in document d. */
function forEachOverlap(ix: AnalysisIndex, f: AppliedFilter, d: number, cb: (p: number, q: number) => void): void {
	const pos: number[] = [];
	for (let p = ix.docSegStart[d]; p < ix.docSegStart[d + 1]; p++) if (f.segPass[p]) pos.push(p);
	if (pos.length < 2) return;
	const { segs, segCoder } = ix;
	pos.sort((a, b) => segCoder[a] - segCoder[b] || segs[a].start - segs[b].start || segs[a].end - segs[b].end);
	const active: number[] = [];
	let coder = -1;
	for (const p of pos) {
		const s = segs[p];
		if (segCoder[p] !== coder) {
			coder = segCoder[p];
			active.length = 0;
		}
		let k = 0;
		for (let i = 0; i < active.length; i++) {
			const q = active[i];
			if (segs[q].end <= s.start) continue;
			active[k++] = q;
			if (segs[q].start < s.end) cb(q, p);
		}
		active.length = k;
		active.push(p);
	}
}

export function cooccurrence(data: StudyData, filter: AnalysisFilter = {}, opts: CooccurrenceOptions = {}): CooccurrenceResult {
	const ix = indexOf(data);
	const mode = opts.mode ?? 'overlap';
	const rollup = opts.includeDescendants ?? false;
	const f = applyFilter(ix, filter);
	const n = ix.codes.length;
	const m = new Int32Array(n * n);
	const stamp = new Int32Array(n * n).fill(-1);
	let tick = 0;
	const bump = (a: number, b: number) => {
		if (a === b) return;
		const k = a < b ? a * n + b : b * n + a;
		if (stamp[k] === tick) return;
		stamp[k] = tick;
		m[k]++;
	};
	if (mode === 'overlap') {
		const { ancStart, ancList, segCode } = ix;
		const end = (code: number) => (rollup ? ancStart[code + 1] : ancStart[code] + 1);
		for (let p = 0; p < ix.segCode.length; p++) {
			if (!f.segPass[p]) continue;
			const code = segCode[p];
			for (let i = ancStart[code]; i < end(code); i++) m[ancList[i] * n + ancList[i]]++;
		}
		for (let d = 0; d < ix.docs.length; d++)
			forEachOverlap(ix, f, d, (p, q) => {
				tick++;
				const cp = segCode[p];
				const cq = segCode[q];
				if (!rollup) return bump(cp, cq);
				for (let i = ancStart[cp]; i < ancStart[cp + 1]; i++)
					for (let j = ancStart[cq]; j < ancStart[cq + 1]; j++) bump(ancList[i], ancList[j]);
			});
	} else {
		// Present codes per unit (document, or case = its contiguous documents).
		const seen = new Int32Array(n).fill(-1);
		let present: number[] = [];
		let unit = -1;
		const flush = () => {
			tick++;
			for (let i = 0; i < present.length; i++) {
				const a = present[i];
				m[a * n + a]++;
				for (let j = i + 1; j < present.length; j++) bump(a, present[j]);
			}
			present = [];
		};
		for (let d = 0; d < ix.docs.length; d++) {
			const u = mode === 'documents' ? d : ix.docCase[d];
			if (u < 0) continue;
			if (u !== unit) {
				flush();
				unit = u;
			}
			for (let p = ix.docSegStart[d]; p < ix.docSegStart[d + 1]; p++) {
				if (!f.segPass[p]) continue;
				const code = ix.segCode[p];
				const aEnd = rollup ? ix.ancStart[code + 1] : ix.ancStart[code] + 1;
				for (let i = ix.ancStart[code]; i < aEnd; i++) {
					const a = ix.ancList[i];
					if (seen[a] === u) continue;
					seen[a] = u;
					present.push(a);
				}
			}
		}
		flush();
	}
	const cells: number[][] = [];
	for (let i = 0; i < n; i++) {
		const row = new Array<number>(n);
		for (let j = 0; j < n; j++) row[j] = i === j ? m[i * n + i] : i < j ? m[i * n + j] : m[j * n + i];
		cells.push(row);
	}
	return { mode, includeDescendants: rollup, codes: ix.codes.map((_, i) => codeInfo(ix, i)), cells };
}

/**
 * The segments behind one co-occurrence cell, in document order then by position.
 * - overlap: every segment in an overlapping pair (one of each code); on the diagonal, the code's segments;
 * - documents / cases: the segments of either code in the documents / cases where both appear.
 */
export function cooccurrenceSegments(
	data: StudyData,
	filter: AnalysisFilter,
	opts: CooccurrenceOptions,
	codeIdA: Id,
	codeIdB: Id
): Segment[] {
	const ix = indexOf(data);
	const mode = opts.mode ?? 'overlap';
	const rollup = opts.includeDescendants ?? false;
	const f = applyFilter(ix, filter);
	const A = ix.codeIdx.get(codeIdA);
	const B = ix.codeIdx.get(codeIdB);
	if (A === undefined || B === undefined) return [];
	const has = (p: number, c: number) => counts(ix, p, c, rollup);
	const picked = new Uint8Array(ix.segCode.length);
	if (A === B) {
		for (let p = 0; p < ix.segCode.length; p++) if (f.segPass[p] && has(p, A)) picked[p] = 1;
	} else if (mode === 'overlap') {
		for (let d = 0; d < ix.docs.length; d++)
			forEachOverlap(ix, f, d, (p, q) => {
				if ((has(p, A) && has(q, B)) || (has(p, B) && has(q, A))) picked[p] = picked[q] = 1;
			});
	} else {
		const unitOf = (d: number) => (mode === 'documents' ? d : ix.docCase[d]);
		const hasA = new Set<number>();
		const hasB = new Set<number>();
		for (let d = 0; d < ix.docs.length; d++) {
			const u = unitOf(d);
			if (u < 0) continue;
			for (let p = ix.docSegStart[d]; p < ix.docSegStart[d + 1]; p++) {
				if (!f.segPass[p]) continue;
				if (has(p, A)) hasA.add(u);
				if (has(p, B)) hasB.add(u);
			}
		}
		for (let d = 0; d < ix.docs.length; d++) {
			const u = unitOf(d);
			if (u < 0 || !hasA.has(u) || !hasB.has(u)) continue;
			for (let p = ix.docSegStart[d]; p < ix.docSegStart[d + 1]; p++)
				if (f.segPass[p] && (has(p, A) || has(p, B))) picked[p] = 1;
		}
	}
	return orderedSegments(ix, picked);
}

/** The picked segment positions, in document order, then start, end, code order, coder. */
export function orderedSegments(ix: AnalysisIndex, picked: Uint8Array): Segment[] {
	const { segs, segCode, segCoder } = ix;
	const out: Segment[] = [];
	for (let d = 0; d < ix.docs.length; d++) {
		const pos: number[] = [];
		for (let p = ix.docSegStart[d]; p < ix.docSegStart[d + 1]; p++) if (picked[p]) pos.push(p);
		if (pos.length > 1)
			pos.sort(
				(a, b) =>
					segs[a].start - segs[b].start ||
					segs[a].end - segs[b].end ||
					segCode[a] - segCode[b] ||
					segCoder[a] - segCoder[b] ||
					(segs[a].id < segs[b].id ? -1 : segs[a].id > segs[b].id ? 1 : 0)
			);
		for (const p of pos) out.push(segs[p]);
	}
	return out;
}
