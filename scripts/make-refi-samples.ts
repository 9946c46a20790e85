/**
 * Writes the small REFI-QDA samples in tests/fixtures/refi/ that stand in for real files whose
 * licences do not let this repository carry them (see tests/fixtures/refi/SOURCES.md). Each one
 * shows the same quirks as the real file it replaces, with text of our own:
 *
 * - projects/qc-style.qdpx: as qc 1.3.2 writes it: `sources/`, plainTextPath without
 *   `internal://`, no source names, selections named "line:N" covering whole lines (newline
 *   included), one selection carrying two codings, lower-case GUIDs, a three-level code tree.
 * - projects/atlasti-style.qdpx: as ATLAS.ti 23 writes a project with users and a codebook only:
 *   upper-case GUIDs, a nested code, no sources.
 * - codebooks/atlasti-style.qdc: an ATLAS.ti codebook with a colour, a description and a set.
 * - codebooks/taguette-style.qdc: Taguette's codebook with the empty `<Sets/>` the schema refuses.
 *
 *   npx tsx scripts/make-refi-samples.ts
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { strToU8, zipSync } from 'fflate';

const OUT = resolve(import.meta.dirname, '../tests/fixtures/refi');

/** A deterministic GUID from a number, lower case as qc writes them. */
const guid = (n: number) => {
	const h = n.toString(16).padStart(32, '0');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
};

// --- qc-style project ---------------------------------------------------------------------
const turns: [string, string][] = [
	['Interviewer', 'Thank you for meeting us. Could you tell us how the audit at your plant began?'],
	[
		'Manager',
		'The district environmental bureau asked us to take part. At first we saw it as one more inspection, but the consultants showed us that the dye house was wasting water and steam.'
	],
	['Interviewer', 'Which options did you carry out?'],
	[
		'Manager',
		'We fixed the steam traps and recovered condensate, which paid back within the year. The bigger options, a new wastewater line, were already in our renovation plan before the audit.'
	],
	['Interviewer', 'Will you audit again?'],
	[
		'Manager',
		'Only if the bureau asks. The savings were real, but the paperwork took two of our engineers for three months, and the subsidy came late.'
	]
];

/** Hard-wrapped at 70 columns with a trailing space, each turn's label padded, as qc's transcripts are. */
function wrap(label: string, text: string): string[] {
	const lines: string[] = [];
	let line = `${label}:`.padEnd(20, ' ');
	for (const word of text.split(' ')) {
		if (line.trim().length > label.length + 1 && line.length + word.length > 70) {
			lines.push(line);
			line = '';
		}
		line += word + ' ';
	}
	lines.push(line);
	return lines;
}
const textLines: string[] = [];
for (const [who, said] of turns) {
	textLines.push(...wrap(who, said), '');
}
const text = textLines.join('\n');

const codes = [
	{ id: 1, name: 'motivation', children: [{ id: 2, name: 'external_pressure', children: [{ id: 3, name: 'bureau_request' }] }, { id: 4, name: 'savings' }] },
	{ id: 5, name: 'barriers', children: [{ id: 6, name: 'paperwork' }, { id: 7, name: 'late_subsidy' }] },
	{ id: 8, name: 'preexisting_plans' }
];
type C = { id: number; name: string; children?: C[] };
const codeXml = (c: C): string =>
	c.children
		? `<Code name="${c.name}" guid="${guid(c.id)}" isCodable="true">${c.children.map(codeXml).join('')}</Code>`
		: `<Code name="${c.name}" guid="${guid(c.id)}" isCodable="true" />`;

const lineOffsets: number[] = [];
{
	let o = 0;
	for (const l of textLines) {
		lineOffsets.push(o);
		o += l.length + 1;
	}
}
/** Which lines are coded with which codes (a line with two codes is one selection with two codings). */
const lineFor = (needle: string) => textLines.findIndex((l) => l.includes(needle));
const coded: [number, number[]][] = [
	[lineFor('environmental bureau asked'), [3]],
	[lineFor('steam traps'), [4]],
	[lineFor('renovation plan'), [8]],
	[lineFor('paperwork'), [6, 4]],
	[lineFor('subsidy came late'), [7]]
];
let g = 100;
const USER = guid(99);
const selections = coded
	.map(([n, ids]) => {
		const start = lineOffsets[n];
		const end = start + textLines[n].length + 1;
		const codings = ids.map((id) => `<Coding guid="${guid(g++)}" creatingUser="${USER}"><CodeRef targetGUID="${guid(id)}" /></Coding>`).join('');
		return `<PlainTextSelection guid="${guid(g++)}" name="line:${n}" startPosition="${start}" endPosition="${end}">${codings}</PlainTextSelection>`;
	})
	.join('');
const qcProject =
	`<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" origin="qc 1.3.2" name="qc project">` +
	`<Users><User name="cp" guid="${USER}" /></Users>` +
	`<CodeBook><Codes>${codes.map(codeXml).join('')}</Codes></CodeBook>` +
	`<Sources><TextSource plainTextPath="plant_visit.txt" guid="${guid(50)}">${selections}</TextSource>` +
	`<TextSource plainTextPath="empty_notes.txt" guid="${guid(51)}" /></Sources></Project>`;
writeFileSync(
	resolve(OUT, 'projects/qc-style.qdpx'),
	zipSync({ 'project.qde': strToU8(qcProject), 'sources/plant_visit.txt': strToU8(text), 'sources/empty_notes.txt': strToU8('Notes from the site visit.\n') }, { mtime: new Date('2026-01-01T00:00:00Z') })
);

// --- ATLAS.ti-style project: users and codebook only --------------------------------------
const atlasProject = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd" origin="ATLAS.ti for Windows 23.2.3.27778" name="audit-followup" creatingUserGUID="5A1C0E2B-3D4F-4A6B-8C7D-9E0F1A2B3C4D" creationDateTime="2026-01-05T09:00:00Z" xmlns="urn:QDA-XML:project:1.0">
  <Users>
    <User guid="5A1C0E2B-3D4F-4A6B-8C7D-9E0F1A2B3C4D" name="Li Wei" />
    <User guid="6B2D1F3C-4E5A-4B7C-9D8E-0F1A2B3C4D5E" name="ATLAS.ti" />
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="7C3E2A4D-5F6B-4C8D-AE9F-1A2B3C4D5E6F" name="Audit outcomes" isCodable="true">
        <Code guid="8D4F3B5E-6A7C-4D9E-BF0A-2B3C4D5E6F7A" name="Options implemented" isCodable="true" />
        <Code guid="9E5A4C6F-7B8D-4EAF-8A1B-3C4D5E6F7A8B" name="Options shelved" isCodable="true" />
      </Code>
    </Codes>
  </CodeBook>
</Project>`;
writeFileSync(resolve(OUT, 'projects/atlasti-style.qdpx'), zipSync({ 'project.qde': strToU8(atlasProject) }, { mtime: new Date('2026-01-01T00:00:00Z') }));

// --- codebooks ------------------------------------------------------------------------------
writeFileSync(
	resolve(OUT, 'codebooks/atlasti-style.qdc'),
	`<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:QDA-XML:codebook:0:4 Codebook.xsd" origin="ATLAS.ti Win 23.4.0" xmlns="urn:QDA-XML:codebook:1.0">
  <Codes>
    <Code guid="2AF69C23-7A7A-4C1D-9C2E-CCDD02A06305" name="savings" color="#46AA00" isCodable="true">
      <Description>money saved by an option</Description>
    </Code>
  </Codes>
  <Sets>
    <Set name="motivations" guid="3BA7AD34-8B8B-4D2E-AD3F-DDEE13B17416">
      <Description>why enterprises audit</Description>
      <MemberCode guid="2AF69C23-7A7A-4C1D-9C2E-CCDD02A06305" />
    </Set>
  </Sets>
</CodeBook>
`
);
writeFileSync(
	resolve(OUT, 'codebooks/taguette-style.qdc'),
	`<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette 1.4.1"><Codes><Code guid="0A1B2C3D-4E5F-5A6B-8C7D-8E9FA0B1C2D3" name="savings" isCodable="true"/><Code guid="1B2C3D4E-5F6A-5B7C-9D8E-9FA0B1C2D3E4" name="leadership/commitment" isCodable="true"/><Code guid="2C3D4E5F-6A7B-5C8D-AE9F-A0B1C2D3E4F5" name="external support" isCodable="true"/></Codes><Sets/></CodeBook>`
);
console.log('wrote the REFI-QDA samples in', OUT);
