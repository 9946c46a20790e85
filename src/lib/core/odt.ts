/**
 * OpenDocument text (.odt) as a transcript: the paragraphs and headings of `content.xml`, in
 * order, one per line. Read with the project's zip reader and its limits; pure, no DOM.
 */
import { normaliseText } from './text';
import type { Result } from './types';
import { DOCX_LIMITS, unzipWithin } from './zip';

/** Elements whose text is not the document's running text. */
const SKIP = new Set(['office:annotation', 'office:annotation-end', 'text:note', 'text:tracked-changes', 'office:forms', 'text:bookmark-ref', 'svg:desc', 'svg:title']);

function decodeEntities(s: string): string {
	return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
		if (e[0] === '#') {
			const n = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
			return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '';
		}
		return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e] ?? '';
	});
}

/** The running text of an ODT `content.xml`: one line per paragraph or heading. */
export function odtContentText(xml: string): string {
	const out: string[] = [];
	const paras: string[] = [];
	let skip = 0;
	let inBody = false;
	const token = /<(\/?)([A-Za-z_][\w.:-]*)([^>]*?)(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|([^<]+)/g;
	for (let m = token.exec(xml); m; m = token.exec(xml)) {
		const [, close, name, attrs, selfClose, cdata, text] = m;
		if (text !== undefined || cdata !== undefined) {
			if (inBody && !skip && paras.length) paras[paras.length - 1] += cdata ?? decodeEntities(text!.replace(/[\r\n\t]+/g, ' '));
			continue;
		}
		if (!name) continue;
		if (name === 'office:text') {
			inBody = !close && !selfClose;
			continue;
		}
		if (!inBody) continue;
		if (SKIP.has(name)) {
			if (selfClose) continue;
			skip += close ? -1 : 1;
			if (skip < 0) skip = 0;
			continue;
		}
		if (skip) continue;
		if (name === 'text:p' || name === 'text:h') {
			if (selfClose) out.push('');
			else if (!close) paras.push('');
			else if (paras.length) out.push(paras.pop()!);
			continue;
		}
		if (!paras.length || close) continue;
		if (name === 'text:s') {
			const c = /text:c="(\d+)"/.exec(attrs)?.[1];
			paras[paras.length - 1] += ' '.repeat(Math.min(Number(c ?? 1), 1000));
		} else if (name === 'text:tab') paras[paras.length - 1] += '\t';
		else if (name === 'text:line-break') paras[paras.length - 1] += ' ';
	}
	return out
		.map((p) => p.replace(/[ \t]+$/g, ''))
		.filter((p) => p.trim() !== '')
		.join('\n')
		.concat('\n');
}

/** Read an .odt file's bytes to normalised text, or a message naming the file. */
export function readOdt(bytes: Uint8Array, fileName: string): Result<string, string> {
	const notOdt = `${fileName}: not an OpenDocument text (.odt) file (the file is damaged or has the wrong extension)`;
	if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return { ok: false, errors: notOdt };
	const files = unzipWithin(bytes, fileName, DOCX_LIMITS, { notAZip: () => notOdt });
	if (!files.ok) return { ok: false, errors: files.errors[0] };
	const content = files.value['content.xml'];
	if (!content) return { ok: false, errors: `${fileName}: an OpenDocument file without content.xml (damaged?)` };
	let xml: string;
	try {
		xml = new TextDecoder('utf-8', { fatal: true }).decode(content);
	} catch {
		return { ok: false, errors: `${fileName}: content.xml is not UTF-8 text (damaged?)` };
	}
	const text = normaliseText(odtContentText(xml));
	if (text.trim() === '') return { ok: false, errors: `${fileName}: the document holds no text` };
	return { ok: true, value: text };
}
