/**
 * The core functions the transcript view runs over a whole document at open (10 M characters,
 * 50,000 segments) were made faster without copying text or comparing objects; they must give
 * exactly what the plain definitions give.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignLanes, byPosition } from './segments';
import { paragraphs, speakerLabel } from './text';
import type { Segment } from './types';

/** paragraphs() as first written: slice and trim each line. */
function paragraphsRef(text: string) {
	const out: { n: number; start: number; end: number; speaker: string | null; bodyStart: number }[] = [];
	let pos = 0;
	let n = 0;
	while (pos <= text.length) {
		let nl = text.indexOf('\n', pos);
		if (nl < 0) nl = text.length;
		if (nl > pos && text.slice(pos, nl).trim() !== '') {
			const label = speakerLabel(text.slice(pos, Math.min(nl, pos + 60)));
			out.push({ n: ++n, start: pos, end: nl, speaker: label ? label.name : null, bodyStart: label ? pos + label.length : pos });
		}
		pos = nl + 1;
	}
	return out;
}

/** assignLanes() as first written: sort the objects by byPosition. */
function lanesRef(segments: Segment[]) {
	const sorted = [...segments].sort(byPosition);
	const laneEnd: number[] = [];
	const lane = new Map<string, number>();
	for (const s of sorted) {
		let l = laneEnd.findIndex((e) => e <= s.start);
		if (l < 0) {
			l = laneEnd.length;
			laneEnd.push(s.end);
		} else laneEnd[l] = s.end;
		lane.set(s.id, l);
	}
	return { lane, count: laneEnd.length };
}

const pieces = ['\n', '\n\n', ' ', '\t', '\u00a0', '\u3000', '\ufeff', '\u2028', 'R: ', 'Interviewer: ', '访谈者：', 'word ', '😀', 'no colon here ', 'A very long name that is not a label at all: ', ':'];

describe('paragraphs and lanes at scale', () => {
	it('paragraphs() finds the same paragraphs and speaker labels as slicing and trimming each line', () => {
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
				const text = parts.join('');
				expect(paragraphs(text)).toEqual(paragraphsRef(text));
			}),
			{ numRuns: 500 }
		);
	});

	it('assignLanes() gives the lanes of a plain sort by position, ties broken by id', () => {
		const seg = fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), start: fc.integer({ min: 0, max: 40 }), len: fc.integer({ min: 1, max: 20 }) });
		fc.assert(
			fc.property(fc.uniqueArray(seg, { selector: (s) => s.id, maxLength: 7 }), (xs) => {
				const segs = xs.map((x) => ({ id: x.id, start: x.start, end: x.start + x.len }) as Segment);
				const got = assignLanes(segs);
				const want = lanesRef(segs);
				expect(got.count).toBe(want.count);
				expect([...got.lane].sort()).toEqual([...want.lane].sort());
			}),
			{ numRuns: 500 }
		);
	});
});
