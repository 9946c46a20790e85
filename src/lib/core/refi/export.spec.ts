/**
 * REFI-QDA export: structure of the .qdc and .qdpx, positions in code points, escaping, and
 * and validation against the official schemas (xmllint-wasm, tests/fixtures/refi/schema.ts).
 */
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadDemo, REFI_T, tinyStudy } from '../../../../tests/fixtures/refi-studies';
import { schemaErrors } from '../../../../tests/fixtures/refi/schema';
import { codebookQdc, codeDescription, projectFiles, projectQdpx } from './export';
import { splitDescription } from './import';
import { attr, kid, kids, parseXml, type XmlElement } from './xml';

const T = REFI_T;

const all = (el: XmlElement, local: string): XmlElement[] => {
	const out: XmlElement[] = [];
	const go = (e: XmlElement) => {
		for (const c of e.children) {
			if (c.local === local) out.push(c);
			go(c);
		}
	};
	go(el);
	return out;
};


describe('code descriptions', () => {
	it('joins definition, inclusion, exclusion and example and splits them back', () => {
		const c = { definition: 'Line 1\n\nLine 2', inclusion: 'when', exclusion: 'not when', example: '"x"' };
		const d = codeDescription(c);
		expect(d).toBe('Line 1\n\nLine 2\n\nInclusion: when\n\nExclusion: not when\n\nExample: "x"');
		expect(splitDescription(d)).toEqual(c);
		expect(splitDescription('Just a description')).toEqual({ definition: 'Just a description', inclusion: '', exclusion: '', example: '' });
		expect(codeDescription({ definition: '', inclusion: '', exclusion: '', example: '' })).toBe('');
	});
});

describe('REFI-QDA project export', () => {
	const data = tinyStudy();
	const { xml, sources } = projectFiles(data, T);
	const root = parseXml(xml);

	it('writes the project in the REFI-QDA namespace with users, codes, variables, cases, sources and notes', () => {
		expect(root.name).toBe('Project');
		expect(root.attrs.xmlns).toBe('urn:QDA-XML:project:1.0');
		expect(root.attrs.name).toBe('Tiny & <odd>');
		expect(root.children.map((c) => c.local)).toEqual(['Users', 'CodeBook', 'Variables', 'Cases', 'Sources', 'Notes', 'Description', 'NoteRef']);
		expect(kids(kid(root, 'Users') as XmlElement, 'User').map((u) => u.attrs.name)).toEqual(['Ana']);
		const top = kids(kid(kid(root, 'CodeBook') as XmlElement, 'Codes') as XmlElement, 'Code');
		expect(top).toHaveLength(1);
		expect(top[0].attrs).toMatchObject({ name: 'Greeting & <hello>', isCodable: 'true', color: '#E69F00' });
		expect(kid(top[0], 'Description')?.text).toBe('Def\n\nInclusion: Inc\n\nExample: Ex "1"');
		expect(kids(top[0], 'Code').map((c) => c.attrs.name)).toEqual(['Emoji']);
		expect(kids(top[0], 'NoteRef')).toHaveLength(1);
	});

	it('maps attribute types onto variable types and writes typed values', () => {
		const vars = kids(kid(root, 'Variables') as XmlElement, 'Variable').map((v) => [v.attrs.name, v.attrs.typeOfVariable]);
		expect(vars).toEqual([
			['City', 'Text'],
			['Age', 'Integer'],
			['Income', 'Float'],
			['Interviewed', 'Date'],
			['Notes', 'Text']
		]);
		const cs = kids(kid(root, 'Cases') as XmlElement, 'Case')[0];
		expect(cs.attrs.name).toBe('Case <1>');
		expect(kid(cs, 'Description')?.text).toBe('Case memo\n\nOn the case');
		const values = kids(cs, 'VariableValue').map((v) => `${v.children[1].local}=${v.children[1].text}`);
		expect(values).toEqual(['TextValue=Nanjing', 'IntegerValue=42', 'FloatValue=1234.5', 'DateValue=2025-03-04']);
		expect(kids(cs, 'SourceRef').map((r) => r.attrs.targetGUID)).toEqual([attr(all(root, 'TextSource')[0], 'guid')]);
	});

	it('writes positions in Unicode code points, not UTF-16 units', () => {
		const src = all(root, 'TextSource')[0];
		const g = src.attrs.guid;
		expect(src.attrs.plainTextPath).toBe(`internal://${g}.txt`);
		const text = sources.get(`${g}.txt`) as string;
		expect(text).toBe(data.documents[0].text);
		const sels = kids(src, 'PlainTextSelection').filter((s) => kid(s, 'Coding'));
		expect(sels).toHaveLength(3);
		const cps = [...text];
		const slices = sels.map((s) => cps.slice(Number(s.attrs.startPosition), Number(s.attrs.endPosition)).join(''));
		expect(slices).toEqual(['你好', '👍🏽', 'End.']);
		// After 😀 and 👍🏽 (two UTF-16 units each, plus the skin tone) the code point position is smaller.
		expect(Number(sels[2].attrs.startPosition)).toBe(data.segments[2].start - 3);
		expect(kid(sels[0], 'Description')?.text).toBe('memo <b>');
		const coding = kid(sels[0], 'Coding') as XmlElement;
		expect(coding.attrs.creatingUser).toBe('11111111-1111-4111-8111-111111111111');
		expect(kid(coding, 'CodeRef')?.attrs.targetGUID).toBe(attr(all(root, 'Code')[0], 'guid'));
		expect(coding.attrs.guid).not.toBe(sels[0].attrs.guid);
	});

	it('writes study, code and document memos as notes, referenced from where they belong', () => {
		const notes = kids(kid(root, 'Notes') as XmlElement, 'Note');
		expect(notes.map((n) => [n.attrs.name, kid(n, 'PlainTextContent')?.text])).toEqual([
			['Study memo', 'About & more'],
			['Code memo', 'On greetings'],
			['Doc memo', 'On the doc'],
			['Passage memo', 'On <tag>']
		]);
		const refs = all(root, 'NoteRef').map((r) => r.attrs.targetGUID);
		expect(new Set(refs)).toEqual(new Set(notes.map((n) => n.attrs.guid)));
		expect(kid(root, 'Description')?.text).toBe('A study\nwith two lines');
	});

	it('writes a memo on a passage as a selection with no Coding and a NoteRef to its note (as f4 does)', () => {
		const src = all(root, 'TextSource')[0];
		const memoSels = kids(src, 'PlainTextSelection').filter((s) => !kid(s, 'Coding'));
		expect(memoSels).toHaveLength(1);
		const text = sources.get(`${src.attrs.guid}.txt`) as string;
		const [a, b] = [Number(memoSels[0].attrs.startPosition), Number(memoSels[0].attrs.endPosition)];
		expect([...text].slice(a, b).join('')).toBe('<tag>');
		expect(a).toBe(text.indexOf('<tag>') - 1);
		expect(kids(memoSels[0], 'NoteRef').map((r) => r.attrs.targetGUID)).toEqual(['00000000-0000-4000-8000-000000abc011']);
		expect(memoSels[0].attrs.creatingUser).toBe('11111111-1111-4111-8111-111111111111');
		// The source itself refers only to the memo on the whole document.
		expect(kids(src, 'NoteRef').map((r) => r.attrs.targetGUID)).toEqual(['00000000-0000-4000-8000-000000abc00f']);
	});

	it('uses GUIDs everywhere, unique per element', () => {
		const guids = [...xml.matchAll(/ guid="([^"]+)"/g)].map((m) => m[1]);
		for (const g of guids) expect(g).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		expect(new Set(guids).size).toBe(guids.length);
	});

	it('zips project.qde and sources/<guid>.txt as UTF-8 without BOM, LF', () => {
		const files = unzipSync(projectQdpx(data, T));
		const g = attr(all(root, 'TextSource')[0], 'guid');
		expect(Object.keys(files).filter((k) => !k.endsWith('/')).sort()).toEqual(['project.qde', `sources/${g}.txt`]);
		const bytes = files[`sources/${g}.txt`];
		expect([...bytes.slice(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
		const text = strFromU8(bytes);
		expect(text).toBe(data.documents[0].text);
		expect(text).not.toContain('\r');
		expect(strFromU8(files['project.qde'])).toBe(xml);
	});

	it('writes the codebook as a .qdc with nested codes', () => {
		const qdc = parseXml(codebookQdc(data.codes));
		expect(qdc.name).toBe('CodeBook');
		expect(qdc.attrs.xmlns).toBe('urn:QDA-XML:codebook:1.0');
		const codes = all(qdc, 'Code');
		expect(codes.map((c) => c.attrs.name)).toEqual(['Greeting & <hello>', 'Emoji']);
		expect(all(qdc, 'NoteRef')).toHaveLength(0);
	});

	it('exports the demo study with every code, segment and document', () => {
		const demo = loadDemo();
		const f = projectFiles(demo, T);
		const r = parseXml(f.xml);
		expect(all(r, 'Code')).toHaveLength(demo.codes.length);
		expect(all(r, 'PlainTextSelection')).toHaveLength(demo.segments.length);
		expect(all(r, 'TextSource')).toHaveLength(demo.documents.length);
		expect(f.sources.size).toBe(demo.documents.length);
		expect(all(r, 'Case')).toHaveLength(demo.cases.length);
	});

	it('validates against the official schemas (xmllint-wasm)', async () => {
		const demo = loadDemo();
		expect(await schemaErrors('Project.xsd', 'demo.qde', projectFiles(demo, T).xml)).toEqual([]);
		expect(await schemaErrors('Project.xsd', 'tiny.qde', xml)).toEqual([]);
		expect(await schemaErrors('Codebook.xsd', 'demo.qdc', codebookQdc(demo.codes))).toEqual([]);
		// The check can fail: a project without its required name attribute is refused.
		const bad = await schemaErrors('Project.xsd', 'bad.qde', xml.replace(' name="Tiny &amp; &lt;odd&gt;"', ''));
		expect(bad.join('\n')).toMatch(/name.*is required/);
	}, 60_000);

});
