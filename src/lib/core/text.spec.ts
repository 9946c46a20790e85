import { describe, expect, it } from 'vitest';
import { decodeText, normaliseText, paragraphCount, paragraphs, readTextFile, speakerLabel } from './text';

const utf8 = (s: string) => new TextEncoder().encode(s);
function utf16(s: string, bigEndian = false): Uint8Array {
	const out = new Uint8Array(2 + s.length * 2);
	out[0] = bigEndian ? 0xfe : 0xff;
	out[1] = bigEndian ? 0xff : 0xfe;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		out[2 + i * 2] = bigEndian ? c >> 8 : c & 0xff;
		out[3 + i * 2] = bigEndian ? c & 0xff : c >> 8;
	}
	return out;
}

describe('normaliseText', () => {
	it('turns CRLF and CR into LF and composes to NFC', () => {
		expect(normaliseText('a\r\nb\rc')).toBe('a\nb\nc');
		expect(normaliseText('e\u0301')).toBe('é');
		expect(normaliseText('\ufeffhi')).toBe('hi');
	});
});

describe('decodeText', () => {
	it('reads UTF-8 with and without a BOM', () => {
		expect(decodeText(utf8('清洁生产 audit'), 'a.txt')).toEqual({ ok: true, value: '清洁生产 audit' });
		const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('R: yes')]);
		expect(decodeText(bom, 'b.txt')).toEqual({ ok: true, value: 'R: yes' });
	});
	it('reads UTF-16 LE and BE with a BOM, normalising line ends', () => {
		expect(decodeText(utf16('受访者：是的\r\nok'), 'c.txt')).toEqual({ ok: true, value: '受访者：是的\nok' });
		expect(decodeText(utf16('Interviewer: hi', true), 'd.txt')).toEqual({ ok: true, value: 'Interviewer: hi' });
	});
	it('rejects empty, binary and undecodable files, naming the file', () => {
		expect(decodeText(new Uint8Array(), 'empty.txt')).toEqual({ ok: false, errors: 'empty.txt: the file is empty' });
		const bin = decodeText(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), 'zip.txt');
		expect(bin.ok).toBe(false);
		if (!bin.ok) expect(bin.errors).toMatch(/^zip\.txt: .*binary/);
		const bad = decodeText(new Uint8Array([0x61, 0xff, 0xfe, 0xfd, 0x62, 0xc3]), 'latin.txt');
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.errors).toMatch(/^latin\.txt: not readable as text/);
		expect(decodeText(utf8('  \n\n '), 'blank.txt')).toEqual({ ok: false, errors: 'blank.txt: the file holds no text' });
	});
});

describe('speaker turns and paragraphs', () => {
	it('recognises Interviewer:, R:, a name and a full-width colon', () => {
		expect(speakerLabel('Interviewer: Why?')).toEqual({ name: 'Interviewer', length: 13 });
		expect(speakerLabel('R: Costs.')).toEqual({ name: 'R', length: 3 });
		expect(speakerLabel('Mr Wang: We did.')?.name).toBe('Mr Wang');
		expect(speakerLabel('受访者：是的。')).toEqual({ name: '受访者', length: 4 });
	});
	it('does not take times, URLs or long sentences for speakers', () => {
		expect(speakerLabel('10:30 we met')).toBeNull();
		expect(speakerLabel('http://example.org')).toBeNull();
		expect(speakerLabel('We said that the audit was one of many things: costs')).toBeNull();
	});
	it('splits non-empty lines into numbered paragraphs with offsets into the text', () => {
		const text = 'Interviewer: Why CP?\n\nR: To cut costs.\nIt worked.';
		const ps = paragraphs(text);
		expect(ps.map((p) => [p.n, p.speaker, text.slice(p.start, p.end), text.slice(p.bodyStart, p.end)])).toEqual([
			[1, 'Interviewer', 'Interviewer: Why CP?', 'Why CP?'],
			[2, 'R', 'R: To cut costs.', 'To cut costs.'],
			[3, null, 'It worked.', 'It worked.']
		]);
	});
	it('counts the paragraphs as paragraphs() finds them, blank and white-space lines left out', () => {
		for (const text of ['', '\n', 'one', 'one\n', '\n\none\n \u3000\ntwo\r\n\u00a0\nthree', 'A: x\n\n\nB: y\n\t\n'])
			expect(paragraphCount(text), JSON.stringify(text)).toBe(paragraphs(text).length);
	});
});

describe('readTextFile (backups, codebooks and attribute sheets as picked)', () => {
	const file = (name: string, bytes: Uint8Array) => ({ name, arrayBuffer: async () => bytes.slice().buffer });

	it('reads UTF-8 (with or without a BOM) and UTF-16 with a BOM, as they are', async () => {
		expect(await readTextFile(file('a.json', utf8('{"a": "é"}\r\n')))).toEqual({ ok: true, value: '{"a": "é"}\r\n' });
		expect(await readTextFile(file('a.json', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('{}')])))).toEqual({ ok: true, value: '{}' });
		expect(await readTextFile(file('a.csv', utf16('name\nÉcole')))).toEqual({ ok: true, value: 'name\nÉcole' });
	});

	it('refuses bytes that are not UTF-8, naming the file, where File.text() would put U+FFFD', async () => {
		const bad = new Uint8Array([...utf8('{"name": "Caf'), 0xc3, 0x28, ...utf8('"}')]);
		expect(new TextDecoder().decode(bad)).toContain('\ufffd');
		const r = await readTextFile(file('study.gloss.json', bad));
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors).toMatch(/^study\.gloss\.json: not readable as text/);
	});

	it('refuses an empty file, a binary file and one the browser cannot read, naming it', async () => {
		const empty = await readTextFile(file('codebook.json', new Uint8Array()));
		expect(empty).toEqual({ ok: false, errors: 'codebook.json: the file is empty' });
		const nul = await readTextFile(file('a.csv', new Uint8Array([...utf8('name,colour\nA,#ffffff\nB,#000000\n'), 0, 0])));
		expect(nul).toEqual({ ok: false, errors: 'a.csv: this looks like a binary file, not text' });
		const gone = await readTextFile({ name: 'gone.json', arrayBuffer: () => Promise.reject(new Error('NotReadableError')) });
		expect(gone).toEqual({ ok: false, errors: 'gone.json: could not be read (NotReadableError)' });
	});
});
