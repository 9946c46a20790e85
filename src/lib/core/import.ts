/**
 * Transcript import: which files are accepted, how they become text, how they are named and
 * which case each joins. Pure: the .docx reader (mammoth in the browser) is passed in.
 */
import { decodeText } from './text';
import { normaliseText } from './text';
import { findTimestamps, parseSrt, parseVtt, type TimeMark } from './timed';
import { readPdf, type PdfJs } from './pdf';
import { readOdt } from './odt';
import { DOCX_LIMITS, unzipWithin } from './zip';
import type { Result } from './types';

/** Larger files are refused before they are read. A long interview is well under 1 MB. */
export const MAX_TRANSCRIPT_BYTES = 50 * 1024 * 1024;

export type TranscriptKind = 'txt' | 'docx' | 'vtt' | 'srt' | 'pdf' | 'odt';

/** What the import needs of a File (a browser File satisfies it; tests pass plain objects). */
export interface FileLike {
	name: string;
	size: number;
	arrayBuffer(): Promise<ArrayBuffer>;
}

/** Reads a .docx file's bytes to raw text (mammoth.extractRawText in the browser). */
export type DocxReader = (bytes: ArrayBuffer) => Promise<string>;

/** The readers that live outside the core: mammoth for .docx, pdfjs for .pdf (loaded when first needed). */
export interface TranscriptReaders {
	docx: DocxReader;
	pdf?: () => Promise<PdfJs>;
	/** Progress through a long file (PDF pages). */
	onProgress?: (done: number, total: number) => void;
	cancelled?: () => boolean;
}

export interface Transcript {
	/** The document name: the file name without its extension. */
	name: string;
	/** Normalised text (LF, NFC). */
	text: string;
	/** The file it came from. */
	sourceName: string;
	/** Paragraph start times, from a subtitle file or time stamps at the start of turns. */
	times?: TimeMark[];
	/** Where each page starts (a PDF). */
	pages?: number[];
}

export function transcriptKind(fileName: string): TranscriptKind | null {
	const m = /\.([^.]+)$/.exec(fileName.toLowerCase());
	if (!m) return null;
	if (m[1] === 'txt' || m[1] === 'text') return 'txt';
	if (m[1] === 'docx') return 'docx';
	if (m[1] === 'vtt') return 'vtt';
	if (m[1] === 'srt') return 'srt';
	if (m[1] === 'pdf') return 'pdf';
	if (m[1] === 'odt') return 'odt';
	return null;
}

/** The file name without folders and without its extension: "Interview 03 (wave 2)". */
export function baseName(fileName: string): string {
	const leaf = fileName.split(/[\\/]/).pop() ?? fileName;
	const dot = leaf.lastIndexOf('.');
	const stem = (dot > 0 ? leaf.slice(0, dot) : leaf).normalize('NFC').replace(/\s+/g, ' ').trim();
	return stem || leaf.trim() || 'Untitled';
}

/** Check a file before reading it: its kind and its size. */
export function checkTranscriptFile(file: { name: string; size: number }): Result<TranscriptKind, string> {
	const kind = transcriptKind(file.name);
	if (!kind) {
		const lower = file.name.toLowerCase();
		const hint = lower.endsWith('.doc')
			? ' (old Word .doc files are not read; save it as .docx or .txt)'
			: lower.endsWith('.rtf')
				? ' (RTF is not read; save it as .docx, .odt or .txt)'
				: '';
		return { ok: false, errors: `${file.name}: not a transcript file; Gloss imports .txt, .docx, .odt, .pdf, .vtt and .srt${hint}` };
	}
	if (file.size === 0) return { ok: false, errors: `${file.name}: the file is empty` };
	if (file.size > MAX_TRANSCRIPT_BYTES)
		return {
			ok: false,
			errors: `${file.name}: too large (${(file.size / 1048576).toFixed(1)} MB); a transcript may be at most ${MAX_TRANSCRIPT_BYTES / 1048576} MB`
		};
	return { ok: true, value: kind };
}

/**
 * Read one transcript file to normalised text. Every failure is an error value naming the file;
 * nothing throws.
 */
export async function readTranscript(file: FileLike, readers: DocxReader | TranscriptReaders): Promise<Result<Transcript, string>> {
	const { docx: readDocx, pdf, onProgress, cancelled } = typeof readers === 'function' ? ({ docx: readers } as TranscriptReaders) : readers;
	const checked = checkTranscriptFile(file);
	if (!checked.ok) return checked;
	let bytes: ArrayBuffer;
	try {
		bytes = await file.arrayBuffer();
	} catch (e) {
		return { ok: false, errors: `${file.name}: could not be read (${(e as Error).message})` };
	}
	let text: string;
	if (checked.value === 'vtt' || checked.value === 'srt') {
		const r = decodeText(new Uint8Array(bytes), file.name);
		if (!r.ok) return r;
		const timed = checked.value === 'vtt' ? parseVtt(r.value, file.name) : parseSrt(r.value, file.name);
		if (!timed.ok) return timed;
		return { ok: true, value: { name: baseName(file.name), text: timed.value.text, sourceName: file.name, times: timed.value.times } };
	}
	if (checked.value === 'pdf') {
		if (!pdf) return { ok: false, errors: `${file.name}: PDF files cannot be read here` };
		let pdfjs: PdfJs;
		try {
			pdfjs = await pdf();
		} catch (e) {
			return { ok: false, errors: `${file.name}: the PDF reader could not be loaded (${(e as Error).message})` };
		}
		const r = await readPdf(pdfjs, new Uint8Array(bytes), file.name, onProgress, cancelled);
		if (!r.ok) return r;
		return { ok: true, value: { name: baseName(file.name), text: r.value.text, sourceName: file.name, pages: r.value.pages } };
	}
	if (checked.value === 'odt') {
		const r = readOdt(new Uint8Array(bytes), file.name);
		if (!r.ok) return r;
		text = r.value;
	} else if (checked.value === 'txt') {
		const r = decodeText(new Uint8Array(bytes), file.name);
		if (!r.ok) return r;
		text = r.value;
	} else {
		const u8 = new Uint8Array(bytes);
		if (u8.length < 4 || u8[0] !== 0x50 || u8[1] !== 0x4b)
			return { ok: false, errors: `${file.name}: not a Word .docx document (the file is damaged or has the wrong extension)` };
		// Check what it unpacks to before the reader inflates it (a zip bomb named .docx).
		const within = unzipWithin(u8, file.name, DOCX_LIMITS, {
			inflate: false,
			notAZip: () => `${file.name}: not a Word .docx document (the file is damaged or has the wrong extension)`
		});
		if (!within.ok) return { ok: false, errors: within.errors[0] };
		try {
			text = await readDocx(bytes);
		} catch (e) {
			return {
				ok: false,
				errors: `${file.name}: not a readable Word .docx document (${(e as Error).message ?? 'unknown error'})`
			};
		}
		text = tidyDocxText(normaliseText(text));
		if (text.trim() === '') return { ok: false, errors: `${file.name}: the document holds no text` };
	}
	const times = findTimestamps(text);
	return { ok: true, value: { name: baseName(file.name), text, sourceName: file.name, ...(times.length ? { times } : {}) } };
}

/**
 * mammoth's raw text ends every paragraph with a blank line. Keep one line per paragraph (the
 * way a .txt transcript looks), so paragraphs and speaker turns read the same from both.
 */
export function tidyDocxText(text: string): string {
	return text
		.replace(/[ \t]+\n/g, '\n')
		.replace(/\n{2,}/g, '\n')
		.replace(/^\n+/, '')
		.replace(/\n+$/, '\n');
}

/** A key that treats "ACME ", "acme" and the NFD spelling of a name as the same name. */
// toLowerCase() is the root locale's mapping (what toLocaleLowerCase('und') gives), a dozen times faster.
export const nameKey = (name: string): string => name.trim().normalize('NFC').toLowerCase();

/** A name not already taken: "Interview 3", then "Interview 3 (2)", "Interview 3 (3)"… */
export function uniqueName(name: string, taken: Iterable<string>): string {
	const keys = new Set([...taken].map(nameKey));
	if (!keys.has(nameKey(name))) return name;
	for (let i = 2; ; i++) {
		const candidate = `${name} (${i})`;
		if (!keys.has(nameKey(candidate))) return candidate;
	}
}

/**
 * The document that already holds this transcript: the same name (the document's, or the file it
 * came from, ignoring case) and exactly the same text. Importing it again would only add a copy.
 */
export function sameTranscript<D extends { name: string; sourceName?: string; text: string }>(
	t: Transcript,
	docs: readonly D[]
): D | undefined {
	const key = nameKey(t.name);
	const source = nameKey(t.sourceName);
	return docs.find(
		(d) => d.text === t.text && (nameKey(d.name) === key || (d.sourceName !== undefined && nameKey(d.sourceName) === source))
	);
}

export interface ImportOutcome {
	imported: string[];
	/** "file.txt: reason", one per skipped file. */
	skipped: string[];
	/** How many files were never looked at because the import was cancelled. */
	cancelled: number;
}

/** "Imported 12 transcripts; 1 skipped (a.pdf: not a transcript file…)". */
export function importSummary(o: ImportOutcome, withReason = true): string {
	const n = o.imported.length;
	const parts = [`Imported ${n} transcript${n === 1 ? '' : 's'}`];
	if (o.skipped.length === 1) parts.push(withReason ? `1 skipped (${o.skipped[0]})` : '1 skipped');
	else if (o.skipped.length > 1) parts.push(`${o.skipped.length} skipped`);
	if (o.cancelled > 0) parts.push(`cancelled before ${o.cancelled} more`);
	return parts.join('; ');
}
