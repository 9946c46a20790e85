/**
 * Merging a coder's copy of a study into the master study (issue 5 §1). Pure.
 *
 * - Documents match by id (when the text is identical), else by identical text. The same id
 *   with a different text is a conflict: that document's segments are not imported.
 * - Codes match by GUID (id), then by path (names from the root joined with ' > '). A GUID match
 *   whose name or path differs is reported; the master's code is kept.
 * - Cases match by name; attributes by id, then by name, within their scope (case or document).
 *   Values the master lacks are filled in, on cases and on matched documents alike; values that
 *   differ are reported and the master's kept.
 * - Coders match by name; a coder the master lacks is created.
 * - Segments come in with their coder. A segment already in the master, as the same
 *   (document, code, coder, start, end), is skipped, so importing the same file twice adds nothing.
 * - Memos come in unless the master already has the same one (same id, or same target, title and text).
 * New rows keep their incoming id unless the master already uses it.
 */
import { codePaths, codesInTreeOrder } from './agreement/codes';
import { newId } from './ids';
import type { Attribute, AttributeValue, Case, Code, Coder, GlossDocument, Id, Memo, Segment, StudyData } from './types';
import { scopeOf } from './types';

export type MergeConflictKind =
	| 'document-text'
	| 'code-renamed'
	| 'code-moved'
	| 'case-attribute'
	| 'document-attribute'
	| 'attribute-type'
	| 'segment-range'
	| 'segment-unknown-reference';

export interface MergeConflict {
	kind: MergeConflictKind;
	message: string;
	masterId?: Id;
	incomingId?: Id;
}

export interface MergeCounts {
	matched: number;
	added: number;
}

export interface MergeReport {
	documents: MergeCounts;
	codes: MergeCounts;
	cases: MergeCounts;
	attributes: MergeCounts;
	coders: MergeCounts;
	segments: { added: number; duplicates: number; skipped: number };
	memos: { added: number; duplicates: number };
	/** Attribute values filled into matched cases and documents. */
	valuesFilled: number;
	conflicts: MergeConflict[];
	/** True when nothing was added or filled in. */
	unchanged: boolean;
}

export interface MergeOptions {
	/** Id generator for rows whose incoming id is taken (default: `newId`). */
	newId?: () => string;
}

const segKey = (s: Pick<Segment, 'documentId' | 'codeId' | 'coderId' | 'start' | 'end'>) =>
	`${s.documentId}\u0000${s.codeId}\u0000${s.coderId}\u0000${s.start}\u0000${s.end}`;

export function mergeStudy(
	master: StudyData,
	incoming: StudyData,
	opts: MergeOptions = {}
): { data: StudyData; report: MergeReport } {
	const makeId = opts.newId ?? newId;
	const studyId = master.study.id;
	const conflicts: MergeConflict[] = [];
	const report: MergeReport = {
		documents: { matched: 0, added: 0 },
		codes: { matched: 0, added: 0 },
		cases: { matched: 0, added: 0 },
		attributes: { matched: 0, added: 0 },
		coders: { matched: 0, added: 0 },
		segments: { added: 0, duplicates: 0, skipped: 0 },
		memos: { added: 0, duplicates: 0 },
		valuesFilled: 0,
		conflicts,
		unchanged: true
	};
	const used = new Set<Id>();
	for (const rows of [master.coders, master.attributes, master.cases, master.documents, master.codes, master.segments, master.memos])
		for (const r of rows) used.add(r.id);
	const freshId = (id: Id): Id => {
		let out = id;
		while (!out || used.has(out)) out = makeId();
		used.add(out);
		return out;
	};

	// attributes: by id, then by name
	const attributes: Attribute[] = master.attributes.map((a) => ({ ...a }));
	const attrMap = new Map<Id, Id>();
	for (const a of [...incoming.attributes].sort((x, y) => x.order - y.order)) {
		const scope = scopeOf(a);
		const hit =
			attributes.find((m) => m.id === a.id && scopeOf(m) === scope) ?? attributes.find((m) => m.name === a.name && scopeOf(m) === scope);
		if (hit) {
			attrMap.set(a.id, hit.id);
			report.attributes.matched++;
			if (hit.type !== a.type)
				conflicts.push({
					kind: 'attribute-type',
					message: `Attribute "${a.name}" is a ${a.type} in the incoming file and a ${hit.type} in the master; kept the master's type`,
					masterId: hit.id,
					incomingId: a.id
				});
		} else {
			const id = freshId(a.id);
			attributes.push({ ...a, id, studyId, order: attributes.length });
			attrMap.set(a.id, id);
			report.attributes.added++;
		}
	}

	/** Incoming values keyed by the master's attribute ids. */
	const mapValues = (values: Record<Id, AttributeValue>): Record<Id, AttributeValue> => {
		const mapped: Record<Id, AttributeValue> = {};
		for (const [k, v] of Object.entries(values)) if (attrMap.has(k)) mapped[attrMap.get(k)!] = v;
		return mapped;
	};
	/** Fill the master row's empty values from the incoming ones; report values that differ. */
	const fillValues = (
		kind: 'case-attribute' | 'document-attribute',
		label: string,
		mine: Record<Id, AttributeValue>,
		theirs: Record<Id, AttributeValue>,
		masterId: Id,
		incomingId: Id
	) => {
		for (const [k, v] of Object.entries(theirs)) {
			if (v === null || v === undefined || v === '') continue;
			const m = mine[k];
			if (m === null || m === undefined || m === '') {
				mine[k] = v;
				report.valuesFilled++;
			} else if (m !== v) {
				const attr = attributes.find((a) => a.id === k);
				conflicts.push({
					kind,
					message: `${label}: ${attr?.name ?? k} is "${String(v)}" in the incoming file and "${String(m)}" in the master; kept the master's value`,
					masterId,
					incomingId
				});
			}
		}
	};

	// cases: by name
	const cases: Case[] = master.cases.map((c) => ({ ...c, attributes: { ...c.attributes } }));
	const caseMap = new Map<Id, Id>();
	for (const c of incoming.cases) {
		const mapped = mapValues(c.attributes);
		const hit = cases.find((m) => m.name === c.name);
		if (hit) {
			caseMap.set(c.id, hit.id);
			report.cases.matched++;
			fillValues('case-attribute', `Case "${c.name}"`, hit.attributes, mapped, hit.id, c.id);
		} else {
			const id = freshId(c.id);
			cases.push({ ...c, id, studyId, attributes: mapped });
			caseMap.set(c.id, id);
			report.cases.added++;
		}
	}

	// documents: by id with identical text, else by identical text
	const documents: GlossDocument[] = master.documents.map((d) => (d.attributes ? { ...d, attributes: { ...d.attributes } } : { ...d }));
	const matchedDoc = (d: GlossDocument, m: GlossDocument) => {
		if (!d.attributes) return;
		const theirs = mapValues(d.attributes);
		if (Object.keys(theirs).length === 0) return;
		m.attributes ??= {};
		fillValues('document-attribute', `Document "${m.name}"`, m.attributes, theirs, m.id, d.id);
	};
	const docMap = new Map<Id, Id>();
	const byText = new Map<string, GlossDocument>();
	for (const d of [...documents].sort((a, b) => a.order - b.order)) if (!byText.has(d.text)) byText.set(d.text, d);
	const blockedDocs = new Set<Id>();
	for (const d of [...incoming.documents].sort((a, b) => a.order - b.order)) {
		const sameId = documents.find((m) => m.id === d.id);
		if (sameId && sameId.text === d.text) {
			docMap.set(d.id, sameId.id);
			report.documents.matched++;
			matchedDoc(d, sameId);
			continue;
		}
		const sameText = byText.get(d.text);
		if (sameText) {
			docMap.set(d.id, sameText.id);
			report.documents.matched++;
			matchedDoc(d, sameText);
			continue;
		}
		if (sameId) {
			blockedDocs.add(d.id);
			conflicts.push({
				kind: 'document-text',
				message: `Document "${d.name}" has the same id as the master's "${sameId.name}" but a different text; its coding was not imported`,
				masterId: sameId.id,
				incomingId: d.id
			});
			continue;
		}
		const id = freshId(d.id);
		const doc: GlossDocument = {
			...d,
			id,
			studyId,
			caseId: d.caseId ? (caseMap.get(d.caseId) ?? null) : null,
			order: documents.length
		};
		if (d.attributes) doc.attributes = mapValues(d.attributes);
		documents.push(doc);
		byText.set(doc.text, doc);
		docMap.set(d.id, id);
		report.documents.added++;
	}

	// codes: by GUID, then by path; parents before children
	const codes: Code[] = master.codes.map((c) => ({ ...c }));
	const codeMap = new Map<Id, Id>();
	const masterPaths = codePaths(master.codes);
	const incomingPaths = codePaths(incoming.codes);
	const pathToId = new Map<string, Id>();
	for (const c of codesInTreeOrder(master.codes)) if (!pathToId.has(masterPaths.get(c.id)!)) pathToId.set(masterPaths.get(c.id)!, c.id);
	for (const c of codesInTreeOrder(incoming.codes)) {
		const path = incomingPaths.get(c.id)!;
		const sameId = codes.find((m) => m.id === c.id);
		if (sameId) {
			codeMap.set(c.id, sameId.id);
			report.codes.matched++;
			const mPath = masterPaths.get(sameId.id);
			if (sameId.name !== c.name)
				conflicts.push({
					kind: 'code-renamed',
					message: `Code "${mPath}" is named "${c.name}" in the incoming file (${path}); kept the master's name`,
					masterId: sameId.id,
					incomingId: c.id
				});
			else if (mPath !== undefined && mPath !== path)
				conflicts.push({
					kind: 'code-moved',
					message: `Code "${mPath}" sits at "${path}" in the incoming file; kept the master's place`,
					masterId: sameId.id,
					incomingId: c.id
				});
			continue;
		}
		const samePath = pathToId.get(path);
		if (samePath) {
			codeMap.set(c.id, samePath);
			report.codes.matched++;
			continue;
		}
		const id = freshId(c.id);
		const parentId = c.parentId ? (codeMap.get(c.parentId) ?? null) : null;
		const order = codes.filter((x) => x.parentId === parentId).reduce((mx, x) => Math.max(mx, x.order + 1), 0);
		codes.push({ ...c, id, studyId, parentId, order, favourite: null });
		pathToId.set(path, id);
		codeMap.set(c.id, id);
		report.codes.added++;
	}

	// coders: by name
	const coders: Coder[] = master.coders.map((c) => ({ ...c }));
	const coderMap = new Map<Id, Id>();
	for (const c of incoming.coders) {
		const hit = coders.find((m) => m.name === c.name);
		if (hit) {
			coderMap.set(c.id, hit.id);
			report.coders.matched++;
		} else {
			const id = freshId(c.id);
			coders.push({ ...c, id, studyId });
			coderMap.set(c.id, id);
			report.coders.added++;
		}
	}

	// segments
	const segments: Segment[] = master.segments.map((s) => ({ ...s }));
	const seen = new Set(segments.map(segKey));
	const docLength = new Map(documents.map((d) => [d.id, d.text.length] as const));
	for (const s of incoming.segments) {
		if (blockedDocs.has(s.documentId)) {
			report.segments.skipped++;
			continue;
		}
		const documentId = docMap.get(s.documentId);
		const codeId = codeMap.get(s.codeId);
		const coderId = coderMap.get(s.coderId);
		if (!documentId || !codeId || !coderId) {
			report.segments.skipped++;
			conflicts.push({
				kind: 'segment-unknown-reference',
				message: `Segment ${s.id} refers to a ${!documentId ? 'document' : !codeId ? 'code' : 'coder'} that is not in the incoming file; skipped`,
				incomingId: s.id
			});
			continue;
		}
		const len = docLength.get(documentId)!;
		if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end >= s.start && s.end <= len)) {
			report.segments.skipped++;
			conflicts.push({
				kind: 'segment-range',
				message: `Segment ${s.id} (${s.start}–${s.end}) lies outside its document's text (length ${len}); skipped`,
				incomingId: s.id
			});
			continue;
		}
		const seg: Segment = { ...s, id: s.id, studyId, documentId, codeId, coderId };
		const key = segKey(seg);
		if (seen.has(key)) {
			report.segments.duplicates++;
			continue;
		}
		seen.add(key);
		seg.id = freshId(s.id);
		segments.push(seg);
		report.segments.added++;
	}

	// memos
	const memos: Memo[] = master.memos.map((m) => ({ ...m }));
	const memoKey = (m: Memo) => `${m.targetType}\u0000${m.targetId ?? ''}\u0000${m.start ?? ''}\u0000${m.end ?? ''}\u0000${m.title}\u0000${m.text}`;
	const memoIds = new Set(memos.map((m) => m.id));
	const memoKeys = new Set(memos.map(memoKey));
	for (const m of incoming.memos) {
		const targetId =
			m.targetType === 'study'
				? null
				: m.targetType === 'document'
					? (docMap.get(m.targetId ?? '') ?? null)
					: m.targetType === 'code'
						? (codeMap.get(m.targetId ?? '') ?? null)
						: (caseMap.get(m.targetId ?? '') ?? null);
		if (m.targetType !== 'study' && !targetId) continue;
		const memo: Memo = { ...m, studyId, targetId, coderId: m.coderId ? (coderMap.get(m.coderId) ?? null) : null };
		if (memoIds.has(m.id) || memoKeys.has(memoKey(memo))) {
			report.memos.duplicates++;
			continue;
		}
		memo.id = freshId(m.id);
		memoIds.add(memo.id);
		memoKeys.add(memoKey(memo));
		memos.push(memo);
		report.memos.added++;
	}

	report.unchanged =
		report.documents.added + report.codes.added + report.cases.added + report.attributes.added + report.coders.added +
			report.segments.added + report.memos.added + report.valuesFilled ===
		0;
	return {
		data: { study: { ...master.study }, coders, attributes, cases, documents, codes, segments, memos },
		report
	};
}

/** A one-paragraph summary of a merge report, for the import dialog and the CLI. */
export function describeMerge(r: MergeReport): string {
	if (r.unchanged && r.conflicts.length === 0) return 'Nothing new: everything in this file is already in the study.';
	const part = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
	const added = [
		r.segments.added && part(r.segments.added, 'segment'),
		r.coders.added && part(r.coders.added, 'coder'),
		r.documents.added && part(r.documents.added, 'document'),
		r.codes.added && part(r.codes.added, 'code'),
		r.cases.added && part(r.cases.added, 'case'),
		r.attributes.added && part(r.attributes.added, 'attribute'),
		r.memos.added && part(r.memos.added, 'memo')
	].filter(Boolean);
	const lines = [added.length ? `Added ${added.join(', ')}.` : 'Added nothing.'];
	if (r.valuesFilled) lines.push(`Filled in ${part(r.valuesFilled, 'attribute value')}.`);
	if (r.segments.duplicates) lines.push(`${part(r.segments.duplicates, 'segment was', 'segments were')} already there.`);
	if (r.segments.skipped) lines.push(`Skipped ${part(r.segments.skipped, 'segment')}.`);
	if (r.conflicts.length) lines.push(`${part(r.conflicts.length, 'conflict')} to review.`);
	return lines.join(' ');
}
