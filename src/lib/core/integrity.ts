/**
 * The study's integrity check and its repairs. Pure: no Dexie, Svelte or DOM.
 *
 * `checkIntegrity` takes a study whose rows each have the right fields and types (what
 * `readBackup` makes of a file, or what the database holds) and returns the same study with
 * every broken reference repaired, and one `Repair` per change, naming the record. It keeps
 * every coded passage it can place:
 *
 * - a later row with an id already used in its table is dropped (a segment whose content
 *   differs gets a new id instead, so no passage is lost);
 * - a case's value for an attribute that does not exist or is a document attribute is dropped,
 *   and so is a document's value for an attribute that does not exist or is a case attribute;
 * - a document whose case does not exist belongs to no case;
 * - a code whose parent does not exist, or that is its own ancestor, becomes a top-level code;
 *   so does a code nested more than 12 levels deep (a chain thousands deep becomes many trees);
 * - a segment whose code does not exist goes under the code "(unknown code)" (made when needed);
 *   whose coder does not exist, to the coder "(unknown coder)";
 *   whose end is before its start is turned round; whose offsets run past the end of its document
 *   are cut at the end; a segment whose document does not exist, or that lies wholly past the end
 *   of its text, cannot be placed and is dropped;
 * - a memo on a document, code or case that does not exist becomes a study memo (its title says
 *   what it was on); a memo's coder that does not exist is cleared; a memo's passage that is not
 *   inside its document's text (or ends before it starts) is cleared, the memo stays on the document.
 *
 * Lookups keyed by id are Maps, and parent chains are walked with a loop, never recursion, so
 * hostile files (ids such as `__proto__`, chains thousands of codes deep) are harmless.
 */
import { newId as defaultNewId } from './ids';
import type { AttributeScope, AttributeValue, Code, Coder, Id, Memo, Segment, StudyData } from './types';
import { scopeOf } from './types';

export type RepairTable = 'study' | 'coders' | 'attributes' | 'cases' | 'documents' | 'codes' | 'segments' | 'memos';

export interface Repair {
	table: RepairTable;
	/** The id of the record repaired (or dropped). */
	id: Id;
	/** One sentence naming the record, what was wrong and what was done. */
	message: string;
}

export interface IntegrityResult {
	data: StudyData;
	repairs: Repair[];
}

export interface IntegrityOptions {
	newId?: () => Id;
	/** Time stamp for rows the repair makes ("(unknown code)"). */
	now?: string;
}

/** The most levels a code tree may have (codebook.ts `MAX_CODE_DEPTH`). */
const MAX_TREE_DEPTH = 12;

export const UNKNOWN_CODE_NAME = '(unknown code)';
export const UNKNOWN_CODER_NAME = '(unknown coder)';
export const UNKNOWN_CODE_COLOUR = '#888888';

const q = (s: string) => JSON.stringify(s);
const sameSegment = (a: Segment, b: Segment) =>
	a.documentId === b.documentId && a.codeId === b.codeId && a.coderId === b.coderId && a.start === b.start && a.end === b.end && a.memo === b.memo;

/** Check a whole study and repair what is broken. The input is not changed. */
export function checkIntegrity(input: StudyData, opts: IntegrityOptions = {}): IntegrityResult {
	const makeId = opts.newId ?? defaultNewId;
	const now = opts.now ?? new Date().toISOString();
	const repairs: Repair[] = [];
	const studyId = input.study.id;
	const add = (table: RepairTable, id: Id, message: string) => repairs.push({ table, id, message });

	// every id in use, so new ids never collide
	const used = new Set<Id>();
	for (const t of [input.coders, input.attributes, input.cases, input.documents, input.codes, input.segments, input.memos])
		for (const r of t) used.add(r.id);
	const freshId = () => {
		let id = makeId();
		while (used.has(id)) id = makeId();
		used.add(id);
		return id;
	};

	/** Keep the first row of each id; report and drop the others. */
	function unique<T extends { id: Id }>(table: RepairTable, rows: readonly T[], label: (r: T) => string): T[] {
		const seen = new Set<Id>();
		const out: T[] = [];
		for (const r of rows) {
			if (seen.has(r.id)) {
				add(table, r.id, `${label(r)}: another record already has id ${q(r.id)}; this one was left out`);
				continue;
			}
			seen.add(r.id);
			out.push(r);
		}
		return out;
	}

	const coders: Coder[] = unique('coders', input.coders, (c) => `coder ${q(c.name)}`).map((c) => ({ ...c }));
	const attributes = unique('attributes', input.attributes, (a) => `attribute ${q(a.name)}`).map((a) => ({ ...a }));
	const scopeById = new Map(attributes.map((a) => [a.id, scopeOf(a)] as const));
	/** The values of `row` whose attribute exists and has `scope`; the others are reported. */
	const keepValues = (table: 'cases' | 'documents', row: { id: Id; name: string }, values: Record<Id, AttributeValue>, scope: AttributeScope) => {
		let attrs = values;
		const what = table === 'cases' ? 'case' : 'document';
		for (const k of Object.keys(values)) {
			const s = scopeById.get(k);
			if (s === scope) continue;
			if (attrs === values) attrs = copyOwn(values);
			delete attrs[k];
			add(
				table,
				row.id,
				s === undefined
					? `${what} ${q(row.name)}: a value for attribute id ${q(k)}, which does not exist, was left out`
					: `${what} ${q(row.name)}: a value for the ${s} attribute ${q(attributes.find((a) => a.id === k)!.name)}, which a ${what} cannot have, was left out`
			);
		}
		return attrs;
	};
	const cases = unique('cases', input.cases, (c) => `case ${q(c.name)}`).map((c) => ({
		...c,
		attributes: keepValues('cases', c, c.attributes, 'case')
	}));
	const caseIds = new Set(cases.map((c) => c.id));
	const documents = unique('documents', input.documents, (d0) => `document ${q(d0.name)}`).map((d0) => {
		const d = d0.attributes ? { ...d0, attributes: keepValues('documents', d0, d0.attributes, 'document') } : { ...d0 };
		if (d.caseId !== null && !caseIds.has(d.caseId)) {
			add('documents', d.id, `document ${q(d.name)}: its case ${q(d.caseId)} does not exist; it now belongs to no case`);
			return { ...d, caseId: null };
		}
		return d;
	});
	const docById = new Map(documents.map((d) => [d.id, d] as const));

	// codes: dangling parents, then cycles (walked with a loop; each code is visited once)
	const codes: Code[] = unique('codes', input.codes, (c) => `code ${q(c.name)}`).map((c) => ({ ...c }));
	const codeById = new Map(codes.map((c) => [c.id, c] as const));
	for (const c of codes)
		if (c.parentId !== null && !codeById.has(c.parentId)) {
			add('codes', c.id, `code ${q(c.name)}: its parent ${q(c.parentId)} does not exist; it is now a top-level code`);
			c.parentId = null;
		}
	const state = new Map<Id, 1 | 2>(); // 1: on the chain being walked, 2: known to reach the root
	for (const start of codes) {
		if (state.has(start.id)) continue;
		const chain: Code[] = [];
		let c: Code | undefined = start;
		while (c && !state.has(c.id)) {
			state.set(c.id, 1);
			chain.push(c);
			c = c.parentId === null ? undefined : codeById.get(c.parentId);
		}
		if (c && state.get(c.id) === 1) {
			// the chain came back to itself: cut it at the last code walked
			const last = chain[chain.length - 1];
			add('codes', last.id, `code ${q(last.name)}: it was its own ancestor; it is now a top-level code`);
			last.parentId = null;
		}
		for (const x of chain) state.set(x.id, 2);
	}
	// codes nested deeper than a codebook may be (MAX_CODE_DEPTH levels, as codebook.ts reads
	// them): each such code starts a new top-level tree, so every tree stays shallow enough to show
	// and walk. Depths are found with a loop, top-down along each chain.
	const depth = new Map<Id, number>();
	for (const start of codes) {
		const chain: Code[] = [];
		let c: Code | undefined = start;
		while (c && !depth.has(c.id)) {
			chain.push(c);
			c = c.parentId === null ? undefined : codeById.get(c.parentId);
		}
		let d = c ? (depth.get(c.id) as number) : -1;
		for (let i = chain.length - 1; i >= 0; i--) {
			const x = chain[i];
			d = x.parentId === null ? 0 : d + 1;
			if (d >= MAX_TREE_DEPTH) {
				add('codes', x.id, `code ${q(x.name)}: it was nested more than ${MAX_TREE_DEPTH} levels deep; it is now a top-level code`);
				x.parentId = null;
				d = 0;
			}
			depth.set(x.id, d);
		}
	}

	const coderIds = new Set(coders.map((c) => c.id));
	let unknownCode: Code | undefined;
	const unknownCodeId = (): Id => {
		unknownCode ??= codes.find((c) => c.parentId === null && c.name === UNKNOWN_CODE_NAME);
		if (!unknownCode) {
			unknownCode = {
				id: freshId(),
				studyId,
				parentId: null,
				name: UNKNOWN_CODE_NAME,
				definition: 'Made when the study was checked or restored: the passages coded with a code that no longer exists.',
				inclusion: '',
				exclusion: '',
				example: '',
				colour: UNKNOWN_CODE_COLOUR,
				order: codes.reduce((m, c) => (c.parentId === null ? Math.max(m, c.order + 1) : m), 0),
				favourite: null,
				createdAt: now,
				updatedAt: now
			};
			codes.push(unknownCode);
			codeById.set(unknownCode.id, unknownCode);
		}
		return unknownCode.id;
	};
	let unknownCoder: Coder | undefined;
	const unknownCoderId = (): Id => {
		unknownCoder ??= coders.find((c) => c.name === UNKNOWN_CODER_NAME);
		if (!unknownCoder) {
			unknownCoder = { id: freshId(), studyId, name: UNKNOWN_CODER_NAME, createdAt: now };
			coders.push(unknownCoder);
			coderIds.add(unknownCoder.id);
		}
		return unknownCoder.id;
	};

	const segments: Segment[] = [];
	const segById = new Map<Id, Segment>();
	for (const s0 of input.segments) {
		let s = { ...s0 };
		const doc = docById.get(s.documentId);
		const name = `segment ${q(s0.id)}${doc ? ` (document ${q(doc.name)}, ${s0.start}–${s0.end})` : ''}`;
		const prev = segById.get(s.id);
		if (prev) {
			if (sameSegment(prev, s)) {
				add('segments', s0.id, `${name}: a copy of another segment with the same id; left out`);
				continue;
			}
			s = { ...s, id: freshId() };
			add('segments', s0.id, `${name}: another segment already has this id; it was given the id ${q(s.id)}`);
		}
		if (!doc) {
			add('segments', s0.id, `${name}: its document ${q(s.documentId)} does not exist, so the passage cannot be placed; left out`);
			continue;
		}
		if (!codeById.has(s.codeId)) {
			const missing = s.codeId;
			s.codeId = unknownCodeId();
			add('segments', s0.id, `${name}: its code ${q(missing)} does not exist; it is now under ${q(UNKNOWN_CODE_NAME)}`);
		}
		if (!coderIds.has(s.coderId)) {
			const missing = s.coderId;
			s.coderId = unknownCoderId();
			add('segments', s0.id, `${name}: its coder ${q(missing)} does not exist; it now belongs to ${q(UNKNOWN_CODER_NAME)}`);
		}
		if (s.end < s.start) {
			[s.start, s.end] = [s.end, s.start];
			add('segments', s0.id, `${name}: its end was before its start; turned round to ${s.start}–${s.end}`);
		}
		const len = doc.text.length;
		if (s.end > len) {
			if (s.start >= len && s0.start !== s0.end) {
				add('segments', s0.id, `${name}: it lies wholly past the end of the document (${len} characters); left out`);
				continue;
			}
			s.start = Math.min(s.start, len);
			s.end = len;
			add('segments', s0.id, `${name}: it ran past the end of the document (${len} characters); it now ends there (${s.start}–${s.end})`);
		}
		segById.set(s.id, s);
		segments.push(s);
	}

	const memoTargets: Record<Exclude<Memo['targetType'], 'study'>, Set<Id>> = {
		document: new Set(documents.map((d) => d.id)),
		code: new Set(codes.map((c) => c.id)),
		case: caseIds
	};
	const memos: Memo[] = unique('memos', input.memos, (m) => `memo ${q(m.id)}${m.title ? ` (${q(m.title)})` : ''}`).map((m0) => {
		const m = { ...m0 };
		const name = `memo ${q(m0.id)}${m0.title ? ` (${q(m0.title)})` : ''}`;
		if (m.targetType === 'study') {
			if (m.targetId !== null) {
				add('memos', m0.id, `${name}: a study memo with a target id ${q(m.targetId)}; the id was cleared`);
				m.targetId = null;
			}
		} else if (m.targetId === null || !memoTargets[m.targetType]?.has(m.targetId)) {
			const was = `${m.targetType} ${q(m.targetId ?? '')}`;
			add('memos', m0.id, `${name}: the ${was} it was written on does not exist; it is now a study memo`);
			m.title = `${m.title ? `${m.title} ` : ''}(was on the ${was})`;
			m.targetType = 'study';
			m.targetId = null;
			delete m.start;
			delete m.end;
		}
		if (m.start !== undefined || m.end !== undefined) {
			const len = m.targetType === 'document' ? docById.get(m.targetId ?? '')?.text.length : undefined;
			const s = m.start;
			const e = m.end;
			if (
				len === undefined ||
				typeof s !== 'number' ||
				typeof e !== 'number' ||
				!Number.isInteger(s) ||
				!Number.isInteger(e) ||
				s < 0 ||
				s > e ||
				e > len
			) {
				const why =
					len === undefined
						? 'only a memo on a document has a passage'
						: typeof s === 'number' && typeof e === 'number' && s > e
							? `its passage ${s}–${e} ends before it starts`
							: `its passage ${s ?? '?'}–${e ?? '?'} is not inside the document (${len} characters)`;
				add('memos', m0.id, `${name}: ${why}; ${len === undefined ? 'the passage was cleared' : 'it is now a memo on the whole document'}`);
				delete m.start;
				delete m.end;
			}
		}
		if (m.coderId !== null && !coderIds.has(m.coderId)) {
			add('memos', m0.id, `${name}: its coder ${q(m.coderId)} does not exist; the memo keeps no coder`);
			m.coderId = null;
		}
		return m;
	});

	return {
		data: { study: { ...input.study }, coders, attributes, cases, documents, codes, segments, memos },
		repairs
	};
}

/** A copy of an object's own properties that keeps a key such as `__proto__` as a plain key. */
export function copyOwn<V>(o: Record<string, V>): Record<string, V> {
	const out = Object.create(null) as Record<string, V>;
	for (const k of Object.keys(o)) Object.defineProperty(out, k, { value: o[k], enumerable: true, writable: true, configurable: true });
	return out;
}

/** One line per repair, for the screen or stderr. */
export function describeRepairs(repairs: readonly Repair[], limit = Infinity): string[] {
	const lines = repairs.slice(0, limit).map((r) => r.message);
	if (repairs.length > limit) lines.push(`… and ${repairs.length - limit} more repairs`);
	return lines;
}
