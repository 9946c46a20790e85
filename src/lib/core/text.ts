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

/**
 * Decode a transcript file's bytes. Accepts UTF-8 (with or without a BOM) and UTF-16 LE/BE
 * with a BOM. Binary or undecodable bytes give an error that names the file.
 */
export function decodeText(bytes: Uint8Array, fileName: string): Result<string, string> {
	if (bytes.length === 0) return { ok: false, errors: `${fileName}: the file is empty` };
	let text: string;
	try {
		if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
		else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
		else {
			const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
			text = new TextDecoder('utf-8', { fatal: true }).decode(body);
		}
	} catch {
		return {
			ok: false,
			errors: `${fileName}: not readable as text (it is neither UTF-8 nor UTF-16 with a byte-order mark; save it as UTF-8 and import it again)`
		};
	}
	// NUL and most C0 controls do not occur in text files; their presence means a binary file.
	let controls = 0;
	for (let i = 0; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		if (ch === 0) return { ok: false, errors: `${fileName}: this looks like a binary file, not a text transcript` };
		if (ch < 32 && ch !== 9 && ch !== 10 && ch !== 13 && ch !== 12) controls++;
	}
	if (controls > 8 && controls > text.length / 1000)
		return { ok: false, errors: `${fileName}: this looks like a binary file, not a text transcript` };
	const norm = normaliseText(text);
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
	const m = SPEAKER.exec(line);
	if (!m) return null;
	const name = m[1].trim();
	if (name.split(/\s+/).length > 5) return null;
	// A time stamp such as "10:30" or a URL scheme such as "http:" is not a speaker.
	if (/^(https?|ftp|mailto)$/i.test(name)) return null;
	if (m[0].length >= line.length) return null; // a line that is only "Note:" with nothing after
	return { name, length: m[0].length };
}

/** Split text into paragraphs: one per non-empty line. */
export function paragraphs(text: string): Paragraph[] {
	const out: Paragraph[] = [];
	let pos = 0;
	let n = 0;
	while (pos <= text.length) {
		let nl = text.indexOf('\n', pos);
		if (nl < 0) nl = text.length;
		if (nl > pos && text.slice(pos, nl).trim() !== '') {
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
