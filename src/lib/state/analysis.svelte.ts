/**
 * The Analyse screen: the whole study, live from IndexedDB, the controls (count unit, break-by
 * attributes, filters, sort, roll-up) and every table computed from them by the pure analysis core.
 *
 *   const an = new AnalysisState(session);   // during component init
 *   an.frequencies, an.crosstab, an.cooccurrence, an.matrix   // current results (null while loading)
 *   an.open({ kind: 'code', codeId, ... }, 'title')            // the passages behind a figure
 */
import {
	type AnalysisFilter,
	type CooccurrenceMode,
	type CooccurrenceResult,
	type CountUnit,
	type CrosstabResult,
	type FrequencyResult,
	MISSING,
	type SegmentQuery,
	cooccurrence,
	cooccurrenceSegments,
	defaultCoderIds,
	describeCoders,
	onlyCoder,
	cooccurrenceTable,
	codeCaseMatrix,
	crosstab,
	crosstabTable,
	frequencies,
	frequencyTable,
	indexOf,
	naturalCompare,
	segmentsFor,
	valueKey,
	type Table
} from '../core/analysis';
import { type MatrixView, matrixView, matrixViewTable, shownCooccurrence, shownCrosstab, shownFrequencies } from '../core/analysis/shown';
import type { CrosstabShow } from '../core/analysis/tables';
import { type CrosstabTests, type LabelledTest, attributeTest, crosstabTests } from '../core/analysis/crosstab-tests';
import type { Adjustment } from '../core/analysis/stats';
import type { Attribute, AttributeValue, Id, Segment, StudyData } from '../core/types';
import { scopeOf } from '../core/types';
import { loadStudyData } from '../db/studies';
import { Live } from './live.svelte';
import type { StudySession } from './session.svelte';

export type AnalysisTab = 'frequencies' | 'crosstab' | 'cooccurrence' | 'matrix';
export const TABS: { id: AnalysisTab; label: string }[] = [
	{ id: 'frequencies', label: 'Frequencies' },
	{ id: 'crosstab', label: 'Cross-tab' },
	{ id: 'cooccurrence', label: 'Co-occurrence' },
	{ id: 'matrix', label: 'Matrix' }
];

/** What a clicked figure stands for; kept with the settings of the moment it was clicked. */
export type DrillTarget =
	| { kind: 'code'; query: SegmentQuery; filter: AnalysisFilter }
	| { kind: 'pair'; a: Id; b: Id; mode: CooccurrenceMode; includeDescendants: boolean; filter: AnalysisFilter };

export interface Drill {
	target: DrillTarget;
	/** What the figure is, e.g. "Discharge standards · City = C". */
	title: string;
	/** The figure as shown, e.g. "7 cases". */
	figure: string;
}

export interface Passage {
	segment: Segment;
	document: string;
	caseName: string | null;
	coder: string;
	code: string;
	codePath: string;
	colour: string;
	before: string;
	text: string;
	after: string;
	/** The coding view, scrolled to the passage. */
	href: string;
}

const CONTEXT = 90;
const MAX_TEXT = 1200;

function squash(s: string): string {
	return s.replace(/\s+/g, ' ');
}

/** A few words of context either side of a passage, cut at word boundaries. */
export function passageContext(text: string, start: number, end: number): { before: string; text: string; after: string } {
	let b = Math.max(0, start - CONTEXT);
	if (b > 0) {
		const sp = text.indexOf(' ', b);
		if (sp >= 0 && sp < start) b = sp + 1;
	}
	let a = Math.min(text.length, end + CONTEXT);
	if (a < text.length) {
		const sp = text.lastIndexOf(' ', a);
		if (sp > end) a = sp;
	}
	let body = text.slice(start, end);
	if (body.length > MAX_TEXT) body = body.slice(0, MAX_TEXT - 200) + ' … ' + body.slice(body.length - 150);
	return {
		before: (b > 0 ? '…' : '') + squash(text.slice(b, start)),
		text: body,
		after: squash(text.slice(end, a)) + (a < text.length ? '…' : '')
	};
}

function sameIds(a: readonly Id[], b: readonly Id[]): boolean {
	return a.length === b.length && a.every((x) => b.includes(x));
}

export class AnalysisState {
	readonly session: StudySession;
	#raw: Live<StudyData | null>;

	tab = $state<AnalysisTab>('frequencies');
	/** The count unit of frequencies (sort) and cross-tabs. */
	count = $state<CountUnit>('cases');
	/** Break-by attributes; empty until chosen (then the first attribute named City, else the first). */
	#by = $state<Id[] | null>(null);
	show = $state<CrosstabShow>('count');
	/** Cross-tab: tests per code (crosstab-tests.ts) and the p adjustment shown. */
	tests = $state(false);
	adjust = $state<Adjustment>('none');
	/** Yates' correction for 2 × 2 tables led by the chi-square. */
	yates = $state(false);
	sortByCount = $state(false);
	rollup = $state(true);
	coRollup = $state(false);
	perCoder = $state(false);
	hideEmpty = $state(false);
	coMode = $state<CooccurrenceMode>('overlap');
	binary = $state(false);
	/** The coders chosen in the Coders filter; null until chosen (then the default: see `coderIds`). */
	#coderIds = $state<Id[] | null>(null);
	documentIds = $state<Id[]>([]);
	/** Per attribute id, the value keys kept (null = "(missing)"); absent or empty = all. */
	attributeValues = $state<Record<Id, (string | null)[]>>({});
	drill = $state<Drill | null>(null);

	constructor(session: StudySession) {
		this.session = session;
		this.#raw = new Live(() => loadStudyData(session.db, session.studyId), null);
		// The settings survive a trip to the coding view and back (this browser tab only).
		const key = `gloss:analyse:${session.studyId}`;
		this.#restore(key);
		$effect(() => {
			const snap = JSON.stringify(this.#snapshot());
			try {
				sessionStorage.setItem(key, snap);
			} catch {
				/* storage full or disabled: settings are simply not remembered */
			}
		});
	}

	#snapshot() {
		return {
			tab: this.tab,
			count: this.count,
			by: this.#by,
			show: this.show,
			tests: this.tests,
			adjust: this.adjust,
			yates: this.yates,
			sortByCount: this.sortByCount,
			rollup: this.rollup,
			coRollup: this.coRollup,
			perCoder: this.perCoder,
			hideEmpty: this.hideEmpty,
			coMode: this.coMode,
			binary: this.binary,
			coderIds: this.#coderIds,
			documentIds: this.documentIds,
			attributeValues: this.attributeValues
		};
	}

	#restore(key: string): void {
		let raw: unknown;
		try {
			raw = JSON.parse(sessionStorage.getItem(key) ?? 'null');
		} catch {
			return;
		}
		if (!raw || typeof raw !== 'object') return;
		const r = raw as Record<string, unknown>;
		const oneOf = <T extends string>(v: unknown, ok: readonly T[]): v is T => typeof v === 'string' && (ok as readonly string[]).includes(v);
		const ids = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
		const bool = (v: unknown): v is boolean => typeof v === 'boolean';
		if (oneOf(r.tab, ['frequencies', 'crosstab', 'cooccurrence', 'matrix'] as const)) this.tab = r.tab;
		if (oneOf(r.count, ['cases', 'segments', 'documents'] as const)) this.count = r.count;
		if (ids(r.by)) this.#by = r.by.slice(0, 2);
		if (oneOf(r.show, ['count', 'rowPercent', 'columnPercent'] as const)) this.show = r.show;
		if (oneOf(r.adjust, ['none', 'holm', 'bh'] as const)) this.adjust = r.adjust;
		if (bool(r.tests)) this.tests = r.tests;
		if (bool(r.yates)) this.yates = r.yates;
		if (oneOf(r.coMode, ['overlap', 'documents', 'cases'] as const)) this.coMode = r.coMode;
		if (bool(r.sortByCount)) this.sortByCount = r.sortByCount;
		if (bool(r.rollup)) this.rollup = r.rollup;
		if (bool(r.coRollup)) this.coRollup = r.coRollup;
		if (bool(r.perCoder)) this.perCoder = r.perCoder;
		if (bool(r.hideEmpty)) this.hideEmpty = r.hideEmpty;
		if (bool(r.binary)) this.binary = r.binary;
		if (ids(r.coderIds)) this.#coderIds = r.coderIds;
		if (ids(r.documentIds)) this.documentIds = r.documentIds;
		const av = r.attributeValues;
		if (av && typeof av === 'object' && !Array.isArray(av)) {
			const out: Record<Id, (string | null)[]> = {};
			for (const [k, v] of Object.entries(av))
				if (Array.isArray(v) && v.every((x) => x === null || typeof x === 'string')) out[k] = v as (string | null)[];
			this.attributeValues = out;
		}
	}

	/** The study as this coder may see it: with blind coding on, only their own work. */
	readonly data = $derived.by((): StudyData | null => {
		const d = this.#raw.current;
		const shown = this.session.shownCoderId;
		return d && shown !== null ? onlyCoder(d, shown) : d;
	});
	get loaded(): boolean {
		return this.#raw.loaded;
	}
	get error(): string | null {
		return this.#raw.error;
	}

	/** Case attributes first, then document attributes, each in column order. */
	readonly attributes = $derived.by((): Attribute[] =>
		this.data
			? [...this.data.attributes].sort((a, b) => (scopeOf(a) === scopeOf(b) ? a.order - b.order : scopeOf(a) === 'case' ? -1 : 1))
			: []
	);
	readonly caseAttributes = $derived(this.attributes.filter((a) => scopeOf(a) === 'case'));
	readonly documentAttributes = $derived(this.attributes.filter((a) => scopeOf(a) === 'document'));
	readonly coders = $derived.by(() => (this.data ? indexOf(this.data).coders : []));
	readonly documents = $derived.by(() => (this.data ? indexOf(this.data).docs : []));

	/**
	 * The coders the tables count: those chosen in the Coders filter (empty: all); until the
	 * researcher chooses, the consensus coder where there is one (core/analysis/coders.ts).
	 */
	get coderIds(): Id[] {
		return this.#coderIds ?? defaultCoderIds(this.coders);
	}
	set coderIds(ids: Id[]) {
		this.#coderIds = ids;
	}

	/**
	 * The values each attribute takes over the cases (over the documents for a document attribute;
	 * value keys, sorted), and whether some case (or document) has none.
	 */
	readonly attributeChoices = $derived.by(() => {
		const data = this.data;
		if (!data) return [];
		return this.attributes.map((a) => {
			const keys = new Set<string>();
			let missing = false;
			const holders: { attributes?: Record<string, AttributeValue> }[] = scopeOf(a) === 'document' ? data.documents : data.cases;
			for (const c of holders) {
				const k = valueKey(c.attributes?.[a.id]);
				if (k === null) missing = true;
				else keys.add(k);
			}
			const values = [...keys].sort((x, y) => (a.type === 'number' ? Number(x) - Number(y) : 0) || naturalCompare(x, y));
			return { attribute: a, values: values as (string | null)[], missing };
		});
	});

	/** The break-by attributes that exist now (defaults to City, else the first attribute). */
	get by(): Id[] {
		const ids = new Set(this.attributes.map((a) => a.id));
		const chosen = (this.#by ?? []).filter((id) => ids.has(id));
		if (chosen.length) return chosen;
		const city = this.attributes.find((a) => a.name.toLowerCase() === 'city') ?? this.attributes[0];
		return city ? [city.id] : [];
	}
	set by(ids: Id[]) {
		this.#by = ids.filter((id, i) => id && ids.indexOf(id) === i).slice(0, 2);
	}

	readonly filter = $derived.by((): AnalysisFilter => {
		const attributes: Record<Id, AttributeValue[]> = {};
		for (const [id, vals] of Object.entries(this.attributeValues)) if (vals.length) attributes[id] = vals;
		// Ids of coders or documents deleted since they were picked are dropped.
		const coders = new Set(this.coders.map((c) => c.id));
		const docs = new Set(this.documents.map((d) => d.id));
		const coderIds = this.coderIds.filter((id) => coders.has(id));
		const documentIds = this.documentIds.filter((id) => docs.has(id));
		return {
			coderIds: coderIds.length ? coderIds : undefined,
			documentIds: documentIds.length ? documentIds : undefined,
			attributes: Object.keys(attributes).length ? attributes : undefined
		};
	});

	/** The coders the tables count, in words, for their titles ("Consensus", "all coders (2)"). */
	readonly codersCounted = $derived(describeCoders(this.coders, this.filter.coderIds ?? []));

	/** How many filters are on (coders other than the default, documents, each attribute). */
	readonly filterCount = $derived(
		(this.#coderIds !== null && !sameIds(this.#coderIds, defaultCoderIds(this.coders)) ? 1 : 0) +
			(this.documentIds.length ? 1 : 0) +
			Object.values(this.attributeValues).filter((v) => v.length).length
	);

	/** Back to the defaults: the default coders (the consensus, where there is one), every document and case. */
	clearFilters(): void {
		this.#coderIds = null;
		this.documentIds = [];
		this.attributeValues = {};
	}

	readonly frequencies = $derived.by((): FrequencyResult | null => {
		if (!this.data) return null;
		const r = frequencies(this.data, this.filter, { includeDescendants: this.rollup, sort: this.sortByCount ? this.count : 'codebook' });
		return shownFrequencies(r, this.hideEmpty);
	});

	readonly crosstab = $derived.by((): CrosstabResult | null => {
		const by = this.by;
		if (!this.data || !by.length) return null;
		const r = crosstab(this.data, this.filter, { by, count: this.count, includeDescendants: this.rollup });
		return shownCrosstab(r, { hideEmpty: this.hideEmpty, byTotal: this.sortByCount });
	});

	/** Tests per code of the cross-tab as shown, when "Tests" is on (null otherwise). */
	readonly crosstabTests = $derived.by((): CrosstabTests | null => {
		const x = this.crosstab;
		return this.tests && x ? crosstabTests(x, { adjust: this.adjust, yates: this.yates }) : null;
	});

	/** With tests on and two nested attributes: the two attributes against each other. */
	readonly nestedTest = $derived.by((): LabelledTest | null => {
		const by = this.by;
		return this.tests && this.data && by.length === 2 ? attributeTest(this.data, this.filter, by[0], by[1]) : null;
	});

	readonly cooccurrence = $derived.by((): CooccurrenceResult | null => {
		if (!this.data) return null;
		const r = cooccurrence(this.data, this.filter, { mode: this.coMode, includeDescendants: this.coRollup });
		return shownCooccurrence(r, this.hideEmpty);
	});

	readonly matrix = $derived.by((): MatrixView | null => {
		if (!this.data) return null;
		const m = codeCaseMatrix(this.data, this.filter, { includeDescendants: this.rollup });
		return matrixView(m, { binary: this.binary, hideEmpty: this.hideEmpty });
	});

	/** The current tab's table as shown, for "Download CSV". */
	get table(): Table | null {
		switch (this.tab) {
			case 'frequencies':
				return this.frequencies ? frequencyTable(this.frequencies, { perCoder: this.perCoder }) : null;
			case 'crosstab':
				return this.crosstab ? crosstabTable(this.crosstab, { show: this.show, tests: this.crosstabTests }) : null;
			case 'cooccurrence':
				return this.cooccurrence ? cooccurrenceTable(this.cooccurrence) : null;
			case 'matrix':
				return this.matrix ? matrixViewTable(this.matrix) : null;
		}
	}

	/** A file name part for the current table, e.g. "crosstab-City-Sector-cases". */
	get tableName(): string {
		switch (this.tab) {
			case 'frequencies':
				return 'frequencies';
			case 'crosstab': {
				const names = this.by.map((id) => this.attributes.find((a) => a.id === id)?.name ?? 'attribute');
				const show = this.show === 'count' ? this.count : this.show === 'rowPercent' ? `${this.count}-row-percent` : `${this.count}-column-percent`;
				const tests = this.tests ? (this.adjust === 'none' ? '-tests' : `-tests-${this.adjust}`) : '';
				return `crosstab-${names.join('-')}-${show}${tests}`;
			}
			case 'cooccurrence':
				return `cooccurrence-${this.coMode}`;
			case 'matrix':
				return this.binary ? 'code-case-matrix-01' : 'code-case-matrix-counts';
		}
	}

	/** Open the passages behind a code figure (frequency, cross-tab cell, matrix cell). */
	openCode(query: Omit<SegmentQuery, 'includeDescendants'>, title: string, figure: string): void {
		this.drill = {
			target: { kind: 'code', query: { ...query, includeDescendants: this.rollup }, filter: this.filter },
			title,
			figure
		};
	}

	/** Open the passages behind a co-occurrence cell. */
	openPair(a: Id, b: Id, title: string, figure: string): void {
		this.drill = {
			target: { kind: 'pair', a, b, mode: this.coMode, includeDescendants: this.coRollup, filter: this.filter },
			title,
			figure
		};
	}

	closeDrill(): void {
		this.drill = null;
	}

	/** The passages behind the open figure, live. */
	readonly passages = $derived.by((): Passage[] => {
		const data = this.data;
		const d = this.drill;
		if (!data || !d) return [];
		const t = d.target;
		const segs =
			t.kind === 'code'
				? segmentsFor(data, t.filter, t.query)
				: cooccurrenceSegments(data, t.filter, { mode: t.mode, includeDescendants: t.includeDescendants }, t.a, t.b);
		const ix = indexOf(data);
		const base = `/study/${encodeURIComponent(this.session.studyId)}/code`;
		return segs.map((s) => {
			const doc = ix.docs[ix.docIdx.get(s.documentId)!];
			const caseIx = doc.caseId === null ? undefined : ix.caseIdx.get(doc.caseId);
			const ci = ix.codeIdx.get(s.codeId)!;
			const code = ix.codes[ci];
			return {
				segment: s,
				document: doc.name,
				caseName: caseIx === undefined ? null : ix.cases[caseIx].name,
				coder: ix.coders[ix.coderIdx.get(s.coderId)!]?.name ?? 'unknown coder',
				code: code.name,
				codePath: ix.paths[ci],
				colour: code.colour,
				...passageContext(doc.text, s.start, s.end),
				href: `${base}?doc=${encodeURIComponent(doc.id)}&seg=${encodeURIComponent(s.id)}`
			};
		});
	});

	/** "City = C", "City = C, Sector = Chemicals", "City = (missing)". */
	columnDescription(values: (string | null)[]): string {
		return this.by
			.map((id, i) => `${this.attributes.find((a) => a.id === id)?.name ?? 'attribute'} = ${values[i] ?? MISSING}`)
			.join(', ');
	}
}
