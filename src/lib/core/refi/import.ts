/**
 * REFI-QDA import: a `.qdpx` project as a new Gloss study, and a `.qdc` codebook as a Gloss
 * codebook tree. Pure: parse, validate, map positions; the db layer writes the result.
 *
 * Copes with what real files do (see docs/refi.md): positions in code points or in UTF-16 units
 * with CRLF counted as 2 (NVivo) or 1 (ATLAS.ti), `Sources/` or `sources/`, `<name>.qde`,
 * plainTextPath without `internal://`, Taguette's flattened names and empty `<Sets/>`, colours as
 * #RGB / #RRGGBB / with alpha / RGB triples, GUIDs in braces and either case.
 */
import { toBackup, readBackupReport } from '../backup';
import type { BackupMedia } from '../backup-zip';
import { checkMediaFile } from '../media';
import {
	codebookToCodes,
	MAX_CODE_DEPTH,
	MAX_NAME_LENGTH,
	nameKey,
	paletteColour,
	type Codebook,
	type CodebookEntry
} from '../codebook';
import { newId, nowIso } from '../ids';
import { decodeBytes, normaliseText } from '../text';
import { QDPX_LIMITS, unzipWithin } from '../zip';
import type {
	Attribute,
	AttributeType,
	AttributeValue,
	Case,
	Coder,
	GlossDocument,
	Memo,
	Result,
	Segment,
	StudyData
} from '../types';
import { ATTRIBUTE_TYPE_NOTE, DESCRIPTION_LABELS } from './export';
import { normaliseColour, normaliseGuid } from './guid';
import { chooseReading, mapThroughNormalisation, readingLabel, type Reading } from './positions';
import { attr, kid, kids, parseXml, XmlError, type XmlElement } from './xml';

export const MAX_QDPX_BYTES = 500 * 1024 * 1024;
const MAX_WARNINGS = 200;

export interface RefiImport {
	data: StudyData;
	/** Things skipped or changed on the way in, each naming the file and element. */
	warnings: string[];
	/** What the importer decided (the position reading per source, the tool that wrote the file). */
	notes: string[];
	/** Recordings found in the project's `sources/`, for the documents of their AudioSource/VideoSource. */
	media: BackupMedia[];
}

// ---------------------------------------------------------------- helpers

/** A code's Description split back into definition, inclusion, exclusion and example. */
export function splitDescription(desc: string): { definition: string; inclusion: string; exclusion: string; example: string } {
	const out = { definition: '', inclusion: '', exclusion: '', example: '' };
	const keys = Object.keys(DESCRIPTION_LABELS) as (keyof typeof DESCRIPTION_LABELS)[];
	const parts = desc.split(/\n\n(?=(?:Inclusion|Exclusion|Example): )/);
	for (const [i, part] of parts.entries()) {
		const k = keys.find((key) => part.startsWith(DESCRIPTION_LABELS[key]));
		if (k && (i > 0 || parts.length > 1 || part.startsWith(DESCRIPTION_LABELS[k]))) {
			const body = part.slice(DESCRIPTION_LABELS[k].length);
			out[k] = out[k] ? `${out[k]}\n\n${body}` : body;
		} else out.definition = out.definition ? `${out.definition}\n\n${part}` : part;
	}
	return out;
}


/** A REFI-QDA position: a whole number from 0 in decimal digits ("12", not "", "1e2", "12.0" or "-1"); else null. */
function position(v: string | undefined): number | null {
	const t = v?.trim() ?? '';
	return /^\+?\d{1,15}$/.test(t) ? Number(t) : null;
}

/** The reading a tool is known to use; the importer still checks it against the selections. */
export function preferredReading(origin: string): Reading {
	if (/nvivo/i.test(origin)) return { unit: 'utf16', crlf: 2 };
	if (/atlas/i.test(origin)) return { unit: 'codepoint', crlf: 1 };
	return { unit: 'codepoint', crlf: 2 };
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
function isoOr(s: string | undefined, fallback: string): string {
	if (!s || !ISO.test(s.trim())) return fallback;
	const d = new Date(s.trim());
	return isNaN(d.getTime()) ? fallback : d.toISOString();
}

/** A name fit for Gloss: one line, trimmed, at most MAX_NAME_LENGTH characters. */
function cleanName(s: string | undefined, fallback: string): string {
	const n = (s ?? '').replace(/[\r\n\t]+/g, ' ').trim().normalize('NFC');
	if (!n) return fallback;
	return n.length > MAX_NAME_LENGTH ? n.slice(0, MAX_NAME_LENGTH - 1) + '…' : n;
}

/** Make `name` unique among `taken` (by Gloss's name key) by adding " (2)", " (3)"... */
function uniqueName(name: string, taken: Set<string>): string {
	let n = name;
	for (let k = 2; taken.has(nameKey(n)); k++) {
		const suffix = ` (${k})`;
		n = (name.length + suffix.length > MAX_NAME_LENGTH ? name.slice(0, MAX_NAME_LENGTH - suffix.length) : name) + suffix;
	}
	taken.add(nameKey(n));
	return n;
}

const kidsOf = (el: XmlElement | undefined, local: string): XmlElement[] => (el ? kids(el, local) : []);
const textOf = (el: XmlElement | undefined) => (el ? el.text : '');
const basename = (p: string) => p.split(/[\\/]/).pop() ?? p;

// ---------------------------------------------------------------- codebook (.qdc and the project's CodeBook)

interface CodeRead {
	tree: CodebookEntry[];
	/** Every GUID in the file (lower case) -> the Gloss code id it became. */
	idMap: Map<string, string>;
	/** Code id -> note GUIDs referenced from it. */
	noteRefs: Map<string, string[]>;
}

function readCodes(codesEl: XmlElement | undefined, origin: string, where: string, warn: (m: string) => void): CodeRead {
	const idMap = new Map<string, string>();
	const noteRefs = new Map<string, string[]>();
	const used = new Set<string>();
	let notCodable = 0;
	const taguette = /taguette/i.test(origin);
	const tree: CodebookEntry[] = [];
	let colourIndex = 0;
	const takenBy = new Map<CodebookEntry[] | null, Set<string>>();
	const taken = (list: CodebookEntry[]) => {
		let s = takenBy.get(list);
		if (!s) takenBy.set(list, (s = new Set()));
		return s;
	};
	// Each list's entries by name key: a lookup per code, not a scan (a list may hold thousands).
	const byName = new Map<CodebookEntry[], Map<string, CodebookEntry>>();
	const named = (list: CodebookEntry[], name: string) => byName.get(list)?.get(nameKey(name));
	const add = (list: CodebookEntry[], entry: CodebookEntry) => {
		list.push(entry);
		let m = byName.get(list);
		if (!m) byName.set(list, (m = new Map()));
		const k = nameKey(entry.name);
		if (!m.has(k)) m.set(k, entry);
	};

	// Walked with an explicit stack, not recursion: a file may nest codes thousands deep. Codes
	// deeper than the codebook's limit are kept (their codings with them) at the deepest level.
	type Frame = { els: XmlElement[]; i: number; into: CodebookEntry[]; path: string; counts: Map<string, number>; depth: number };
	const stack: Frame[] = codesEl ? [{ els: codesEl.children, i: 0, into: tree, path: `${where}/Codes`, counts: new Map(), depth: 1 }] : [];
	let flattened = 0;
	let flattenedAt = '';
	while (stack.length) {
		const frame = stack[stack.length - 1];
		if (frame.i >= frame.els.length) {
			stack.pop();
			continue;
		}
		const el = frame.els[frame.i++];
		const { into, path, counts } = frame;
		const n = (counts.get(el.local) ?? 0) + 1;
		counts.set(el.local, n);
		if (el.local !== 'Code') continue;
		// Past the limit the path stops growing: a chain thousands deep would make huge strings.
		const p = frame.depth > MAX_CODE_DEPTH + 1 ? path : `${path}/Code[${n}]`;
		if (frame.depth > MAX_CODE_DEPTH && !flattened++) flattenedAt = p;
		const rawGuid = attr(el, 'guid');
		let id = normaliseGuid(rawGuid);
		if (!id) {
			warn(`${p}: guid ${JSON.stringify(rawGuid ?? '')} is not a GUID; the code gets a new one`);
			id = newId();
		} else if (used.has(id)) {
			warn(`${p}: guid ${id} is used twice; the second code gets a new one`);
			const fresh = newId();
			id = fresh;
		}
		used.add(id);
		if (rawGuid) {
			const g = normaliseGuid(rawGuid);
			if (g && !idMap.has(g)) idMap.set(g, id);
		}
		if (attr(el, 'isCodable') === 'false') notCodable++;
		const desc = textOf(kid(el, 'Description')).replace(/\r\n?/g, '\n');
		const split = splitDescription(desc);
		const colourAttr = attr(el, 'color');
		const colour = normaliseColour(colourAttr);
		if (colourAttr && !colour) warn(`${p}: colour ${JSON.stringify(colourAttr)} is not readable; a palette colour is used`);
		if (!attr(el, 'name')?.trim()) warn(`${p}: the code has no name; it is called "Unnamed code"`);
		let name = cleanName(attr(el, 'name'), 'Unnamed code');
		let list = into;
		if (taguette && name.includes('/') && into === tree) {
			// Taguette flattens the hierarchy into "parent/child" names: rebuild it.
			const segs = name.split('/').map((s) => s.trim()).filter(Boolean);
			name = segs.pop() ?? name;
			for (const seg of segs) {
				let parent = named(list, seg);
				if (!parent) {
					parent = { id: newId(), name: uniqueName(cleanName(seg, 'Unnamed code'), taken(list)), definition: '', inclusion: '', exclusion: '', example: '', colour: paletteColour(colourIndex++), children: [] };
					add(list, parent);
				}
				list = parent.children;
			}
		}
		const existing = named(list, name);
		if (taguette && existing && existing.children.length && !existing.definition) {
			// A Taguette parent created from a path, met again as a code of its own.
			idMap.set(normaliseGuid(rawGuid) ?? id, existing.id as string);
			Object.assign(existing, { ...split, ...(colour ? { colour } : {}) });
			continue;
		}
		const entry: CodebookEntry = {
			id,
			name: uniqueName(name, taken(list)),
			...split,
			colour: colour ?? paletteColour(colourIndex),
			children: []
		};
		colourIndex++;
		add(list, entry);
		const notes = kids(el, 'NoteRef')
			.map((r) => normaliseGuid(attr(r, 'targetGUID')))
			.filter((g): g is string => !!g);
		if (notes.length) noteRefs.set(id, notes);
		if (el.children.some((c) => c.local === 'Code')) {
			const deeper = frame.depth < MAX_CODE_DEPTH;
			stack.push({ els: el.children, i: 0, into: deeper ? entry.children : into, path: p, counts: new Map(), depth: frame.depth + 1 });
		}
	}
	if (flattened)
		warn(
			`${flattenedAt}: codes are nested more than ${MAX_CODE_DEPTH} levels deep (the most Gloss keeps); ${flattened} deeper code(s) are placed at level ${MAX_CODE_DEPTH} with their codings`
		);
	if (notCodable) warn(`${where}: ${notCodable} code(s) are marked not codable; in Gloss every code can be applied`);
	return { tree, idMap, noteRefs };
}

/** Parse a `.qdc` codebook into a Gloss codebook tree (for importing into an existing study). */
export function parseQdc(text: string, fileName = 'codebook.qdc'): Result<{ codebook: Codebook; warnings: string[] }> {
	let root: XmlElement;
	try {
		root = parseXml(text);
	} catch (e) {
		return { ok: false, errors: [xmlErrorText(e, fileName)] };
	}
	if (root.local !== 'CodeBook')
		return { ok: false, errors: [`${fileName}: not a REFI-QDA codebook (the root element is <${root.name}>, expected <CodeBook>)`] };
	const warnings: string[] = [];
	const r = readCodes(kid(root, 'Codes'), attr(root, 'origin') ?? '', `${fileName}: /CodeBook`, (m) => warnings.push(m));
	if (!r.tree.length) return { ok: false, errors: [`${fileName}: /CodeBook/Codes: the codebook holds no codes`] };
	return { ok: true, value: { codebook: { name: fileName.replace(/\.qdc$/i, ''), description: '', codes: r.tree }, warnings } };
}

function xmlErrorText(e: unknown, file: string): string {
	if (e instanceof XmlError) return `${file}: line ${e.line}: not well-formed XML: ${e.message}`;
	return `${file}: could not be read (${(e as Error).message})`;
}

// ---------------------------------------------------------------- project

/** Called as the sources are read: `done` of `total` sources. */
export type RefiProgress = (done: number, total: number) => void;

/** Open a `.qdpx` zip and import the project. */
export function parseQdpx(bytes: Uint8Array, fileName: string, studyId: string = newId(), now: string = nowIso(), onProgress?: RefiProgress): Result<RefiImport> {
	if (bytes.length > MAX_QDPX_BYTES) return { ok: false, errors: [`${fileName}: the file is too large (over ${MAX_QDPX_BYTES / 1024 / 1024} MB)`] };
	const unzipped = unzipWithin(bytes, fileName, QDPX_LIMITS, {
		notAZip: (why) => `${fileName}: not a REFI-QDA project (.qdpx is a zip file, and this one could not be opened: ${why})`
	});
	if (!unzipped.ok) return unzipped;
	const files = unzipped.value;
	const names = Object.keys(files).filter((n) => !n.endsWith('/'));
	const qdes = names.filter((n) => /\.qde$/i.test(n));
	const qde = qdes.find((n) => n.toLowerCase() === 'project.qde') ?? qdes.sort((a, b) => a.split('/').length - b.split('/').length)[0];
	if (!qde) return { ok: false, errors: [`${fileName}: no project.qde (nor any .qde file) inside the zip`] };
	const xml = decodeBytes(files[qde], `${fileName}/${qde}`);
	if (!xml.ok) return { ok: false, errors: [xml.errors] };
	const byLower = new Map<string, Uint8Array>();
	// Zips made on Windows may use backslashes.
	for (const n of names) byLower.set(n.replace(/\\/g, '/').toLowerCase(), files[n]);
	return parseProject(xml.value.text, byLower, `${fileName}/${qde}`, studyId, now, fileName, onProgress);
}

/**
 * Import a project's XML. `files` maps lower-cased zip paths to bytes (`sources/x.txt`).
 * `qdeName` is used in messages; `fileName` names the study when the project has no name.
 */
export function parseProject(
	xmlText: string,
	files: Map<string, Uint8Array>,
	qdeName: string,
	studyId: string,
	now: string,
	fileName: string = qdeName,
	onProgress?: RefiProgress
): Result<RefiImport> {
	let root: XmlElement;
	try {
		root = parseXml(xmlText);
	} catch (e) {
		return { ok: false, errors: [xmlErrorText(e, qdeName)] };
	}
	if (root.local !== 'Project')
		return { ok: false, errors: [`${qdeName}: not a REFI-QDA project (the root element is <${root.name}>, expected <Project>)`] };
	const warnings: string[] = [];
	const notes: string[] = [];
	let dropped = 0;
	const warn = (m: string) => {
		if (warnings.length < MAX_WARNINGS) warnings.push(`${qdeName}: ${m}`);
		else dropped++;
	};
	const origin = attr(root, 'origin') ?? '';
	if (origin) notes.push(`Written by ${origin}.`);

	// Users -> coders
	const coders: Coder[] = [];
	const coderByGuid = new Map<string, Coder>();
	kidsOf(kid(root, 'Users'), 'User').forEach((u, i) => {
		const g = normaliseGuid(attr(u, 'guid'));
		const p = `/Project/Users/User[${i + 1}]`;
		if (!g) return warn(`${p}: guid ${JSON.stringify(attr(u, 'guid') ?? '')} is not a GUID; the user is skipped`);
		if (coderByGuid.has(g)) return warn(`${p}: user ${g} appears twice`);
		const c: Coder = { id: g, studyId, name: cleanName(attr(u, 'name') ?? attr(u, 'id'), `User ${coders.length + 1}`), createdAt: now };
		coders.push(c);
		coderByGuid.set(g, c);
	});
	const projectUser = normaliseGuid(attr(root, 'creatingUserGUID'));
	const coderFor = (...guids: (string | undefined)[]): Coder => {
		for (const raw of guids) {
			const g = normaliseGuid(raw);
			if (g && coderByGuid.has(g)) return coderByGuid.get(g) as Coder;
		}
		const raw = guids.find((x) => normaliseGuid(x));
		const g = raw ? (normaliseGuid(raw) as string) : projectUser && coderByGuid.has(projectUser) ? projectUser : 'imported';
		if (coderByGuid.has(g)) return coderByGuid.get(g) as Coder;
		const c: Coder = { id: g === 'imported' ? newId() : g, studyId, name: g === 'imported' ? 'Imported' : `User ${g.slice(0, 8)}`, createdAt: now };
		coders.push(c);
		coderByGuid.set(g, c);
		return c;
	};

	// Codes
	const codeBook = kid(root, 'CodeBook');
	const codeRead = readCodes(codeBook ? kid(codeBook, 'Codes') : undefined, origin, '/Project/CodeBook', warn);
	const codesR = codebookToCodes(codeRead.tree, studyId, [], { now });
	if (!codesR.ok) return { ok: false, errors: codesR.errors.map((e) => `${qdeName}: ${e}`) };
	const codes = codesR.value;

	// Notes (memos)
	interface NoteRead {
		guid: string;
		title: string;
		text: string;
		user?: string;
		created: string;
		modified: string;
		used: boolean;
	}
	const noteByGuid = new Map<string, NoteRead>();
	kidsOf(kid(root, 'Notes'), 'Note').forEach((n, i) => {
		const p = `/Project/Notes/Note[${i + 1}]`;
		const g = normaliseGuid(attr(n, 'guid')) ?? newId();
		let text = textOf(kid(n, 'PlainTextContent'));
		const path = attr(n, 'plainTextPath');
		if (!kid(n, 'PlainTextContent') && path) {
			const bytes = findFile(files, path);
			const dec = bytes ? decodeBytes(bytes, `its text file ${JSON.stringify(path)}`) : null;
			if (dec?.ok) text = dec.value.text;
			else warn(`${p}: ${dec ? dec.errors : `its text file ${JSON.stringify(path)} is missing`}`);
		}
		const created = isoOr(attr(n, 'creationDateTime'), now);
		noteByGuid.set(g, {
			guid: g,
			title: cleanName(attr(n, 'name'), ''),
			text: text.replace(/\r\n?/g, '\n').normalize('NFC'),
			user: attr(n, 'creatingUser'),
			created,
			modified: isoOr(attr(n, 'modifiedDateTime'), created),
			used: false
		});
	});
	const memos: Memo[] = [];
	const memoIds = new Set<string>();
	const memoFor = (ref: string, targetType: Memo['targetType'], targetId: string | null, p: string) => {
		const note = noteByGuid.get(ref);
		if (!note) return warn(`${p}: NoteRef to ${ref}, which is not among the Notes`);
		note.used = true;
		memos.push({
			id: memoIds.has(note.guid) ? newId() : note.guid,
			studyId,
			targetType,
			targetId,
			title: note.title,
			text: note.text,
			coderId: note.user && normaliseGuid(note.user) ? coderFor(note.user).id : null,
			createdAt: note.created,
			updatedAt: note.modified
		});
		memoIds.add(memos[memos.length - 1].id);
	};
	for (const [codeId, refs] of codeRead.noteRefs) for (const r of refs) memoFor(r, 'code', codeId, `/Project/CodeBook (code ${codeId})`);

	// Variables -> attributes
	interface VarRead {
		attr: Attribute;
		refiType: string;
		values: AttributeValue[];
	}
	const varByGuid = new Map<string, VarRead>();
	const attrNames = new Set<string>();
	kidsOf(kid(root, 'Variables'), 'Variable').forEach((v, i) => {
		const p = `/Project/Variables/Variable[${i + 1}]`;
		const g = normaliseGuid(attr(v, 'guid'));
		if (!g) return warn(`${p}: guid is not a GUID; the variable is skipped`);
		const t = attr(v, 'typeOfVariable') ?? 'Text';
		const type: AttributeType = t === 'Integer' || t === 'Float' ? 'number' : t === 'Date' ? 'date' : t === 'DateTime' ? 'text' : 'category';
		const declared = new RegExp(`^${ATTRIBUTE_TYPE_NOTE}(category|text)$`).exec(textOf(kid(v, 'Description')).trim());
		varByGuid.set(g, {
			attr: { id: g, studyId, name: uniqueName(cleanName(attr(v, 'name'), `Variable ${i + 1}`), attrNames), type: t === 'Text' && declared ? (declared[1] as AttributeType) : type, order: i },
			refiType: declared ? 'Declared' : t,
			values: []
		});
	});
	const readValues = (el: XmlElement, p: string): Record<string, AttributeValue> => {
		const out: Record<string, AttributeValue> = {};
		kids(el, 'VariableValue').forEach((vv, i) => {
			const q = `${p}/VariableValue[${i + 1}]`;
			const ref = normaliseGuid(attr(kid(vv, 'VariableRef') ?? vv, 'targetGUID'));
			const v = ref ? varByGuid.get(ref) : undefined;
			if (!v) return warn(`${q}: refers to no Variable`);
			const valEl = vv.children.find((c) => c.local !== 'VariableRef');
			if (!valEl) return;
			const raw = valEl.text.trim();
			let value: AttributeValue = raw;
			if (valEl.local === 'IntegerValue' || valEl.local === 'FloatValue') {
				const num = Number(raw);
				if (raw === '' || !Number.isFinite(num)) {
					warn(`${q}: ${JSON.stringify(raw)} is not a number; kept as text`);
					v.attr.type = 'text';
				} else value = num;
			} else if (valEl.local === 'DateValue') value = raw.slice(0, 10);
			if (v.attr.type === 'number' && typeof value === 'string') v.attr.type = 'text';
			if (raw === '') return;
			out[v.attr.id] = value;
			v.values.push(value);
		});
		return out;
	};

	// Sources -> documents (and their codings -> segments)
	const documents: GlossDocument[] = [];
	const segments: Segment[] = [];
	const segKeys = new Set<string>();
	const segIds = new Set<string>();
	const docByGuid = new Map<string, GlossDocument>();
	const sourceValues = new Map<string, Record<string, AttributeValue>>();
	const skippedKinds = new Map<string, number>();
	const media: BackupMedia[] = [];
	let duplicates = 0;
	let anchoredMemos = 0;
	const sourcesEl = kid(root, 'Sources');
	const srcCounts = new Map<string, number>();
	const allSources = sourcesEl?.children ?? [];
	let sourcesDone = 0;
	for (const src of allSources) {
		onProgress?.(sourcesDone++, allSources.length);
		const n = (srcCounts.get(src.local) ?? 0) + 1;
		srcCounts.set(src.local, n);
		const p = `/Project/Sources/${src.local}[${n}]`;
		const recorded = src.local === 'AudioSource' || src.local === 'VideoSource';
		if (src.local !== 'TextSource' && !recorded) {
			skippedKinds.set(src.local, (skippedKinds.get(src.local) ?? 0) + 1);
			continue;
		}
		let g = normaliseGuid(attr(src, 'guid'));
		if (!g || docByGuid.has(g)) {
			warn(`${p}: guid ${JSON.stringify(attr(src, 'guid') ?? '')} is ${g ? 'used twice' : 'not a GUID'}; the source gets a new one`);
			g = newId();
		}
		// A recording's text is its (first) Transcript; a text source holds its own.
		const transcripts = recorded ? kids(src, 'Transcript') : [];
		if (recorded && !transcripts.length) {
			warn(`${p}: a recording without a Transcript; skipped (Gloss codes transcripts, not the sound itself)`);
			continue;
		}
		if (transcripts.length > 1) warn(`${p}: ${transcripts.length} Transcripts; the first is imported, the others are skipped`);
		const textEl = recorded ? transcripts[0] : src;
		const tp = recorded ? `${p}/Transcript[1]` : p;
		const path = attr(textEl, 'plainTextPath');
		let raw: string | null = null;
		if (kid(textEl, 'PlainTextContent')) raw = textOf(kid(textEl, 'PlainTextContent'));
		else if (path) {
			const bytes = findFile(files, path);
			if (!bytes) {
				warn(`${tp}: its text file ${JSON.stringify(path)} is not in the project; the source and its codings are skipped`);
				continue;
			}
			const dec = decodeBytes(bytes, `its text file ${JSON.stringify(path)}`);
			if (!dec.ok) {
				warn(`${tp}: ${dec.errors}; the source is skipped`);
				continue;
			}
			raw = dec.value.text;
		} else {
			warn(`${tp}: has neither PlainTextContent nor plainTextPath; skipped (Gloss imports plain text)`);
			continue;
		}
		const name = cleanName(attr(src, 'name') ?? attr(textEl, 'name'), path ? basename(path).replace(/\.txt$/i, '') : `Source ${documents.length + 1}`);
		// A selection in a transcript runs between two SyncPoints; each SyncPoint has a position
		// (and, when it marks a time, a timeStamp in milliseconds). Bad ones are reported and skipped.
		const syncPoints: { q: string; guid: string | null; pos: number; ms: number | null }[] = [];
		if (recorded)
			kids(textEl, 'SyncPoint').forEach((sp, i) => {
				const q = `${tp}/SyncPoint[${i + 1}]`;
				const rawPos = attr(sp, 'position');
				const pos = position(rawPos);
				if (pos === null)
					return warn(`${q}: position ${JSON.stringify(rawPos ?? '')} is not a position (a whole number from 0); the sync point is skipped`);
				const rawMs = attr(sp, 'timeStamp');
				const ms = rawMs === undefined ? null : position(rawMs);
				if (rawMs !== undefined && ms === null)
					return warn(`${q}: timeStamp ${JSON.stringify(rawMs)} is not a time (whole milliseconds from 0); the sync point is skipped`);
				syncPoints.push({ q, guid: normaliseGuid(attr(sp, 'guid')), pos, ms });
			});
		const syncByGuid = new Map(syncPoints.filter((s) => s.guid).map((s) => [s.guid as string, s]));
		interface SelectionRead {
			el: XmlElement;
			q: string;
			/** Positions in the file's reading, or null with why. */
			lo: number | null;
			hi: number | null;
			bad?: string;
		}
		const sels: SelectionRead[] = recorded
			? kids(textEl, 'TranscriptSelection').map((s, i) => {
					const q = `${tp}/TranscriptSelection[${i + 1}]`;
					const point = (which: 'fromSyncPoint' | 'toSyncPoint') => {
						const ref = attr(s, which);
						if (ref === undefined) return { pos: null, bad: `has no ${which}` };
						const sp = syncByGuid.get(normaliseGuid(ref) ?? '');
						return sp ? { pos: sp.pos, bad: undefined } : { pos: null, bad: `${which} ${JSON.stringify(ref)} is not one of the transcript's sync points` };
					};
					const from = point('fromSyncPoint');
					const to = point('toSyncPoint');
					return { el: s, q, lo: from.pos, hi: to.pos, bad: from.bad ?? to.bad };
				})
			: kids(src, 'PlainTextSelection').map((s, i) => {
					const lo = position(attr(s, 'startPosition'));
					const hi = position(attr(s, 'endPosition'));
					return {
						el: s,
						q: `${p}/PlainTextSelection[${i + 1}]`,
						lo,
						hi,
						bad:
							lo === null || hi === null
								? `startPosition/endPosition ${JSON.stringify(attr(s, 'startPosition') ?? '')}–${JSON.stringify(attr(s, 'endPosition') ?? '')} are not positions (whole numbers from 0)`
								: undefined
					};
				});
		const usable = sels.filter((e): e is SelectionRead & { lo: number; hi: number } => !e.bad && e.lo !== null && e.hi !== null && e.lo <= e.hi).map((e) => ({ start: e.lo, end: e.hi }));
		// Gloss writes code points (REFI-QDA 1.5) and is trusted: a selection that starts or ends
		// inside a word must not make it guess another reading.
		const preferred = preferredReading(origin);
		const { reading, map } = /^gloss$/i.test(origin.trim())
			? { reading: preferred, map: mapThroughNormalisation(raw, preferred) }
			: chooseReading(raw, usable, preferred);
		if (map.text !== normaliseText(raw)) {
			// Cannot happen for text NFC treats cluster by cluster; refuse rather than store unnormalised text.
			warn(`${tp}: its text could not be normalised position by position; the source is skipped`);
			continue;
		}
		if (sels.length || syncPoints.length) notes.push(`${name}: positions read as ${readingLabel(reading)}.`);
		const created = isoOr(attr(src, 'creationDateTime'), now);
		const doc: GlossDocument = {
			id: g,
			studyId,
			name,
			text: map.text,
			caseId: null,
			order: documents.length,
			createdAt: created,
			updatedAt: isoOr(attr(src, 'modifiedDateTime'), created)
		};
		// A file named after the source's GUID says nothing about where the text came from.
		if (path && normaliseGuid(basename(path).replace(/\.[^.]*$/, '')) === null) doc.sourceName = basename(path);
		if (recorded) {
			// Timed sync points -> paragraph times: Gloss times a paragraph, so a time inside a line
			// marks the start of its line (the first time in a line wins).
			const marks = new Map<number, number>();
			for (const sp of syncPoints) {
				const at = map.start(sp.pos);
				if (at === null) {
					warn(`${sp.q}: position ${sp.pos} is past the end of the transcript (${map.length}); the sync point is skipped`);
					continue;
				}
				if (sp.ms === null) continue;
				const line = at === 0 ? 0 : map.text.lastIndexOf('\n', at - 1) + 1;
				if (!marks.has(line)) marks.set(line, sp.ms / 1000);
			}
			if (marks.size) doc.times = [...marks].sort((a, b) => a[0] - b[0]).map(([offset, seconds]) => ({ offset, seconds }));
			const mediaPath = attr(src, 'path');
			const mediaBytes = mediaPath ? findFile(files, mediaPath) : undefined;
			const ext = mediaPath ? (/\.([A-Za-z0-9]{1,5})$/.exec(basename(mediaPath))?.[1] ?? '') : '';
			const mediaName = mediaPath && normaliseGuid(basename(mediaPath).replace(/\.[^.]*$/, '')) === null ? basename(mediaPath) : `${name}.${ext.toLowerCase()}`;
			if (!mediaPath) notes.push(`${name}: the recording is not in the file (no path); link it again on the document in Code.`);
			else if (!mediaBytes) warn(`${p}: its recording ${JSON.stringify(mediaPath)} is not in the project; the transcript is imported without it`);
			else {
				const ok = checkMediaFile({ name: mediaName, size: mediaBytes.length });
				if (!ok.ok) warn(`${p}: ${ok.errors}; the transcript is imported without it`);
				else media.push({ documentId: g, name: mediaName, type: ok.value.type, kind: ok.value.kind, bytes: mediaBytes });
			}
			const timeSels = kids(src, src.local === 'VideoSource' ? 'VideoSelection' : 'AudioSelection').length + kids(src, 'Coding').length;
			if (timeSels) warn(`${p}: ${timeSels} coding(s) of stretches of the recording itself skipped (Gloss codes the transcript)`);
		}
		documents.push(doc);
		docByGuid.set(g, doc);
		const vals = readValues(src, p);
		if (Object.keys(vals).length) sourceValues.set(g, vals);
		for (const r of kids(src, 'NoteRef')) {
			const ng = normaliseGuid(attr(r, 'targetGUID'));
			if (ng) memoFor(ng, 'document', g, `${p}/NoteRef`);
		}

		const addSegment = (coding: XmlElement, start: number, end: number, memo: string, selUser: string | undefined, id: string, q: string, created: string, updated: string) => {
			const ref = normaliseGuid(attr(kid(coding, 'CodeRef') ?? coding, 'targetGUID'));
			const codeId = ref ? codeRead.idMap.get(ref) : undefined;
			if (!codeId) return warn(`${q}: CodeRef ${JSON.stringify(ref ?? '')} points at no code; the coding is skipped`);
			const coder = coderFor(attr(coding, 'creatingUser'), selUser);
			const key = `${codeId}|${coder.id}|${start}|${end}`;
			if (segKeys.has(`${g}|${key}`)) {
				duplicates++;
				return;
			}
			segKeys.add(`${g}|${key}`);
			segments.push({
				id: segIds.has(id) ? newId() : id,
				studyId,
				documentId: g as string,
				codeId,
				coderId: coder.id,
				start,
				end,
				memo,
				createdAt: isoOr(attr(coding, 'creationDateTime'), created),
				updatedAt: updated
			});
			segIds.add(segments[segments.length - 1].id);
		};

		for (const { el: s, q, lo, hi, bad } of sels) {
			if (bad || lo === null || hi === null) {
				warn(`${q}: ${bad}; skipped`);
				continue;
			}
			if (lo > hi) {
				warn(`${q}: ${recorded ? 'its start' : `startPosition ${lo}`} is after ${recorded ? `its end (${lo} > ${hi})` : `endPosition ${hi}`}; skipped`);
				continue;
			}
			const start = map.start(lo);
			const end = map.end(hi);
			if (start === null || end === null) {
				warn(`${q}: ${lo}–${hi} is past the end of the text (${map.length}); skipped`);
				continue;
			}
			if (end <= start) {
				warn(`${q}: ${lo}–${hi} selects no text; skipped`);
				continue;
			}
			const codings = kids(s, 'Coding');
			const description = textOf(kid(s, 'Description')).replace(/\r\n?/g, '\n').normalize('NFC').trim();
			const selNotes: NoteRead[] = [];
			for (const r of kids(s, 'NoteRef')) {
				const note = noteByGuid.get(normaliseGuid(attr(r, 'targetGUID')) ?? '');
				if (note) {
					note.used = true;
					selNotes.push(note);
				}
			}
			const created = isoOr(attr(s, 'creationDateTime'), now);
			const updated = isoOr(attr(s, 'modifiedDateTime'), created);
			const selGuid = normaliseGuid(attr(s, 'guid'));
			if (!codings.length) {
				// f4 writes a memo on a passage as a selection with a Description and/or a NoteRef and
				// no Coding: it becomes a memo on the document, anchored to the passage.
				const anchored = (id: string, title: string, text: string, user: string | undefined, c0: string, u0: string) => {
					memos.push({
						id: memoIds.has(id) ? newId() : id,
						studyId,
						targetType: 'document',
						targetId: g as string,
						title,
						text,
						coderId: user && normaliseGuid(user) ? coderFor(user).id : null,
						start,
						end,
						createdAt: c0,
						updatedAt: u0
					});
					memoIds.add(memos[memos.length - 1].id);
					anchoredMemos++;
				};
				const noteTexts = new Set(selNotes.map((n) => n.text.trim()));
				for (const note of selNotes) anchored(note.guid, note.title, note.text, note.user ?? attr(s, 'creatingUser'), note.created, note.modified);
				if (description && !noteTexts.has(description))
					anchored(selNotes.length || !selGuid ? newId() : selGuid, '', description, attr(s, 'creatingUser'), created, updated);
				continue;
			}
			const memoParts = [description];
			for (const note of selNotes) memoParts.push(note.title ? `${note.title}: ${note.text}` : note.text);
			const memo = memoParts.filter(Boolean).join('\n\n');
			codings.forEach((c, k) => {
				const id = codings.length === 1 && selGuid ? selGuid : (normaliseGuid(attr(c, 'guid')) ?? newId());
				addSegment(c, start, end, memo, attr(s, 'creatingUser'), id, `${q}/Coding[${k + 1}]`, created, updated);
			});
		}
		// Codings of the whole source.
		if (!recorded)
			kids(src, 'Coding').forEach((c, k) => {
				if (map.text.length === 0) return;
				addSegment(c, 0, map.text.length, '', attr(src, 'creatingUser'), normaliseGuid(attr(c, 'guid')) ?? newId(), `${p}/Coding[${k + 1}]`, created, created);
			});
	}
	for (const [kind, n] of skippedKinds)
		warn(`/Project/Sources: ${n} ${kind}(s) skipped (Gloss imports text sources and the transcripts of recordings)`);
	if (duplicates) notes.push(`${duplicates} duplicate coding(s) (same text, code and coder) merged.`);
	if (anchoredMemos) notes.push(`${anchoredMemos} memo(s) on passages (selections without a coding) imported as memos on their documents.`);

	onProgress?.(allSources.length, allSources.length);

	// Cases
	const cases: Case[] = [];
	const caseNames = new Set<string>();
	kidsOf(kid(root, 'Cases'), 'Case').forEach((c, i) => {
		const p = `/Project/Cases/Case[${i + 1}]`;
		let g = normaliseGuid(attr(c, 'guid'));
		if (!g || cases.some((x) => x.id === g)) g = newId();
		const cs: Case = {
			id: g,
			studyId,
			name: uniqueName(cleanName(attr(c, 'name'), `Case ${i + 1}`), caseNames),
			attributes: readValues(c, p),
			createdAt: now,
			updatedAt: now
		};
		cases.push(cs);
		const desc = textOf(kid(c, 'Description')).replace(/\r\n?/g, '\n').normalize('NFC').trim();
		if (desc) memos.push({ id: newId(), studyId, targetType: 'case', targetId: g, title: 'Description', text: desc, coderId: null, createdAt: now, updatedAt: now });
		kids(c, 'SourceRef').forEach((r, k) => {
			const d = docByGuid.get(normaliseGuid(attr(r, 'targetGUID')) ?? '');
			if (!d) return warn(`${p}/SourceRef[${k + 1}]: refers to no imported source`);
			if (d.caseId && d.caseId !== g) return warn(`${p}/SourceRef[${k + 1}]: the source "${d.name}" already belongs to another case; Gloss keeps one case per document`);
			d.caseId = g as string;
		});
		const selRefs = kids(c, 'SelectionRef').length;
		if (selRefs) warn(`${p}: ${selRefs} SelectionRef(s) skipped (a Gloss case holds whole documents)`);
	});
	const nameKeyOf = (n: string) => n.normalize('NFC').trim().toLowerCase();
	// NVivo for Mac writes an empty <Case name="X"/> and puts X's values on the source named X:
	// that source belongs to case X (not to a new case "X (2)"), and its values are X's.
	const caseHolder = new Set<string>(); // sources whose values are their case's
	const sourcedCases = new Set(documents.map((d) => d.caseId).filter((c): c is string => c !== null));
	for (const [docId] of sourceValues) {
		const d = docByGuid.get(docId) as GlossDocument;
		if (d.caseId) continue;
		const named = cases.filter((c) => !sourcedCases.has(c.id) && nameKeyOf(c.name) === nameKeyOf(d.name));
		if (named.length !== 1) continue;
		d.caseId = named[0].id;
		sourcedCases.add(named[0].id);
		caseHolder.add(docId);
	}
	// Variables given on cases (or on such sources) are case attributes; variables given only on
	// the other sources are document attributes (an interview's wave, date, interviewer).
	const caseVars = new Set<string>();
	for (const c of cases) for (const k of Object.keys(c.attributes)) caseVars.add(k);
	for (const docId of caseHolder) for (const k of Object.keys(sourceValues.get(docId) ?? {})) caseVars.add(k);
	for (const v of varByGuid.values()) if (!caseVars.has(v.attr.id) && v.values.length) v.attr.scope = 'document';
	for (const [docId, vals] of sourceValues) {
		const d = docByGuid.get(docId) as GlossDocument;
		const docVals = Object.entries(vals).filter(([k]) => !caseVars.has(k));
		if (docVals.length) d.attributes = Object.fromEntries(docVals);
		const caseVals = Object.entries(vals).filter(([k]) => caseVars.has(k));
		if (!caseVals.length) continue;
		// A case variable's value on a source belongs to the source's case; a source without one gets its own case.
		let cs = d.caseId ? cases.find((c) => c.id === d.caseId) : undefined;
		if (!cs) {
			cs = { id: newId(), studyId, name: uniqueName(d.name, caseNames), attributes: {}, createdAt: now, updatedAt: now };
			cases.push(cs);
			d.caseId = cs.id;
		}
		for (const [k, v] of caseVals) if (cs.attributes[k] === undefined) cs.attributes[k] = v;
	}
	// Text variables with few, repeated values are categories; the rest free text.
	for (const v of varByGuid.values()) {
		if (v.attr.type !== 'category' || v.refiType === 'Boolean' || v.refiType === 'Declared') continue;
		const distinct = new Set(v.values.map(String)).size;
		if (!(distinct <= 30 && distinct * 2 <= Math.max(2, v.values.length))) v.attr.type = 'text';
	}
	// Numbers kept as text after a bad value: make every value of that attribute text.
	for (const v of varByGuid.values())
		if (v.attr.type === 'text')
			for (const cs of [...cases, ...documents])
				if (cs.attributes && typeof cs.attributes[v.attr.id] === 'number') cs.attributes[v.attr.id] = String(cs.attributes[v.attr.id]);

	// Project-level notes, and notes nothing refers to, become study memos.
	for (const r of kids(root, 'NoteRef')) {
		const ng = normaliseGuid(attr(r, 'targetGUID'));
		if (ng) memoFor(ng, 'study', null, '/Project/NoteRef');
	}
	for (const note of noteByGuid.values()) if (!note.used) memoFor(note.guid, 'study', null, '/Project/Notes');

	const created = isoOr(attr(root, 'creationDateTime'), now);
	const data: StudyData = {
		study: {
			id: studyId,
			name: cleanName(attr(root, 'name'), fileName.replace(/^.*[\\/]/, '').replace(/\.qdpx$/i, '') || 'Imported project'),
			description: textOf(kid(root, 'Description')).replace(/\r\n?/g, '\n').trim(),
			createdAt: created,
			updatedAt: now
		},
		coders,
		attributes: [...varByGuid.values()].map((v) => v.attr),
		cases,
		documents,
		codes,
		segments,
		memos
	};
	if (dropped) warnings.push(`${qdeName}: … and ${dropped} more problems`);
	// Belt and braces: the same validation and repairs a backup goes through; each repair is a warning.
	const check = readBackupReport(toBackup(data), studyId, qdeName);
	if (!check.ok) return check;
	for (const r of check.value.repairs) warnings.push(`${qdeName}: ${r.message}`);
	// A recording whose document the checks dropped is dropped with it.
	const kept = new Set(check.value.data.documents.map((d) => d.id));
	return { ok: true, value: { data: check.value.data, warnings, notes, media: media.filter((m) => kept.has(m.documentId)) } };
}

/**
 * The bytes of a file the project refers to: `internal://x.txt` (or `x.txt`, `relative://x.txt`,
 * a full path) is looked for in `sources/` (any case) and at the root.
 */
export function findFile(files: Map<string, Uint8Array>, path: string): Uint8Array | undefined {
	const p = path.replace(/^(internal|relative|file):\/\/\/?/i, '').replace(/\\/g, '/');
	const lower = p.toLowerCase();
	let decoded = lower;
	try {
		decoded = decodeURIComponent(lower);
	} catch {
		/* keep as written */
	}
	for (const cand of [lower, decoded])
		for (const c of [`sources/${cand}`, cand, `sources/${basename(cand)}`]) {
			const b = files.get(c);
			if (b) return b;
		}
	// Last resort: the same file name anywhere in the zip.
	const base = basename(decoded);
	for (const [k, v] of files) if (basename(k) === base) return v;
	return undefined;
}
