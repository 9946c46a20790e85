/**
 * Cases, documents' attribute values, and the attributes themselves (case or document
 * attributes: `Attribute.scope`). Every multi-row write runs in one transaction.
 */
import {
	attributeNameError,
	caseNameError,
	parseAttributeValue,
	planAttributeImport,
	type AttributeImportPlan,
	type AttributeMapping
} from '../core/cases';
import type { ParsedCsv } from '../core/csv';
import { newId, nowIso } from '../core/ids';
import type { Attribute, AttributeScope, AttributeType, AttributeValue, Case, Result } from '../core/types';
import { ATTRIBUTE_TYPES, scopeOf } from '../core/types';
import type { DocumentRow, GlossDB } from './db';

export async function listCases(db: GlossDB, studyId: string): Promise<Case[]> {
	const cases = await db.cases.where('studyId').equals(studyId).toArray();
	return cases.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
}

export async function listAttributes(db: GlossDB, studyId: string): Promise<Attribute[]> {
	const attrs = await db.attributes.where('studyId').equals(studyId).toArray();
	return attrs.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

export async function createCase(db: GlossDB, studyId: string, name: string): Promise<Result<Case>> {
	return db.transaction('rw', [db.studies, db.cases], async () => {
		if (!(await db.studies.get(studyId))) return { ok: false, errors: ['This study no longer exists'] } as const;
		const cases = await db.cases.where('studyId').equals(studyId).toArray();
		const err = caseNameError(cases, name);
		if (err) return { ok: false, errors: [err] } as const;
		const now = nowIso();
		const c: Case = { id: newId(), studyId, name: name.normalize('NFC').trim(), attributes: {}, createdAt: now, updatedAt: now };
		await db.cases.add(c);
		return { ok: true, value: c } as const;
	});
}

export async function renameCase(db: GlossDB, studyId: string, caseId: string, name: string): Promise<Result<Case>> {
	return db.transaction('rw', [db.cases], async () => {
		const c = await db.cases.get([studyId, caseId]);
		if (!c) return { ok: false, errors: ['This case no longer exists'] } as const;
		const err = caseNameError(await db.cases.where('studyId').equals(studyId).toArray(), name, caseId);
		if (err) return { ok: false, errors: [err] } as const;
		const updated = { ...c, name: name.normalize('NFC').trim(), updatedAt: nowIso() };
		await db.cases.put(updated);
		return { ok: true, value: updated } as const;
	});
}

/** Delete a case. Refused while documents belong to it: every document belongs to a case. */
export async function deleteCase(db: GlossDB, studyId: string, caseId: string): Promise<Result<null>> {
	return db.transaction('rw', [db.cases, db.documents, db.memos], async () => {
		const c = await db.cases.get([studyId, caseId]);
		if (!c) return { ok: false, errors: ['This case no longer exists'] } as const;
		const docs = await db.documents.where('[studyId+caseId]').equals([studyId, caseId]).count();
		if (docs > 0)
			return {
				ok: false,
				errors: [`The case "${c.name}" has ${docs} document${docs === 1 ? '' : 's'}; move ${docs === 1 ? 'it' : 'them'} to another case first`]
			} as const;
		await db.memos.where('[studyId+targetType+targetId]').equals([studyId, 'case', caseId]).delete();
		await db.cases.delete([studyId, caseId]);
		return { ok: true, value: null } as const;
	});
}

/** Set one attribute value of a case from what the researcher typed. */
export async function setCaseValue(
	db: GlossDB,
	studyId: string,
	caseId: string,
	attributeId: string,
	raw: string
): Promise<Result<AttributeValue>> {
	return db.transaction('rw', [db.cases, db.attributes], async () => {
		const c = await db.cases.get([studyId, caseId]);
		if (!c) return { ok: false, errors: ['This case no longer exists'] } as const;
		const a = await db.attributes.get([studyId, attributeId]);
		if (!a) return { ok: false, errors: ['This attribute no longer exists'] } as const;
		const v = parseAttributeValue(a.type, raw);
		if (!v.ok) return { ok: false, errors: [`${a.name}: ${v.errors}`] } as const;
		const attributes = { ...c.attributes };
		if (v.value === null) delete attributes[attributeId];
		else attributes[attributeId] = v.value;
		await db.cases.put({ ...c, attributes, updatedAt: nowIso() });
		return { ok: true, value: v.value } as const;
	});
}

/** Set one document attribute value of a document from what the researcher typed. */
export async function setDocumentValue(
	db: GlossDB,
	studyId: string,
	documentId: string,
	attributeId: string,
	raw: string
): Promise<Result<AttributeValue>> {
	return db.transaction('rw', [db.documents, db.attributes], async () => {
		const d = await db.documents.get([studyId, documentId]);
		if (!d) return { ok: false, errors: ['This document no longer exists'] } as const;
		const a = await db.attributes.get([studyId, attributeId]);
		if (!a || scopeOf(a) !== 'document') return { ok: false, errors: ['This document attribute no longer exists'] } as const;
		const v = parseAttributeValue(a.type, raw);
		if (!v.ok) return { ok: false, errors: [`${a.name}: ${v.errors}`] } as const;
		const attributes = { ...d.attributes };
		if (v.value === null) delete attributes[attributeId];
		else attributes[attributeId] = v.value;
		await db.documents.put({ ...d, attributes, updatedAt: nowIso() });
		return { ok: true, value: v.value } as const;
	});
}

/** The rows that hold an attribute's values: cases, or documents for a document attribute. */
function holders(db: GlossDB, a: Attribute) {
	return scopeOf(a) === 'document' ? db.documents : db.cases;
}
type Holder = Case | DocumentRow;

/** Add an attribute (of cases unless `scope` says documents). Names are unique in the study, across both. */
export async function addAttribute(
	db: GlossDB,
	studyId: string,
	name: string,
	type: AttributeType,
	scope: AttributeScope = 'case'
): Promise<Result<Attribute>> {
	if (!ATTRIBUTE_TYPES.includes(type)) return { ok: false, errors: [`Attribute type: must be one of ${ATTRIBUTE_TYPES.join(', ')}`] };
	return db.transaction('rw', [db.studies, db.attributes], async () => {
		if (!(await db.studies.get(studyId))) return { ok: false, errors: ['This study no longer exists'] } as const;
		const attrs = await db.attributes.where('studyId').equals(studyId).toArray();
		const err = attributeNameError(attrs, name);
		if (err) return { ok: false, errors: [err] } as const;
		const a: Attribute = {
			id: newId(),
			studyId,
			name: name.normalize('NFC').trim(),
			type,
			order: attrs.reduce((m, x) => Math.max(m, x.order + 1), 0),
			...(scope === 'document' ? { scope } : {})
		};
		await db.attributes.add(a);
		return { ok: true, value: a } as const;
	});
}

export async function renameAttribute(db: GlossDB, studyId: string, attributeId: string, name: string): Promise<Result<Attribute>> {
	return db.transaction('rw', [db.attributes], async () => {
		const a = await db.attributes.get([studyId, attributeId]);
		if (!a) return { ok: false, errors: ['This attribute no longer exists'] } as const;
		const err = attributeNameError(await db.attributes.where('studyId').equals(studyId).toArray(), name, attributeId);
		if (err) return { ok: false, errors: [err] } as const;
		const updated = { ...a, name: name.normalize('NFC').trim() };
		await db.attributes.put(updated);
		return { ok: true, value: updated } as const;
	});
}

/**
 * Change an attribute's type. Every existing value is re-read as the new type; if any does not
 * fit (e.g. "large" for a number), nothing changes and each case is named.
 */
export async function changeAttributeType(db: GlossDB, studyId: string, attributeId: string, type: AttributeType): Promise<Result<Attribute>> {
	if (!ATTRIBUTE_TYPES.includes(type)) return { ok: false, errors: [`Attribute type: must be one of ${ATTRIBUTE_TYPES.join(', ')}`] };
	return db.transaction('rw', [db.attributes, db.cases, db.documents], async () => {
		const a = await db.attributes.get([studyId, attributeId]);
		if (!a) return { ok: false, errors: ['This attribute no longer exists'] } as const;
		const table = holders(db, a);
		const rows: Holder[] = await table.where('studyId').equals(studyId).toArray();
		const errors: string[] = [];
		const updates: Holder[] = [];
		for (const c of rows) {
			const v = c.attributes?.[attributeId];
			if (v === undefined || v === null) continue;
			const r = parseAttributeValue(type, String(v));
			if (!r.ok) errors.push(`${c.name}: ${r.errors}`);
			else if (r.value !== v) updates.push({ ...c, attributes: { ...c.attributes, [attributeId]: r.value } });
		}
		if (errors.length) return { ok: false, errors: [`${a.name} cannot become a ${type} attribute:`, ...errors] } as const;
		const updated = { ...a, type };
		await db.attributes.put(updated);
		if (updates.length) await (table as typeof db.cases).bulkPut(updates as Case[]);
		return { ok: true, value: updated } as const;
	});
}

/** Delete an attribute and its value in every case (or document), in one transaction. */
export async function deleteAttribute(db: GlossDB, studyId: string, attributeId: string): Promise<Result<{ values: number }>> {
	return db.transaction('rw', [db.attributes, db.cases, db.documents], async () => {
		const a = await db.attributes.get([studyId, attributeId]);
		if (!a) return { ok: false, errors: ['This attribute no longer exists'] } as const;
		const table = holders(db, a) as typeof db.cases;
		const rows = (await table.where('studyId').equals(studyId).toArray()) as Holder[];
		const touched = rows.filter((c) => c.attributes && attributeId in c.attributes) as Case[];
		const values = touched.filter((c) => c.attributes[attributeId] !== null).length;
		if (touched.length)
			await table.bulkPut(
				touched.map((c) => {
					const attributes = { ...c.attributes };
					delete attributes[attributeId];
					return { ...c, attributes };
				})
			);
		await db.attributes.delete([studyId, attributeId]);
		return { ok: true, value: { values } } as const;
	});
}

/** Move an attribute one place left or right among the columns of its table (case or document attributes). */
export async function moveAttribute(db: GlossDB, studyId: string, attributeId: string, by: -1 | 1): Promise<Result<null>> {
	return db.transaction('rw', [db.attributes], async () => {
		const all = (await db.attributes.where('studyId').equals(studyId).toArray()).sort((a, b) => a.order - b.order);
		const self = all.find((a) => a.id === attributeId);
		if (!self) return { ok: false, errors: ['This attribute no longer exists'] } as const;
		const attrs = all.filter((a) => scopeOf(a) === scopeOf(self));
		const i = attrs.indexOf(self);
		const j = i + by;
		if (j < 0 || j >= attrs.length) return { ok: true, value: null } as const;
		[attrs[i], attrs[j]] = [attrs[j], attrs[i]];
		// this scope's attributes take their places in the swapped sequence; the others keep theirs
		let k = 0;
		const reordered = all.map((a) => (scopeOf(a) === scopeOf(self) ? attrs[k++] : a));
		await db.attributes.bulkPut(reordered.map((a, n) => ({ ...a, order: n })));
		return { ok: true, value: null } as const;
	});
}

/**
 * Import attribute values from a parsed CSV. Validates the whole file against the study as it is
 * inside the transaction, then writes all of it, or (on any bad row) nothing.
 */
export async function importAttributes(
	db: GlossDB,
	studyId: string,
	csv: ParsedCsv,
	mapping: AttributeMapping,
	fileName: string
): Promise<Result<AttributeImportPlan<Case>>> {
	return db.transaction('rw', [db.studies, db.attributes, db.cases], async () => {
		if (!(await db.studies.get(studyId))) return { ok: false, errors: ['This study no longer exists'] } as const;
		const [attributes, cases] = await Promise.all([
			db.attributes.where('studyId').equals(studyId).toArray(),
			db.cases.where('studyId').equals(studyId).toArray()
		]);
		const plan = planAttributeImport(csv, mapping, { studyId, attributes, cases }, fileName);
		if (!plan.ok) return plan;
		const p = plan.value;
		if (p.newAttributes.length) await db.attributes.bulkAdd(p.newAttributes);
		if (p.updatedCases.length) await db.cases.bulkPut(p.updatedCases);
		if (p.newCases.length) await db.cases.bulkAdd(p.newCases);
		return plan;
	});
}

/**
 * Import document attribute values from a CSV keyed by document name: the same plan as for
 * cases, at the document level. Documents are never created; all of the file is written or none.
 */
export async function importDocumentAttributes(
	db: GlossDB,
	studyId: string,
	csv: ParsedCsv,
	mapping: AttributeMapping,
	fileName: string
): Promise<Result<AttributeImportPlan<DocumentRow>>> {
	return db.transaction('rw', [db.studies, db.attributes, db.documents], async () => {
		if (!(await db.studies.get(studyId))) return { ok: false, errors: ['This study no longer exists'] } as const;
		const [attributes, documents] = await Promise.all([
			db.attributes.where('studyId').equals(studyId).toArray(),
			db.documents.where('studyId').equals(studyId).toArray()
		]);
		const plan = planAttributeImport(csv, { ...mapping, createMissingCases: false }, { studyId, attributes, cases: documents, scope: 'document' }, fileName);
		if (!plan.ok) return plan;
		const p = plan.value;
		if (p.newAttributes.length) await db.attributes.bulkAdd(p.newAttributes);
		if (p.updatedCases.length) await db.documents.bulkPut(p.updatedCases);
		return plan;
	});
}
