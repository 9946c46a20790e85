/**
 * REFI-QDA export: a codebook (`.qdc`) and a whole project (`.qdpx`) from a Gloss study.
 *
 * Positions are written in Unicode code points (REFI-QDA 1.5, section 10.2), converted from
 * Gloss's UTF-16 offsets; sources are written as UTF-8 without a BOM with LF line endings, so the
 * code point positions count over exactly the bytes in the zip.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { buildTree, type CodeNode } from '../codebook';
import type { MediaKind } from '../media';
import type { Attribute, AttributeValue, Code, GlossDocument, Memo, Segment, StudyData } from '../types';
import { guidFor } from './guid';
import { utf16ToCodePoints } from './positions';
import { XmlWriter } from './xml';

export const CODEBOOK_NS = 'urn:QDA-XML:codebook:1.0';
export const PROJECT_NS = 'urn:QDA-XML:project:1.0';
export const ORIGIN = 'Gloss';
/** A Text variable's Description names the Gloss attribute type (category or text). */
export const ATTRIBUTE_TYPE_NOTE = 'Gloss attribute type: ';

/** Labels that separate the parts of a code's Description (read back by the importer). */
export const DESCRIPTION_LABELS = { inclusion: 'Inclusion: ', exclusion: 'Exclusion: ', example: 'Example: ' } as const;

/** A code's definition, inclusion, exclusion and example as one REFI-QDA Description. */
export function codeDescription(c: Pick<Code, 'definition' | 'inclusion' | 'exclusion' | 'example'>): string {
	const parts: string[] = [];
	if (c.definition.trim()) parts.push(c.definition);
	for (const k of ['inclusion', 'exclusion', 'example'] as const) if (c[k].trim()) parts.push(DESCRIPTION_LABELS[k] + c[k]);
	return parts.join('\n\n');
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
/** An xsd:dateTime, or undefined (the attribute is then left out). */
const dt = (s: string | undefined) => (s && DATE_TIME.test(s) ? s : undefined);
const colourOf = (c: string) => (/^#[0-9a-fA-F]{6}$/.test(c) ? c.toUpperCase() : undefined);

function writeCodes(w: XmlWriter, nodes: readonly CodeNode[], noteRefs: Map<string, string[]> | null) {
	for (const n of nodes) {
		const c = n.code;
		w.start('Code', { guid: guidFor(c.id), name: c.name, isCodable: true, color: colourOf(c.colour) });
		const desc = codeDescription(c);
		if (desc) w.textElement('Description', desc);
		for (const note of noteRefs?.get(c.id) ?? []) w.empty('NoteRef', { targetGUID: guidFor(note) });
		writeCodes(w, n.children, noteRefs);
		w.end();
	}
}

/** The codebook as a `.qdc` file (namespace urn:QDA-XML:codebook:1.0). */
export function codebookQdc(codes: readonly Code[]): string {
	const w = new XmlWriter();
	w.start('CodeBook', { xmlns: CODEBOOK_NS, origin: ORIGIN });
	w.start('Codes');
	writeCodes(w, buildTree(codes), null);
	w.end();
	w.end();
	return w.toString();
}

export type VariableType = 'Text' | 'Boolean' | 'Integer' | 'Float' | 'Date' | 'DateTime';

/** The REFI-QDA variable type for a Gloss attribute, given the values the cases hold. */
export function variableType(a: Attribute, values: readonly AttributeValue[]): VariableType {
	if (a.type === 'number') return values.every((v) => v === null || (typeof v === 'number' && Number.isInteger(v))) ? 'Integer' : 'Float';
	if (a.type === 'date') return 'Date';
	return 'Text';
}

function writeValue(w: XmlWriter, type: VariableType, v: AttributeValue) {
	if (v === null || v === '') return;
	if (type === 'Integer' && typeof v === 'number' && Number.isInteger(v)) w.textElement('IntegerValue', String(v));
	else if (type === 'Float' && typeof v === 'number' && Number.isFinite(v)) w.textElement('FloatValue', decimal(v));
	else if (type === 'Date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) w.textElement('DateValue', v);
	// Anything else (a malformed date, text in a number attribute) is kept as text rather than lost.
	else w.textElement('TextValue', String(v));
}

/** An xsd:decimal: no exponent. */
function decimal(v: number): string {
	const s = String(v);
	if (!/e/i.test(s)) return s;
	return v.toFixed(20).replace(/\.?0+$/, '');
}

export interface ProjectFiles {
	/** project.qde */
	xml: string;
	/** `sources/<guid>.txt` -> text (UTF-8, LF). */
	sources: Map<string, string>;
	/** `sources/<guid>.<ext>` -> a recording's bytes (only the recordings given with their bytes). */
	media: Map<string, Uint8Array>;
}

/**
 * A recording linked to a document. With `bytes` it goes into the `.qdpx` (`sources/<guid>.<ext>`,
 * the source's `path` says `internal://`); without, the source is written with no `path` (the
 * standard makes it optional) and only its transcript travels.
 */
export interface RefiRecording {
	documentId: string;
	name: string;
	kind: MediaKind;
	bytes?: Uint8Array;
}

/** The file extension a recording is written with (from its name; `bin` when it has none). */
export const mediaExtension = (name: string) => /\.([A-Za-z0-9]{1,5})$/.exec(name)?.[1]?.toLowerCase() ?? 'bin';

/** The GUID of a linked document's Transcript (its source has the document's GUID). */
export const transcriptGuid = (documentId: string) => guidFor('transcript:' + documentId);

/** The project XML and its source texts. `now` is the modifiedDateTime. */
export function projectFiles(data: StudyData, now: string = new Date().toISOString(), recordings: readonly RefiRecording[] = []): ProjectFiles {
	const recordingOf = new Map(recordings.map((r) => [r.documentId, r]));
	const media = new Map<string, Uint8Array>();
	const w = new XmlWriter();
	const memosBy = (type: Memo['targetType']) => {
		const m = new Map<string, Memo[]>();
		for (const memo of data.memos)
			if (memo.targetType === type) {
				const k = memo.targetId ?? '';
				m.set(k, [...(m.get(k) ?? []), memo]);
			}
		return m;
	};
	const noteIds = (m: Map<string, Memo[]>) => new Map([...m].map(([k, v]) => [k, v.map((x) => x.id)]));
	const codeMemos = memosBy('code');
	const docMemos = memosBy('document');
	const caseMemos = memosBy('case');
	const studyMemos = data.memos.filter((m) => m.targetType === 'study');
	const codeIds = new Set(data.codes.map((c) => c.id));
	const docIds = new Set(data.documents.map((d) => d.id));
	// Notes: memos on the study, a document or a code (cases have no NoteRef: their memos go in the Case Description).
	const notes = data.memos.filter(
		(m) =>
			m.targetType === 'study' ||
			(m.targetType === 'code' && m.targetId !== null && codeIds.has(m.targetId)) ||
			(m.targetType === 'document' && m.targetId !== null && docIds.has(m.targetId))
	);
	const coderIds = new Set(data.coders.map((c) => c.id));
	const user = (id: string | null | undefined) => (id && coderIds.has(id) ? guidFor(id) : undefined);

	w.start('Project', {
		xmlns: PROJECT_NS,
		name: data.study.name,
		origin: ORIGIN,
		creationDateTime: dt(data.study.createdAt),
		modifiedDateTime: dt(now)
	});

	if (data.coders.length) {
		w.start('Users');
		for (const c of [...data.coders].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)))
			w.empty('User', { guid: guidFor(c.id), name: c.name });
		w.end();
	}

	if (data.codes.length) {
		w.start('CodeBook').start('Codes');
		writeCodes(w, buildTree(data.codes), noteIds(codeMemos));
		w.end().end();
	}

	const attributes = [...data.attributes].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
	// Document attributes are the sources' variables (REFI-QDA VariableValue on a TextSource).
	const types = new Map(
		attributes.map((a) => [
			a.id,
			variableType(a, a.scope === 'document' ? data.documents.map((d) => d.attributes?.[a.id] ?? null) : data.cases.map((c) => c.attributes[a.id] ?? null))
		])
	);
	const docAttributes = attributes.filter((a) => a.scope === 'document');
	if (attributes.length) {
		w.start('Variables');
		for (const a of attributes) {
			w.start('Variable', { guid: guidFor(a.id), name: a.name, typeOfVariable: types.get(a.id) });
			// Text stands for two Gloss types; say which, so a Gloss import restores it.
			if (types.get(a.id) === 'Text') w.textElement('Description', `${ATTRIBUTE_TYPE_NOTE}${a.type}`);
			w.end();
		}
		w.end();
	}

	const docs = [...data.documents].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
	if (data.cases.length) {
		w.start('Cases');
		for (const c of [...data.cases].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))) {
			w.start('Case', { guid: guidFor(c.id), name: c.name });
			const memos = caseMemos.get(c.id) ?? [];
			if (memos.length) w.textElement('Description', memos.map((m) => (m.title ? `${m.title}\n\n${m.text}` : m.text)).join('\n\n'));
			for (const a of attributes) {
				const v = c.attributes[a.id];
				if (v === undefined || v === null || v === '') continue;
				w.start('VariableValue');
				w.empty('VariableRef', { targetGUID: guidFor(a.id) });
				writeValue(w, types.get(a.id) as VariableType, v);
				w.end();
			}
			for (const d of docs) if (d.caseId === c.id) w.empty('SourceRef', { targetGUID: guidFor(d.id) });
			w.end();
		}
		w.end();
	}

	const selectionMeta = (coderId: string | null, created: string, updated: string) => ({
		creatingUser: user(coderId),
		creationDateTime: dt(created),
		modifyingUser: user(coderId),
		modifiedDateTime: dt(updated)
	});
	/** A segment's memo and its Coding, inside its selection. */
	const writeCoding = (s: Segment) => {
		if (s.memo) w.textElement('Description', s.memo);
		w.start('Coding', { guid: guidFor('coding:' + s.id), creatingUser: user(s.coderId), creationDateTime: dt(s.createdAt) });
		w.empty('CodeRef', { targetGUID: guidFor(s.codeId) });
		w.end();
	};
	/** A source's memos and document attributes, the last children of every kind of source. */
	const writeSourceTail = (d: GlossDocument) => {
		for (const m of docMemos.get(d.id) ?? []) if (m.start === undefined) w.empty('NoteRef', { targetGUID: guidFor(m.id) });
		for (const a of docAttributes) {
			const v = d.attributes?.[a.id];
			if (v === undefined || v === null || v === '') continue;
			w.start('VariableValue');
			w.empty('VariableRef', { targetGUID: guidFor(a.id) });
			writeValue(w, types.get(a.id) as VariableType, v);
			w.end();
		}
	};
	/**
	 * A document linked to a recording: an AudioSource or VideoSource whose Transcript holds the
	 * text, a SyncPoint per timed paragraph (timeStamp in ms, position in code points) and the
	 * coded passages as TranscriptSelections between SyncPoints (position-only SyncPoints where a
	 * passage starts or ends between paragraph times). The source's element is left open.
	 */
	const writeRecordedSource = (d: GlossDocument, rec: RefiRecording, segs: Segment[], anchored: Memo[]) => {
		const g = guidFor(d.id);
		let path: string | undefined;
		if (rec.bytes) {
			const file = `${g}.${mediaExtension(rec.name)}`;
			media.set(file, rec.bytes);
			path = `internal://${file}`;
		}
		w.start(rec.kind === 'video' ? 'VideoSource' : 'AudioSource', {
			guid: g,
			name: d.name,
			path,
			creationDateTime: dt(d.createdAt),
			modifiedDateTime: dt(d.updatedAt)
		});
		const tg = transcriptGuid(d.id);
		const file = `${tg}.txt`;
		sources.set(file, d.text);
		w.start('Transcript', { guid: tg, name: d.name, plainTextPath: `internal://${file}` });
		const toCp = utf16ToCodePoints(d.text);
		// position (code points) -> the SyncPoint there; a timed paragraph's start carries its time.
		const points = new Map<number, { guid: string; ms?: number }>();
		for (const t of d.times ?? []) {
			const cp = toCp(t.offset);
			if (!points.has(cp)) points.set(cp, { guid: guidFor(`sync:${d.id}:${cp}`), ms: Math.round(t.seconds * 1000) });
		}
		const at = (offset: number) => {
			const cp = toCp(offset);
			let p = points.get(cp);
			if (!p) points.set(cp, (p = { guid: guidFor(`sync:${d.id}:${cp}`) }));
			return p.guid;
		};
		const sels = [
			...segs.map((s) => ({ guid: guidFor(s.id), from: at(s.start), to: at(s.end), seg: s, memo: null as Memo | null })),
			...anchored.map((m) => ({ guid: guidFor('memo-passage:' + m.id), from: at(m.start as number), to: at(m.end as number), seg: null as Segment | null, memo: m }))
		];
		for (const [cp, p] of [...points].sort((a, b) => a[0] - b[0])) w.empty('SyncPoint', { guid: p.guid, timeStamp: p.ms, position: cp });
		for (const s of sels) {
			const meta = s.seg ? selectionMeta(s.seg.coderId, s.seg.createdAt, s.seg.updatedAt) : selectionMeta(s.memo?.coderId ?? null, s.memo?.createdAt ?? '', s.memo?.updatedAt ?? '');
			w.start('TranscriptSelection', { guid: s.guid, fromSyncPoint: s.from, toSyncPoint: s.to, ...meta });
			if (s.seg) writeCoding(s.seg);
			else w.empty('NoteRef', { targetGUID: guidFor((s.memo as Memo).id) });
			w.end();
		}
		w.end();
	};

	const sources = new Map<string, string>();
	if (docs.length) {
		const segsByDoc = new Map<string, typeof data.segments>();
		for (const s of data.segments) segsByDoc.set(s.documentId, [...(segsByDoc.get(s.documentId) ?? []), s]);
		w.start('Sources');
		for (const d of docs) {
			const g = guidFor(d.id);
			const segs = (segsByDoc.get(d.id) ?? [])
				.filter((s) => codeIds.has(s.codeId))
				.sort((a, b) => a.start - b.start || a.end - b.end || a.id.localeCompare(b.id));
			// A memo on a passage: a selection with no Coding and a NoteRef to the memo's Note (as f4 writes them).
			const anchored = (docMemos.get(d.id) ?? [])
				.filter((m) => m.start !== undefined && m.end !== undefined)
				.sort((a, b) => (a.start as number) - (b.start as number) || (a.end as number) - (b.end as number) || a.id.localeCompare(b.id));
			const rec = recordingOf.get(d.id);
			if (rec) writeRecordedSource(d, rec, segs, anchored);
			else {
				const file = `${g}.txt`;
				sources.set(file, d.text);
				w.start('TextSource', {
					guid: g,
					name: d.name,
					plainTextPath: `internal://${file}`,
					creationDateTime: dt(d.createdAt),
					modifiedDateTime: dt(d.updatedAt)
				});
				const toCp = utf16ToCodePoints(d.text);
				for (const s of segs) {
					w.start('PlainTextSelection', { guid: guidFor(s.id), startPosition: toCp(s.start), endPosition: toCp(s.end), ...selectionMeta(s.coderId, s.createdAt, s.updatedAt) });
					writeCoding(s);
					w.end();
				}
				for (const m of anchored) {
					w.start('PlainTextSelection', {
						guid: guidFor('memo-passage:' + m.id),
						startPosition: toCp(m.start as number),
						endPosition: toCp(m.end as number),
						...selectionMeta(m.coderId, m.createdAt, m.updatedAt)
					});
					w.empty('NoteRef', { targetGUID: guidFor(m.id) });
					w.end();
				}
			}
			writeSourceTail(d);
			w.end();
		}
		w.end();
	}

	if (notes.length) {
		w.start('Notes');
		for (const m of notes) {
			w.start('Note', {
				guid: guidFor(m.id),
				name: m.title || undefined,
				creatingUser: user(m.coderId),
				creationDateTime: dt(m.createdAt),
				modifiedDateTime: dt(m.updatedAt)
			});
			w.textElement('PlainTextContent', m.text);
			w.end();
		}
		w.end();
	}

	if (data.study.description) w.textElement('Description', data.study.description);
	for (const m of studyMemos) w.empty('NoteRef', { targetGUID: guidFor(m.id) });
	w.end();
	return { xml: w.toString(), sources, media };
}

/**
 * The whole study as a `.qdpx` zip: project.qde, sources/<guid>.txt (UTF-8, no BOM, LF) and the
 * recordings given with their bytes (stored, not compressed: they are compressed already).
 */
export function projectQdpx(data: StudyData, now?: string, recordings: readonly RefiRecording[] = []): Uint8Array {
	const { xml, sources, media } = projectFiles(data, now, recordings);
	const src: Zippable = {};
	for (const [name, text] of sources) src[name] = strToU8(text);
	for (const [name, bytes] of media) src[name] = [bytes, { level: 0 }];
	const mtime = now ? new Date(now) : new Date();
	return zipSync({ 'project.qde': strToU8(xml), sources: src }, { level: 6, mtime: isNaN(mtime.getTime()) ? new Date() : mtime });
}
