/**
 * REFI-QDA import of broken and hostile projects: each one is imported as far as it is sound,
 * with every problem reported by file and XML path, or refused with a reason; never a throw.
 */
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MAX_CODE_DEPTH } from '../codebook';
import type { StudyData } from '../types';
import { parseQdpx, type RefiImport } from './import';

const NOW = '2026-03-01T12:00:00.000Z';
const G = (n: number) => `${n.toString(16).padStart(8, '0')}-aaaa-4bbb-8ccc-ddddeeeeffff`;

function project(codes: string, sources: string): string {
	return `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Broken" origin="Some tool 1.0">
  <Users><User guid="${G(1)}" name="Ana"/></Users>
  <CodeBook><Codes>${codes}</Codes></CodeBook>
  <Sources>${sources}</Sources>
</Project>`;
}
function load(files: Record<string, string | Uint8Array>): RefiImport {
	const z: Record<string, Uint8Array> = {};
	for (const [k, v] of Object.entries(files)) z[k] = typeof v === 'string' ? strToU8(v) : v;
	const r = parseQdpx(zipSync(z), 'broken.qdpx', 's', NOW);
	if (!r.ok) throw new Error(r.errors.join('\n'));
	return r.value;
}
const sliceOf = (d: StudyData, s: StudyData['segments'][number]) => (d.documents.find((x) => x.id === s.documentId) as StudyData['documents'][number]).text.slice(s.start, s.end);
const utf16 = (s: string, le: boolean) => {
	const out = new Uint8Array(s.length * 2);
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		out[2 * i + (le ? 0 : 1)] = c & 0xff;
		out[2 * i + (le ? 1 : 0)] = c >> 8;
	}
	return out;
};
const code = `<Code guid="${G(10)}" name="Savings" isCodable="true"/>`;
const selection = (n: number, a: string, b: string) =>
	`<PlainTextSelection guid="${G(100 + n)}" startPosition="${a}" endPosition="${b}"><Coding guid="${G(200 + n)}" creatingUser="${G(1)}"><CodeRef targetGUID="${G(10)}"/></Coding></PlainTextSelection>`;

describe('source text encodings: one decoder for transcripts and projects', () => {
	const text = 'Manager: The savings were real.\nInterviewer: And the paperwork?';
	for (const le of [true, false]) {
		it(`reads UTF-16${le ? 'LE' : 'BE'} without a byte-order mark, and codes the right text`, () => {
			const v = load({
				'project.qde': project(code, `<TextSource guid="${G(40)}" name="A" plainTextPath="internal://a.txt">${selection(1, '13', '24')}</TextSource>`),
				'sources/a.txt': utf16(text, le)
			});
			expect(v.data.documents[0].text).toBe(text);
			expect(sliceOf(v.data, v.data.segments[0])).toBe('savings wer');
		});
	}

	it('skips a source holding NUL characters as binary, naming it', () => {
		const v = load({
			'project.qde': project(code, `<TextSource guid="${G(40)}" name="A" plainTextPath="internal://a.txt"/><TextSource guid="${G(41)}" name="B" plainTextPath="internal://b.txt"/>`),
			'sources/a.txt': new Uint8Array([0x41, 0x42, 0x00, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49]),
			'sources/b.txt': strToU8('Fine text')
		});
		expect(v.data.documents.map((d) => d.name)).toEqual(['B']);
		expect(v.warnings.join('\n')).toContain('/Project/Sources/TextSource[1]: its text file "internal://a.txt": this looks like a binary file, not text; the source is skipped');
	});
});

describe('positions', () => {
	const text = 'Manager: The savings were real, and the paperwork took months.';
	const v = load({
		'project.qde': project(
			code,
			`<TextSource guid="${G(40)}" name="A" plainTextPath="internal://a.txt">${[
				selection(1, '13', '20'),
				selection(2, '', '5'),
				selection(3, '1e2', '105'),
				selection(4, '12.0', '20'),
				selection(5, '-1', '4'),
				selection(6, '20', '13'),
				selection(7, ' 40 ', '49')
			].join('')}</TextSource>`
		),
		'sources/a.txt': text
	});
	const w = v.warnings.join('\n');
	const at = (n: number) => `broken.qdpx/project.qde: /Project/Sources/TextSource[1]/PlainTextSelection[${n}]`;

	it('takes whole numbers from 0 (spaces around them allowed, as XML Schema does)', () => {
		expect(v.data.segments.map((s) => sliceOf(v.data, s)).sort()).toEqual(['paperwork', 'savings']);
	});
	it('reports "", 1e2, 12.0 and -1 as not positions, and skips them', () => {
		expect(w).toContain(`${at(2)}: startPosition/endPosition ""–"5" are not positions (whole numbers from 0); skipped`);
		expect(w).toContain(`${at(3)}: startPosition/endPosition "1e2"–"105" are not positions (whole numbers from 0); skipped`);
		expect(w).toContain(`${at(4)}: startPosition/endPosition "12.0"–"20" are not positions (whole numbers from 0); skipped`);
		expect(w).toContain(`${at(5)}: startPosition/endPosition "-1"–"4" are not positions (whole numbers from 0); skipped`);
	});
	it('reports a start after its end, and skips it', () => {
		expect(w).toContain(`${at(6)}: startPosition 20 is after endPosition 13; skipped`);
	});
});

describe('code trees', () => {
	it(`reads a tree 3,000 levels deep without recursion, keeping ${MAX_CODE_DEPTH} levels and every coding`, () => {
		const depth = 3000;
		let codes = '';
		for (let i = 0; i < depth; i++) codes += `<Code guid="${G(1000 + i)}" name="Level ${i + 1}" isCodable="true">`;
		codes += '</Code>'.repeat(depth);
		const deepest = G(1000 + depth - 1);
		const v = load({
			'project.qde': project(
				codes,
				`<TextSource guid="${G(40)}" name="A" plainTextPath="internal://a.txt"><PlainTextSelection guid="${G(90)}" startPosition="0" endPosition="4"><Coding guid="${G(91)}" creatingUser="${G(1)}"><CodeRef targetGUID="${deepest}"/></Coding></PlainTextSelection></TextSource>`
			),
			'sources/a.txt': 'Deep text'
		});
		const d = v.data;
		expect(d.codes).toHaveLength(depth);
		const byId = new Map(d.codes.map((c) => [c.id, c]));
		const levels = (id: string) => {
			let n = 1;
			for (let c = byId.get(id); c?.parentId; c = byId.get(c.parentId)) n++;
			return n;
		};
		expect(Math.max(...d.codes.map((c) => levels(c.id)))).toBe(MAX_CODE_DEPTH);
		expect(levels(deepest)).toBe(MAX_CODE_DEPTH);
		expect(d.segments).toHaveLength(1);
		expect(d.segments[0].codeId).toBe(deepest);
		expect(v.warnings.join('\n')).toMatch(
			new RegExp(`codes are nested more than ${MAX_CODE_DEPTH} levels deep \\(the most Gloss keeps\\); ${depth - MAX_CODE_DEPTH} deeper code\\(s\\) are placed at level ${MAX_CODE_DEPTH} with their codings`)
		);
	});

	it('warns about a code with no name', () => {
		const v = load({ 'project.qde': project(`<Code guid="${G(10)}" name="" isCodable="true"/><Code guid="${G(11)}" isCodable="true"/>`, ''), 'sources/x.txt': 'x' });
		expect(v.data.codes.map((c) => c.name).sort()).toEqual(['Unnamed code', 'Unnamed code (2)']);
		const w = v.warnings.join('\n');
		expect(w).toContain('/Project/CodeBook/Codes/Code[1]: the code has no name; it is called "Unnamed code"');
		expect(w).toContain('/Project/CodeBook/Codes/Code[2]: the code has no name; it is called "Unnamed code"');
	});
});

describe('f4 memos: a selection with a Description and/or a NoteRef and no Coding', () => {
	const text = 'I: Hello 😀 there.\nB: We saved water and money.\nI: Thanks.';
	const cp = (w: string) => [...text.slice(0, text.indexOf(w))].length;
	const sel = (n: number, w: string, inner: string) =>
		`<PlainTextSelection guid="${G(300 + n)}" startPosition="${cp(w)}" endPosition="${cp(w) + [...w].length}" creatingUser="${G(1)}" creationDateTime="2021-04-05T10:00:00Z">${inner}</PlainTextSelection>`;
	const qde = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="f4 project" origin="f4analyse">
  <Users><User guid="${G(1)}" name="Ana"/></Users>
  <CodeBook><Codes>${code}</Codes></CodeBook>
  <Sources><TextSource guid="${G(40)}" name="Interview B" plainTextPath="internal://b.txt">
    ${sel(1, 'saved water', `<Description>Water first, money second</Description><NoteRef targetGUID="${G(60)}"/>`)}
    ${sel(2, 'Hello 😀', '<Description>A greeting</Description>')}
    ${sel(3, 'Thanks', `<NoteRef targetGUID="${G(61)}"/>`)}
    ${sel(4, 'money', `<Coding guid="${G(400)}" creatingUser="${G(1)}"><CodeRef targetGUID="${G(10)}"/></Coding>`)}
    ${sel(5, 'We', '')}
  </TextSource></Sources>
  <Notes>
    <Note guid="${G(60)}" name="Memo 1" creatingUser="${G(1)}"><PlainTextContent>Water first, money second</PlainTextContent></Note>
    <Note guid="${G(61)}" name="Memo 2"><PlainTextContent>Ends politely</PlainTextContent></Note>
  </Notes>
</Project>`;
	const v = load({ 'project.qde': qde, 'sources/b.txt': text });
	const doc = v.data.documents[0];
	const passage = (id: string) => {
		const m = v.data.memos.find((x) => x.id === id);
		return m && m.start !== undefined ? [m.targetType, m.targetId, m.title, m.text, doc.text.slice(m.start, m.end)] : m;
	};

	it('imports each as a memo on its document, anchored to the passage (code points read as UTF-16 offsets)', () => {
		// A Description that repeats its Note is one memo, carrying the Note's name.
		expect(passage(G(60))).toEqual(['document', doc.id, 'Memo 1', 'Water first, money second', 'saved water']);
		expect(passage(G(302))).toEqual(['document', doc.id, '', 'A greeting', 'Hello 😀']);
		expect(passage(G(61))).toEqual(['document', doc.id, 'Memo 2', 'Ends politely', 'Thanks']);
		expect(v.data.memos).toHaveLength(3);
		expect(v.data.memos.find((m) => m.id === G(60))?.coderId).toBe(v.data.coders[0].id);
		// The coded selection is still a segment; the empty one (no memo, no coding) adds nothing.
		expect(v.data.segments.map((s) => doc.text.slice(s.start, s.end))).toEqual(['money']);
	});

	it('says how many it imported, and warns of nothing', () => {
		expect(v.warnings).toEqual([]);
		expect(v.notes.join(' ')).toMatch(/3 memo\(s\) on passages/);
	});

	it('keeps a Description that says more than its Note as a second memo on the passage', () => {
		const w = load({
			'project.qde': qde.replace('<Description>Water first, money second</Description>', '<Description>Also: check the 2004 figures</Description>'),
			'sources/b.txt': text
		});
		const on = w.data.memos.filter((m) => m.start !== undefined && w.data.documents[0].text.slice(m.start, m.end) === 'saved water');
		expect(on.map((m) => m.text).sort()).toEqual(['Also: check the 2004 figures', 'Water first, money second']);
	});
});
