/**
 * Importing timed and paged transcripts (issue 12), through the same readTranscript the app uses.
 *
 * - import-vtt-3h: a 3-hour WebVTT file of 10,000 cues, two speakers, voice tags on half of them,
 *   read to turns with their times. Goal under 1 s.
 * - import-pdf-300p: a 300-page text PDF (40 lines a page) read with pdfjs-dist's legacy build
 *   (the browser build parses in a worker; the text assembly is the same code). Goal under 5 s.
 */
import type { BenchCase } from '../scripts/bench';
import { readTranscript, type FileLike } from '../src/lib/core/import';
import type { PdfJs } from '../src/lib/core/pdf';
import { makePdf } from '../tests/fixtures/pdf/make-pdf';
import { rng } from './lib';

const file = (name: string, bytes: Uint8Array): FileLike => ({ name, size: bytes.length, arrayBuffer: async () => bytes.slice().buffer as ArrayBuffer });
const noDocx = async (): Promise<string> => '';

function vtt3h(): Uint8Array {
	const r = rng(12);
	const words = 'the audit plan water energy cost we our team consultant bureau plant dye process option saving year leader'.split(' ');
	const ts = (s: number) => {
		const h = Math.floor(s / 3600);
		const m = Math.floor((s % 3600) / 60);
		const sec = s % 60;
		return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${sec.toFixed(3).padStart(6, '0')}`;
	};
	let out = 'WEBVTT\n\n';
	let speaker = 0;
	for (let i = 0; i < 10_000; i++) {
		const start = i * 1.08;
		if (r() < 0.3) speaker = 1 - speaker;
		const name = speaker ? 'Manager Zhang' : 'Interviewer';
		const line = Array.from({ length: 6 + Math.floor(r() * 8) }, () => words[Math.floor(r() * words.length)]).join(' ');
		out += `${i + 1}\n${ts(start)} --> ${ts(start + 1)} align:start\n${i % 2 ? `<v ${name}>${line}</v>` : `${name}: ${line}`}\n\n`;
	}
	return new TextEncoder().encode(out);
}

async function time(n: number, fn: () => Promise<void>) {
	const samples: number[] = [];
	await fn(); // warm
	for (let i = 0; i < n; i++) {
		const t = performance.now();
		await fn();
		samples.push(performance.now() - t);
	}
	return { samples };
}

export const cases: BenchCase[] = [
	{
		name: 'import-vtt-3h',
		unit: 'ms',
		target: 1000,
		measure: async () => {
			const bytes = vtt3h();
			return time(5, async () => {
				const t = await readTranscript(file('focus group.vtt', bytes), noDocx);
				if (!t.ok || !t.value.times || t.value.times.length < 1000) throw new Error('the 3-hour VTT did not import');
			});
		}
	},
	{
		name: 'import-pdf-300p',
		unit: 'ms',
		target: 5000,
		measure: async () => {
			const pdfjs = (await import('pdfjs-dist/legacy/build/pdf.mjs')) as unknown as PdfJs;
			const line = 'The enterprise carried on with the audit because the leadership had a renovation plan.';
			const bytes = makePdf(Array.from({ length: 300 }, (_, p) => Array.from({ length: 40 }, (_, l) => (l % 8 === 7 ? '' : `${p + 1}.${l} ${line}`))));
			return time(2, async () => {
				const t = await readTranscript(file('report.pdf', bytes), { docx: noDocx, pdf: async () => pdfjs });
				if (!t.ok || t.value.pages?.length !== 300) throw new Error('the 300-page PDF did not import');
			});
		}
	}
];
