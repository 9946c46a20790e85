/**
 * Text PDFs as transcripts: the text layer read in reading order, lines joined into paragraphs,
 * and where each page starts kept as data (`pages`), so retrieval and the segment CSV can say
 * which page a passage is on. Pure: the PDF reader (pdfjs-dist) is passed in, so the browser
 * gives its build (which parses in its own worker) and Node tests the legacy build.
 */
import { normaliseText, speakerLabel } from './text';
import type { Result } from './types';

/** One run of text as pdfjs gives it (`TextItem`): its string, position and size in PDF units. */
export interface PdfTextItem {
	str: string;
	/** [a, b, c, d, x, y]: x and y are the run's origin on the page; d its font height. */
	transform: number[];
	width: number;
	height: number;
	hasEOL?: boolean;
}

/** The part of pdfjs-dist this reader uses. */
export interface PdfJs {
	getDocument(src: { data: Uint8Array; isEvalSupported?: boolean; useSystemFonts?: boolean; verbosity?: number; stopAtErrors?: boolean }): {
		promise: Promise<{
			numPages: number;
			getPage(n: number): Promise<{ getTextContent(): Promise<{ items: unknown[] }>; cleanup?(): void }>;
			destroy(): Promise<void>;
		}>;
		destroy?(): Promise<void>;
	};
}

export interface PdfText {
	/** Normalised text, one paragraph per line. */
	text: string;
	/** Where each page starts in `text`: `pages[0]` is 0 for page 1. */
	pages: number[];
}

interface Line {
	text: string;
	x: number;
	y: number;
	right: number;
	size: number;
}

const CJK_END = /[\u3000-\u9fff\uff00-\uffef]$/;
const CJK_START = /^[\u3000-\u9fff\uff00-\uffef]/;

/** The lines of one page, top to bottom, from its text runs (in content order, as pdfjs gives them). */
function linesOf(items: PdfTextItem[]): Line[] {
	const lines: Line[] = [];
	let cur: Line | null = null;
	let endOfLine = false;
	for (const it of items) {
		if (typeof it.str !== 'string' || !Array.isArray(it.transform)) continue;
		const x = it.transform[4] ?? 0;
		const y = it.transform[5] ?? 0;
		const size = Math.abs(it.transform[3] || it.height || 10);
		const sameLine = cur && !endOfLine && Math.abs(cur.y - y) < size * 0.5;
		if (it.str !== '' || !sameLine) {
			if (!sameLine) {
				if (cur && cur.text.trim()) lines.push(cur);
				cur = { text: '', x, y, right: x, size };
			}
			const line = cur!;
			if (line.text && it.str && !/\s$/.test(line.text) && !/^\s/.test(it.str) && x - line.right > size * 0.15) line.text += ' ';
			line.text += it.str;
			line.right = Math.max(line.right, x + (it.width || 0));
			line.x = Math.min(line.x, x);
			line.size = Math.max(line.size, size);
		}
		endOfLine = !!it.hasEOL;
	}
	if (cur && cur.text.trim()) lines.push(cur);
	return lines;
}

/** Join a page's lines into paragraphs: a wider gap, a short line ending a sentence, or a speaker label starts a new one. */
function paragraphsOf(lines: Line[]): string[] {
	if (lines.length === 0) return [];
	const gaps: number[] = [];
	for (let i = 1; i < lines.length; i++) {
		const g = lines[i - 1].y - lines[i].y;
		if (g > 0) gaps.push(g);
	}
	gaps.sort((a, b) => a - b);
	const usual = gaps.length ? gaps[Math.floor(gaps.length / 2)] : lines[0].size * 1.2;
	const widest = Math.max(...lines.map((l) => l.right - l.x));
	const out: string[] = [];
	let para = lines[0].text.replace(/\s+/g, ' ').trim();
	for (let i = 1; i < lines.length; i++) {
		const prev = lines[i - 1];
		const line = lines[i];
		const text = line.text.replace(/\s+/g, ' ').trim();
		const gap = prev.y - line.y;
		const short = prev.right - prev.x < widest * 0.75 && /[.?!:。？！：…"”’)]$/.test(para);
		const newPara = gap > usual * 1.4 || gap < 0 || short || speakerLabel(text) !== null || line.x - prev.x > prev.size * 1.5;
		if (newPara) {
			out.push(para);
			para = text;
		} else if (/[A-Za-z]-$/.test(para) && /^[a-z]/.test(text)) para = para.slice(0, -1) + text;
		else if (CJK_END.test(para) && CJK_START.test(text)) para += text;
		else para += ' ' + text;
	}
	out.push(para);
	return out.filter((p) => p !== '');
}

/** Text and page starts from each page's text runs. */
export function pdfTextFromItems(pages: PdfTextItem[][]): PdfText {
	let text = '';
	const starts: number[] = [];
	for (const items of pages) {
		starts.push(text.length);
		for (const p of paragraphsOf(linesOf(items))) text += normaliseText(p).replace(/\n/g, ' ') + '\n';
	}
	return { text, pages: starts };
}

/** The page (1-based) an offset is on, or null for a document without pages. */
export function pageAt(pages: readonly number[] | undefined, offset: number): number | null {
	if (!pages || pages.length === 0) return null;
	let lo = 0;
	let hi = pages.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (pages[mid] <= offset) lo = mid;
		else hi = mid - 1;
	}
	return lo + 1;
}

/** Pages must start at 0, rise, and lie within the text. */
export function checkPages(pages: unknown, textLength: number): string[] {
	if (!Array.isArray(pages)) return ['must be a list of page start offsets'];
	const errors: string[] = [];
	pages.forEach((p, i) => {
		if (!Number.isSafeInteger(p) || (p as number) < 0 || (p as number) > textLength) errors.push(`[${i}]: must be a whole number from 0 to ${textLength}`);
		else if (i === 0 && p !== 0) errors.push('[0]: the first page must start at 0');
		else if (i > 0 && (p as number) < (pages[i - 1] as number)) errors.push(`[${i}]: must not come before the previous page's start`);
	});
	return errors;
}

/** A PDF with this many pages is refused before it is read. */
export const MAX_PDF_PAGES = 5000;

/**
 * Read a PDF's text layer with pdfjs. A PDF with no text (a scan) or a damaged, encrypted one is
 * refused with a message naming the file. `onPage` reports progress; `cancelled` stops early.
 */
export async function readPdf(
	pdfjs: PdfJs,
	bytes: Uint8Array,
	fileName: string,
	onPage?: (done: number, total: number) => void,
	cancelled?: () => boolean
): Promise<Result<PdfText, string>> {
	if (bytes.length < 5 || String.fromCharCode(...bytes.subarray(0, 5)) !== '%PDF-')
		return { ok: false, errors: `${fileName}: not a PDF file (the file is damaged or has the wrong extension)` };
	let doc: Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
	try {
		// pdfjs takes the buffer (it is detached after): give it a copy
		doc = await pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
	} catch (e) {
		const name = (e as Error)?.name ?? '';
		if (name === 'PasswordException') return { ok: false, errors: `${fileName}: the PDF is protected by a password; save an unprotected copy first` };
		return { ok: false, errors: `${fileName}: not a readable PDF (${(e as Error)?.message ?? 'unknown error'})` };
	}
	try {
		if (doc.numPages > MAX_PDF_PAGES)
			return { ok: false, errors: `${fileName}: ${doc.numPages.toLocaleString('en')} pages; Gloss reads PDFs of at most ${MAX_PDF_PAGES.toLocaleString('en')} pages` };
		const pages: PdfTextItem[][] = [];
		for (let n = 1; n <= doc.numPages; n++) {
			if (cancelled?.()) return { ok: false, errors: `${fileName}: cancelled` };
			const page = await doc.getPage(n);
			const content = await page.getTextContent();
			pages.push(content.items.filter((it): it is PdfTextItem => typeof (it as PdfTextItem).str === 'string'));
			page.cleanup?.();
			onPage?.(n, doc.numPages);
		}
		const out = pdfTextFromItems(pages);
		if (out.text.trim() === '')
			return {
				ok: false,
				errors: `${fileName}: the PDF has no text layer (a scanned document?); run it through OCR, or save the text as .txt or .docx`
			};
		return { ok: true, value: out };
	} catch (e) {
		return { ok: false, errors: `${fileName}: not a readable PDF (${(e as Error)?.message ?? 'unknown error'})` };
	} finally {
		void doc.destroy();
	}
}
