/**
 * Retrieval: every passage coded with a code (and, if asked, its sub-codes), with its context,
 * document, case attributes and coder, filtered by attribute values, document and coder. Pure.
 */
import { inContext, type InContext } from './search';
import type { AttributeValue, Case, Code, Coder, GlossDocument, Id, Segment, StudyData } from './types';

/** Shown for an attribute with no value. */
export const MISSING = '(missing)';

export interface RetrievalQuery {
	codeId: Id;
	withSubcodes: boolean;
	/** Empty or absent: every document. */
	documentIds?: readonly Id[];
	/** Empty or absent: every coder. */
	coderIds?: readonly Id[];
	/** Attribute id → accepted values (as text; `MISSING` for none). An empty list accepts all. */
	attributes?: Record<Id, readonly string[]>;
}

export interface Retrieved {
	segment: Segment;
	code: Code;
	document: GlossDocument;
	case: Case | null;
	coder: Coder | null;
	context: InContext;
}

/** The ids of a code and all codes below it. */
export function codeAndBelow(codes: readonly Code[], codeId: Id): Set<Id> {
	const children = new Map<Id | null, Id[]>();
	for (const c of codes) {
		const list = children.get(c.parentId) ?? [];
		list.push(c.id);
		children.set(c.parentId, list);
	}
	const out = new Set<Id>();
	const stack = [codeId];
	while (stack.length) {
		const id = stack.pop()!;
		if (out.has(id)) continue;
		out.add(id);
		stack.push(...(children.get(id) ?? []));
	}
	return out;
}

export function attributeText(v: AttributeValue | undefined): string {
	return v === null || v === undefined || v === '' ? MISSING : String(v);
}

/** Every value an attribute takes across cases (sorted, `MISSING` last), for filter choices. */
export function attributeValues(cases: readonly Case[], attributeId: Id): string[] {
	const set = new Set(cases.map((c) => attributeText(c.attributes[attributeId])));
	const vals = [...set].filter((v) => v !== MISSING).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
	return set.has(MISSING) ? [...vals, MISSING] : vals;
}

type RetrievalData = Pick<StudyData, 'codes' | 'coders' | 'cases' | 'documents' | 'segments'>;

export function retrieve(data: RetrievalData, q: RetrievalQuery, contextChars = 160): Retrieved[] {
	const codeIds = q.withSubcodes ? codeAndBelow(data.codes, q.codeId) : new Set([q.codeId]);
	const docs = new Map(data.documents.map((d) => [d.id, d]));
	const cases = new Map(data.cases.map((c) => [c.id, c]));
	const coders = new Map(data.coders.map((c) => [c.id, c]));
	const codes = new Map(data.codes.map((c) => [c.id, c]));
	const docFilter = q.documentIds?.length ? new Set(q.documentIds) : null;
	const coderFilter = q.coderIds?.length ? new Set(q.coderIds) : null;
	const attrFilters = Object.entries(q.attributes ?? {})
		.filter(([, vals]) => vals.length > 0)
		.map(([id, vals]) => [id, new Set(vals)] as const);

	const out: Retrieved[] = [];
	for (const s of data.segments) {
		if (!codeIds.has(s.codeId)) continue;
		if (docFilter && !docFilter.has(s.documentId)) continue;
		if (coderFilter && !coderFilter.has(s.coderId)) continue;
		const doc = docs.get(s.documentId);
		if (!doc) continue;
		const cs = doc.caseId ? (cases.get(doc.caseId) ?? null) : null;
		if (attrFilters.some(([id, vals]) => !vals.has(attributeText(cs?.attributes[id])))) continue;
		out.push({
			segment: s,
			code: codes.get(s.codeId)!,
			document: doc,
			case: cs,
			coder: coders.get(s.coderId) ?? null,
			context: inContext(doc.text, s.start, s.end, contextChars)
		});
	}
	return out.sort(
		(a, b) => a.document.order - b.document.order || (a.document.id < b.document.id ? -1 : a.document.id > b.document.id ? 1 : 0) || a.segment.start - b.segment.start
	);
}
