/**
 * The `.gloss.json` backup format: one whole study in one file.
 *
 * Current version: 2. Documented in docs/formats.md. Files of version 1 still restore
 * (see `migrateV1`). Parsing validates everything first and returns every problem with its
 * path (`documents[3].text: missing`); it never throws on bad input.
 */
import { normaliseText } from './text';
import type {
	Attribute,
	AttributeValue,
	Case,
	Code,
	Coder,
	GlossDocument,
	Memo,
	Result,
	Segment,
	Study,
	StudyData
} from './types';
import { ATTRIBUTE_TYPES } from './types';

export const BACKUP_FORMAT = 'gloss-study';
export const BACKUP_VERSION = 2;
/** Larger files are refused before they are read: a study of a few hundred transcripts is far smaller. */
export const MAX_BACKUP_BYTES = 200 * 1024 * 1024;

export interface BackupFile {
	format: typeof BACKUP_FORMAT;
	version: typeof BACKUP_VERSION;
	exportedAt: string;
	generator: string;
	study: Omit<Study, 'id'> & { id: string };
	coders: Omit<Coder, 'studyId'>[];
	attributes: Omit<Attribute, 'studyId'>[];
	cases: Omit<Case, 'studyId'>[];
	documents: Omit<GlossDocument, 'studyId'>[];
	codes: Omit<Code, 'studyId'>[];
	segments: Omit<Segment, 'studyId'>[];
	memos: Omit<Memo, 'studyId'>[];
}

function strip<T extends { studyId: string }>(rows: T[]): Omit<T, 'studyId'>[] {
	return rows.map(({ studyId: _s, ...rest }) => rest);
}

const byOrderThenId = <T extends { order: number; id: string }>(a: T, b: T) =>
	a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Serialise a study. Rows are sorted so the same study always gives the same file. */
export function toBackup(data: StudyData, exportedAt: string = new Date().toISOString()): BackupFile {
	return {
		format: BACKUP_FORMAT,
		version: BACKUP_VERSION,
		exportedAt,
		generator: 'Gloss',
		study: { ...data.study },
		coders: strip([...data.coders].sort(byId)),
		attributes: strip([...data.attributes].sort(byOrderThenId)),
		cases: strip([...data.cases].sort(byId)),
		documents: strip([...data.documents].sort(byOrderThenId)),
		codes: strip([...data.codes].sort(byId)),
		segments: strip([...data.segments].sort(byId)),
		memos: strip([...data.memos].sort(byId))
	};
}

export function backupToJson(data: StudyData, exportedAt?: string): string {
	return JSON.stringify(toBackup(data, exportedAt), null, 1);
}

// ---------------------------------------------------------------- validation

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
	errors: string[] = [];
	str(o: Obj, key: string, path: string, opts: { optional?: boolean; nonEmpty?: boolean } = {}): string {
		const v = o[key];
		if (v === undefined || v === null) {
			if (!opts.optional) this.errors.push(`${path}.${key}: missing`);
			return '';
		}
		if (typeof v !== 'string') {
			this.errors.push(`${path}.${key}: must be text, found ${typeName(v)}`);
			return '';
		}
		if (opts.nonEmpty && v.trim() === '') this.errors.push(`${path}.${key}: must not be empty`);
		return v;
	}
	int(o: Obj, key: string, path: string, opts: { optional?: boolean } = {}): number {
		const v = o[key];
		if (v === undefined || v === null) {
			if (!opts.optional) this.errors.push(`${path}.${key}: missing`);
			return 0;
		}
		if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
			this.errors.push(`${path}.${key}: must be a whole number ≥ 0, found ${JSON.stringify(v)}`);
			return 0;
		}
		return v;
	}
	arr(o: Obj, key: string, path: string): unknown[] {
		const v = o[key];
		if (v === undefined) {
			this.errors.push(`${path}.${key}: missing`);
			return [];
		}
		if (!Array.isArray(v)) {
			this.errors.push(`${path}.${key}: must be a list, found ${typeName(v)}`);
			return [];
		}
		return v;
	}
}

function typeName(v: unknown): string {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'a list';
	return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v).slice(0, 40)}`;
}

/**
 * Parse and validate backup text. The study gets `newStudyId`; every other id is kept, so codes
 * keep their GUIDs and a coder's copy can be merged back by id.
 */
export function parseBackup(text: string, newStudyId: string, fileName = 'backup'): Result<StudyData> {
	if (text.trim() === '') return { ok: false, errors: [`${fileName}: the file is empty`] };
	let raw: unknown;
	try {
		raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
	} catch (e) {
		return { ok: false, errors: [`${fileName}: not valid JSON (${(e as Error).message})`] };
	}
	return readBackup(raw, newStudyId, fileName);
}

export function readBackup(raw: unknown, newStudyId: string, fileName = 'backup'): Result<StudyData> {
	if (!isObj(raw)) return { ok: false, errors: [`${fileName}: not a Gloss backup (expected a JSON object)`] };
	if (raw.format !== BACKUP_FORMAT)
		return {
			ok: false,
			errors: [`${fileName}: format: expected "${BACKUP_FORMAT}", found ${JSON.stringify(raw.format ?? null)}`]
		};
	if (raw.version === 1) raw = migrateV1(raw);
	else if (raw.version !== BACKUP_VERSION)
		return {
			ok: false,
			errors: [
				`${fileName}: version: this Gloss reads backup versions 1 to ${BACKUP_VERSION}, found ${JSON.stringify(raw.version ?? null)}`
			]
		};
	return readV2(raw as Obj, newStudyId, fileName);
}

/**
 * Version 1 (Gloss 0.0) differed from version 2 in three ways: case attribute values were keyed
 * by attribute name rather than id, a segment's memo was called `note`, and there were no
 * free-standing memos.
 */
export function migrateV1(raw: Obj): Obj {
	const attributes = Array.isArray(raw.attributes) ? (raw.attributes as Obj[]) : [];
	const idByName = new Map<string, string>();
	for (const a of attributes) if (isObj(a) && typeof a.name === 'string' && typeof a.id === 'string') idByName.set(a.name, a.id);
	const cases = Array.isArray(raw.cases)
		? (raw.cases as unknown[]).map((c) => {
				if (!isObj(c) || !isObj(c.attributes)) return c;
				const attrs: Obj = {};
				for (const [k, v] of Object.entries(c.attributes)) attrs[idByName.get(k) ?? k] = v;
				return { ...c, attributes: attrs };
			})
		: raw.cases;
	const segments = Array.isArray(raw.segments)
		? (raw.segments as unknown[]).map((s) => {
				if (!isObj(s)) return s;
				const { note, ...rest } = s;
				return { ...rest, memo: typeof rest.memo === 'string' ? rest.memo : typeof note === 'string' ? note : '' };
			})
		: raw.segments;
	return { ...raw, version: 2, cases, segments, memos: Array.isArray(raw.memos) ? raw.memos : [] };
}

function readV2(raw: Obj, studyId: string, fileName: string): Result<StudyData> {
	const c = new Checker();
	const now = new Date().toISOString();
	const s = isObj(raw.study) ? raw.study : (c.errors.push('study: missing'), {} as Obj);
	const study: Study = {
		id: studyId,
		name: c.str(s, 'name', 'study', { nonEmpty: true }),
		description: c.str(s, 'description', 'study', { optional: true }),
		createdAt: c.str(s, 'createdAt', 'study', { optional: true }) || now,
		updatedAt: c.str(s, 'updatedAt', 'study', { optional: true }) || now
	};

	const seen = new Map<string, Set<string>>();
	const idOf = (o: Obj, path: string, table: string) => {
		const id = c.str(o, 'id', path, { nonEmpty: true });
		const set = seen.get(table) ?? new Set<string>();
		seen.set(table, set);
		if (id && set.has(id)) c.errors.push(`${path}.id: duplicate id ${JSON.stringify(id)}`);
		set.add(id);
		return id;
	};
	const each = <T>(key: string, read: (o: Obj, path: string) => T): T[] =>
		c.arr(raw, key, 'file').flatMap((o, i) => {
			const path = `${key}[${i}]`;
			if (!isObj(o)) {
				c.errors.push(`${path}: must be an object`);
				return [];
			}
			return [read(o, path)];
		});

	const coders = each<Coder>('coders', (o, p) => ({
		id: idOf(o, p, 'coders'),
		studyId,
		name: c.str(o, 'name', p, { nonEmpty: true }),
		...(o.isConsensus === true ? { isConsensus: true } : {}),
		createdAt: c.str(o, 'createdAt', p, { optional: true }) || now
	}));
	const attributes = each<Attribute>('attributes', (o, p) => {
		const type = c.str(o, 'type', p) as Attribute['type'];
		if (type && !ATTRIBUTE_TYPES.includes(type))
			c.errors.push(`${p}.type: must be one of ${ATTRIBUTE_TYPES.join(', ')}, found ${JSON.stringify(type)}`);
		return { id: idOf(o, p, 'attributes'), studyId, name: c.str(o, 'name', p, { nonEmpty: true }), type, order: c.int(o, 'order', p) };
	});
	const attrIds = new Set(attributes.map((a) => a.id));
	const cases = each<Case>('cases', (o, p) => {
		const attrs: Record<string, AttributeValue> = {};
		if (o.attributes !== undefined && !isObj(o.attributes)) c.errors.push(`${p}.attributes: must be an object`);
		for (const [k, v] of Object.entries(isObj(o.attributes) ? o.attributes : {})) {
			if (!attrIds.has(k)) c.errors.push(`${p}.attributes.${k}: no attribute has this id`);
			else if (v !== null && typeof v !== 'string' && typeof v !== 'number')
				c.errors.push(`${p}.attributes.${k}: must be text, a number or null`);
			else attrs[k] = v;
		}
		return {
			id: idOf(o, p, 'cases'),
			studyId,
			name: c.str(o, 'name', p, { nonEmpty: true }),
			attributes: attrs,
			createdAt: c.str(o, 'createdAt', p, { optional: true }) || now,
			updatedAt: c.str(o, 'updatedAt', p, { optional: true }) || now
		};
	});
	const caseIds = new Set(cases.map((x) => x.id));
	const documents = each<GlossDocument>('documents', (o, p) => {
		const text = c.str(o, 'text', p);
		if (text && normaliseText(text) !== text) c.errors.push(`${p}.text: not normalised (CR line endings or not NFC)`);
		const caseId = o.caseId === null || o.caseId === undefined ? null : c.str(o, 'caseId', p);
		if (caseId !== null && !caseIds.has(caseId)) c.errors.push(`${p}.caseId: no case has id ${JSON.stringify(caseId)}`);
		const d: GlossDocument = {
			id: idOf(o, p, 'documents'),
			studyId,
			name: c.str(o, 'name', p, { nonEmpty: true }),
			text,
			caseId,
			order: c.int(o, 'order', p, { optional: true }),
			createdAt: c.str(o, 'createdAt', p, { optional: true }) || now,
			updatedAt: c.str(o, 'updatedAt', p, { optional: true }) || now
		};
		const src = c.str(o, 'sourceName', p, { optional: true });
		if (src) d.sourceName = src;
		return d;
	});
	const codes = each<Code>('codes', (o, p) => {
		const colour = c.str(o, 'colour', p);
		if (colour && !/^#[0-9a-fA-F]{6}$/.test(colour)) c.errors.push(`${p}.colour: must be #rrggbb, found ${JSON.stringify(colour)}`);
		const fav = o.favourite;
		if (fav !== undefined && fav !== null && !(Number.isInteger(fav) && (fav as number) >= 1 && (fav as number) <= 9))
			c.errors.push(`${p}.favourite: must be 1 to 9 or null`);
		return {
			id: idOf(o, p, 'codes'),
			studyId,
			parentId: o.parentId === null || o.parentId === undefined ? null : c.str(o, 'parentId', p),
			name: c.str(o, 'name', p, { nonEmpty: true }),
			definition: c.str(o, 'definition', p, { optional: true }),
			inclusion: c.str(o, 'inclusion', p, { optional: true }),
			exclusion: c.str(o, 'exclusion', p, { optional: true }),
			example: c.str(o, 'example', p, { optional: true }),
			colour,
			order: c.int(o, 'order', p),
			favourite: (fav as number | null | undefined) ?? null,
			createdAt: c.str(o, 'createdAt', p, { optional: true }) || now,
			updatedAt: c.str(o, 'updatedAt', p, { optional: true }) || now
		};
	});
	const codeIds = new Set(codes.map((x) => x.id));
	codes.forEach((code, i) => {
		if (code.parentId !== null && !codeIds.has(code.parentId))
			c.errors.push(`codes[${i}].parentId: no code has id ${JSON.stringify(code.parentId)}`);
	});
	// A parent chain must end at the root.
	const parentOf = new Map(codes.map((x) => [x.id, x.parentId]));
	codes.forEach((code, i) => {
		let p = code.parentId;
		for (let steps = 0; p !== null && steps <= codes.length; steps++) p = parentOf.get(p) ?? null;
		if (p !== null) c.errors.push(`codes[${i}].parentId: the code is its own ancestor`);
	});
	const docLen = new Map(documents.map((d) => [d.id, d.text.length]));
	const coderIds = new Set(coders.map((x) => x.id));
	const segments = each<Segment>('segments', (o, p) => {
		const seg: Segment = {
			id: idOf(o, p, 'segments'),
			studyId,
			documentId: c.str(o, 'documentId', p),
			codeId: c.str(o, 'codeId', p),
			coderId: c.str(o, 'coderId', p),
			start: c.int(o, 'start', p),
			end: c.int(o, 'end', p),
			memo: c.str(o, 'memo', p, { optional: true }),
			createdAt: c.str(o, 'createdAt', p, { optional: true }) || now,
			updatedAt: c.str(o, 'updatedAt', p, { optional: true }) || now
		};
		if (seg.documentId && !docLen.has(seg.documentId)) c.errors.push(`${p}.documentId: no document has id ${JSON.stringify(seg.documentId)}`);
		if (seg.codeId && !codeIds.has(seg.codeId)) c.errors.push(`${p}.codeId: no code has id ${JSON.stringify(seg.codeId)}`);
		if (seg.coderId && !coderIds.has(seg.coderId)) c.errors.push(`${p}.coderId: no coder has id ${JSON.stringify(seg.coderId)}`);
		if (seg.end < seg.start) c.errors.push(`${p}.end: must not be before start`);
		const len = docLen.get(seg.documentId);
		if (len !== undefined && seg.end > len) c.errors.push(`${p}.end: ${seg.end} is past the end of the document (${len})`);
		return seg;
	});
	const memos = each<Memo>('memos', (o, p) => {
		const targetType = c.str(o, 'targetType', p) as Memo['targetType'];
		if (targetType && !['study', 'document', 'code', 'case'].includes(targetType))
			c.errors.push(`${p}.targetType: must be study, document, code or case`);
		return {
			id: idOf(o, p, 'memos'),
			studyId,
			targetType,
			targetId: o.targetId === null || o.targetId === undefined ? null : c.str(o, 'targetId', p),
			title: c.str(o, 'title', p, { optional: true }),
			text: c.str(o, 'text', p, { optional: true }),
			coderId: o.coderId === null || o.coderId === undefined ? null : c.str(o, 'coderId', p),
			createdAt: c.str(o, 'createdAt', p, { optional: true }) || now,
			updatedAt: c.str(o, 'updatedAt', p, { optional: true }) || now
		};
	});

	if (c.errors.length) {
		const shown = c.errors.slice(0, 50).map((e) => `${fileName}: ${e}`);
		if (c.errors.length > 50) shown.push(`${fileName}: … and ${c.errors.length - 50} more problems`);
		return { ok: false, errors: shown };
	}
	return { ok: true, value: { study, coders, attributes, cases, documents, codes, segments, memos } };
}
