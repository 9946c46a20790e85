/**
 * The `.gloss.json` backup format: one whole study in one file.
 *
 * Current version: 3 (attributes have a scope; documents carry their own attribute values).
 * Documented in docs/backup-format.md. Files of versions 1 and 2 still restore (see `migrateV1`;
 * a version 2 file is a version 3 file whose attributes are all case attributes). Parsing validates everything first and returns every problem with its
 * path (`documents[3].text: missing`); it never throws on bad input.
 */
import { checkIntegrity, type IntegrityOptions, type Repair } from './integrity';
import { normaliseText } from './text';
import { checkTimes } from './timed';
import { checkPages } from './pdf';
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
export const BACKUP_VERSION = 3;
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

/** A backup read from a file: the study (repaired where needed) and each repair made. */
export interface ReadBackup {
	data: StudyData;
	/** Empty when the file was sound. */
	repairs: Repair[];
}

/**
 * Parse and validate backup text. The study gets `newStudyId`; every other id is kept, so codes
 * keep their GUIDs and a coder's copy can be merged back by id.
 *
 * Refused (an error naming the file) only when the text is not a Gloss backup or cannot be read:
 * empty, not JSON, another format or version, a table that is not a list, or transcript text that
 * is not normalised (its offsets would point elsewhere). A record with a missing or mistyped field
 * is left out, and broken references are repaired (`checkIntegrity`); each is one `Repair`.
 */
export function parseBackupReport(text: string, newStudyId: string, fileName = 'backup', opts: IntegrityOptions = {}): Result<ReadBackup> {
	if (text.trim() === '') return { ok: false, errors: [`${fileName}: the file is empty`] };
	let raw: unknown;
	try {
		raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
	} catch (e) {
		return { ok: false, errors: [`${fileName}: not valid JSON (${(e as Error).message.replace(/\s+/g, ' ')})`] };
	}
	return readBackupReport(raw, newStudyId, fileName, opts);
}

/** `parseBackupReport` without the list of repairs. */
export function parseBackup(text: string, newStudyId: string, fileName = 'backup'): Result<StudyData> {
	const r = parseBackupReport(text, newStudyId, fileName);
	return r.ok ? { ok: true, value: r.value.data } : r;
}

/** `readBackupReport` without the list of repairs. */
export function readBackup(raw: unknown, newStudyId: string, fileName = 'backup'): Result<StudyData> {
	const r = readBackupReport(raw, newStudyId, fileName);
	return r.ok ? { ok: true, value: r.value.data } : r;
}

export function readBackupReport(raw: unknown, newStudyId: string, fileName = 'backup', opts: IntegrityOptions = {}): Result<ReadBackup> {
	if (!isObj(raw)) return { ok: false, errors: [`${fileName}: not a Gloss backup (expected a JSON object)`] };
	if (raw.format !== BACKUP_FORMAT)
		return {
			ok: false,
			errors: [`${fileName}: format: expected "${BACKUP_FORMAT}", found ${JSON.stringify(raw.format ?? null)}`]
		};
	if (raw.version === 1) raw = migrateV1(raw);
	else if (raw.version !== 2 && raw.version !== BACKUP_VERSION)
		return {
			ok: false,
			errors: [
				`${fileName}: version: this Gloss reads backup versions 1 to ${BACKUP_VERSION}, found ${JSON.stringify(raw.version ?? null)}`
			]
		};
	const read = readBody(raw as Obj, newStudyId, fileName);
	if (!read.ok) return read;
	const checked = checkIntegrity(read.value.data, opts);
	return { ok: true, value: { data: checked.data, repairs: [...read.value.repairs, ...checked.repairs] } };
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
				for (const [k, v] of Object.entries(c.attributes))
					Object.defineProperty(attrs, idByName.get(k) ?? k, { value: v, enumerable: true, writable: true, configurable: true });
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

/** Read a version 2 or 3 file (version 2 has no attribute scopes and no document values). */
function readBody(raw: Obj, studyId: string, fileName: string): Result<{ data: StudyData; repairs: Repair[] }> {
	const c = new Checker();
	const fatal: string[] = [];
	const repairs: Repair[] = [];
	const now = new Date().toISOString();
	let s: Obj = {};
	if (isObj(raw.study)) s = raw.study;
	else fatal.push('study: missing');
	const study: Study = {
		id: studyId,
		name: c.str(s, 'name', 'study', { nonEmpty: true }),
		description: c.str(s, 'description', 'study', { optional: true }),
		createdAt: c.str(s, 'createdAt', 'study', { optional: true }) || now,
		updatedAt: c.str(s, 'updatedAt', 'study', { optional: true }) || now
	};
	if (c.errors.length && !fatal.length) {
		repairs.push({ table: 'study', id: '', message: `study.name: ${c.errors.map((e) => e.replace(/^study\.name: /, '')).join('; ')}; the study is called "Restored study"` });
		study.name = 'Restored study';
	}
	c.errors = [];

	const tables = ['coders', 'attributes', 'cases', 'documents', 'codes', 'segments', 'memos'] as const;
	for (const t of tables) {
		const v = raw[t];
		if (v !== undefined && !Array.isArray(v)) fatal.push(`${t}: must be a list, found ${typeName(v)}`);
		else if (v === undefined && t !== 'memos') fatal.push(`${t}: missing`);
	}
	if (fatal.length) return { ok: false, errors: fatal.slice(0, 50).map((e) => `${fileName}: ${e}`) };

	/**
	 * Read each record of a table. A record with a missing or mistyped field is left out, with one
	 * repair naming it; references between records are checked afterwards by checkIntegrity.
	 */
	const each = <T extends { id: string }>(key: (typeof tables)[number], read: (o: Obj, path: string) => T): T[] => {
		const rows = (raw[key] as unknown[] | undefined) ?? [];
		const out: T[] = [];
		rows.forEach((o, i) => {
			const path = `${key}[${i}]`;
			if (!isObj(o)) {
				repairs.push({ table: key, id: '', message: `${path}: not a record (must be an object); left out` });
				return;
			}
			c.errors = [];
			const row = read(o, path);
			if (c.errors.length) {
				const id = typeof o.id === 'string' ? o.id : '';
				repairs.push({
					table: key,
					id,
					message: `${path}${id ? ` (id ${JSON.stringify(id)})` : ''}: ${c.errors.map((e) => e.slice(path.length + 1)).join('; ')}; left out`
				});
				c.errors = [];
				return;
			}
			out.push(row);
		});
		return out;
	};
	const idOf = (o: Obj, path: string) => c.str(o, 'id', path, { nonEmpty: true });

	const coders = each<Coder>('coders', (o, p) => ({
		id: idOf(o, p),
		studyId,
		name: c.str(o, 'name', p, { nonEmpty: true }),
		...(o.isConsensus === true ? { isConsensus: true } : {}),
		createdAt: c.str(o, 'createdAt', p, { optional: true }) || now
	}));
	const attributes = each<Attribute>('attributes', (o, p) => {
		const type = c.str(o, 'type', p) as Attribute['type'];
		if (type && !ATTRIBUTE_TYPES.includes(type))
			c.errors.push(`${p}.type: must be one of ${ATTRIBUTE_TYPES.join(', ')}, found ${JSON.stringify(type)}`);
		const a: Attribute = { id: idOf(o, p), studyId, name: c.str(o, 'name', p, { nonEmpty: true }), type, order: c.int(o, 'order', p) };
		if (o.scope !== undefined) {
			if (o.scope !== 'case' && o.scope !== 'document') c.errors.push(`${p}.scope: must be case or document, found ${JSON.stringify(o.scope)}`);
			else a.scope = o.scope;
		}
		return a;
	});
	/** Attribute values of a case or a document. */
	const values = (o: Obj, p: string): Record<string, AttributeValue> => {
		// No prototype: a lookup of an attribute id such as "__proto__" or "constructor" that the
		// row has no value for gives undefined, not a member of Object.prototype.
		const attrs = Object.create(null) as Record<string, AttributeValue>;
		if (o.attributes !== undefined && !isObj(o.attributes)) c.errors.push(`${p}.attributes: must be an object`);
		for (const [k, v] of Object.entries(isObj(o.attributes) ? o.attributes : {})) {
			if (v !== null && typeof v !== 'string' && typeof v !== 'number')
				c.errors.push(`${p}.attributes.${k}: must be text, a number or null`);
			// defineProperty: an attribute id such as "__proto__" stays a plain key
			else Object.defineProperty(attrs, k, { value: v, enumerable: true, writable: true, configurable: true });
		}
		return attrs;
	};
	const cases = each<Case>('cases', (o, p) => {
		const attrs = values(o, p);
		return {
			id: idOf(o, p),
			studyId,
			name: c.str(o, 'name', p, { nonEmpty: true }),
			attributes: attrs,
			createdAt: c.str(o, 'createdAt', p, { optional: true }) || now,
			updatedAt: c.str(o, 'updatedAt', p, { optional: true }) || now
		};
	});
	const documents = each<GlossDocument>('documents', (o, p) => {
		const text = c.str(o, 'text', p);
		if (text && normaliseText(text) !== text) fatal.push(`${p}.text: not normalised (CR line endings or not NFC)`);
		const caseId = o.caseId === null || o.caseId === undefined ? null : c.str(o, 'caseId', p);
		const d: GlossDocument = {
			id: idOf(o, p),
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
		if (o.attributes !== undefined) {
			// a bad value costs the document its values, never its text
			const before = c.errors.length;
			const attrs = values(o, p);
			if (c.errors.length > before) {
				const problems = c.errors.splice(before);
				repairs.push({ table: 'documents', id: d.id, message: `${problems.slice(0, 3).join('; ')}; the document's attribute values were left out, the text kept` });
			} else d.attributes = attrs;
		}
		if (o.times !== undefined) {
			const problems = checkTimes(o.times, text.length, text);
			if (problems.length)
				repairs.push({
					table: 'documents',
					id: d.id,
					message: `${p}.times${problems.slice(0, 3).join(`; ${p}.times`)}; the paragraph times were left out, the text kept`
				});
			else if ((o.times as unknown[]).length) d.times = (o.times as { offset: number; seconds: number }[]).map((t) => ({ offset: t.offset, seconds: t.seconds }));
		}
		if (o.pages !== undefined) {
			const problems = checkPages(o.pages, text.length);
			if (problems.length)
				repairs.push({
					table: 'documents',
					id: d.id,
					message: `${p}.pages${problems.slice(0, 3).join(`; ${p}.pages`)}; the page numbers were left out, the text kept`
				});
			else if ((o.pages as number[]).length) d.pages = [...(o.pages as number[])];
		}
		return d;
	});
	if (fatal.length) return { ok: false, errors: fatal.slice(0, 50).map((e) => `${fileName}: ${e}`) };
	const codes = each<Code>('codes', (o, p) => {
		const colour = c.str(o, 'colour', p);
		if (colour && !/^#[0-9a-fA-F]{6}$/.test(colour)) c.errors.push(`${p}.colour: must be #rrggbb, found ${JSON.stringify(colour)}`);
		const fav = o.favourite;
		if (fav !== undefined && fav !== null && !(Number.isInteger(fav) && (fav as number) >= 1 && (fav as number) <= 9))
			c.errors.push(`${p}.favourite: must be 1 to 9 or null`);
		return {
			id: idOf(o, p),
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
	const segments = each<Segment>('segments', (o, p) => ({
		id: idOf(o, p),
		studyId,
		documentId: c.str(o, 'documentId', p),
		codeId: c.str(o, 'codeId', p),
		coderId: c.str(o, 'coderId', p),
		start: c.int(o, 'start', p),
		end: c.int(o, 'end', p),
		memo: c.str(o, 'memo', p, { optional: true }),
		createdAt: c.str(o, 'createdAt', p, { optional: true }) || now,
		updatedAt: c.str(o, 'updatedAt', p, { optional: true }) || now
	}));
	const memos = each<Memo>('memos', (o, p) => {
		const targetType = c.str(o, 'targetType', p) as Memo['targetType'];
		if (targetType && !['study', 'document', 'code', 'case'].includes(targetType))
			c.errors.push(`${p}.targetType: must be study, document, code or case`);
		const memo: Memo = {
			id: idOf(o, p),
			studyId,
			targetType,
			targetId: o.targetId === null || o.targetId === undefined ? null : c.str(o, 'targetId', p),
			title: c.str(o, 'title', p, { optional: true }),
			text: c.str(o, 'text', p, { optional: true }),
			coderId: o.coderId === null || o.coderId === undefined ? null : c.str(o, 'coderId', p),
			createdAt: c.str(o, 'createdAt', p, { optional: true }) || now,
			updatedAt: c.str(o, 'updatedAt', p, { optional: true }) || now
		};
		// A passage of its document: both offsets or neither, only on a document memo; whether they
		// lie inside the text is checkIntegrity's to say.
		const hasStart = o.start !== undefined && o.start !== null;
		const hasEnd = o.end !== undefined && o.end !== null;
		if (hasStart || hasEnd) {
			if (hasStart !== hasEnd) c.errors.push(`${p}.${hasStart ? 'end' : 'start'}: missing (a memo on a passage has both start and end)`);
			else if (targetType !== 'document') c.errors.push(`${p}.start: only a memo on a document has a passage, this one is on a ${targetType}`);
			else {
				memo.start = c.int(o, 'start', p);
				memo.end = c.int(o, 'end', p);
			}
		}
		return memo;
	});
	return { ok: true, value: { data: { study, coders, attributes, cases, documents, codes, segments, memos }, repairs } };
}
