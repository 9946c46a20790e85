/** Helpers shared by the bench case files (not a case file itself: it does not end in .bench.ts). */
import type { Code } from '../src/lib/core/types';

/** The timestamp every generated record carries. */
export const T = '2026-01-01T00:00:00.000Z';

/** A deterministic pseudo-random generator (mulberry32): numbers in [0, 1). */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A code with an empty definition and the bench colour. */
export function benchCode(studyId: string, id: string, name: string, parentId: string | null, order: number): Code {
	return {
		id,
		studyId,
		parentId,
		name,
		definition: '',
		inclusion: '',
		exclusion: '',
		example: '',
		colour: '#336699',
		order,
		favourite: null,
		createdAt: T,
		updatedAt: T
	};
}

/** Run `fn` `warm` times unmeasured, then `runs` times measured: the measured times in ms. */
export function sample(runs: number, warm: number, fn: () => void): number[] {
	for (let i = 0; i < warm; i++) fn();
	const out: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t0 = performance.now();
		fn();
		out.push(performance.now() - t0);
	}
	return out;
}

