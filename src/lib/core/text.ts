/**
 * Transcript text: decoding, normalisation, paragraphs and speaker turns.
 *
 * Every offset in Gloss is a JavaScript string offset (UTF-16 code unit), zero-based, end
 * exclusive, over the text as `normaliseText` returns it.
 */
import type { Result } from './types';

/** LF line endings and Unicode NFC. The one normal form every stored text is in. */
export function normaliseText(text: string): string {
	let t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	t = t.replace(/\r\n?/g, '\n');
	return t.normalize('NFC');
}

/** The most bytes read as one text: past this a JavaScript string cannot hold it safely. */
export const MAX_TEXT_BYTES = 400 * 1024 * 1024;

/** How many bytes of the start are looked at to recognise UTF-16 without a byte-order mark. */
const SNIFF = 4096;

/**
 * UTF-16 without a byte-order mark, recognised by its zero bytes: text in Latin script has a
 * zero in every other byte (the high byte), on the odd side for little-endian, the even side for
 * big-endian. Text wholly in CJK has no zero bytes and cannot be told from other encodings this
 * way; it fails UTF-8 decoding and is refused with a message instead.
 */
function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
	const n = Math.min(bytes.length, SNIFF) & ~1;
	if (n < 4) return null;
	let evenZero = 0;
	let oddZero = 0;
	for (let i = 0; i < n; i += 2) {
		if (bytes[i] === 0) evenZero++;
		if (bytes[i + 1] === 0) oddZero++;
	}
	const half = n / 2;
	if (oddZero > half * 0.3 && evenZero < half * 0.05) return 'utf-16le';
	if (evenZero > half * 0.3 && oddZero < half * 0.05) return 'utf-16be';
	return null;
}

/**
 * THE decoder for every text Gloss reads from a file (transcripts, REFI-QDA sources and project
 * XML): UTF-8 with or without a BOM, UTF-16 with a BOM, and UTF-16 without one where its zero
 * bytes show it. Refuses, naming the file: an empty file, one too large for a string, one that is
 * none of these, and a binary file (NUL characters, or many control characters). The text is
 * returned as it is, without normalisation (REFI-QDA positions count over the raw text).
 */
export function decodeBytes(bytes: Uint8Array, fileName: string): Result<{ text: string; encoding: string }, string> {
	if (bytes.length === 0) return { ok: false, errors: `${fileName}: the file is empty` };
	if (bytes.length > MAX_TEXT_BYTES)
		return {
			ok: false,
			errors: `${fileName}: too large to read as text (${Math.round(bytes.length / 1048576)} MB; Gloss reads at most ${MAX_TEXT_BYTES / 1048576} MB of text from one file)`
		};
	let text: string;
	let encoding: string;
	try {
		if (bytes[0] === 0xff && bytes[1] === 0xfe) {
			text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
			encoding = 'UTF-16LE';
		} else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
			text = new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
			encoding = 'UTF-16BE';
		} else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
			text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3));
			encoding = 'UTF-8 with BOM';
		} else {
			const utf16 = sniffUtf16(bytes);
			if (utf16) {
				text = new TextDecoder(utf16, { fatal: true }).decode(bytes);
				encoding = utf16 === 'utf-16le' ? 'UTF-16LE without BOM' : 'UTF-16BE without BOM';
			} else {
				text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
				encoding = 'UTF-8';
			}
		}
	} catch {
		return {
			ok: false,
			errors: `${fileName}: not readable as text (it is neither UTF-8 nor UTF-16; save it as UTF-8 and import it again)`
		};
	}
	// NUL and most C0 controls do not occur in text files; their presence means a binary file.
	let controls = 0;
	for (let i = 0; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		if (ch === 0) return { ok: false, errors: `${fileName}: this looks like a binary file, not text` };
		if (ch < 32 && ch !== 9 && ch !== 10 && ch !== 13 && ch !== 12) controls++;
	}
	if (controls > 8 && controls > text.length / 1000) return { ok: false, errors: `${fileName}: this looks like a binary file, not text` };
	return { ok: true, value: { text, encoding } };
}

/** A file as the app gets it: a `File`, or anything with its name and bytes. */
export interface NamedFile {
	name: string;
	arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * A picked file's text through `decodeBytes` (never `File.text()`, which turns bytes that are not
 * UTF-8 into U+FFFD without a word): the way backups, codebooks and attribute sheets are read.
 * Refuses, naming the file, what `decodeBytes` refuses and a file the browser cannot read.
 */
export async function readTextFile(file: NamedFile): Promise<Result<string, string>> {
	let bytes: Uint8Array;
	try {
		bytes = new Uint8Array(await file.arrayBuffer());
	} catch (e) {
		return { ok: false, errors: `${file.name}: could not be read (${(e as Error).message})` };
	}
	const r = decodeBytes(bytes, file.name);
	return r.ok ? { ok: true, value: r.value.text } : r;
}

/** A transcript file's bytes to normalised text (LF, NFC), through `decodeBytes`. */
export function decodeText(bytes: Uint8Array, fileName: string): Result<string, string> {
	const r = decodeBytes(bytes, fileName);
	if (!r.ok) return r;
	const norm = normaliseText(r.value.text);
	if (norm.trim() === '') return { ok: false, errors: `${fileName}: the file holds no text` };
	return { ok: true, value: norm };
}

export interface Paragraph {
	/** 1-based paragraph number, as shown in the gutter. */
	n: number;
	start: number;
	/** Exclusive; the paragraph's text is `text.slice(start, end)` without its line break. */
	end: number;
	/** The speaker label (without the colon) when the paragraph opens a speaker turn. */
	speaker: string | null;
	/** Where the label (with its colon and following spaces) ends; equals `start` when there is none. */
	bodyStart: number;
}

/**
 * A speaker label at the start of a line: `Interviewer:`, `R:`, `Mr Wang:`, `受访者：`.
 * A name is at most five words and 40 characters, starts with a letter, and is followed by a
 * colon (ASCII or full-width).
 */
const SPEAKER = /^([\p{L}][\p{L}\p{M}\p{N} .'’\-_()]{0,39}?)\s?[:：]\s*/u;

export function speakerLabel(line: string): { name: string; length: number } | null {
	// no colon where a label could end: not a label (most body lines; skips the regular expression)
	const head = line.length > 44 ? line.slice(0, 44) : line;
	if (head.indexOf(':') < 0 && head.indexOf('：') < 0) return null;
	const m = SPEAKER.exec(line);
	if (!m) return null;
	const name = m[1].trim();
	if (name.split(/\s+/).length > 5) return null;
	// A time stamp such as "10:30" or a URL scheme such as "http:" is not a speaker.
	if (/^(https?|ftp|mailto)$/i.test(name)) return null;
	if (m[0].length >= line.length) return null; // a line that is only "Note:" with nothing after
	return { name, length: m[0].length };
}

/** Whether a UTF-16 code unit is white space as String.prototype.trim sees it. */
function isTrimSpace(c: number): boolean {
	if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
	if (c < 0xa0) return false;
	return (
		c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
	);
}

/** Whether text[from, to) holds anything but white space (without copying it: a 10 M-character transcript has tens of thousands of lines). */
function hasContent(text: string, from: number, to: number): boolean {
	for (let i = from; i < to; i++) if (!isTrimSpace(text.charCodeAt(i))) return true;
	return false;
}

/** How many paragraphs `paragraphs(text)` finds, without making them (stored with each document). */
export function paragraphCount(text: string): number {
	let pos = 0;
	let n = 0;
	while (pos <= text.length) {
		let nl = text.indexOf('\n', pos);
		if (nl < 0) nl = text.length;
		if (nl > pos && hasContent(text, pos, nl)) n++;
		pos = nl + 1;
	}
	return n;
}

/** Split text into paragraphs: one per non-empty line. */
export function paragraphs(text: string): Paragraph[] {
	const out: Paragraph[] = [];
	let pos = 0;
	let n = 0;
	while (pos <= text.length) {
		let nl = text.indexOf('\n', pos);
		if (nl < 0) nl = text.length;
		if (nl > pos && hasContent(text, pos, nl)) {
			const label = speakerLabel(text.slice(pos, Math.min(nl, pos + 60)));
			out.push({
				n: ++n,
				start: pos,
				end: nl,
				speaker: label ? label.name : null,
				bodyStart: label ? pos + label.length : pos
			});
		}
		pos = nl + 1;
	}
	return out;
}
