/** The Cases screen: cases, attributes and document counts (live), and the commands on them. */
import { attributesCsv } from '../core/exports';
import type { AttributeMapping } from '../core/cases';
import type { ParsedCsv } from '../core/csv';
import type { Attribute, AttributeScope, AttributeType, Case, Result } from '../core/types';
import { scopeOf } from '../core/types';
import {
	addAttribute,
	createCase,
	deleteCase,
	importAttributes,
	renameCase,
	setCaseValue
} from '../db/cases';
import { loadStudyData } from '../db/studies';
import { AttributeOwnerState } from './attribute-owner';
import { Live } from './live.svelte';
import type { StudySession } from './session.svelte';

export class CasesState extends AttributeOwnerState {
	#cases: Live<Case[]>;
	#attributes: Live<Attribute[]>;
	#docCounts: Live<Map<string, number>>;

	constructor(session: StudySession) {
		super(session);
		const { db, studyId } = session;
		this.#cases = new Live(async () => {
			const cases = await db.cases.where('studyId').equals(studyId).toArray();
			// One collator: a study of 100,000 cases sorts in a blink, localeCompare per pair takes seconds.
			const order = new Intl.Collator(undefined, { numeric: true });
			return cases.sort((a, b) => order.compare(a.name, b.name));
		}, []);
		this.#attributes = new Live(async () => {
			const attrs = await db.attributes.where('studyId').equals(studyId).toArray();
			return attrs.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
		}, []);
		this.#docCounts = new Live(async () => {
			const counts = new Map<string, number>();
			await db.documents
				.where('studyId')
				.equals(studyId)
				.each((d) => {
					if (d.caseId) counts.set(d.caseId, (counts.get(d.caseId) ?? 0) + 1);
				});
			return counts;
		}, new Map());
	}

	get cases(): Case[] {
		return this.#cases.current;
	}
	/** The case attributes, in column order. */
	get attributes(): Attribute[] {
		return this.#attributes.current.filter((a) => scopeOf(a) === 'case');
	}
	/** Every attribute of the study, document attributes too (the CSV import checks names against them). */
	get allAttributes(): Attribute[] {
		return this.#attributes.current;
	}
	get loaded(): boolean {
		return this.#cases.loaded && this.#attributes.loaded;
	}
	documentCount(caseId: string): number {
		return this.#docCounts.current.get(caseId) ?? 0;
	}
	/** The distinct values of a category attribute, for suggestions. */
	valuesOf(attributeId: string): string[] {
		const set = new Set<string>();
		for (const c of this.#cases.current) {
			const v = c.attributes[attributeId];
			if (typeof v === 'string' && v) set.add(v);
		}
		return [...set].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
	}

	addCase(name: string) {
		return this.save((db, s) => createCase(db, s, name));
	}
	renameCase(caseId: string, name: string) {
		return this.save((db, s) => renameCase(db, s, caseId, name));
	}
	deleteCase(caseId: string) {
		return this.save((db, s) => deleteCase(db, s, caseId));
	}
	setValue(caseId: string, attributeId: string, raw: string) {
		return this.save((db, s) => setCaseValue(db, s, caseId, attributeId, raw));
	}
	addAttribute(name: string, type: AttributeType) {
		return this.save((db, s) => addAttribute(db, s, name, type));
	}
	/**
	 * Add several attributes at once, each to cases or to documents (the suggested City, Sector,
	 * Size, Ownership for cases; Wave, Date, Interviewer, Language for documents). Returns the
	 * names added at each level.
	 */
	async addAttributes(list: readonly { name: string; type: AttributeType; scope?: AttributeScope }[]): Promise<Result<Record<AttributeScope, string[]>>> {
		const errors: string[] = [];
		const added: Record<AttributeScope, string[]> = { case: [], document: [] };
		for (const a of list) {
			const scope = a.scope ?? 'case';
			const r = await this.save((db, s) => addAttribute(db, s, a.name, a.type, scope));
			if (r.ok) added[scope].push(r.value.name);
			else errors.push(...r.errors);
		}
		return errors.length ? { ok: false, errors } : { ok: true, value: added };
	}


	importCsv(csv: ParsedCsv, mapping: AttributeMapping, fileName: string) {
		return this.save((db, s) => importAttributes(db, s, csv, mapping, fileName));
	}

	/** The attributes table as CSV (one row per case), with a BOM so Excel reads it as UTF-8. */
	async exportCsv(): Promise<string> {
		const data = await loadStudyData(this.session.db, this.session.studyId);
		if (!data) return '';
		return attributesCsv(data, { bom: true });
	}
}
