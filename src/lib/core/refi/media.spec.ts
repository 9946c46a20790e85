/**
 * REFI-QDA and recordings: a document linked to a recording is written as an AudioSource or
 * VideoSource holding its Transcript, the paragraph times as SyncPoints (timeStamp in ms,
 * position in code points) and its coded passages as TranscriptSelections; the import reads them
 * back. Validated against the official schema (xmllint-wasm).
 */
import fc from 'fast-check';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { studyArb } from '../../../../tests/fuzz/study-arbitrary';
import { REFI_T, tinyStudy } from '../../../../tests/fixtures/refi-studies';
import { schemaErrors } from '../../../../tests/fixtures/refi/schema';
import type { StudyData } from '../types';
import { projectFiles, projectQdpx, transcriptGuid, type RefiRecording } from './export';
import { parseProject, parseQdpx } from './import';
import { attr, kid, kids, parseXml, type XmlElement } from './xml';

const T = REFI_T;
const DOC = '00000000-0000-4000-8000-000000abc007';
const WAVE = '00000000-0000-4000-8000-000000abc0a1';

/** The tiny study (emoji and CJK before its second and third lines) with paragraph times, a second
 *  timed document linked to a video, and Wave as a document attribute. */
function timedStudy(): StudyData {
	const data = tinyStudy();
	const d = data.documents[0];
	const l1 = d.text.indexOf('A: Fine');
	const l2 = d.text.indexOf('End.');
	d.times = [
		{ offset: 0, seconds: 1.5 },
		{ offset: l1, seconds: 12.25 },
		{ offset: l2, seconds: 3600.001 }
	];
	data.attributes.push({ id: WAVE, studyId: 's1', name: 'Wave', type: 'category', order: 5, scope: 'document' });
	d.attributes = { [WAVE]: '2004' };
	const text2 = 'I: 𠀀 extension B first.\nR: then the answer.';
	data.documents.push({
		id: '00000000-0000-4000-8000-000000abc0b1',
		studyId: 's1',
		name: 'Video interview',
		text: text2,
		caseId: null,
		order: 1,
		times: [
			{ offset: 0, seconds: 0 },
			{ offset: text2.indexOf('R:'), seconds: 7 }
		],
		attributes: { [WAVE]: '2001' },
		createdAt: T,
		updatedAt: T
	});
	return data;
}

const WAV = new Uint8Array([82, 73, 70, 70, 36, 0, 0, 0, 87, 65, 86, 69, 1, 2, 3, 255, 0, 128]);
const recordings = (withBytes: boolean): RefiRecording[] => [
	{ documentId: DOC, name: 'interview 1.wav', kind: 'audio', ...(withBytes ? { bytes: WAV } : {}) },
	{ documentId: '00000000-0000-4000-8000-000000abc0b1', name: 'video.mp4', kind: 'video' }
];

const sources = (root: XmlElement) => kid(root, 'Sources') as XmlElement;

describe('REFI-QDA export of a document linked to a recording', () => {
	const data = timedStudy();
	const { xml, media } = projectFiles(data, T, recordings(true));
	const root = parseXml(xml);
	const audio = kids(sources(root), 'AudioSource')[0];
	const transcript = kid(audio, 'Transcript') as XmlElement;

	it('writes an AudioSource with the recording in sources/ and its transcript, and a VideoSource with no path when its bytes are not given', () => {
		expect(sources(root).children.map((c) => c.local)).toEqual(['AudioSource', 'VideoSource']);
		expect(attr(audio, 'guid')).toBe(DOC);
		expect(attr(audio, 'name')).toBe('Doc "1"');
		expect(attr(audio, 'path')).toBe(`internal://${DOC}.wav`);
		expect([...media.keys()]).toEqual([`${DOC}.wav`]);
		expect(attr(transcript, 'plainTextPath')).toBe(`internal://${transcriptGuid(DOC)}.txt`);
		const video = kids(sources(root), 'VideoSource')[0];
		expect(attr(video, 'path')).toBeUndefined();
		expect(kid(video, 'Transcript')).toBeDefined();
		// The case still refers to its document, the document attribute is a source variable.
		const caseEl = kids(kid(root, 'Cases') as XmlElement, 'Case')[0];
		expect(kids(caseEl, 'SourceRef').map((r) => attr(r, 'targetGUID'))).toEqual([DOC]);
		expect(kids(audio, 'VariableValue').map((v) => kid(v, 'TextValue')?.text)).toEqual(['2004']);
		expect(kids(audio, 'NoteRef')).toHaveLength(1);
	});

	it('writes each paragraph time as a SyncPoint: timeStamp in ms, position in code points (the emoji before line 2 counts once)', () => {
		const text = data.documents[0].text;
		const timed = kids(transcript, 'SyncPoint').filter((s) => attr(s, 'timeStamp') !== undefined);
		const cp = (o: number) => [...text.slice(0, o)].length;
		expect(timed.map((s) => [Number(attr(s, 'timeStamp')), Number(attr(s, 'position'))])).toEqual([
			[1500, 0],
			[12250, cp(text.indexOf('A: Fine'))],
			[3600001, cp(text.indexOf('End.'))]
		]);
		expect(cp(text.indexOf('A: Fine'))).toBe(text.indexOf('A: Fine') - 1);
	});

	it('writes segments and passage memos as TranscriptSelections between SyncPoints', () => {
		const points = new Map(kids(transcript, 'SyncPoint').map((s) => [attr(s, 'guid'), Number(attr(s, 'position'))]));
		const sels = kids(transcript, 'TranscriptSelection');
		expect(sels).toHaveLength(4);
		const text = data.documents[0].text;
		const toCp = (o: number) => [...text.slice(0, o)].length;
		const coded = sels.filter((s) => kid(s, 'Coding'));
		expect(coded.map((s) => [points.get(attr(s, 'fromSyncPoint')), points.get(attr(s, 'toSyncPoint'))])).toEqual(
			data.segments.map((s) => [toCp(s.start), toCp(s.end)])
		);
		const memo = sels.find((s) => !kid(s, 'Coding')) as XmlElement;
		expect(kid(memo, 'NoteRef')).toBeDefined();
		// Positions in increasing order, each written once.
		const pos = kids(transcript, 'SyncPoint').map((s) => Number(attr(s, 'position')));
		expect(pos).toEqual([...new Set(pos)].sort((a, b) => a - b));
	});

	it('validates against the official schema (xmllint-wasm)', async () => {
		expect(await schemaErrors('Project.xsd', 'media.qde', xml)).toEqual([]);
		expect(await schemaErrors('Project.xsd', 'media-no-bytes.qde', projectFiles(data, T, recordings(false)).xml)).toEqual([]);
	});

	it('zips the recording byte for byte next to the transcripts', () => {
		const files = unzipSync(projectQdpx(data, T, recordings(true)));
		expect(files[`sources/${DOC}.wav`]).toEqual(WAV);
		expect(strFromU8(files[`sources/${transcriptGuid(DOC)}.txt`])).toBe(data.documents[0].text);
	});
});

describe('REFI-QDA round trip of recordings', () => {
	const data = timedStudy();

	it('gives back the same texts, times, segments, memos, attributes and the recording bytes', () => {
		const r = parseQdpx(projectQdpx(data, T, recordings(true)), 'media.qdpx', 's2', T);
		if (!r.ok) throw new Error(r.errors.join('\n'));
		const back = r.value.data;
		expect(r.value.warnings).toEqual([]);
		for (const d of data.documents) {
			const b = back.documents.find((x) => x.id === d.id);
			expect(b?.text).toBe(d.text);
			expect(b?.times).toEqual(d.times);
			expect(b?.caseId).toBe(d.caseId);
			const wave = back.attributes.find((a) => a.name === 'Wave');
			expect(wave?.scope).toBe('document');
			expect(b?.attributes?.[wave?.id as string]).toBe(d.attributes?.[WAVE]);
		}
		const key = (s: { documentId: string; codeId: string; start: number; end: number; memo: string }) => `${s.documentId}|${s.codeId}|${s.start}|${s.end}|${s.memo}`;
		expect(back.segments.map(key).sort()).toEqual(data.segments.map(key).sort());
		const passage = back.memos.find((m) => m.title === 'Passage memo');
		const orig = data.memos.find((m) => m.title === 'Passage memo');
		expect([passage?.start, passage?.end]).toEqual([orig?.start, orig?.end]);
		expect(back.memos.find((m) => m.title === 'Doc memo')?.targetId).toBe(DOC);
		expect(r.value.media).toEqual([{ documentId: DOC, name: 'Doc "1".wav', type: 'audio/wav', kind: 'audio', bytes: WAV }]);
		expect(r.value.notes).toContain('Video interview: the recording is not in the file (no path); link it again on the document in Code.');
	});

	it('keeps the times when the recordings are left out', () => {
		const r = parseQdpx(projectQdpx(data, T, recordings(false)), 'media.qdpx', 's2', T);
		if (!r.ok) throw new Error(r.errors.join('\n'));
		expect(r.value.media).toEqual([]);
		expect(r.value.data.documents.map((d) => d.times)).toEqual(data.documents.map((d) => d.times));
	});
});

describe('REFI-QDA round trip of recordings (property)', () => {
	it('random studies (emoji, CJK, combining marks) with every line timed and every document linked keep texts, times, segments and recordings', () => {
		// Ids that are not GUIDs get derived GUIDs: compare documents by their order.
		const at = (d: StudyData, id: string) => d.documents.findIndex((x) => x.id === id);
		const slices = (d: StudyData) =>
			d.segments.map((s) => JSON.stringify([at(d, s.documentId), d.codes.find((c) => c.id === s.codeId)?.name, d.documents[at(d, s.documentId)]?.text.slice(s.start, s.end)])).sort();
		fc.assert(
			fc.property(studyArb, (study) => {
				for (const d of study.documents) {
					const starts = [0];
					for (let k = d.text.indexOf('\n'); k >= 0; k = d.text.indexOf('\n', k + 1)) if (k + 1 < d.text.length) starts.push(k + 1);
					d.times = starts.map((offset, i) => ({ offset, seconds: i * 1.5 + 0.25 }));
				}
				const recs: RefiRecording[] = study.documents.map((d, i) => ({
					documentId: d.id,
					name: i % 2 ? 'v.webm' : 'a.ogg',
					kind: i % 2 ? 'video' : 'audio',
					bytes: new Uint8Array([i, 1, 2])
				}));
				const r = parseQdpx(projectQdpx(study, T, recs), 'p.qdpx', 'new-study', T);
				expect(r.ok ? null : r.errors).toBeNull();
				if (!r.ok) return;
				const back = r.value.data;
				expect(back.documents.map((d) => [d.text, d.times])).toEqual(study.documents.map((d) => [d.text, d.times]));
				expect(slices(back)).toEqual(slices(study));
				expect(r.value.media.map((m) => [at(back, m.documentId), m.kind, [...m.bytes]])).toEqual(recs.map((m) => [at(study, m.documentId), m.kind, [...(m.bytes as Uint8Array)]]));
			}),
			{ numRuns: 60, seed: 20261202 }
		);
	});
});

/** A project with one AudioSource whose transcript is `text` and whose Transcript body is `body`. */
function audioProject(text: string, body: string, extra = ''): Uint8Array {
	const xml = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="P" origin="QualCoder 3.6">
<CodeBook><Codes><Code guid="c0000000-0000-4000-8000-000000000001" name="A" isCodable="true"/></Codes></CodeBook>
<Sources><AudioSource guid="a0000000-0000-4000-8000-000000000001" name="Talk" path="internal://talk.mp3">
<Transcript guid="b0000000-0000-4000-8000-000000000001" plainTextPath="internal://talk.txt">${body}</Transcript>${extra}
</AudioSource></Sources></Project>`;
	return zipSync({ 'project.qde': strToU8(xml), sources: { 'talk.txt': strToU8(text), 'talk.mp3': new Uint8Array([73, 68, 51, 4]) } });
}
const sp = (n: number, pos: string, ms?: string) => `<SyncPoint guid="50000000-0000-4000-8000-00000000000${n}" position="${pos}"${ms === undefined ? '' : ` timeStamp="${ms}"`}/>`;
const sel = (from: number, to: number) =>
	`<TranscriptSelection guid="e0000000-0000-4000-8000-00000000000${from}" fromSyncPoint="50000000-0000-4000-8000-00000000000${from}" toSyncPoint="50000000-0000-4000-8000-00000000000${to}"><Coding guid="f0000000-0000-4000-8000-00000000000${from}"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000001"/></Coding></TranscriptSelection>`;

describe('REFI-QDA import of other tools’ recordings', () => {
	it('reads sync points in code points over text with characters outside the BMP, a time inside a line marking its start', () => {
		const text = '😀😀 hello\n𠀀 world\nlast';
		const r = parseQdpx(audioProject(text, sp(1, '0', '0') + sp(2, '9', '4000') + sp(3, '13', '5000') + sp(4, '16') + sel(2, 4)), 'q.qdpx', 's', T);
		if (!r.ok) throw new Error(r.errors.join('\n'));
		const d = r.value.data.documents[0];
		// Code point 9 is the start of line 2 (UTF-16 offset 11); code point 13 is inside it ("w").
		expect(d.times).toEqual([
			{ offset: 0, seconds: 0 },
			{ offset: 11, seconds: 4 }
		]);
		const s = r.value.data.segments[0];
		expect(d.text.slice(s.start, s.end)).toBe('𠀀 world');
		expect(r.value.media).toEqual([{ documentId: 'a0000000-0000-4000-8000-000000000001', name: 'talk.mp3', type: 'audio/mpeg', kind: 'audio', bytes: new Uint8Array([73, 68, 51, 4]) }]);
	});

	it('reports bad sync points naming the file and the XML path, and skips them and what depends on them', () => {
		const text = 'one\ntwo';
		const body = sp(1, '0', '1.5') + sp(2, '-1', '2000') + sp(3, '4', '-30') + sp(4, '99', '100') + sp(5, 'x') + sp(6, '4', '3000') + sel(1, 6) + sel(6, 4);
		const r = parseQdpx(audioProject(text, body, '<AudioSelection guid="d0000000-0000-4000-8000-000000000001" begin="0" end="10"/>'), 'bad.qdpx', 's', T);
		if (!r.ok) throw new Error(r.errors.join('\n'));
		const at = 'bad.qdpx/project.qde: /Project/Sources/AudioSource[1]';
		expect(r.value.warnings).toEqual([
			`${at}/Transcript[1]/SyncPoint[1]: timeStamp "1.5" is not a time (whole milliseconds from 0); the sync point is skipped`,
			`${at}/Transcript[1]/SyncPoint[2]: position "-1" is not a position (a whole number from 0); the sync point is skipped`,
			`${at}/Transcript[1]/SyncPoint[3]: timeStamp "-30" is not a time (whole milliseconds from 0); the sync point is skipped`,
			`${at}/Transcript[1]/SyncPoint[5]: position "x" is not a position (a whole number from 0); the sync point is skipped`,
			`${at}/Transcript[1]/SyncPoint[4]: position 99 is past the end of the transcript (7); the sync point is skipped`,
			`${at}: 1 coding(s) of stretches of the recording itself skipped (Gloss codes the transcript)`,
			`${at}/Transcript[1]/TranscriptSelection[1]: fromSyncPoint "50000000-0000-4000-8000-000000000001" is not one of the transcript's sync points; skipped`,
			`${at}/Transcript[1]/TranscriptSelection[2]: 4–99 is past the end of the text (7); skipped`
		]);
		const d = r.value.data.documents[0];
		expect(d.text).toBe(text);
		expect(d.times).toEqual([{ offset: 4, seconds: 3 }]);
		expect(r.value.data.segments).toEqual([]);
	});

	it('skips a recording with no transcript, with a message', () => {
		const xml = `<Project xmlns="urn:QDA-XML:project:1.0" name="P"><Sources><VideoSource guid="a0000000-0000-4000-8000-000000000002" name="V" path="internal://v.mp4"/></Sources></Project>`;
		const r = parseProject(xml, new Map(), 'v.qde', 's', T);
		if (!r.ok) throw new Error(r.errors.join('\n'));
		expect(r.value.data.documents).toEqual([]);
		expect(r.value.warnings).toEqual(['v.qde: /Project/Sources/VideoSource[1]: a recording without a Transcript; skipped (Gloss codes transcripts, not the sound itself)']);
	});
});
