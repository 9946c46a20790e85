/**
 * A corpus of hostile inputs for every format Gloss reads, made from valid files by structural
 * mutation: truncation, wrong types, missing and duplicate ids, bad offsets, cycles, deep nesting,
 * huge strings, bad encodings, zip bombs, path traversal, XML entities, `__proto__` keys, formula
 * cells and HTML payloads. Deterministic: the same list every run.
 *
 *   hostileCorpus()  -> HostileInput[]  (at least 250)
 *
 * The core spec (src/lib/core/hostile.spec.ts) feeds each to its parser; an e2e can feed a sample
 * through the real UI. A parser must answer each with a clear error naming the file, or a correct
 * result; never a throw, a hang, or memory out of bounds.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { backupToJson } from '../../src/lib/core/backup';
import { codebookCsv } from '../../src/lib/core/codebook';
import { codebookQdc, projectQdpx } from '../../src/lib/core/refi/export';
import type { StudyData } from '../../src/lib/core/types';
import { sampleStudy } from '../fixtures/sample-study';
import { REFI_T, tinyStudy } from '../fixtures/refi-studies';

export type HostileFormat = 'backup' | 'codebook-json' | 'codebook-csv' | 'attributes-csv' | 'transcript-txt' | 'transcript-docx' | 'qdpx' | 'qdc';

export interface HostileInput {
	/** A short name saying what was done to the file. */
	name: string;
	format: HostileFormat;
	/** The file name the parser is told (every message must start with it). */
	fileName: string;
	bytes: Uint8Array;
}

/** What no user text may ever do: run script. Every payload sets this global if it runs. */
export const PWNED = 'window.__pwned=1';
const HTML = [
	`<img src=x onerror="${PWNED}">`,
	`<script>${PWNED}</script>`,
	`javascript:${PWNED}`,
	`"><svg onload=${PWNED}>`,
	`<a href="javascript:${PWNED}">x</a>`
];
const FORMULAS = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];

const enc = (s: string) => strToU8(s);
const json = (v: unknown) => enc(JSON.stringify(v));
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A deterministic stream of numbers in [0, 1). */
function rng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

/** Values of every wrong kind, for a field that wants something else. */
const WRONG: [string, unknown][] = [
	['null', null],
	['a number', 42],
	['a string', 'x'],
	['an array', []],
	['an object', {}],
	['true', true]
];

function mutateJson(format: HostileFormat, fileName: string, base: Record<string, unknown>, out: HostileInput[]) {
	const text = JSON.stringify(base, null, 1);
	const add = (name: string, bytes: Uint8Array) => out.push({ name: `${format}: ${name}`, format, fileName, bytes });
	// Truncation.
	for (const f of [0, 0.01, 0.25, 0.5, 0.9, 0.999]) add(`truncated at ${Math.round(f * 100)}%`, enc(text.slice(0, Math.floor(text.length * f))));
	// Not JSON, not an object, encodings.
	add('not JSON', enc('this is not json {'));
	add('a JSON array', enc('[1,2,3]'));
	add('a JSON string', enc('"backup"'));
	add('JSON null', enc('null'));
	add('UTF-16 with BOM', new Uint8Array([0xff, 0xfe, ...[...text.slice(0, 2000)].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])]));
	add('invalid UTF-8', new Uint8Array([...enc(text.slice(0, 100)), 0xc3, 0x28, 0xff, ...enc(text.slice(100))]));
	add('NUL bytes', new Uint8Array([...enc(text.slice(0, 50)), 0, 0, 0, ...enc(text.slice(50))]));
	// Each top-level key missing, or of every wrong type.
	for (const k of Object.keys(base)) {
		const m = clone(base);
		delete m[k];
		add(`"${k}" missing`, json(m));
		for (const [what, v] of WRONG) {
			const w = clone(base);
			w[k] = v;
			add(`"${k}" is ${what}`, json(w));
		}
	}
	// __proto__ keys at the top and in records.
	add('__proto__ key at the top', enc(text.replace(/^\{/, '{"__proto__": {"polluted": true},')));
	add('constructor key at the top', enc(text.replace(/^\{/, '{"constructor": {"prototype": {"polluted": true}},')));
}

function backupInputs(out: HostileInput[]) {
	const data = sampleStudy();
	// The file is flat: { format, version, study, coders, attributes, cases, documents, codes, segments, memos }.
	const base = JSON.parse(backupToJson(data)) as Record<string, unknown>;
	mutateJson('backup', 'study.gloss.json', base, out);
	const add = (name: string, f: (d: StudyData) => void) => {
		const b = clone(base);
		f(b as unknown as StudyData);
		out.push({ name: `backup: ${name}`, format: 'backup', fileName: 'study.gloss.json', bytes: json(b) });
	};
	const tables = ['coders', 'attributes', 'cases', 'documents', 'codes', 'segments', 'memos'] as const;
	for (const t of tables) {
		add(`${t}: a record is null`, (d) => ((d[t] as unknown[]).push(null)));
		add(`${t}: a record is a string`, (d) => ((d[t] as unknown[]).push('x')));
		add(`${t}: duplicate id`, (d) => {
			const a = d[t] as unknown[];
			if (a.length) a.push(clone(a[0]));
		});
		add(`${t}: id missing`, (d) => {
			const a = d[t] as { id?: unknown }[];
			if (a.length) delete a[0].id;
		});
		add(`${t}: id is a number`, (d) => {
			const a = d[t] as { id?: unknown }[];
			if (a.length) a[0].id = 7;
		});
		add(`${t}: id "__proto__"`, (d) => {
			const a = d[t] as { id?: unknown }[];
			if (a.length) a[0].id = '__proto__';
		});
		add(`${t}: 5,000 copies with new ids`, (d) => {
			const a = d[t] as { id?: unknown }[];
			if (a.length) for (let i = 0; i < 5000; i++) a.push({ ...clone(a[0]), id: `dup-${i}` });
		});
	}
	const seg = (d: StudyData) => d.segments[0];
	add('segment start -1', (d) => (seg(d).start = -1));
	add('segment end past the text', (d) => (seg(d).end = 1e9));
	add('segment start after end', (d) => {
		seg(d).start = 5;
		seg(d).end = 2;
	});
	add('segment start "12" (a string)', (d) => ((seg(d) as unknown as { start: unknown }).start = '12'));
	add('segment start 1.5', (d) => (seg(d).start = 1.5));
	add('segment start NaN-like 1e400', (d) => ((seg(d) as unknown as { start: unknown }).start = 'Infinity'));
	add('segment codeId dangling', (d) => (seg(d).codeId = 'no-such-code'));
	add('segment documentId dangling', (d) => (seg(d).documentId = 'no-such-doc'));
	add('segment coderId dangling', (d) => (seg(d).coderId = 'no-such-coder'));
	add('segment codeId "__proto__"', (d) => (seg(d).codeId = '__proto__'));
	add('memo on a missing code', (d) => d.memos.push({ id: 'mx', studyId: d.study.id, targetType: 'code', targetId: 'nope', title: 't', text: 'x', coderId: null, createdAt: d.study.createdAt, updatedAt: d.study.createdAt }));
	add('memo by a missing coder', (d) => d.memos.push({ id: 'my', studyId: d.study.id, targetType: 'study', targetId: null, title: 't', text: 'x', coderId: 'ghost', createdAt: d.study.createdAt, updatedAt: d.study.createdAt }));
	add('memo of an unknown kind', (d) => d.memos.push({ id: 'mz', studyId: d.study.id, targetType: 'planet' as never, targetId: 'x', title: 't', text: 'x', coderId: null, createdAt: d.study.createdAt, updatedAt: d.study.createdAt }));
	add('document caseId dangling', (d) => (d.documents[0].caseId = 'no-case'));
	add('attribute value of the wrong type', (d) => {
		d.attributes.push({ id: 'n1', studyId: d.study.id, name: 'Size', type: 'number', order: 1 });
		d.cases[0].attributes.n1 = 'large' as never;
	});
	add('attribute value an object', (d) => (d.cases[0].attributes.a1 = { x: 1 } as never));
	add('attribute id "__proto__"', (d) => {
		d.attributes.push({ id: '__proto__', studyId: d.study.id, name: 'Proto', type: 'category', order: 1 });
		(d.cases[0].attributes as Record<string, unknown>)['__proto__'] = 'x';
	});
	add('attribute of an unknown type', (d) => (d.attributes[0].type = 'colour' as never));
	add('code parent cycle of two', (d) => {
		d.codes.push({ ...clone(d.codes[0]), id: 'cy1', parentId: 'cy2', name: 'Cy1' }, { ...clone(d.codes[0]), id: 'cy2', parentId: 'cy1', name: 'Cy2' });
	});
	add('code is its own parent', (d) => (d.codes[0].parentId = d.codes[0].id));
	add('code parent dangling', (d) => (d.codes[0].parentId = 'nobody'));
	for (const depth of [13, 5000, 100000])
		add(`code parent chain ${depth} deep`, (d) => {
			const c0 = d.codes[0];
			for (let i = 0; i < depth; i++) d.codes.push({ ...c0, id: `deep-${i}`, parentId: i ? `deep-${i - 1}` : null, name: `D${i}`, order: 0 });
		});
	add('study name 20 MB', (d) => (d.study.name = 'x'.repeat(20 * 1024 * 1024)));
	add('a code name 1 MB', (d) => (d.codes[0].name = 'y'.repeat(1024 * 1024)));
	add('a document text 10 MB', (d) => (d.documents[0].text = 'z '.repeat(5 * 1024 * 1024)));
	add('text not normalised (CRLF)', (d) => (d.documents[0].text = d.documents[0].text.replace(/\n/g, '\r\n')));
	add('text with a lone surrogate', (d) => (d.documents[0].text = 'a\ud800b ' + d.documents[0].text));
	add('dates not dates', (d) => (d.study.createdAt = 'yesterday'));
	add('version 99', () => {});
	out[out.length - 1].bytes = json({ ...clone(base), version: 99 });
	add('format of another tool', () => {});
	out[out.length - 1].bytes = json({ ...clone(base), format: 'nvivo' });
	HTML.forEach((h, i) =>
		add(`HTML payload ${i + 1} in every name`, (d) => {
			d.study.name = h;
			d.codes.forEach((c) => (c.name = `${h} ${c.id}`));
			d.cases.forEach((c) => (c.name = `${h} ${c.id}`));
			d.documents.forEach((c) => (c.name = `${h} ${c.id}`));
			d.coders.forEach((c) => (c.name = `${h} ${c.id}`));
			d.attributes.forEach((c) => (c.name = `${h} ${c.id}`));
		})
	);
	FORMULAS.forEach((f, i) => add(`formula ${i + 1} in names`, (d) => d.codes.forEach((c) => (c.name = `${f}${c.id}`))));
}

function codebookJsonInputs(out: HostileInput[]) {
	const text = readFileSync(resolve(import.meta.dirname, '../../codebooks/cleaner-production.json'), 'utf8');
	const base = JSON.parse(text) as Record<string, unknown> & { codes: { name: string; children?: unknown[] }[] };
	mutateJson('codebook-json', 'codebook.json', base, out);
	const add = (name: string, f: (b: typeof base) => void) => {
		const b = clone(base);
		f(b);
		out.push({ name: `codebook-json: ${name}`, format: 'codebook-json', fileName: 'codebook.json', bytes: json(b) });
	};
	// Written as text: a tree this deep is beyond JSON.stringify's own recursion.
	for (const depth of [13, 3000, 50000]) {
		const deep = '{"name":"L","children":['.repeat(depth) + ']}'.repeat(depth);
		const t = JSON.stringify(base).replace('"codes":[', `"codes":[${deep},`);
		out.push({ name: `codebook-json: codes nested ${depth} deep`, format: 'codebook-json', fileName: 'codebook.json', bytes: enc(t) });
	}
	add('a code without a name', (b) => (b.codes[0].name = undefined as never));
	add('children is a string', (b) => (b.codes[0].children = 'kids' as never));
	add('duplicate sibling names', (b) => b.codes.push(clone(b.codes[0])));
	add('100,000 codes', (b) => {
		for (let i = 0; i < 100000; i++) b.codes.push({ name: `C${i}`, children: [] });
	});
	add('a colour that is no colour', (b) => ((b.codes[0] as Record<string, unknown>).colour = 'url(javascript:x)'));
	HTML.forEach((h, i) => add(`HTML payload ${i + 1} in names and definitions`, (b) => b.codes.forEach((c) => Object.assign(c, { name: h + c.name, definition: h }))));
	FORMULAS.forEach((f, i) => add(`formula ${i + 1} as a name`, (b) => (b.codes[0].name = f)));
}

function csvMutations(format: HostileFormat, fileName: string, base: string, out: HostileInput[]) {
	const add = (name: string, s: string | Uint8Array) => out.push({ name: `${format}: ${name}`, format, fileName, bytes: typeof s === 'string' ? enc(s) : s });
	const lines = base.split(/\r?\n/).filter(Boolean);
	const header = lines[0];
	for (const f of [0, 0.1, 0.5, 0.95]) add(`truncated at ${Math.round(f * 100)}%`, base.slice(0, Math.floor(base.length * f)));
	add('header only', header + '\n');
	add('empty', '');
	add('only blank lines', '\n\n\n');
	add('an unclosed quote', lines.join('\n').replace(',', ',"unclosed'));
	add('ragged rows', [header, ...lines.slice(1).map((l, i) => (i % 2 ? l + ',extra,cells' : l.split(',')[0]))].join('\n'));
	add('duplicate header names', [header + ',' + header, ...lines.slice(1).map((l) => l + ',' + l)].join('\n'));
	add('__proto__ as a header', ['__proto__,' + header, ...lines.slice(1).map((l) => 'x,' + l)].join('\n'));
	add('constructor as a header', ['constructor,' + header, ...lines.slice(1).map((l) => 'x,' + l)].join('\n'));
	add('10,000 columns', [header + ',' + Array.from({ length: 10000 }, (_, i) => `c${i}`).join(','), ...lines.slice(1).map((l) => l + ','.repeat(10000))].join('\n'));
	add('100,000 rows', [header, ...Array.from({ length: 100000 }, (_, i) => lines[1 + (i % (lines.length - 1))].replace(/^[^,]*/, `R${i}`))].join('\n'));
	add('a 5 MB cell', [header, lines[1] + 'x'.repeat(5 * 1024 * 1024)].join('\n'));
	add('NUL bytes', new Uint8Array([...enc(header), 0, 0, ...enc('\n' + lines.slice(1).join('\n'))]));
	add('invalid UTF-8', new Uint8Array([...enc(header + '\n'), 0xff, 0xfe, 0xfd, ...enc(lines.slice(1).join('\n'))]));
	add('UTF-16LE with BOM', new Uint8Array([0xff, 0xfe, ...[...base].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])]));
	add('semicolons for commas', base.replace(/,/g, ';'));
	add('a binary file', new Uint8Array(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256)));
	HTML.forEach((h, i) => add(`HTML payload ${i + 1} in every cell`, [header, ...lines.slice(1).map((l) => l.split(',').map((c) => `"${(h + c).replace(/"/g, '""')}"`).join(','))].join('\n')));
	FORMULAS.forEach((f, i) => add(`formula ${i + 1} in every cell`, [header, ...lines.slice(1).map((l) => l.split(',').map((c) => `"${(f + c).replace(/"/g, '""')}"`).join(','))].join('\n')));
}

function transcriptInputs(out: HostileInput[]) {
	const add = (name: string, fileName: string, bytes: Uint8Array, format: HostileFormat = 'transcript-txt') => out.push({ name: `${format}: ${name}`, format, fileName, bytes });
	const text = 'Interviewer: Why did you audit?\nManager: The bureau asked us. 成本很高。\n';
	add('empty', 'empty.txt', new Uint8Array());
	add('only spaces', 'blank.txt', enc('   \n  \n'));
	add('NUL bytes', 'nul.txt', new Uint8Array([...enc(text), 0, 0, 0]));
	add('invalid UTF-8', 'bad.txt', new Uint8Array([...enc(text), 0xc3, 0x28]));
	add('UTF-16LE without BOM', 'le.txt', new Uint8Array([...text].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])));
	add('UTF-16BE with BOM', 'be.txt', new Uint8Array([0xfe, 0xff, ...[...text].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff])]));
	add('a lone BOM', 'bom.txt', new Uint8Array([0xef, 0xbb, 0xbf]));
	add('a binary file', 'photo.txt', new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 31) % 256)));
	add('a 1 MB line', 'long.txt', enc('x'.repeat(1024 * 1024)));
	add('CR line endings', 'cr.txt', enc(text.replace(/\n/g, '\r')));
	add('decomposed accents (NFD)', 'nfd.txt', enc('Cafe\u0301 talk\n'));
	add('a lone surrogate as UTF-8 (CESU)', 'cesu.txt', new Uint8Array([...enc('a'), 0xed, 0xa0, 0x80, ...enc('b')]));
	HTML.forEach((h, i) => add(`HTML payload ${i + 1}`, `html-${i}.txt`, enc(`${h}: ${h}\n${text}`)));
	// .docx
	const doc = (files: Record<string, Uint8Array>) => zipSync(files);
	add('not a zip', 'fake.docx', enc('hello'), 'transcript-docx');
	add('an empty zip', 'empty.docx', doc({}), 'transcript-docx');
	add('a zip without document.xml', 'nodoc.docx', doc({ 'a.txt': enc('x') }), 'transcript-docx');
	add('a truncated zip', 'cut.docx', doc({ 'word/document.xml': enc('<w:document/>'.repeat(100)) }).slice(0, 40), 'transcript-docx');
	add('a zip bomb (8 MB of zeros)', 'bomb.docx', doc({ 'word/document.xml': new Uint8Array(8 * 1024 * 1024) }), 'transcript-docx');
	add('a zip claiming 2 GB', 'claim.docx', claimSize(doc({ 'word/document.xml': enc('<w:document/>') }), 0x7ffffff0), 'transcript-docx');
	add('10,000 entries', 'many.docx', doc(Object.fromEntries(Array.from({ length: 10000 }, (_, i) => [`f/${i}.xml`, enc('x')]))), 'transcript-docx');
	add('path traversal names', 'trav.docx', doc({ '../../etc/passwd': enc('root'), 'word/document.xml': enc('<w:document/>') }), 'transcript-docx');
}

/** Make a zip's directory claim `size` bytes unpacked for its first entry. */
export function claimSize(zip: Uint8Array, size: number): Uint8Array {
	const z = zip.slice();
	const dv = new DataView(z.buffer);
	dv.setUint32(22, size, true);
	for (let i = z.length - 22; i >= 0; i--) if (dv.getUint32(i, true) === 0x02014b50) dv.setUint32(i + 24, size, true);
	return z;
}

function refiInputs(out: HostileInput[]) {
	const data = tinyStudy();
	const good = projectQdpx(data, REFI_T);
	const add = (name: string, bytes: Uint8Array) => out.push({ name: `qdpx: ${name}`, format: 'qdpx', fileName: 'project.qdpx', bytes });
	const qde = (xml: string, extra: Record<string, Uint8Array> = {}) => zipSync({ 'project.qde': enc(xml), ...extra });
	const P = (body: string) => `<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="P">${body}</Project>`;
	const G = (n: number) => `${n.toString(16).padStart(8, '0')}-aaaa-4bbb-8ccc-ddddeeeeffff`;
	const withSel = (a: string, b: string) =>
		qde(
			P(`<CodeBook><Codes><Code guid="${G(1)}" name="C" isCodable="true"/></Codes></CodeBook><Sources><TextSource guid="${G(2)}" name="S" plainTextPath="internal://s.txt"><PlainTextSelection guid="${G(3)}" startPosition="${a}" endPosition="${b}"><Coding guid="${G(4)}"><CodeRef targetGUID="${G(1)}"/></Coding></PlainTextSelection></TextSource></Sources>`),
			{ 'sources/s.txt': enc('Some source text here') }
		);
	for (const f of [0, 0.1, 0.5, 0.9]) add(`truncated at ${Math.round(f * 100)}%`, good.slice(0, Math.floor(good.length * f)));
	add('not a zip', enc('PK but not really'));
	add('an empty zip', zipSync({}));
	add('no project.qde', zipSync({ 'readme.txt': enc('x') }));
	add('project.qde not XML', qde('this is not xml'));
	add('project.qde unclosed', qde('<Project name="x"><Users>'));
	add('root is not Project', qde('<CodeBook/>'));
	add('billion laughs entities', qde(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><Project name="&lol4;"/>`));
	add('external entity', qde(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Project name="&xxe;"/>`));
	add('XML nested 100,000 deep', qde(P('<Description>' + '<a>'.repeat(100000) + '</a>'.repeat(100000) + '</Description>')));
	add('codes nested 3,000 deep', qde(P(`<CodeBook><Codes>${Array.from({ length: 3000 }, (_, i) => `<Code guid="${G(100 + i)}" name="L${i}" isCodable="true">`).join('')}${'</Code>'.repeat(3000)}</Codes></CodeBook>`)));
	for (const [a, b] of [['', '5'], ['1e2', '3'], ['12.0', '14'], ['-1', '4'], ['9', '2'], ['0', '99999999'], ['NaN', 'Infinity'], ['0x10', '20']]) add(`positions "${a}"–"${b}"`, withSel(a, b));
	add('a zip bomb (claims 2 GB)', claimSize(good, 0x7ffffff0));
	add('20,001 entries', zipSync(Object.fromEntries(Array.from({ length: 20001 }, (_, i) => [`sources/${i}.txt`, enc('')]))));
	add('path traversal source path', qde(P(`<Sources><TextSource guid="${G(2)}" name="S" plainTextPath="internal://../../../../etc/passwd"/></Sources>`)));
	add('source missing', qde(P(`<Sources><TextSource guid="${G(2)}" name="S" plainTextPath="internal://gone.txt"/></Sources>`)));
	add('source binary', qde(P(`<Sources><TextSource guid="${G(2)}" name="S" plainTextPath="internal://b.txt"/></Sources>`), { 'sources/b.txt': new Uint8Array([1, 0, 2, 0, 0, 0, 3]) }));
	add('source UTF-16 without BOM', qde(P(`<Sources><TextSource guid="${G(2)}" name="S" plainTextPath="internal://u.txt"/></Sources>`), { 'sources/u.txt': new Uint8Array([...'Hello there, source'].flatMap((c) => [c.charCodeAt(0), 0])) }));
	add('duplicate GUIDs everywhere', qde(P(`<Users><User guid="${G(1)}" name="A"/><User guid="${G(1)}" name="B"/></Users><CodeBook><Codes><Code guid="${G(1)}" name="C" isCodable="true"/><Code guid="${G(1)}" name="D" isCodable="true"/></Codes></CodeBook>`)));
	add('GUIDs that are not GUIDs', qde(P(`<Users><User guid="__proto__" name="A"/></Users><CodeBook><Codes><Code guid="constructor" name="C" isCodable="true"/></Codes></CodeBook>`)));
	add('an empty code name', qde(P(`<CodeBook><Codes><Code guid="${G(1)}" name="" isCodable="true"/></Codes></CodeBook>`)));
	HTML.forEach((h, i) => add(`HTML payload ${i + 1} in names`, qde(P(`<Users><User guid="${G(1)}" name="${escapeXml(h)}"/></Users><CodeBook><Codes><Code guid="${G(2)}" name="${escapeXml(h)}" isCodable="true"><Description>${escapeXml(h)}</Description></Code></Codes></CodeBook>`).replace('name="P"', `name="${escapeXml(h)}"`))));
	// .qdc
	const qdcGood = codebookQdc(data.codes);
	const addQ = (name: string, s: string | Uint8Array) => out.push({ name: `qdc: ${name}`, format: 'qdc', fileName: 'codebook.qdc', bytes: typeof s === 'string' ? enc(s) : s });
	for (const f of [0, 0.3, 0.7]) addQ(`truncated at ${Math.round(f * 100)}%`, qdcGood.slice(0, Math.floor(qdcGood.length * f)));
	addQ('not XML', 'no xml here');
	addQ('a Project, not a CodeBook', '<Project name="x"/>');
	addQ('billion laughs', `<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="${G(1)}" name="&c;" isCodable="true"/></Codes></CodeBook>`);
	addQ('codes nested 5,000 deep', `<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>${Array.from({ length: 5000 }, (_, i) => `<Code guid="${G(100 + i)}" name="L${i}" isCodable="true">`).join('')}${'</Code>'.repeat(5000)}</Codes></CodeBook>`);
	addQ('NUL bytes', new Uint8Array([...enc(qdcGood.slice(0, 40)), 0, ...enc(qdcGood.slice(40))]));
	HTML.forEach((h, i) => addQ(`HTML payload ${i + 1}`, `<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="${G(1)}" name="${escapeXml(h)}" isCodable="true"><Description>${escapeXml(h)}</Description></Code></Codes></CodeBook>`));
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Every hostile input, in a fixed order. */
export function hostileCorpus(): HostileInput[] {
	const out: HostileInput[] = [];
	backupInputs(out);
	codebookJsonInputs(out);
	const sample = sampleStudy();
	csvMutations('codebook-csv', 'codebook.csv', codebookCsv(sample.codes), out);
	csvMutations('attributes-csv', 'attributes.csv', readFileSync(resolve(import.meta.dirname, '../fixtures/case-attributes.csv'), 'utf8'), out);
	transcriptInputs(out);
	refiInputs(out);
	// A few random byte flips of each valid file, for what structure-aware mutation misses.
	const r = rng(20261202);
	const valid: [HostileFormat, string, Uint8Array][] = [
		['backup', 'study.gloss.json', enc(backupToJson(sample))],
		['qdpx', 'project.qdpx', projectQdpx(tinyStudy(), REFI_T)],
		['codebook-csv', 'codebook.csv', enc(codebookCsv(sample.codes))]
	];
	for (const [format, fileName, bytes] of valid)
		for (let k = 0; k < 8; k++) {
			const b = bytes.slice();
			for (let j = 0; j < 1 + k * 3; j++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
			out.push({ name: `${format}: ${1 + k * 3} random byte(s) changed (${k + 1})`, format, fileName, bytes: b });
		}
	return out;
}
