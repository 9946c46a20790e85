/**
 * The Analyse screen: the controls (count unit, break-by attributes, filters, sort, roll-up) and
 * the tables computed from them by the pure analysis core, in a worker (workers/analysis.ts) that
 * reads the study itself and holds it until the study's change time moves: the page never reads
 * 100,000 segments nor freezes while they are tallied. Every write (another tab's too) moves that
 * time, and the tables are asked for again.
 *
 *   const an = new AnalysisState(session);   // during component init
 *   an.frequencies, an.crosstab, an.cooccurrence, an.matrix   // current results (null while computed)
 *   an.openCode({ codeId, ... }, 'title', 'figure')            // the passages behind a figure
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
	defaultCoderIds,
	describeCoders,
	cooccurrenceTable,
	crosstabTable,
	frequencyTable,
	type Table
} from '../core/analysis';
import { type MatrixView, matrixViewTable } from '../core/analysis/shown';
import type { CrosstabShow } from '../core/analysis/tables';
import type { CrosstabTests, LabelledTest } from '../core/analysis/crosstab-tests';
import type { Adjustment } from '../core/analysis/stats';
import type { Attribute, Coder, Id } from '../core/types';
import { scopeOf } from '../core/types';
import {
	AnalysisJobs,
	coderIdsOf,
	pieceKeys,
	resolveBy,
	resolveFilter,
	type AnalysisMeta,
	type AnalysisSettings,
	type AnalysisTab,
	type AnalysisView,
	type AttributeChoice,
	type DrillTarget,
	type Passage,
	type PassagePage,
	type Piece
} from '../workers/analysis';
import type { StudySession } from './session.svelte';

export type { AnalysisTab, DrillTarget, Passage };
export const TABS: { id: AnalysisTab; label: string }[] = [
	{ id: 'frequencies', label: 'Frequencies' },
	{ id: 'crosstab', label: 'Cross-tab' },
	{ id: 'cooccurrence', label: 'Co-occurrence' },
	{ id: 'matrix', label: 'Matrix' }
];

export interface Drill {
	target: DrillTarget;
	/** What the figure is, e.g. "Discharge standards · City = C". */
	title: string;
	/** The figure as shown, e.g. "7 cases". */
	figure: string;
}

/** How many more passages "Show more" asks for. */
export const PASSAGE_PAGE = 100;

function sameIds(a: readonly Id[], b: readonly Id[]): boolean {
	return a.length === b.length && a.every((x) => b.includes(x));
}

export class AnalysisState {
	readonly session: StudySession;
	#jobs: AnalysisJobs;

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
		this.#jobs = new AnalysisJobs(session.db, session.studyId);
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
		// Ask the worker again whenever the settings or the study change; only the newest answer counts.
		$effect(() => {
			const version = this.session.study?.updatedAt;
			const settings = this.#settings;
			if (version === undefined) return;
			void this.#jobs.run(version, { kind: 'view', settings }).then((r) => {
				if (!r) return;
				if (!r.ok) {
					this.#error = r.errors.join('; ');
					return;
				}
				this.#error = null;
				const v = r.value;
				this.#meta = v.meta;
				this.#pieces = {
					frequencies: v.frequencies,
					crosstab: v.crosstab ?? this.#pieces.crosstab,
					cooccurrence: v.cooccurrence ?? this.#pieces.cooccurrence,
					matrix: v.matrix ?? this.#pieces.matrix
				};
			});
		});
		// The passages behind the open figure, a page at a time, again when the study changes.
		$effect(() => {
			const version = this.session.study?.updatedAt;
			const d = this.drill;
			const limit = this.#drillLimit;
			if (version === undefined || !d) return;
			const target = JSON.stringify(d.target);
			void this.#jobs.run(version, { kind: 'passages', shownCoderId: this.session.shownCoderId, target: d.target, limit }).then((r) => {
				if (r) this.#drillPage = { target, value: r.ok ? r.value : { passages: [], total: 0, documents: 0 } };
			});
		});
		$effect(() => () => this.#jobs.close());
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

	#meta = $state.raw<AnalysisMeta | null>(null);
	#error = $state<string | null>(null);
	/** The tables the worker gave last, each with the key of its settings. */
	#pieces = $state.raw<Partial<Omit<AnalysisView, 'meta'>>>({});
	#drillLimit = $state(PASSAGE_PAGE);
	/** The open figure's passages the worker gave last (`target`: the figure's, as JSON). */
	#drillPage = $state.raw<{ target: string; value: PassagePage } | null>(null);

	readonly #settings = $derived.by(
		(): AnalysisSettings => ({
			shownCoderId: this.session.shownCoderId,
			tab: this.tab,
			choices: { coderIds: this.#coderIds, documentIds: this.documentIds, attributeValues: this.attributeValues },
			count: this.count,
			by: this.#by,
			rollup: this.rollup,
			coRollup: this.coRollup,
			sortByCount: this.sortByCount,
			hideEmpty: this.hideEmpty,
			tests: this.tests,
			adjust: this.adjust,
			yates: this.yates,
			coMode: this.coMode,
			binary: this.binary
		})
	);
	readonly #keys = $derived(pieceKeys(this.#settings));

	/** What the page shows of the study (attributes, coders, documents); null until the worker first answers. */
	get meta(): AnalysisMeta | null {
		return this.#meta;
	}
	get loaded(): boolean {
		return this.#meta !== null || this.#error !== null;
	}
	get error(): string | null {
		return this.#error;
	}
	get hasCodes(): boolean {
		return (this.#meta?.codeCount ?? 0) > 0;
	}

	/** Case attributes first, then document attributes, each in column order. */
	readonly attributes = $derived<Attribute[]>(this.#meta?.attributes ?? []);
	readonly caseAttributes = $derived(this.attributes.filter((a) => scopeOf(a) === 'case'));
	readonly documentAttributes = $derived(this.attributes.filter((a) => scopeOf(a) === 'document'));
	readonly coders = $derived<Coder[]>(this.#meta?.coders ?? []);
	readonly documents = $derived<{ id: Id; name: string }[]>(this.#meta?.documents ?? []);

	/**
	 * The coders the tables count: those chosen in the Coders filter (empty: all); until the
	 * researcher chooses, the consensus coder where there is one (core/analysis/coders.ts).
	 */
	get coderIds(): Id[] {
		return coderIdsOf({ coders: this.coders }, this.#coderIds);
	}
	set coderIds(ids: Id[]) {
		this.#coderIds = ids;
	}

	/**
	 * The values each attribute takes over the cases (over the documents for a document attribute;
	 * value keys, sorted), and whether some case (or document) has none.
	 */
	readonly attributeChoices = $derived<AttributeChoice[]>(this.#meta?.attributeChoices ?? []);

	/** The break-by attributes that exist now (defaults to City, else the first attribute). */
	get by(): Id[] {
		return resolveBy(this.attributes, this.#by);
	}
	set by(ids: Id[]) {
		this.#by = ids.filter((id, i) => id && ids.indexOf(id) === i).slice(0, 2);
	}

	readonly filter = $derived.by(
		(): AnalysisFilter =>
			resolveFilter(
				{ coders: this.coders, documents: this.documents },
				{ coderIds: this.#coderIds, documentIds: this.documentIds, attributeValues: this.attributeValues }
			)
	);

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

	#piece<T>(p: Piece<T> | undefined, key: string): T | undefined {
		return p && p.key === key ? p.value : undefined;
	}

	readonly frequencies = $derived<FrequencyResult | null>(this.#piece(this.#pieces.frequencies, this.#keys.frequencies) ?? null);
	readonly #crosstab = $derived(this.#piece(this.#pieces.crosstab, this.#keys.crosstab));
	/** The cross-tab as shown (null while it is computed, and with no attribute to break by: see `computing`). */
	readonly crosstab = $derived<CrosstabResult | null>(this.#crosstab?.result ?? null);
	/** Tests per code of the cross-tab as shown, when "Tests" is on (null otherwise). */
	readonly crosstabTests = $derived<CrosstabTests | null>(this.#crosstab?.tests ?? null);
	/** With tests on and two nested attributes: the two attributes against each other. */
	readonly nestedTest = $derived<LabelledTest | null>(this.#crosstab?.nested ?? null);
	readonly cooccurrence = $derived<CooccurrenceResult | null>(this.#piece(this.#pieces.cooccurrence, this.#keys.cooccurrence) ?? null);
	readonly matrix = $derived<MatrixView | null>(this.#piece(this.#pieces.matrix, this.#keys.matrix) ?? null);

	/** True while the open tab's table for the settings chosen is being computed. */
	get computing(): boolean {
		const t = this.tab;
		return this.#piece<unknown>(this.#pieces[t], this.#keys[t]) === undefined;
	}

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
		this.#drillLimit = PASSAGE_PAGE;
		this.drill = {
			target: { kind: 'code', query: { ...query, includeDescendants: this.rollup }, filter: this.filter },
			title,
			figure
		};
	}

	/** Open the passages behind a co-occurrence cell. */
	openPair(a: Id, b: Id, title: string, figure: string): void {
		this.#drillLimit = PASSAGE_PAGE;
		this.drill = {
			target: { kind: 'pair', a, b, mode: this.coMode, includeDescendants: this.coRollup, filter: this.filter },
			title,
			figure
		};
	}

	closeDrill(): void {
		this.drill = null;
	}

	/** Ask for the next page of the open figure's passages. */
	morePassages(): void {
		this.#drillLimit += PASSAGE_PAGE;
	}

	/**
	 * The passages behind the open figure, live: the first pages of them, with how many there are;
	 * null while they are found (the pages held so far stay while the next one is asked for).
	 */
	readonly passages = $derived.by((): PassagePage | null => {
		const d = this.drill;
		const got = this.#drillPage;
		// (while a longer page is asked for, the shorter one stays)
		return d && got && got.target === JSON.stringify(d.target) ? got.value : null;
	});

	/** "City = C", "City = C, Sector = Chemicals", "City = (missing)". */
	columnDescription(values: (string | null)[]): string {
		return this.by
			.map((id, i) => `${this.attributes.find((a) => a.id === id)?.name ?? 'attribute'} = ${values[i] ?? MISSING}`)
			.join(', ');
	}
}
