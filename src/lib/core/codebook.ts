/**
 * Codebooks: the Gloss codebook file format (import and export), the CSV export, and the pure
 * tree operations the codebook editor uses.
 *
 * File format (`docs/codebook-format.md`):
 *
 *     {"format": "gloss-codebook", "version": 1, "name": "…", "description": "…",
 *      "codes": [{"id": "<GUID, optional>", "name": "…", "definition": "…", "inclusion": "…",
 *                 "exclusion": "…", "example": "…", "colour": "#rrggbb", "children": [ … ]}]}
 *
 * Every function here is pure. Parsing validates everything first and reports every problem with
 * its path (`codes[3].children[1].name: missing`); it never throws on bad input. The editing
 * operations take the study's codes, validate, and return the rows to write (`upserts`) and the
 * ids to remove (`removedIds`), so the db layer can apply them in one transaction.
 */
import { parseCsv, toCsv, type CsvOptions } from './csv';
import { newId, nowIso } from './ids';
import { normaliseText } from './text';
import type { Code, Id, Result } from './types';

export const CODEBOOK_FORMAT = 'gloss-codebook';
export const CODEBOOK_VERSION = 1;
/** A codebook of a thousand codes with long definitions is well under 1 MB. */
export const MAX_CODEBOOK_BYTES = 5 * 1024 * 1024;
/** Deeper trees are refused: nobody codes ten levels down, and it protects the recursion. */
export const MAX_CODE_DEPTH = 12;
export const MAX_NAME_LENGTH = 200;
/** Between the names of a code path: `Motivations > Economic motivations > Production cost reduction`. */
export const PATH_SEPARATOR = ' > ';
/** At most this many problems are listed; the rest are counted. */
const MAX_ERRORS = 50;

/**
 * Colours given to codes that have none, in codebook order: Okabe & Ito's colour-blind-safe
 * palette (without black, which hides text), then Tableau 10. All lower-case `#rrggbb`.
 */
export const PALETTE: readonly string[] = [
	'#e69f00',
	'#56b4e9',
	'#009e73',
	'#f0e442',
	'#0072b2',
	'#d55e00',
	'#cc79a7',
	'#4e79a7',
	'#f28e2b',
	'#e15759',
	'#76b7b2',
	'#59a14f',
	'#edc948',
	'#b07aa1',
	'#ff9da7',
	'#9c755f',
	'#bab0ac'
];

export const paletteColour = (i: number): string => PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLOUR = /^#[0-9a-f]{6}$/i;

/** One code in a codebook file, with its subcodes. */
export interface CodebookEntry {
	/** A GUID; absent in a hand-written codebook, and then one is made on import. */
	id?: Id;
	name: string;
	definition: string;
	inclusion: string;
	exclusion: string;
	example: string;
	/** `#rrggbb`; absent means "give it the next palette colour". */
	colour?: string;
	children: CodebookEntry[];
	/** Where the code was read from when that is not its path in a JSON file: "row 4" of a CSV. */
	source?: string;
}

export interface Codebook {
	name: string;
	description: string;
	codes: CodebookEntry[];
}

/** The text fields of a code that the editor sets. */
export interface CodeFields {
	name: string;
	definition?: string;
	inclusion?: string;
	exclusion?: string;
	example?: string;
	colour?: string;
}

/** What an editing operation changes: rows to put (new or updated) and ids to delete. */
export interface CodeEdit {
	upserts: Code[];
	removedIds: Id[];
}

// ------------------------------------------------------------------------ parsing

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'a list';
	if (typeof v === 'object') return 'an object';
	return `${typeof v} ${JSON.stringify(v).slice(0, 40)}`;
}

/** The message for a file that is too large to read, or null. Call it before reading a file. */
export function codebookSizeError(bytes: number, fileName: string): string | null {
	if (bytes <= MAX_CODEBOOK_BYTES) return null;
	const mb = (bytes / 1024 / 1024).toFixed(1);
	return `${fileName}: the file is too large (${mb} MB); a codebook file may be at most ${MAX_CODEBOOK_BYTES / 1024 / 1024} MB`;
}

/** Normalised key for comparing sibling names: trimmed, NFC, case-insensitive. */
// toLowerCase() is the root locale's mapping (what toLocaleLowerCase('und') gives), a dozen times faster.
export const nameKey = (name: string): string => name.trim().normalize('NFC').toLowerCase();

/**
 * Parse and validate a codebook file's text. Returns every problem, each prefixed with the file
 * name and the path of the offending field.
 */
export function parseCodebook(text: string, fileName = 'codebook'): Result<Codebook> {
	const tooLarge = codebookSizeError(text.length, fileName);
	if (tooLarge) return { ok: false, errors: [tooLarge] };
	const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	if (body.trim() === '') return { ok: false, errors: [`${fileName}: the file is empty`] };
	let raw: unknown;
	try {
		raw = JSON.parse(body);
	} catch (e) {
		return { ok: false, errors: [`${fileName}: not valid JSON (${(e as Error).message})`] };
	}
	return readCodebook(raw, fileName);
}

/** Validate an already parsed JSON value as a codebook. */
export function readCodebook(raw: unknown, fileName = 'codebook'): Result<Codebook> {
	const fail = (msg: string): Result<Codebook> => ({ ok: false, errors: [`${fileName}: ${msg}`] });
	if (!isObj(raw))
		return fail(`not a Gloss codebook (expected a JSON object with "format": "${CODEBOOK_FORMAT}", found ${describe(raw)})`);
	if (raw.format !== CODEBOOK_FORMAT) {
		const hint = raw.format === 'gloss-study' ? ' (this is a study backup: restore it as a study instead)' : '';
		return fail(`format: expected "${CODEBOOK_FORMAT}", found ${JSON.stringify(raw.format ?? null)}${hint}`);
	}
	if (raw.version !== CODEBOOK_VERSION) {
		const newer = typeof raw.version === 'number' && raw.version > CODEBOOK_VERSION ? ' (written by a newer Gloss)' : '';
		return fail(`version: this Gloss reads codebook version ${CODEBOOK_VERSION}, found ${JSON.stringify(raw.version ?? null)}${newer}`);
	}

	const errors: string[] = [];
	const str = (o: Obj, key: string, path: string, required: boolean): string => {
		const v = o[key];
		if (v === undefined || v === null) {
			if (required) errors.push(`${path}.${key}: missing`);
			return '';
		}
		if (typeof v !== 'string') {
			errors.push(`${path}.${key}: must be text, found ${describe(v)}`);
			return '';
		}
		return normaliseText(v);
	};

	const name = str(raw, 'name', 'codebook', true).trim();
	if (raw.name !== undefined && typeof raw.name === 'string' && name === '') errors.push('codebook.name: must not be empty');
	const description = str(raw, 'description', 'codebook', false);

	const idPaths = new Map<string, string>();
	const readList = (list: unknown, path: string, depth: number): CodebookEntry[] => {
		if (!Array.isArray(list)) {
			errors.push(`${path}: must be a list, found ${describe(list)}`);
			return [];
		}
		if (list.length > 0 && depth > MAX_CODE_DEPTH) {
			errors.push(`${path}: codes are nested more than ${MAX_CODE_DEPTH} levels deep`);
			return [];
		}
		const namePaths = new Map<string, string>();
		return list.flatMap((o, i): CodebookEntry[] => {
			const p = `${path}[${i}]`;
			if (!isObj(o)) {
				errors.push(`${p}: must be an object, found ${describe(o)}`);
				return [];
			}
			const entry: CodebookEntry = {
				name: str(o, 'name', p, true).trim(),
				definition: str(o, 'definition', p, false),
				inclusion: str(o, 'inclusion', p, false),
				exclusion: str(o, 'exclusion', p, false),
				example: str(o, 'example', p, false),
				children: []
			};
			if (typeof o.name === 'string') {
				const problem = nameProblem(entry.name);
				if (problem) errors.push(`${p}.name: ${problem}`);
				else {
					const key = nameKey(entry.name);
					const other = namePaths.get(key);
					if (other) errors.push(`${p}.name: "${entry.name}" is used twice among sibling codes (also at ${other})`);
					else namePaths.set(key, p);
				}
			}
			if (o.id !== undefined && o.id !== null) {
				if (typeof o.id !== 'string' || !GUID.test(o.id))
					errors.push(`${p}.id: must be a GUID such as "3f2b8c1e-5d4a-4e7f-9a10-2b3c4d5e6f70", found ${describe(o.id)}`);
				else {
					const id = o.id.toLowerCase();
					const other = idPaths.get(id);
					if (other) errors.push(`${p}.id: duplicate id "${id}" (also at ${other})`);
					else idPaths.set(id, p);
					entry.id = id;
				}
			}
			if (o.colour !== undefined && o.colour !== null) {
				if (typeof o.colour !== 'string' || !COLOUR.test(o.colour))
					errors.push(`${p}.colour: must be a colour written #rrggbb, found ${describe(o.colour)}`);
				else entry.colour = o.colour.toLowerCase();
			}
			if (o.children !== undefined && o.children !== null) entry.children = readList(o.children, `${p}.children`, depth + 1);
			return [entry];
		});
	};
	const codes = raw.codes === undefined ? (errors.push('codes: missing'), []) : readList(raw.codes, 'codes', 1);

	if (errors.length) {
		const shown = errors.slice(0, MAX_ERRORS).map((e) => `${fileName}: ${e}`);
		if (errors.length > MAX_ERRORS) shown.push(`${fileName}: … and ${errors.length - MAX_ERRORS} more problems`);
		return { ok: false, errors: shown };
	}
	return { ok: true, value: { name, description, codes } };
}

/** What is wrong with a (trimmed) code name, or null. */
function nameProblem(name: string): string | null {
	if (name === '') return 'must not be empty';
	if (name.length > MAX_NAME_LENGTH) return `is too long (${name.length} characters; at most ${MAX_NAME_LENGTH})`;
	if (/[\n\r\t]/.test(name)) return 'must be one line';
	return null;
}

// ------------------------------------------------------------------------ CSV import

/**
 * Read a codebook from CSV: Gloss's own export (`codebookCsv`) or a hand-made sheet. Columns are
 * found by their header, in any order and case; only `name` or `path` is required. A code's
 * parent is, in this order: the row whose `code_id` is its `parent_id`; the row whose path is its
 * path without the last name (`A > B` for `A > B > C`); the last row above it one `level` up; or
 * none (a top-level code). A parent must come on an earlier row. `code_id`s that are GUIDs are
 * kept; other ids ("1", "2") only link rows and the codes get new GUIDs. Every problem is listed
 * with its row number (the header is row 1).
 */
export function parseCodebookCsv(text: string, fileName = 'codebook.csv', codebookName?: string): Result<Codebook> {
	const tooLarge = codebookSizeError(text.length, fileName);
	if (tooLarge) return { ok: false, errors: [tooLarge] };
	const parsed = parseCsv(text, fileName);
	if (!parsed.ok) return parsed;
	const { header, rows } = parsed.value;
	const col = new Map<string, number>();
	header.forEach((h, i) => {
		const k = h.trim().toLowerCase().replace(/[\s-]+/g, '_');
		const key = k === 'id' ? 'code_id' : k === 'color' ? 'colour' : k === 'parent' ? 'parent_id' : k;
		if (!col.has(key)) col.set(key, i);
	});
	if (!col.has('name') && !col.has('path'))
		return {
			ok: false,
			errors: [`${fileName}: row 1: no "name" or "path" column; the header must name the columns (code_id, path, name, parent_id, level, definition, inclusion, exclusion, example, colour)`]
		};
	if (rows.length === 0) return { ok: false, errors: [`${fileName}: the file has a header but no codes`] };

	// A spreadsheet-safe cell ("'=x", written by Gloss's exports) reads back as what it was.
	const cell = (r: string[], name: string): string => {
		const i = col.get(name);
		if (i === undefined) return '';
		const v = r[i] ?? '';
		return /^''*[=+\-@\t\r]/.test(v) ? v.slice(1) : v;
	};

	const errors: string[] = [];
	type Row = { entry: CodebookEntry; rowNo: number; depth: number; pathKey: string; parent: Row | null; names: Map<string, number> };
	const all: Row[] = [];
	const roots: CodebookEntry[] = [];
	const rootNames = new Map<string, number>();
	const byFileId = new Map<string, Row>();
	const byPath = new Map<string, Row>();

	// Where each code_id first stands, to tell "comes later" from "is nowhere" in one look.
	const idRow = new Map<string, number>();
	rows.forEach((r, ri) => {
		const id = cell(r, 'code_id').trim().toLowerCase();
		if (id && !idRow.has(id)) idRow.set(id, ri);
	});

	rows.forEach((r, ri) => {
		const rowNo = ri + 2;
		const bad = (field: string, msg: string) => errors.push(`${fileName}: row ${rowNo}: ${field}: ${msg}`);
		const path = cell(r, 'path').trim();
		// A name may itself hold " > ": when the path ends with the row's name, only what comes
		// before the name is split into the parent's path.
		const nameCell = normaliseText(cell(r, 'name')).trim();
		const pathN = normaliseText(path);
		const pathNames = !path
			? []
			: nameCell && pathN === nameCell
				? [nameCell]
				: nameCell && pathN.endsWith(PATH_SEPARATOR + nameCell)
					? [...pathN.slice(0, -(PATH_SEPARATOR.length + nameCell.length)).split(PATH_SEPARATOR).map((s) => s.trim()), nameCell]
					: path.split(PATH_SEPARATOR).map((s) => s.trim());
		const name = nameCell || normaliseText(pathNames[pathNames.length - 1] ?? '').trim();
		const problem = nameProblem(name);
		if (problem) {
			bad(col.has('name') ? 'name' : 'path', name === '' ? 'missing' : problem);
			return;
		}
		const entry: CodebookEntry = {
			name,
			definition: normaliseText(cell(r, 'definition')),
			inclusion: normaliseText(cell(r, 'inclusion')),
			exclusion: normaliseText(cell(r, 'exclusion')),
			example: normaliseText(cell(r, 'example')),
			children: [],
			source: `row ${rowNo}`
		};
		const colour = cell(r, 'colour').trim();
		if (colour) {
			if (!COLOUR.test(colour)) bad('colour', `must be a colour written #rrggbb, found "${colour.slice(0, 40)}"`);
			else entry.colour = colour.toLowerCase();
		}
		const fileId = cell(r, 'code_id').trim();
		if (fileId) {
			const other = byFileId.get(fileId.toLowerCase());
			if (other) return bad('code_id', `"${fileId}" is used twice (also on row ${other.rowNo})`);
			if (GUID.test(fileId)) entry.id = fileId.toLowerCase();
		}

		// The parent.
		let parent: Row | null = null;
		const parentId = cell(r, 'parent_id').trim();
		const levelText = cell(r, 'level').trim();
		if (parentId) {
			parent = byFileId.get(parentId.toLowerCase()) ?? null;
			if (!parent) {
				const later = (idRow.get(parentId.toLowerCase()) ?? -1) > ri;
				return bad('parent_id', later ? `the parent "${parentId}" must come on an earlier row` : `no row has the code_id "${parentId}"`);
			}
		} else if (pathNames.length > 1) {
			const parentPath = pathNames.slice(0, -1).map(nameKey).join('\u0000');
			parent = byPath.get(parentPath) ?? null;
			if (!parent)
				return bad('path', `no earlier row is the code "${pathNames.slice(0, -1).join(PATH_SEPARATOR)}"`);
		} else if (levelText) {
			const level = Number(levelText);
			if (!Number.isInteger(level) || level < 1) return bad('level', `must be a whole number from 1, found "${levelText}"`);
			if (level > 1) {
				const prev = all[all.length - 1];
				if (!prev || level > prev.depth + 2)
					return bad('level', `${level} comes after ${prev ? `a level ${prev.depth + 1} code` : 'no code'}; a code can be at most one level below the row above it`);
				parent = prev;
				while (parent && parent.depth + 1 >= level) parent = parent.parent;
			}
		}
		const depth = parent ? parent.depth + 1 : 0;
		if (depth >= MAX_CODE_DEPTH) return bad('name', `codes are nested more than ${MAX_CODE_DEPTH} levels deep`);
		if (levelText && (parentId || pathNames.length > 1) && Number(levelText) !== depth + 1)
			return bad('level', `is ${levelText}, but the code's parent puts it at level ${depth + 1}`);

		const siblings = parent ? parent.names : rootNames;
		const other = siblings.get(nameKey(name));
		if (other !== undefined) return bad('name', `"${name}" is used twice among sibling codes (also on row ${other})`);
		siblings.set(nameKey(name), rowNo);

		const row: Row = {
			entry,
			rowNo,
			depth,
			pathKey: [...(parent ? [parent.pathKey] : []), nameKey(name)].join('\u0000'),
			parent,
			names: new Map()
		};
		all.push(row);
		if (fileId) byFileId.set(fileId.toLowerCase(), row);
		if (!byPath.has(row.pathKey)) byPath.set(row.pathKey, row);
		(parent ? parent.entry.children : roots).push(entry);
	});

	if (errors.length) {
		const shown = errors.slice(0, MAX_ERRORS);
		if (errors.length > MAX_ERRORS) shown.push(`${fileName}: … and ${errors.length - MAX_ERRORS} more problems`);
		return { ok: false, errors: shown };
	}
	const name = codebookName ?? fileName.replace(/\.[^.]*$/, '');
	return { ok: true, value: { name: name || 'Codebook', description: '', codes: roots } };
}

/** A codebook file by its name: `.csv` is read as CSV, anything else as the JSON format. */
export function parseCodebookFile(text: string, fileName: string): Result<Codebook> {
	return /\.csv$/i.test(fileName) ? parseCodebookCsv(text, fileName) : parseCodebook(text, fileName);
}

// ------------------------------------------------------------------------ conversion

export interface MakeOptions {
	/** The creation time written on new rows. */
	now?: string;
	/** Makes the GUID of a code that has none (tests pass a deterministic one). */
	makeId?: () => Id;
}

/**
 * Turn a codebook tree into flat `Code` rows for a study: `parentId` and `order` from the tree,
 * a fresh GUID where a code has none, and a palette colour (in codebook order) where it has no
 * colour. With `existingCodes`, the codebook's top-level codes go after the study's own, colours
 * continue the palette, and a clash (same GUID, or a top-level name already used) is an error.
 */
export function codebookToCodes(
	tree: readonly CodebookEntry[],
	studyId: Id,
	existingCodes: readonly Code[] = [],
	opts: MakeOptions = {}
): Result<Code[]> {
	const now = opts.now ?? nowIso();
	const makeId = opts.makeId ?? newId;
	const errors: string[] = [];
	const existingById = new Map(existingCodes.map((c) => [c.id.toLowerCase(), c]));
	const existingRoots = existingCodes.filter((c) => c.parentId === null);
	const rootNames = new Map(existingRoots.map((c) => [nameKey(c.name), c]));
	const firstRootOrder = existingRoots.reduce((m, c) => Math.max(m, c.order + 1), 0);
	const out: Code[] = [];
	const seen = new Set<string>();

	const visit = (list: readonly CodebookEntry[], parentId: Id | null, path: string) => {
		list.forEach((e, i) => {
			const p = `${path}[${i}]`;
			const at = (field: string) => (e.source ? `${e.source}: ${field === 'id' ? 'code_id' : field}` : `${p}.${field}`);
			let id = e.id?.toLowerCase();
			if (id !== undefined) {
				const clash = existingById.get(id);
				if (clash) errors.push(`${at('id')}: the study already has a code with this id ("${clash.name}")`);
				if (seen.has(id)) errors.push(`${at('id')}: duplicate id "${id}"`);
			} else {
				id = makeId();
			}
			seen.add(id);
			if (parentId === null) {
				const clash = rootNames.get(nameKey(e.name));
				if (clash) errors.push(`${at('name')}: the study already has a top-level code named "${clash.name}"`);
			}
			out.push({
				id,
				studyId,
				parentId,
				name: e.name.trim(),
				definition: e.definition ?? '',
				inclusion: e.inclusion ?? '',
				exclusion: e.exclusion ?? '',
				example: e.example ?? '',
				colour: e.colour?.toLowerCase() ?? paletteColour(existingCodes.length + out.length),
				order: parentId === null ? firstRootOrder + i : i,
				favourite: null,
				createdAt: now,
				updatedAt: now
			});
			visit(e.children ?? [], id, `${p}.children`);
		});
	};
	visit(tree, null, 'codes');
	if (errors.length) return { ok: false, errors };
	const problems = validateCodes([...existingCodes, ...out]);
	return problems.length ? { ok: false, errors: problems } : { ok: true, value: out };
}

/** The study's codes as a codebook tree, in display order, with GUIDs and colours. */
export function codesToCodebook(codes: readonly Code[], name: string, description = ''): Codebook {
	const toEntry = (n: CodeNode): CodebookEntry => ({
		id: n.code.id,
		name: n.code.name,
		definition: n.code.definition,
		inclusion: n.code.inclusion,
		exclusion: n.code.exclusion,
		example: n.code.example,
		colour: n.code.colour,
		children: n.children.map(toEntry)
	});
	return { name, description, codes: buildTree(codes).map(toEntry) };
}

/** The study's codes as a Gloss codebook file (JSON text, two-space indent, final newline). */
export function codesToCodebookJson(codes: readonly Code[], name: string, description = ''): string {
	const book = codesToCodebook(codes, name, description);
	return JSON.stringify({ format: CODEBOOK_FORMAT, version: CODEBOOK_VERSION, ...book }, null, 2) + '\n';
}

export const CODEBOOK_CSV_COLUMNS = [
	'code_id',
	'path',
	'name',
	'parent_id',
	'level',
	'definition',
	'inclusion',
	'exclusion',
	'example',
	'colour'
] as const;

/** One row per code, in display order; `level` is 1 for a top-level code; `path` joins names with ` > `. */
export function codebookCsv(codes: readonly Code[], opts: CsvOptions = {}): string {
	const rows = walk(buildTree(codes)).map(({ code, depth, path }) => [
		code.id,
		path.join(PATH_SEPARATOR),
		code.name,
		code.parentId ?? '',
		depth + 1,
		code.definition,
		code.inclusion,
		code.exclusion,
		code.example,
		code.colour
	]);
	return toCsv([...CODEBOOK_CSV_COLUMNS], rows, opts);
}

// ------------------------------------------------------------------------ tree reading

export interface CodeNode {
	code: Code;
	/** 0 for a top-level code. */
	depth: number;
	children: CodeNode[];
}

/** Sibling order: `order`, then name, then id, so the result never depends on input order. */
export const compareSiblings = (a: Code, b: Code): number =>
	a.order - b.order || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The codes as a tree in display order. Never loses a code: one whose parent is missing, or
 * that sits in a parent cycle (only possible in damaged data), is shown at the top level.
 */
export function buildTree(codes: readonly Code[]): CodeNode[] {
	const ids = new Set(codes.map((c) => c.id));
	const kids = new Map<Id | null, Code[]>();
	for (const c of codes) {
		const p = c.parentId !== null && ids.has(c.parentId) && c.parentId !== c.id ? c.parentId : null;
		const list = kids.get(p) ?? [];
		list.push(c);
		kids.set(p, list);
	}
	for (const list of kids.values()) list.sort(compareSiblings);
	const placed = new Set<Id>();
	const make = (c: Code, depth: number): CodeNode => {
		placed.add(c.id);
		const children = (kids.get(c.id) ?? []).filter((k) => !placed.has(k.id)).map((k) => make(k, depth + 1));
		return { code: c, depth, children };
	};
	const roots = (kids.get(null) ?? []).map((c) => make(c, 0));
	// Codes in a cycle are reachable from no root: break the cycle at the first of them.
	for (const c of [...codes].sort(compareSiblings)) if (!placed.has(c.id)) roots.push(make(c, 0));
	return roots;
}

/** Depth-first over a tree, with each code's depth and path of names. */
export function walk(tree: readonly CodeNode[]): { code: Code; depth: number; path: string[] }[] {
	const out: { code: Code; depth: number; path: string[] }[] = [];
	const go = (nodes: readonly CodeNode[], path: string[]) => {
		for (const n of nodes) {
			const p = [...path, n.code.name];
			out.push({ code: n.code, depth: n.depth, path: p });
			go(n.children, p);
		}
	};
	go(tree, []);
	return out;
}

/** The codes in display order (depth-first, siblings by `order`). */
export function flatten(codes: readonly Code[]): Code[] {
	return walk(buildTree(codes)).map((w) => w.code);
}

/** Names from the top-level code down to `id`; empty when there is no such code. */
export function codePath(codes: readonly Code[], id: Id): string[] {
	const byId = new Map(codes.map((c) => [c.id, c]));
	const names: string[] = [];
	const seen = new Set<Id>();
	let cur = byId.get(id);
	while (cur && !seen.has(cur.id)) {
		seen.add(cur.id);
		names.unshift(cur.name);
		cur = cur.parentId === null ? undefined : byId.get(cur.parentId);
	}
	return names;
}

/** `A > B > C`. */
export const codePathText = (codes: readonly Code[], id: Id): string => codePath(codes, id).join(PATH_SEPARATOR);

/** The ids of every code below `id` (not `id` itself), depth-first in display order. */
export function descendants(codes: readonly Code[], id: Id): Id[] {
	const kids = childrenMap(codes);
	const out: Id[] = [];
	const seen = new Set<Id>([id]);
	const go = (p: Id) => {
		for (const c of kids.get(p) ?? []) {
			if (seen.has(c.id)) continue;
			seen.add(c.id);
			out.push(c.id);
			go(c.id);
		}
	};
	go(id);
	return out;
}

function childrenMap(codes: readonly Code[]): Map<Id | null, Code[]> {
	const m = new Map<Id | null, Code[]>();
	for (const c of codes) {
		const list = m.get(c.parentId) ?? [];
		list.push(c);
		m.set(c.parentId, list);
	}
	for (const list of m.values()) list.sort(compareSiblings);
	return m;
}

/**
 * Every structural problem in a study's codes: duplicate ids, missing parents, parent cycles,
 * empty or duplicate sibling names, bad colours. Empty when the codes are sound.
 */
export function validateCodes(codes: readonly Code[]): string[] {
	const errors: string[] = [];
	const byId = new Map<Id, Code>();
	for (const c of codes) {
		if (byId.has(c.id)) errors.push(`code "${c.name}": duplicate id "${c.id}"`);
		byId.set(c.id, c);
	}
	for (const c of codes) {
		const problem = nameProblem(c.name.trim());
		if (problem) errors.push(`code ${JSON.stringify(c.name)} (${c.id}): name ${problem}`);
		if (!COLOUR.test(c.colour)) errors.push(`code "${c.name}": colour must be #rrggbb, found ${JSON.stringify(c.colour)}`);
		if (c.parentId !== null && !byId.has(c.parentId)) errors.push(`code "${c.name}": its parent ${c.parentId} does not exist`);
		let p = c.parentId;
		for (let steps = 0; p !== null && steps <= codes.length; steps++) {
			if (p === c.id) {
				errors.push(`code "${c.name}": it is its own ancestor`);
				break;
			}
			p = byId.get(p)?.parentId ?? null;
		}
	}
	for (const [parentId, list] of childrenMap(codes)) {
		const names = new Map<string, Code>();
		for (const c of list) {
			const key = nameKey(c.name);
			const other = names.get(key);
			if (other)
				errors.push(
					other.name === c.name
						? `${where(byId, parentId)}: two codes are named "${c.name}"`
						: `${where(byId, parentId)}: "${other.name}" and "${c.name}" are the same name`
				);
			else names.set(key, c);
		}
	}
	return errors;
}

const where = (byId: Map<Id, Code>, parentId: Id | null): string =>
	parentId === null ? 'at the top level' : `under "${byId.get(parentId)?.name ?? parentId}"`;

// ------------------------------------------------------------------------ editing

type R<T> = Result<T>;
const bad = <T>(msg: string): R<T> => ({ ok: false, errors: [msg] });

/** Problems that stop any edit: the codes must be sound before they are changed. */
function precheck(codes: readonly Code[]): string[] {
	const problems = validateCodes(codes);
	return problems.length ? ['The codebook has problems to fix first:', ...problems] : [];
}

/** The error for using `name` under `parentId`, or null. `exceptId` is the code being renamed or moved. */
export function siblingNameError(codes: readonly Code[], parentId: Id | null, name: string, exceptId?: Id): string | null {
	const trimmed = name.trim();
	const problem = nameProblem(trimmed);
	if (problem) return `The code name ${problem}.`;
	const key = nameKey(trimmed);
	const clash = codes.find((c) => c.parentId === parentId && c.id !== exceptId && nameKey(c.name) === key);
	if (!clash) return null;
	const byId = new Map(codes.map((c) => [c.id, c]));
	return `A code named "${clash.name}" already exists ${where(byId, parentId)}. Sibling codes need different names.`;
}

function checkFields(fields: Partial<CodeFields>): string | null {
	for (const k of ['definition', 'inclusion', 'exclusion', 'example'] as const) {
		const v = fields[k];
		if (v !== undefined && typeof v !== 'string') return `The ${k} must be text.`;
	}
	if (fields.colour !== undefined && !COLOUR.test(fields.colour)) return `The colour must be written #rrggbb, found "${fields.colour}".`;
	return null;
}

export interface NewCodeOptions {
	studyId: Id;
	id?: Id;
	now?: string;
}

function newCode(codes: readonly Code[], parentId: Id | null, order: number, fields: CodeFields, opts: NewCodeOptions): Code {
	const now = opts.now ?? nowIso();
	return {
		id: opts.id ?? newId(),
		studyId: opts.studyId,
		parentId,
		name: fields.name.trim(),
		definition: fields.definition ?? '',
		inclusion: fields.inclusion ?? '',
		exclusion: fields.exclusion ?? '',
		example: fields.example ?? '',
		colour: fields.colour?.toLowerCase() ?? paletteColour(codes.length),
		order,
		favourite: null,
		createdAt: now,
		updatedAt: now
	};
}

/**
 * Renumber the siblings under `parentId` as 0..n-1 in the given order; return those that
 * changed (with their new parent and order).
 */
function renumber(siblings: readonly Code[], parentId: Id | null, now: string): Code[] {
	const out: Code[] = [];
	siblings.forEach((c, i) => {
		if (c.order !== i || c.parentId !== parentId) out.push({ ...c, parentId, order: i, updatedAt: now });
	});
	return out;
}

const siblingsOf = (codes: readonly Code[], parentId: Id | null): Code[] =>
	codes.filter((c) => c.parentId === parentId).sort(compareSiblings);

/** Add a code as the last child of `parentId` (null: a new top-level code). */
export function addChild(
	codes: readonly Code[],
	parentId: Id | null,
	fields: CodeFields,
	opts: NewCodeOptions
): R<CodeEdit & { code: Code }> {
	const pre = precheck(codes);
	if (pre.length) return { ok: false, errors: pre };
	if (parentId !== null && !codes.some((c) => c.id === parentId)) return bad('The parent code no longer exists.');
	if (opts.id !== undefined && codes.some((c) => c.id === opts.id)) return bad(`A code with id ${opts.id} already exists.`);
	const e = checkFields(fields) ?? siblingNameError(codes, parentId, fields.name);
	if (e) return bad(e);
	const sibs = siblingsOf(codes, parentId);
	const order = sibs.reduce((m, c) => Math.max(m, c.order + 1), 0);
	const code = newCode(codes, parentId, order, fields, opts);
	return { ok: true, value: { code, upserts: [code], removedIds: [] } };
}

/** Add a code right after `siblingId`, under the same parent; later siblings move down one place. */
export function addSibling(
	codes: readonly Code[],
	siblingId: Id,
	fields: CodeFields,
	opts: NewCodeOptions
): R<CodeEdit & { code: Code }> {
	const pre = precheck(codes);
	if (pre.length) return { ok: false, errors: pre };
	const sibling = codes.find((c) => c.id === siblingId);
	if (!sibling) return bad('The code to add a sibling to no longer exists.');
	if (opts.id !== undefined && codes.some((c) => c.id === opts.id)) return bad(`A code with id ${opts.id} already exists.`);
	const e = checkFields(fields) ?? siblingNameError(codes, sibling.parentId, fields.name);
	if (e) return bad(e);
	const now = opts.now ?? nowIso();
	const sibs = siblingsOf(codes, sibling.parentId);
	const at = sibs.findIndex((c) => c.id === siblingId) + 1;
	const code = newCode(codes, sibling.parentId, at, fields, { ...opts, now });
	const reordered = [...sibs.slice(0, at), code, ...sibs.slice(at)];
	const changed = renumber(reordered, sibling.parentId, now).filter((c) => c.id !== code.id);
	return { ok: true, value: { code, upserts: [code, ...changed], removedIds: [] } };
}

/** Rename a code or change its definition fields or colour. */
export function updateCode(codes: readonly Code[], id: Id, patch: Partial<CodeFields>, now = nowIso()): R<CodeEdit & { code: Code }> {
	const pre = precheck(codes);
	if (pre.length) return { ok: false, errors: pre };
	const code = codes.find((c) => c.id === id);
	if (!code) return bad('The code no longer exists.');
	const e = checkFields(patch) ?? (patch.name !== undefined ? siblingNameError(codes, code.parentId, patch.name, id) : null);
	if (e) return bad(e);
	const updated: Code = {
		...code,
		...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
		...(patch.definition !== undefined ? { definition: patch.definition } : {}),
		...(patch.inclusion !== undefined ? { inclusion: patch.inclusion } : {}),
		...(patch.exclusion !== undefined ? { exclusion: patch.exclusion } : {}),
		...(patch.example !== undefined ? { example: patch.example } : {}),
		...(patch.colour !== undefined ? { colour: patch.colour.toLowerCase() } : {}),
		updatedAt: now
	};
	return { ok: true, value: { code: updated, upserts: [updated], removedIds: [] } };
}

/**
 * Move a code (with its subcodes) under `newParentId` (null: top level) at position `index`
 * among its new siblings (clamped; counted without the code itself). Refuses to move a code
 * under itself or one of its own subcodes, and a name already used among the new siblings.
 * Sibling orders are renumbered 0..n-1 in both the old and the new parent.
 */
export function moveCode(codes: readonly Code[], id: Id, newParentId: Id | null, index: number, now = nowIso()): R<CodeEdit> {
	const pre = precheck(codes);
	if (pre.length) return { ok: false, errors: pre };
	const code = codes.find((c) => c.id === id);
	if (!code) return bad('The code to move no longer exists.');
	if (newParentId !== null) {
		if (!codes.some((c) => c.id === newParentId)) return bad('The code to move it under no longer exists.');
		if (newParentId === id) return bad(`"${code.name}" cannot be moved under itself.`);
		if (descendants(codes, id).includes(newParentId)) return bad(`"${code.name}" cannot be moved under one of its own subcodes.`);
	}
	if (newParentId !== code.parentId) {
		const e = siblingNameError(codes, newParentId, code.name, id);
		if (e) return bad(e);
	}
	const target = siblingsOf(codes, newParentId).filter((c) => c.id !== id);
	const at = Math.max(0, Math.min(Number.isFinite(index) ? Math.trunc(index) : target.length, target.length));
	target.splice(at, 0, code);
	const changed = renumber(target, newParentId, now);
	if (newParentId !== code.parentId) changed.push(...renumber(siblingsOf(codes, code.parentId).filter((c) => c.id !== id), code.parentId, now));
	return { ok: true, value: { upserts: changed, removedIds: [] } };
}

export type MoveDirection = 'up' | 'down' | 'indent' | 'outdent';

/**
 * Keyboard moves: up/down one place among siblings; indent makes the code the last child of the
 * sibling above it; outdent puts it right after its parent. At an edge, an error says why not.
 */
export function moveCodeBy(codes: readonly Code[], id: Id, direction: MoveDirection, now = nowIso()): R<CodeEdit> {
	const code = codes.find((c) => c.id === id);
	if (!code) return bad('The code to move no longer exists.');
	const sibs = siblingsOf(codes, code.parentId);
	const i = sibs.findIndex((c) => c.id === id);
	switch (direction) {
		case 'up':
			if (i === 0) return bad(`"${code.name}" is already first.`);
			return moveCode(codes, id, code.parentId, i - 1, now);
		case 'down':
			if (i === sibs.length - 1) return bad(`"${code.name}" is already last.`);
			return moveCode(codes, id, code.parentId, i + 1, now);
		case 'indent': {
			if (i === 0) return bad(`"${code.name}" has no code above it to go under.`);
			const above = sibs[i - 1];
			return moveCode(codes, id, above.id, Number.MAX_SAFE_INTEGER, now);
		}
		case 'outdent': {
			if (code.parentId === null) return bad(`"${code.name}" is already at the top level.`);
			const parent = codes.find((c) => c.id === code.parentId)!;
			const at = siblingsOf(codes, parent.parentId).findIndex((c) => c.id === parent.id) + 1;
			return moveCode(codes, id, parent.parentId, at, now);
		}
	}
}

/** The fields of a segment that merging looks at. */
export type SegmentRef = { id: Id; codeId: Id; documentId: Id; coderId: Id; start: number; end: number };

/**
 * Merge `sourceId` into `targetId`: the source's segments are recoded to the target, the
 * source's subcodes move under the target (after its own), and the source is removed. A recoded
 * segment that would duplicate one the same coder already has on the target (same document,
 * start and end) is dropped instead. Refuses to merge a code into itself or into one of its
 * own subcodes, and a subcode name that the target already uses.
 */
export function mergeCodes(
	codes: readonly Code[],
	segments: readonly SegmentRef[],
	sourceId: Id,
	targetId: Id,
	now = nowIso()
): R<CodeEdit & { recodeSegmentIds: Id[]; dropSegmentIds: Id[] }> {
	const pre = precheck(codes);
	if (pre.length) return { ok: false, errors: pre };
	const source = codes.find((c) => c.id === sourceId);
	const target = codes.find((c) => c.id === targetId);
	if (!source || !target) return bad('One of the codes to merge no longer exists.');
	if (sourceId === targetId) return bad('A code cannot be merged into itself.');
	if (descendants(codes, sourceId).includes(targetId))
		return bad(`"${source.name}" cannot be merged into its own subcode "${target.name}".`);
	const moving = siblingsOf(codes, sourceId);
	const remaining = codes.filter((c) => c.id !== sourceId);
	const errors: string[] = [];
	for (const m of moving) {
		const e = siblingNameError(remaining, targetId, m.name, m.id);
		if (e) errors.push(`The subcode "${m.name}" cannot move under "${target.name}": ${e}`);
	}
	if (errors.length) return { ok: false, errors };
	const upserts = renumber([...siblingsOf(remaining, targetId), ...moving], targetId, now);
	if (source.parentId !== targetId) upserts.push(...renumber(siblingsOf(remaining, source.parentId), source.parentId, now));
	const key = (s: SegmentRef) => `${s.documentId}\u0000${s.coderId}\u0000${s.start}\u0000${s.end}`;
	const onTarget = new Set(segments.filter((s) => s.codeId === targetId).map(key));
	const recodeSegmentIds: Id[] = [];
	const dropSegmentIds: Id[] = [];
	for (const s of segments) {
		if (s.codeId !== sourceId) continue;
		const k = key(s);
		if (onTarget.has(k)) dropSegmentIds.push(s.id);
		else {
			onTarget.add(k);
			recodeSegmentIds.push(s.id);
		}
	}
	return { ok: true, value: { upserts, removedIds: [sourceId], recodeSegmentIds, dropSegmentIds } };
}

/**
 * Delete a code and all its subcodes. `removedIds` lists them (the code first); the db layer
 * deletes their segments too (count them first with `countSegments`). Later siblings move up.
 */
export function deleteCode(codes: readonly Code[], id: Id, now = nowIso()): R<CodeEdit> {
	const code = codes.find((c) => c.id === id);
	if (!code) return bad('The code to delete no longer exists.');
	const removedIds = [id, ...descendants(codes, id)];
	const upserts = renumber(siblingsOf(codes, code.parentId).filter((c) => c.id !== id), code.parentId, now);
	return { ok: true, value: { upserts, removedIds } };
}

/** How many segments are coded with any of `codeIds` (e.g. what deleting a code takes with it). */
export function countSegments(segments: readonly { codeId: Id }[], codeIds: readonly Id[]): number {
	const set = new Set(codeIds);
	return segments.reduce((n, s) => n + (set.has(s.codeId) ? 1 : 0), 0);
}
