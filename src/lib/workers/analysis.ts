/**
 * Analyse's tables in a Web Worker (src/lib/workers/analysis.worker.ts), so that the page never
 * freezes: at 100,000 segments, reading the study and tallying it take seconds on the page. The
 * worker opens its own connection to the page's database, reads the study there (without its
 * texts: the tables never read them) and keeps it (`AnalysisComputer`) until the study's change
 * time moves, with the tables it computed last. The page sends its settings and gets back only
 * small tables (core's results, shown as core shapes them), in two kinds of job:
 * - 'view': what the page shows of the study (attributes, coders, documents, the values each
 *   attribute takes), the frequencies (their base is in the page's header), and the open tab's
 *   table (cross-tab with its tests, co-occurrence or the code × case matrix);
 * - 'passages': the passages behind a clicked figure, a page of them at a time with their context
 *   (the texts of their documents read then), with how many there are in all.
 * A request that a newer one of the same kind overtook while the worker was busy is answered `null`
 * (stale), and the page ignores answers to requests it no longer waits for.
 * Where there is no Worker (Node tests), the same runs on this thread with the caller's database.
 */
import {
	type AnalysisFilter,
	type CooccurrenceMode,
	type CooccurrenceResult,
	type CountUnit,
	type CrosstabResult,
	type FrequencyResult,
	type SegmentQuery,
	codeCaseMatrix,
	cooccurrence,
	cooccurrenceSegments,
	crosstab,
	defaultCoderIds,
	frequencies,
	indexOf,
	naturalCompare,
	onlyCoder,
	segmentsFor,
	valueKey
} from '../core/analysis';
import { type CrosstabTests, type LabelledTest, attributeTest, crosstabTests } from '../core/analysis/crosstab-tests';
import { type MatrixView, matrixView, shownCooccurrence, shownCrosstab, shownFrequencies } from '../core/analysis/shown';
import type { Adjustment } from '../core/analysis/stats';
import type { Attribute, AttributeValue, Coder, Id, Result, Segment, StudyData } from '../core/types';
import { scopeOf } from '../core/types';
import type { GlossDB } from '../db/db';
import { getDocumentText } from '../db/documents';
import { loadStudyData } from '../db/studies';
import { Holding, PageJobs } from './jobs';

export type AnalysisTab = 'frequencies' | 'crosstab' | 'cooccurrence' | 'matrix';

/** The filters as chosen on the page (resolved against the study by `resolveFilter`). */
export interface FilterChoices {
	/** null: not chosen (the default: see `defaultCoderIds`). */
	coderIds: Id[] | null;
	documentIds: Id[];
	/** Per attribute id, the value keys kept (null = "(missing)"); absent or empty = all. */
	attributeValues: Record<Id, (string | null)[]>;
}

/** Everything the page's tables depend on. */
export interface AnalysisSettings {
	/** Blind coding: only this coder's work is seen (null: everyone's). */
	shownCoderId: Id | null;
	tab: AnalysisTab;
	choices: FilterChoices;
	count: CountUnit;
	/** The break-by attributes chosen (null: not chosen; see `resolveBy`). */
	by: Id[] | null;
	rollup: boolean;
	coRollup: boolean;
	sortByCount: boolean;
	hideEmpty: boolean;
	tests: boolean;
	adjust: Adjustment;
	yates: boolean;
	coMode: CooccurrenceMode;
	binary: boolean;
}

export interface AttributeChoice {
	attribute: Attribute;
	/** Value keys, sorted (numbers by value). */
	values: (string | null)[];
	/** Some case (or document, for a document attribute) has no value. */
	missing: boolean;
}

/** What the page shows of the study besides the tables (small: no texts, no segments). */
export interface AnalysisMeta {
	/** Case attributes first, then document attributes, each in column order. */
	attributes: Attribute[];
	/** As the analysis index orders them (by name). */
	coders: Coder[];
	/** As the analysis index orders them (grouped by case). */
	documents: { id: Id; name: string }[];
	attributeChoices: AttributeChoice[];
	codeCount: number;
}

/** The cross-tab as shown, with its tests when they are on (null: no attribute to break by). */
export interface CrosstabPiece {
	result: CrosstabResult;
	tests: CrosstabTests | null;
	/** Two nested attributes with tests on: the two against each other. */
	nested: LabelledTest | null;
}

/** A table with the key of the settings it was computed for (`pieceKeys`). */
export interface Piece<T> {
	key: string;
	value: T;
}

export interface AnalysisView {
	meta: AnalysisMeta;
	frequencies: Piece<FrequencyResult>;
	crosstab?: Piece<CrosstabPiece | null>;
	cooccurrence?: Piece<CooccurrenceResult>;
	matrix?: Piece<MatrixView>;
}

/** What a clicked figure stands for; kept with the settings of the moment it was clicked. */
export type DrillTarget =
	| { kind: 'code'; query: SegmentQuery; filter: AnalysisFilter }
	| { kind: 'pair'; a: Id; b: Id; mode: CooccurrenceMode; includeDescendants: boolean; filter: AnalysisFilter };

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

/** The first `limit` passages behind a figure, and how many there are in how many documents. */
export interface PassagePage {
	passages: Passage[];
	total: number;
	documents: number;
}

export type AnalysisJob =
	| { kind: 'view'; settings: AnalysisSettings }
	| { kind: 'passages'; shownCoderId: Id | null; target: DrillTarget; limit: number };
type Values = { view: AnalysisView; passages: PassagePage };
export type AnalysisJobValue<J extends AnalysisJob> = Values[J['kind']];
type AnyValue = Values[keyof Values];

export function analysisMeta(data: StudyData): AnalysisMeta {
	const ix = indexOf(data);
	const attributes = [...data.attributes].sort((a, b) =>
		scopeOf(a) === scopeOf(b) ? a.order - b.order : scopeOf(a) === 'case' ? -1 : 1
	);
	const attributeChoices = attributes.map((a): AttributeChoice => {
		const keys = new Set<string>();
		let missing = false;
		const holders: { attributes?: Record<string, AttributeValue> }[] = scopeOf(a) === 'document' ? data.documents : data.cases;
		for (const c of holders) {
			const k = valueKey(c.attributes?.[a.id]);
			if (k === null) missing = true;
			else keys.add(k);
		}
		const values = [...keys].sort((x, y) => (a.type === 'number' ? Number(x) - Number(y) : 0) || naturalCompare(x, y));
		return { attribute: a, values, missing };
	});
	return {
		attributes,
		coders: ix.coders,
		documents: ix.docs.map((d) => ({ id: d.id, name: d.name })),
		attributeChoices,
		codeCount: data.codes.length
	};
}

/** The coders the tables count: those chosen (empty: all); until chosen, the default (the consensus coder where there is one). */
export function coderIdsOf(meta: Pick<AnalysisMeta, 'coders'>, chosen: Id[] | null): Id[] {
	return chosen ?? defaultCoderIds(meta.coders);
}

/** The filter the tables apply: ids of coders or documents deleted since they were picked are dropped. */
export function resolveFilter(meta: Pick<AnalysisMeta, 'coders' | 'documents'>, c: FilterChoices): AnalysisFilter {
	const attributes: Record<Id, AttributeValue[]> = {};
	for (const [id, vals] of Object.entries(c.attributeValues)) if (vals.length) attributes[id] = vals;
	const coders = new Set(meta.coders.map((x) => x.id));
	const docs = new Set(meta.documents.map((d) => d.id));
	const coderIds = coderIdsOf(meta, c.coderIds).filter((id) => coders.has(id));
	const documentIds = c.documentIds.filter((id) => docs.has(id));
	return {
		coderIds: coderIds.length ? coderIds : undefined,
		documentIds: documentIds.length ? documentIds : undefined,
		attributes: Object.keys(attributes).length ? attributes : undefined
	};
}

/** The break-by attributes that exist now (defaults to City, else the first attribute). */
export function resolveBy(attributes: readonly Attribute[], chosen: Id[] | null): Id[] {
	const ids = new Set(attributes.map((a) => a.id));
	const kept = (chosen ?? []).filter((id) => ids.has(id));
	if (kept.length) return kept;
	const city = attributes.find((a) => a.name.toLowerCase() === 'city') ?? attributes[0];
	return city ? [city.id] : [];
}

/** The key of each table's settings: a table the page holds is shown while its key is the page's. */
export function pieceKeys(s: AnalysisSettings): Record<'frequencies' | 'crosstab' | 'cooccurrence' | 'matrix', string> {
	const common = [s.shownCoderId, s.choices, s.hideEmpty];
	return {
		frequencies: JSON.stringify([common, s.rollup, s.sortByCount, s.sortByCount ? s.count : null]),
		crosstab: JSON.stringify([common, s.by, s.count, s.rollup, s.sortByCount, s.tests, s.tests && s.adjust, s.tests && s.yates]),
		cooccurrence: JSON.stringify([common, s.coMode, s.coRollup]),
		matrix: JSON.stringify([common, s.rollup, s.binary])
	};
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

/** The segments behind a figure, in document order, then by start. */
export function drillSegments(data: StudyData, t: DrillTarget): Segment[] {
	return t.kind === 'code'
		? segmentsFor(data, t.filter, t.query)
		: cooccurrenceSegments(data, t.filter, { mode: t.mode, includeDescendants: t.includeDescendants }, t.a, t.b);
}

/** The first `limit` of `segs` as passages, with their context from `textOf`. */
export function passagesOf(data: StudyData, studyId: Id, segs: readonly Segment[], limit: number, textOf: (documentId: Id) => string): PassagePage {
	const ix = indexOf(data);
	const base = `/study/${encodeURIComponent(studyId)}/code`;
	const passages = segs.slice(0, Math.max(0, limit)).map((s): Passage => {
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
			...passageContext(textOf(doc.id), s.start, s.end),
			href: `${base}?doc=${encodeURIComponent(doc.id)}&seg=${encodeURIComponent(s.id)}`
		};
	});
	return { passages, total: segs.length, documents: new Set(segs.map((s) => s.documentId)).size };
}

/** The tables of a view (the frequencies and the open tab's), each computed only when its key is not the one held. */
export function computeView(data: StudyData, s: AnalysisSettings, held: Partial<Omit<AnalysisView, 'meta'>> = {}, meta = analysisMeta(data)): AnalysisView {
	const keys = pieceKeys(s);
	const filter = resolveFilter(meta, s.choices);
	const fresh = <K extends keyof typeof keys, T>(k: K, make: () => T): Piece<T> => {
		const h = held[k as keyof typeof held] as Piece<T> | undefined;
		return h?.key === keys[k] ? h : { key: keys[k], value: make() };
	};
	const view: AnalysisView = {
		meta,
		frequencies: fresh('frequencies', () =>
			shownFrequencies(frequencies(data, filter, { includeDescendants: s.rollup, sort: s.sortByCount ? s.count : 'codebook' }), s.hideEmpty)
		)
	};
	if (s.tab === 'crosstab')
		view.crosstab = fresh('crosstab', (): CrosstabPiece | null => {
			const by = resolveBy(meta.attributes, s.by);
			if (!by.length) return null;
			const result = shownCrosstab(crosstab(data, filter, { by, count: s.count, includeDescendants: s.rollup }), { hideEmpty: s.hideEmpty, byTotal: s.sortByCount });
			return {
				result,
				tests: s.tests ? crosstabTests(result, { adjust: s.adjust, yates: s.yates }) : null,
				nested: s.tests && by.length === 2 ? attributeTest(data, filter, by[0], by[1]) : null
			};
		});
	if (s.tab === 'cooccurrence')
		view.cooccurrence = fresh('cooccurrence', () =>
			shownCooccurrence(cooccurrence(data, filter, { mode: s.coMode, includeDescendants: s.coRollup }), s.hideEmpty)
		);
	if (s.tab === 'matrix')
		view.matrix = fresh('matrix', () =>
			matrixView(codeCaseMatrix(data, filter, { includeDescendants: s.rollup }), { binary: s.binary, hideEmpty: s.hideEmpty })
		);
	return view;
}

interface Seen {
	data: StudyData;
	meta: AnalysisMeta;
	held: Partial<Omit<AnalysisView, 'meta'>>;
}

interface Held {
	studyId: Id;
	version: string;
	/** Without texts (read per document for passages, into `texts`). */
	data: StudyData;
	/** The study as a coder sees it (key '' for everyone), with the tables computed last. */
	seen: Map<string, Seen>;
	texts: Map<Id, string>;
}

const nextTask = () => new Promise((r) => setTimeout(r, 0));

/**
 * Runs analysis jobs over one database, holding the study it read last (by study and change time)
 * and the last tables. The worker keeps one; so does the page where there is no Worker.
 */
export class AnalysisComputer {
	readonly db: GlossDB;
	#holding = new Holding<Held>();
	#latest = new Map<AnalysisJob['kind'], number>();
	/** How many times the study was read and tables computed (for tests). */
	counts = { reads: 0, tables: 0 };

	constructor(db: GlossDB) {
		this.db = db;
	}

	#study(studyId: Id, version: string): Promise<Held | null> {
		return this.#holding.get(studyId, version, async () => {
			this.counts.reads++;
			const data = await loadStudyData(this.db, studyId, { texts: false });
			return data ? { studyId, version, data, seen: new Map(), texts: new Map() } : null;
		});
	}

	#seen(h: Held, shown: Id | null): Seen {
		let s = h.seen.get(shown ?? '');
		if (!s) {
			const data = shown !== null ? onlyCoder(h.data, shown) : h.data;
			s = { data, meta: analysisMeta(data), held: {} };
			h.seen.set(shown ?? '', s);
		}
		return s;
	}

	async #passages(h: Held, data: StudyData, target: DrillTarget, limit: number): Promise<PassagePage> {
		const segs = drillSegments(data, target);
		const need = [...new Set(segs.slice(0, limit).map((s) => s.documentId))].filter((id) => !h.texts.has(id));
		const texts = await Promise.all(need.map((id) => getDocumentText(this.db, h.studyId, id)));
		need.forEach((id, i) => h.texts.set(id, texts[i]));
		return passagesOf(data, h.studyId, segs, limit, (id) => h.texts.get(id) ?? '');
	}

	/** The job's result; value null when a newer request of the same kind came while this one waited. */
	async run(id: number, studyId: Id, version: string, job: AnalysisJob): Promise<Result<AnyValue | null>> {
		this.#latest.set(job.kind, id);
		const h = await this.#study(studyId, version);
		// let requests already sent arrive (in a worker they are tasks behind this one) before computing
		await nextTask();
		if (this.#latest.get(job.kind) !== id) return { ok: true, value: null };
		if (!h) return { ok: false, errors: ['the study is no longer in this browser'] };
		if (job.kind === 'passages') {
			const seen = this.#seen(h, job.shownCoderId);
			return { ok: true, value: await this.#passages(h, seen.data, job.target, job.limit) };
		}
		const seen = this.#seen(h, job.settings.shownCoderId);
		const view = computeView(seen.data, job.settings, seen.held, seen.meta);
		for (const k of ['frequencies', 'crosstab', 'cooccurrence', 'matrix'] as const)
			if (view[k] && view[k] !== seen.held[k]) {
				this.counts.tables++;
				seen.held = { ...seen.held, [k]: view[k] };
			}
		return { ok: true, value: view };
	}
}

/** The page's side: one worker per Analysis page (workers/jobs.ts). */
export class AnalysisJobs extends PageJobs<AnalysisJob, Values> {
	constructor(db: GlossDB, studyId: Id) {
		super(db, studyId, () => new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' }), (db) => new AnalysisComputer(db));
	}
}
