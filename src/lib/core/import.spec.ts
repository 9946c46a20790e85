import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
	MAX_TRANSCRIPT_BYTES,
	baseName,
	checkTranscriptFile,
	importSummary,
	readTranscript,
	sameTranscript,
	tidyDocxText,
	transcriptKind,
	uniqueName,
	type FileLike
} from './import';

const enc = new TextEncoder();
function fakeFile(name: string, bytes: Uint8Array, size = bytes.length): FileLike {
	return { name, size, arrayBuffer: async () => bytes.slice().buffer as ArrayBuffer };
}
const noDocx = async (): Promise<string> => {
	throw new Error('docx reader should not be called');
};

describe('transcript files', () => {
	it('knows .txt and .docx, and names the document after the file without its extension', () => {
		expect(transcriptKind('A.TXT')).toBe('txt');
		expect(transcriptKind('b.docx')).toBe('docx');
		expect(transcriptKind('c.doc')).toBeNull();
		expect(transcriptKind('noext')).toBeNull();
		expect(baseName('folder/Interview 03 (wave 2).txt')).toBe('Interview 03 (wave 2)');
		expect(baseName('访谈  A.docx')).toBe('访谈 A');
		expect(baseName('.hidden')).toBe('.hidden');
	});

	it('refuses empty, too-large and unsupported files before reading them, naming the file', () => {
		expect(checkTranscriptFile({ name: 'e.txt', size: 0 })).toEqual({ ok: false, errors: 'e.txt: the file is empty' });
		const big = checkTranscriptFile({ name: 'big.txt', size: MAX_TRANSCRIPT_BYTES + 1 });
		expect(big.ok).toBe(false);
		expect(!big.ok && big.errors).toMatch(/^big\.txt: too large \(50\.0 MB\); a transcript may be at most 50 MB/);
		const old = checkTranscriptFile({ name: 'old.doc', size: 10 });
		expect(!old.ok && old.errors).toMatch(/old\.doc: not a transcript file.*save it as \.docx/);
		expect(checkTranscriptFile({ name: 'ok.txt', size: MAX_TRANSCRIPT_BYTES })).toEqual({ ok: true, value: 'txt' });
	});

	it('does not read a 50 MB file at all', async () => {
		let read = false;
		const f: FileLike = {
			name: 'huge.txt',
			size: 50 * 1024 * 1024 + 10,
			arrayBuffer: async () => {
				read = true;
				return new ArrayBuffer(0);
			}
		};
		const r = await readTranscript(f, noDocx);
		expect(r.ok).toBe(false);
		expect(read).toBe(false);
	});

	it('reads UTF-8, UTF-8 with BOM and UTF-16 LE with BOM to the same normalised text', async () => {
		const text = 'Interviewer: 为什么？\r\nR: Cost.\r\n';
		const utf16 = new Uint8Array(2 + text.length * 2);
		utf16.set([0xff, 0xfe]);
		for (let i = 0; i < text.length; i++) {
			utf16[2 + i * 2] = text.charCodeAt(i) & 0xff;
			utf16[3 + i * 2] = text.charCodeAt(i) >> 8;
		}
		const want = 'Interviewer: 为什么？\nR: Cost.\n';
		for (const bytes of [enc.encode(text), new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode(text)]), utf16]) {
			const r = await readTranscript(fakeFile('C01.txt', bytes), noDocx);
			expect(r).toEqual({ ok: true, value: { name: 'C01', text: want, sourceName: 'C01.txt' } });
		}
	});

	it('rejects a binary file and an empty one, naming them', async () => {
		const bin = await readTranscript(fakeFile('photo.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 1, 2])), noDocx);
		expect(!bin.ok && bin.errors).toMatch(/^photo\.txt: /);
		const blank = await readTranscript(fakeFile('blank.txt', enc.encode('  \n \n')), noDocx);
		expect(blank).toEqual({ ok: false, errors: 'blank.txt: the file holds no text' });
	});

	it('reads .docx through the reader it is given and tidies paragraph breaks', async () => {
		const zip = zipSync({ 'word/document.xml': strToU8('<w:document/>') });
		const r = await readTranscript(fakeFile('S03.docx', zip), async () => 'Interviewer: Why?\n\nR: Buyers\r\n\n\n');
		expect(r).toEqual({ ok: true, value: { name: 'S03', text: 'Interviewer: Why?\nR: Buyers\n', sourceName: 'S03.docx' } });
	});

	it('rejects a .docx that is not a zip, or that the reader cannot read, or that holds no text', async () => {
		const notZip = await readTranscript(fakeFile('fake.docx', enc.encode('hello')), noDocx);
		expect(!notZip.ok && notZip.errors).toMatch(/^fake\.docx: not a Word \.docx document/);
		const zip = zipSync({ 'word/document.xml': strToU8('<w:document/>') });
		const broken = await readTranscript(fakeFile('broken.docx', zip), async () => {
			throw new Error('Could not find file in options');
		});
		expect(!broken.ok && broken.errors).toBe('broken.docx: not a readable Word .docx document (Could not find file in options)');
		const empty = await readTranscript(fakeFile('empty.docx', zip), async () => '\n\n');
		expect(empty).toEqual({ ok: false, errors: 'empty.docx: the document holds no text' });
	});

	it('tidies docx text to one line per paragraph', () => {
		expect(tidyDocxText('\n\nA  \n\nB\n\n\n')).toBe('A\nB\n');
	});

	it('makes names unique ignoring case and spacing', () => {
		expect(uniqueName('C01', ['c01 ', 'C01 (2)'])).toBe('C01 (3)');
		expect(uniqueName('C02', ['C01'])).toBe('C02');
	});

	it('summarises an import with its skipped files', () => {
		expect(importSummary({ imported: ['a', 'b'], skipped: ['x.pdf: not a transcript file'], cancelled: 0 })).toBe(
			'Imported 2 transcripts; 1 skipped (x.pdf: not a transcript file)'
		);
		expect(importSummary({ imported: ['a'], skipped: ['x', 'y'], cancelled: 3 })).toBe(
			'Imported 1 transcript; 2 skipped; cancelled before 3 more'
		);
		expect(importSummary({ imported: [], skipped: ['x: why'], cancelled: 0 }, false)).toBe('Imported 0 transcripts; 1 skipped');
	});
});

describe('a transcript already imported', () => {
	const docs = [
		{ name: 'Enterprise C01', sourceName: 'Enterprise C01.txt', text: 'I: Hello\n' },
		{ name: 'Renamed', sourceName: 'T02.docx', text: 'R: Yes\n' }
	];
	it('is the same name (document or file, ignoring case) and exactly the same text', () => {
		expect(sameTranscript({ name: 'enterprise c01', sourceName: 'enterprise c01.txt', text: 'I: Hello\n' }, docs)).toBe(docs[0]);
		expect(sameTranscript({ name: 'T02', sourceName: 'T02.docx', text: 'R: Yes\n' }, docs)).toBe(docs[1]);
		expect(sameTranscript({ name: 'Enterprise C01', sourceName: 'Enterprise C01.txt', text: 'I: Hello again\n' }, docs)).toBeUndefined();
		expect(sameTranscript({ name: 'Other', sourceName: 'Other.txt', text: 'I: Hello\n' }, docs)).toBeUndefined();
	});
});

describe('timed transcripts', () => {
	const u16le = (s: string) => {
		const b = new Uint8Array(2 + s.length * 2);
		b[0] = 0xff;
		b[1] = 0xfe;
		for (let i = 0; i < s.length; i++) {
			b[2 + i * 2] = s.charCodeAt(i) & 0xff;
			b[3 + i * 2] = s.charCodeAt(i) >> 8;
		}
		return b;
	};
	it('reads .vtt (UTF-16 with a BOM, CRLF) to turns with their start times', async () => {
		expect(transcriptKind('Zoom meeting.VTT')).toBe('vtt');
		const vtt = 'WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\n<v Wang>Hello</v>\r\n\r\n00:00:03.000 --> 00:00:04.000\r\n<v Li>Hi</v>\r\n';
		const r = await readTranscript(fakeFile('Zoom meeting.vtt', u16le(vtt)), noDocx);
		expect(r).toEqual({
			ok: true,
			value: { name: 'Zoom meeting', text: 'Wang: Hello\nLi: Hi\n', sourceName: 'Zoom meeting.vtt', times: [{ offset: 0, seconds: 1 }, { offset: 12, seconds: 3 }] }
		});
	});
	it('reads .srt, and refuses a broken one naming the file', async () => {
		expect(transcriptKind('a.srt')).toBe('srt');
		const r = await readTranscript(fakeFile('a.srt', enc.encode('1\n00:00:05,000 --> 00:00:06,000\nA: yes\n')), noDocx);
		expect(r.ok && r.value.times).toEqual([{ offset: 0, seconds: 5 }]);
		const bad = await readTranscript(fakeFile('b.srt', enc.encode('nothing timed')), noDocx);
		expect(bad).toEqual({ ok: false, errors: expect.stringMatching(/^b\.srt: not an SRT subtitle file/) });
	});
	it('keeps a .txt transcript\'s text as it is and reads the times at its turns', async () => {
		const text = '[00:00:05] Interviewer: Why?\n[00:00:09] R: Because.\n';
		const r = await readTranscript(fakeFile('t.txt', enc.encode(text)), noDocx);
		expect(r.ok && r.value.text).toBe(text);
		expect(r.ok && r.value.times).toEqual([{ offset: 0, seconds: 5 }, { offset: 29, seconds: 9 }]);
		const plain = await readTranscript(fakeFile('p.txt', enc.encode('Interviewer: no times\n')), noDocx);
		expect(plain.ok && 'times' in plain.value).toBe(false);
	});
});
