/**
 * The full-scale study of issue 11, generated deterministically: 500 transcripts, about 5 million
 * words, 100,000 segments by three coders (one of them the consensus coder), 40 codes, 30 cases
 * with City, Sector and Wave (bench/analysis.bench.ts `syntheticStudy`). The bench
 * (bench/fullscale.bench.ts) restores it through the UI; the e2e (tests/e2e/scale.spec.ts) uses a
 * smaller one made by the same function.
 *
 *   npx tsx scripts/fullscale.ts out.gloss.json [documents] [wordsPerDocument] [segments]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { syntheticStudy, type SyntheticOptions } from '../bench/analysis.bench';
import { backupToJson } from '../src/lib/core/backup';
import type { StudyData } from '../src/lib/core/types';

export const FULL_SCALE: Required<SyntheticOptions> = { documents: 500, wordsPerDocument: 10_000, segments: 100_000, cases: 30 };

/** The study (name "Full-scale study"); smaller with options. */
export function fullScaleStudy(opts: SyntheticOptions = {}): StudyData {
	const data = syntheticStudy({ ...FULL_SCALE, ...opts });
	return { ...data, study: { ...data.study, name: 'Full-scale study' } };
}

/** Its backup file's text (format version 3). */
export function fullScaleBackup(opts: SyntheticOptions = {}): string {
	return backupToJson(fullScaleStudy(opts));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const [out, docs, words, segs] = process.argv.slice(2);
	if (!out) {
		console.error('usage: npx tsx scripts/fullscale.ts out.gloss.json [documents] [wordsPerDocument] [segments]');
		process.exit(2);
	}
	const opts: SyntheticOptions = {};
	if (docs) opts.documents = Number(docs);
	if (words) opts.wordsPerDocument = Number(words);
	if (segs) opts.segments = Number(segs);
	writeFileSync(out, fullScaleBackup(opts));
	console.log(`wrote ${out}`);
}
