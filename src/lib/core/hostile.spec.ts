/**
 * Every input of the hostile corpus (tests/fuzz/hostile.ts, at least 250 files across every format
 * Gloss reads) through the parser the app and `gloss` use for it: a clear error naming the file,
 * or a correct result. Never a throw, a hang (the test's time limit), or a polluted prototype.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { hostileCorpus, type HostileInput } from '../../../tests/fuzz/hostile';
import { parseBackupReport } from './backup';
import { parseCsv } from './csv';
import { parseCodebookFile } from './codebook';
import { readTranscript } from './import';
import { checkIntegrity } from './integrity';
import { parseQdc, parseQdpx } from './refi/import';
import { decodeBytes } from './text';
import { planAttributeImport, suggestMapping } from './cases';
import type { Result, StudyData } from './types';
import type { AttributeImportPlan } from './cases';
import type { Transcript } from './import';
import type { RefiImport } from './refi/import';
import { normaliseText } from './text';
import type { Codebook, CodebookEntry } from './codebook';

const NOW = '2026-12-02T00:00:00.000Z';
const corpus = hostileCorpus();

/** The app's .docx reader (mammoth), as Node takes it. */
async function readDocx(bytes: ArrayBuffer): Promise<string> {
	const mammoth = (await import('mammoth')).default;
	return (await mammoth.extractRawText({ buffer: Buffer.from(bytes) })).value;
}

/** The error or result a person would see for this file. */
async function read(input: HostileInput): Promise<Result<unknown, string | string[]>> {
	const { bytes, fileName, format } = input;
	if (format === 'transcript-txt' || format === 'transcript-docx')
		return readTranscript({ name: fileName, size: bytes.length, arrayBuffer: async () => bytes.slice().buffer }, readDocx);
	if (format === 'qdpx') return parseQdpx(bytes, fileName, 'new-study', NOW);
	const text = decodeBytes(bytes, fileName);
	if (!text.ok) return text;
	const t = text.value.text;
	switch (format) {
		case 'backup': {
			const r = parseBackupReport(t, 'new-study', fileName);
			if (r.ok) {
				// What restores is sound: no dangling reference left to break the next backup.
				expect(checkIntegrity(r.value.data).repairs, `${input.name}: restored data still needs repairs`).toEqual([]);
			}
			return r;
		}
		case 'codebook-json':
		case 'codebook-csv':
			return parseCodebookFile(t, fileName);
		case 'qdc':
			return parseQdc(t, fileName);
		case 'attributes-csv': {
			const csv = parseCsv(t, fileName);
			if (!csv.ok) return csv;
			const existing = { studyId: 's', attributes: [], cases: [] };
			return planAttributeImport(csv.value, suggestMapping(csv.value, [], []), existing, fileName, NOW);
		}
	}
}

/** What a parser took in is fit to store: names are names, texts normalised, positions in range. */
function sound(input: HostileInput, value: unknown) {
	const where = input.name;
	const names = (codes: CodebookEntry[]) => {
		expect(Array.isArray(codes), `${where}: codes`).toBe(true);
		const stack = [...codes];
		while (stack.length) {
			const c = stack.pop() as CodebookEntry;
			expect(typeof c.name === 'string' && c.name.trim() !== '', `${where}: a code without a name`).toBe(true);
			stack.push(...c.children);
		}
	};
	const study = (d: StudyData) => {
		expect(typeof d.study.name === 'string' && d.study.name.trim() !== '', `${where}: the study has no name`).toBe(true);
		const texts = new Map(d.documents.map((x) => [x.id, x.text]));
		for (const t of texts.values()) expect(t, `${where}: text not normalised`).toBe(normaliseText(t));
		for (const s of d.segments) {
			const len = texts.get(s.documentId)?.length ?? -1;
			expect(0 <= s.start && s.start <= s.end && s.end <= len, `${where}: segment ${s.id} ${s.start}–${s.end} of ${len}`).toBe(true);
		}
	};
	switch (input.format) {
		case 'backup':
			return study((value as { data: StudyData }).data);
		case 'qdpx':
			return study((value as RefiImport).data);
		case 'codebook-json':
		case 'codebook-csv':
			return names((value as Codebook).codes);
		case 'qdc':
			return names((value as { codebook: Codebook }).codebook.codes);
		case 'attributes-csv':
			for (const c of [...(value as AttributeImportPlan).newCases, ...(value as AttributeImportPlan).updatedCases])
				expect(typeof c.name === 'string' && c.name.trim() !== '', `${where}: a case without a name`).toBe(true);
			return;
		case 'transcript-txt':
		case 'transcript-docx': {
			const t = (value as Transcript).text;
			expect(t.trim() !== '' && t === normaliseText(t), `${where}: transcript text`).toBe(true);
		}
	}
}

describe('the hostile corpus', () => {
	it('has at least 250 inputs across every format', () => {
		expect(corpus.length).toBeGreaterThanOrEqual(250);
		expect(new Set(corpus.map((c) => c.format))).toEqual(
			new Set(['backup', 'codebook-json', 'codebook-csv', 'attributes-csv', 'transcript-txt', 'transcript-docx', 'qdpx', 'qdc'])
		);
		expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
	});

	const outcomes = new Map<string, string>();
	for (const input of corpus) {
		it(input.name, async () => {
			let r: Result<unknown, string | string[]>;
			try {
				r = await read(input);
			} catch (e) {
				throw new Error(`${input.name}: the parser threw ${(e as Error).name}: ${(e as Error).message}`);
			}
			if (!r.ok) {
				const errors = Array.isArray(r.errors) ? r.errors : [r.errors];
				expect(errors.length, input.name).toBeGreaterThan(0);
				for (const e of errors) expect(typeof e).toBe('string');
				// The message names the file first, then the row, field or path.
				expect(errors[0].startsWith(input.fileName), `${input.name}: "${errors[0].slice(0, 200)}"`).toBe(true);
				expect(errors[0].length, 'a message fit to read').toBeLessThan(2000);
			}
			else sound(input, r.value);
			outcomes.set(input.name, r.ok ? 'ok' : 'refused');
		}, 60_000);
	}

	afterAll(() => {
		// Nothing reached Object.prototype through a "__proto__" or "constructor" key.
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
	});
});
