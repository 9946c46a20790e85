/**
 * Cases and attributes: value parsing per attribute type, and importing attribute values from a
 * CSV file (the researcher picks the case-name column and maps columns to attributes).
 * Pure: the plan it returns is written by src/lib/db/cases.ts in one transaction.
 */
import type { ParsedCsv } from './csv';
import { newId, nowIso } from './ids';
import { nameKey } from './import';
import type { Attribute, AttributeScope, AttributeType, AttributeValue, Case, Id, Result } from './types';
import { ATTRIBUTE_TYPES, scopeOf } from './types';

/** What attribute values belong to: a case or a document (both have an id, a name and values). */
export type AttributeHolder = { id: Id; name: string; attributes?: Record<Id, AttributeValue> };

export const MAX_ATTRIBUTE_CSV_BYTES = 20 * 1024 * 1024;

/**
 * The attributes the Cleaner Production study uses; offered when a study has none yet. An
 * enterprise's city, sector, size and ownership belong to the case; an interview's wave, date,
 * interviewer and language belong to the document (a 2004 follow-up is its own wave).
 */
export const SUGGESTED_ATTRIBUTES: readonly { name: string; type: AttributeType; scope: AttributeScope }[] = [
	{ name: 'City', type: 'category', scope: 'case' },
	{ name: 'Sector', type: 'category', scope: 'case' },
	{ name: 'Size', type: 'category', scope: 'case' },
	{ name: 'Ownership', type: 'category', scope: 'case' },
	{ name: 'Wave', type: 'category', scope: 'document' },
	{ name: 'Date', type: 'date', scope: 'document' },
	{ name: 'Interviewer', type: 'category', scope: 'document' },
	{ name: 'Language', type: 'category', scope: 'document' }
];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDate(s: string): boolean {
	const m = DATE.exec(s);
	if (!m) return false;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const dt = new Date(Date.UTC(y, mo - 1, d));
	return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/**
 * Read a value typed by the researcher (or found in a CSV cell) for an attribute of a type.
 * Empty means no value (null). Errors say what was expected.
 */
export function parseAttributeValue(type: AttributeType, raw: string): Result<AttributeValue, string> {
	const s = raw.normalize('NFC').trim();
	if (s === '') return { ok: true, value: null };
	switch (type) {
		case 'number': {
			const t = s.replace(/^\+/, '');
			if (!/^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(t))
				return { ok: false, errors: `"${s}" is not a number` };
			const n = Number(t);
			if (!Number.isFinite(n)) return { ok: false, errors: `"${s}" is not a number` };
			return { ok: true, value: n };
		}
		case 'date': {
			if (!isValidDate(s)) return { ok: false, errors: `"${s}" is not a date (write it as YYYY-MM-DD, e.g. 2024-03-31)` };
			return { ok: true, value: s };
		}
		default:
			return { ok: true, value: s };
	}
}

/** A value as the researcher sees it in a table cell. */
export function formatAttributeValue(v: AttributeValue | undefined): string {
	if (v === null || v === undefined) return '';
	return typeof v === 'number' ? String(v) : v;
}

/** Check an attribute name against the others (unique, ignoring case). */
export function attributeNameError(attributes: readonly Attribute[], name: string, exceptId?: Id): string | null {
	const n = name.trim();
	if (!n) return 'Attribute name: must not be empty';
	if (n.length > 100) return 'Attribute name: at most 100 characters';
	if (attributes.some((a) => a.id !== exceptId && nameKey(a.name) === nameKey(n)))
		return `Attribute name: "${n}" already exists`;
	return null;
}

export function caseNameError(cases: readonly Case[], name: string, exceptId?: Id): string | null {
	const n = name.trim();
	if (!n) return 'Case name: must not be empty';
	if (n.length > 200) return 'Case name: at most 200 characters';
	if (cases.some((c) => c.id !== exceptId && nameKey(c.name) === nameKey(n))) return `Case name: "${n}" already exists`;
	return null;
}

/**
 * Guess an attribute type from a column's values: number, date, category (few distinct) or text.
 * A column of numbers (or dates) with a stray value or two ("eighty", "12/03/2024") is still
 * guessed as numbers (dates), so the import names the stray rows instead of silently turning the
 * whole column into categories; the researcher can pick another type in the mapping.
 */
export function guessAttributeType(values: readonly string[]): AttributeType {
	const vals = values.map((v) => v.trim()).filter((v) => v !== '');
	if (vals.length === 0) return 'category';
	const mostly = (ok: (v: string) => boolean) => {
		const bad = vals.filter((v) => !ok(v)).length;
		return bad === 0 || (vals.length >= 3 && bad <= Math.max(1, Math.floor(vals.length / 5)));
	};
	if (mostly((v) => parseAttributeValue('number', v).ok)) return 'number';
	if (mostly(isValidDate)) return 'date';
	const distinct = new Set(vals.map(nameKey)).size;
	const longest = Math.max(...vals.map((v) => v.length));
	if (longest <= 60 && (distinct <= 12 || distinct <= vals.length / 2)) return 'category';
	return 'text';
}

/** The column most likely to hold case names: "case", "case name", "name", "enterprise", "id"… (or document names). */
export function guessCaseColumn(header: readonly string[], scope: AttributeScope = 'case'): number {
	const keys = header.map((h) => h.trim().toLowerCase());
	const wants =
		scope === 'document'
			? [/^document$/, /^document[ _-]?name$/, /document|transcript|interview|file/, /^name$/, /^id$/]
			: [/^case$/, /^case[ _-]?name$/, /case/, /^name$/, /enterprise|company|participant|respondent|person/, /^id$/];
	for (const want of wants) {
		const i = keys.findIndex((k) => want.test(k));
		if (i >= 0) return i;
	}
	return 0;
}

// ---------------------------------------------------------------- CSV import

/** Where one CSV column goes. */
export type ColumnTarget =
	| { kind: 'skip' }
	| { kind: 'existing'; attributeId: Id }
	| { kind: 'new'; name: string; type: AttributeType };

export interface AttributeMapping {
	/** Index of the column holding case names. */
	caseColumn: number;
	/** One target per CSV column (the case column's own target is ignored). */
	targets: ColumnTarget[];
	/**
	 * Rows whose name matches no case of the study become new cases; when false they are skipped
	 * (and listed in the preview and the outcome).
	 */
	createMissingCases: boolean;
	/**
	 * A row that matches no case exactly goes to the one case whose name starts with it, followed by
	 * a space or punctuation: "T01" goes to "T01 Tannery" (not to "T012").
	 */
	matchPrefix?: boolean;
}

/**
 * Suggest a mapping: existing attributes by name, new ones with a guessed type. New cases are
 * created by default only when the study has none yet (else a misspelt name would quietly add a
 * case); matching by the start of a name is on.
 */
export function suggestMapping(
	csv: ParsedCsv,
	attributes: readonly Attribute[],
	cases: readonly AttributeHolder[] = [],
	scope: AttributeScope = 'case'
): AttributeMapping {
	const caseColumn = guessCaseColumn(csv.header, scope);
	const targets: ColumnTarget[] = csv.header.map((h, i) => {
		if (i === caseColumn) return { kind: 'skip' };
		const same = attributes.find((a) => nameKey(a.name) === nameKey(h));
		if (same && scopeOf(same) === scope) return { kind: 'existing', attributeId: same.id };
		// named like an attribute of the other level (Wave of the documents, in a cases file): a
		// new attribute could not take the name, so the column is left out unless mapped by hand
		if (same) return { kind: 'skip' };
		if (!h.trim()) return { kind: 'skip' };
		return { kind: 'new', name: h.trim(), type: guessAttributeType(csv.rows.map((r) => r[i] ?? '')) };
	});
	return { caseColumn, targets, createMissingCases: scope === 'case' && cases.length === 0, matchPrefix: true };
}

/** How one row of the file finds its case. Rows are numbered as in the file (the header is row 1). */
export type RowMatch =
	| { row: number; name: string; kind: 'exact'; caseId: Id; caseName: string }
	/** The case's name starts with the row's: "T01" and "T01 Tannery". */
	| { row: number; name: string; kind: 'prefix'; caseId: Id; caseName: string }
	/** Several cases' names start with the row's, so none is chosen. */
	| { row: number; name: string; kind: 'ambiguous'; candidates: string[] }
	/** No case; `takenBy` when the one case starting with it already goes to another row. */
	| { row: number; name: string; kind: 'none'; takenBy?: { row: number; caseName: string } }
	/** Empty case name or a ragged row: reported by the import itself. */
	| { row: number; name: string; kind: 'invalid' };

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Does `caseKey` start with `rowKey` at a word boundary ("t01 tannery" with "t01", not "t012")? */
function startsWithName(caseKey: string, rowKey: string): boolean {
	if (!rowKey || caseKey.length <= rowKey.length || !caseKey.startsWith(rowKey)) return false;
	const next = caseKey[rowKey.length];
	const last = rowKey[rowKey.length - 1];
	// "工厂A" does not start "工厂A纺织"; but a name ending in a separator ("T01 -") is its own boundary.
	return !LETTER_OR_DIGIT.test(next) || !LETTER_OR_DIGIT.test(last);
}

/**
 * Match each row's case name to the study's cases: first by the whole name (ignoring case), then,
 * with `matchPrefix`, to the case whose name starts with it, when exactly one case does. A case
 * goes to one row only: one named in full by a row, or already matched by an earlier row's
 * start, is not matched again, and that row matches nothing (saying which row has the case).
 */
export function matchCaseRows(
	csv: ParsedCsv,
	caseColumn: number,
	cases: readonly AttributeHolder[],
	matchPrefix = false
): RowMatch[] {
	const byKey = new Map(cases.map((c) => [nameKey(c.name), c]));
	const names = csv.rows.map((r) => (r.length === csv.header.length ? (r[caseColumn] ?? '').normalize('NFC').trim() : ''));
	const claimed = new Map<Id, number>();
	names.forEach((n, i) => {
		const c = n ? byKey.get(nameKey(n)) : undefined;
		if (c && !claimed.has(c.id)) claimed.set(c.id, i + 2);
	});
	// Sorted by key (code units): the cases whose key starts with a row's key are one run, found by
	// binary search, so 100,000 rows against 100,000 cases stay quick.
	const keyed = cases.map((c) => ({ c, key: nameKey(c.name) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	const startingWith = (key: string): AttributeHolder[] => {
		let lo = 0;
		let hi = keyed.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (keyed[mid].key < key) lo = mid + 1;
			else hi = mid;
		}
		const out: AttributeHolder[] = [];
		for (let i = lo; i < keyed.length && keyed[i].key.startsWith(key); i++) if (startsWithName(keyed[i].key, key)) out.push(keyed[i].c);
		return out;
	};
	return names.map((name, i): RowMatch => {
		const row = i + 2;
		if (!name) return { row, name, kind: 'invalid' };
		const key = nameKey(name);
		const exact = byKey.get(key);
		if (exact) return { row, name, kind: 'exact', caseId: exact.id, caseName: exact.name };
		if (matchPrefix) {
			const starts = startingWith(key);
			if (starts.length > 1)
				return {
					row,
					name,
					kind: 'ambiguous',
					candidates: starts.map((c) => c.name).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
				};
			if (starts.length === 1) {
				const c = starts[0];
				const other = claimed.get(c.id);
				if (other !== undefined) return { row, name, kind: 'none', takenBy: { row: other, caseName: c.name } };
				claimed.set(c.id, row);
				return { row, name, kind: 'prefix', caseId: c.id, caseName: c.name };
			}
		}
		return { row, name, kind: 'none' };
	});
}

export interface AttributeImportPlan<R extends AttributeHolder = Case> {
	newAttributes: Attribute[];
	/** Existing cases (or documents) with their new attribute values merged in. */
	updatedCases: R[];
	/** Always empty for documents: an import never makes a document. */
	newCases: Case[];
	/** For the summary: how many values were set. */
	valuesSet: number;
	/** Rows that matched no case and were left out (when new cases are not created). */
	skippedRows: { row: number; name: string }[];
}

/**
 * Validate the whole file against the mapping and return what to write. Any bad row makes the
 * result an error listing every problem by row number (the header is row 1), so nothing is
 * written. Checked: ragged rows, empty and duplicate case names, numbers, dates, attribute names.
 */
export function planAttributeImport<R extends AttributeHolder = Case>(
	csv: ParsedCsv,
	mapping: AttributeMapping,
	/** `cases` are the documents when `scope` is 'document': values go to document attributes. */
	existing: { studyId: Id; attributes: readonly Attribute[]; cases: readonly R[]; scope?: AttributeScope },
	fileName = 'CSV',
	now = nowIso()
): Result<AttributeImportPlan<R>> {
	const errors: string[] = [];
	const { header, rows } = csv;
	const scope = existing.scope ?? 'case';
	const noun = scope === 'document' ? 'document' : 'case';
	if (mapping.caseColumn < 0 || mapping.caseColumn >= header.length)
		return { ok: false, errors: [`${fileName}: choose the column that holds the ${noun} names`] };
	if (rows.length === 0) return { ok: false, errors: [`${fileName}: the file has a header but no rows`] };

	// Resolve targets to attributes (creating new ones).
	const byId = new Map(existing.attributes.map((a) => [a.id, a]));
	const newAttributes: Attribute[] = [];
	const columnAttr: (Attribute | null)[] = [];
	let order = existing.attributes.reduce((m, a) => Math.max(m, a.order + 1), 0);
	const usedAttr = new Map<Id, string>();
	header.forEach((h, i) => {
		const t = mapping.targets[i] ?? { kind: 'skip' };
		if (i === mapping.caseColumn || t.kind === 'skip') {
			columnAttr.push(null);
			return;
		}
		let attr: Attribute | undefined;
		if (t.kind === 'existing') {
			attr = byId.get(t.attributeId);
			if (!attr) errors.push(`${fileName}: column "${h}": the attribute it maps to no longer exists`);
			else if (scopeOf(attr) !== scope) {
				errors.push(`${fileName}: column "${h}": "${attr.name}" is a ${scopeOf(attr)} attribute, not a ${noun} attribute`);
				attr = undefined;
			}
		} else {
			if (!ATTRIBUTE_TYPES.includes(t.type)) errors.push(`${fileName}: column "${h}": unknown type ${JSON.stringify(t.type)}`);
			const err = attributeNameError([...existing.attributes, ...newAttributes], t.name);
			if (err) errors.push(`${fileName}: column "${h}": ${err}`);
			else {
				attr = { id: newId(), studyId: existing.studyId, name: t.name.trim(), type: t.type, order: order++, ...(scope === 'document' ? { scope } : {}) };
				newAttributes.push(attr);
			}
		}
		if (attr) {
			const prev = usedAttr.get(attr.id);
			if (prev !== undefined) errors.push(`${fileName}: columns "${prev}" and "${h}" both map to the attribute "${attr.name}"`);
			usedAttr.set(attr.id, h);
		}
		columnAttr.push(attr ?? null);
	});

	const matches = matchCaseRows(csv, mapping.caseColumn, existing.cases, mapping.matchPrefix ?? false);
	const caseById = new Map(existing.cases.map((c) => [c.id, c]));
	const caseRow = new Map<Id, number>();
	const skippedRows: { row: number; name: string }[] = [];
	const seenRow = new Map<string, number>();
	const updated = new Map<Id, R>();
	const newCases: Case[] = [];
	let valuesSet = 0;

	rows.forEach((r, ri) => {
		const rowNo = ri + 2;
		if (r.length !== header.length) {
			errors.push(`${fileName}: row ${rowNo}: has ${r.length} cells, the header has ${header.length}`);
			return;
		}
		const caseName = (r[mapping.caseColumn] ?? '').normalize('NFC').trim();
		if (!caseName) {
			errors.push(`${fileName}: row ${rowNo}: ${header[mapping.caseColumn] || noun}: the ${noun} name is empty`);
			return;
		}
		const key = nameKey(caseName);
		const first = seenRow.get(key);
		if (first !== undefined) {
			errors.push(`${fileName}: row ${rowNo}: the ${noun} "${caseName}" is already on row ${first}`);
			return;
		}
		seenRow.set(key, rowNo);
		const values: Record<Id, AttributeValue> = {};
		columnAttr.forEach((attr, ci) => {
			if (!attr) return;
			const v = parseAttributeValue(attr.type, r[ci] ?? '');
			if (!v.ok) errors.push(`${fileName}: row ${rowNo}: ${header[ci]}: ${v.errors} (the attribute is a ${attr.type})`);
			else values[attr.id] = v.value;
		});
		const m = matches[ri];
		const found = m.kind === 'exact' || m.kind === 'prefix' ? caseById.get(m.caseId) : undefined;
		if (found) {
			const other = caseRow.get(found.id);
			if (other !== undefined) {
				errors.push(`${fileName}: row ${rowNo}: "${caseName}" goes to the ${noun} "${found.name}", as row ${other} does`);
				return;
			}
			caseRow.set(found.id, rowNo);
			valuesSet += Object.keys(values).length;
			const base = updated.get(found.id) ?? found;
			updated.set(found.id, { ...base, attributes: { ...base.attributes, ...values }, updatedAt: now });
		} else if (mapping.createMissingCases && scope === 'case') {
			valuesSet += Object.keys(values).length;
			newCases.push({ id: newId(), studyId: existing.studyId, name: caseName, attributes: values, createdAt: now, updatedAt: now });
		} else {
			skippedRows.push({ row: rowNo, name: caseName });
		}
	});
	if (!errors.length && updated.size === 0 && newCases.length === 0)
		errors.push(
			scope === 'document'
				? `${fileName}: no row matches a document of the study (the document names are in the column "${header[mapping.caseColumn]}"); choose another document name column`
				: `${fileName}: no row matches a case of the study (the case names are in the column "${header[mapping.caseColumn]}"); choose another case name column, or create the cases`
		);

	if (errors.length) {
		const shown = errors.slice(0, 100);
		if (errors.length > 100) shown.push(`${fileName}: … and ${errors.length - 100} more problems`);
		return { ok: false, errors: shown };
	}
	return { ok: true, value: { newAttributes, updatedCases: [...updated.values()], newCases, valuesSet, skippedRows } };
}
