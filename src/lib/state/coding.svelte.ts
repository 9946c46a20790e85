/**
 * The coding workspace's state: the study's codes, documents, cases and segments; the coder
 * filter; recent codes; undo/redo. Used by /study/[id]/code and /retrieve.
 *
 * One per open study, made by the study layout (StudyShell, `createCodingState`) during its
 * initialisation and read by those pages with `getCodingState()`: undo spans both screens, and
 * every live query and `$derived` here belongs to the layout, so it lives exactly as long as the
 * study is open (a page that made it would take its deriveds down with it when it closed).
 * Segments are first read when a page opens (`refresh()`), not when the study opens.
 *
 * Segments are read once and then owned here: every coding action changes the in-memory list
 * first (so the highlight is painted in the same frame as the key press) and is written to
 * IndexedDB right after the next paint, through the session's save status. Writes run one after
 * another, in order.
 */
import { favouriteKeys } from '$lib/core/favourites';
import { buildTree, codePathText, paletteColour, walk } from '../core/codebook';
import { newId, nowIso } from '../core/ids';
import {
	applyChanges,
	byPosition,
	planAdjust,
	planApply,
	planApplyMany,
	countApplyMany,
	type ApplyManyCount,
	planChangeCode,
	planMemo,
	planRemove,
	type SegmentChange,
	type SegmentDraft
} from '../core/segments';
import type { Attribute, Case, Code, Id, Memo, Result, Segment } from '../core/types';
import type { DocumentRow } from '../db/db';
import { getDocumentText, readDocumentTexts } from '../db/documents';
import { invertAction, UndoStack, type CodingAction, type CodeChange } from '../core/undo';
import { listMemos, listSegments, readSegmentsInChunks, saveMemo, writeChanges, type RefKind } from '../db/segments';
import { getContext, setContext, untrack } from 'svelte';
import { NO_CODER, type StudySession } from './session.svelte';
import { Live } from './live.svelte';
import type { CodeEntry } from '../core/search';

export type CoderView = 'mine' | 'all' | `coder:${string}`;

const RECENT_MAX = 5;
/**
 * Work that follows an action (counts, undo labels, the database write) waits this long after the
 * frame that paints the change: on a small machine it would otherwise share the CPU with that
 * frame's raster and display (about two frames).
 */
const AFTER_SHOWN_MS = 32;
/** A hidden page paints no frames: the work never waits longer than this for one. */
const AFTER_SHOWN_LATEST_MS = 200;

/**
 * Resolves once the frame showing a change is on screen, and at the latest after
 * AFTER_SHOWN_LATEST_MS, or at once when the page is hidden (a tab switched away or closing
 * stops animation frames, and a write held for one would wait, or be lost with the page).
 */
export function afterShown(): Promise<void> {
	if (typeof requestAnimationFrame === 'undefined' || typeof document === 'undefined' || document.visibilityState === 'hidden') return Promise.resolve();
	return new Promise<void>((resolve) => {
		let done = false;
		const finish = () => {
			if (done) return;
			done = true;
			clearTimeout(latest);
			document.removeEventListener('visibilitychange', finish);
			resolve();
		};
		const latest = setTimeout(finish, AFTER_SHOWN_LATEST_MS);
		document.addEventListener('visibilitychange', finish);
		requestAnimationFrame(() => setTimeout(finish, AFTER_SHOWN_MS));
	});
}

/** Resolves in the first task after the next frame (at once when no frames come). */
function afterFrame(): Promise<void> {
	if (typeof requestAnimationFrame === 'undefined' || typeof document === 'undefined' || document.visibilityState === 'hidden') return Promise.resolve();
	return new Promise<void>((resolve) => {
		const latest = setTimeout(resolve, AFTER_SHOWN_LATEST_MS);
		requestAnimationFrame(() => setTimeout(() => (clearTimeout(latest), resolve()), 0));
	});
}

export class CodingState {
	readonly session: StudySession;
	readonly studyId: Id;

	#codes: Live<Code[]>;
	#documents: Live<DocumentRow[]>;
	/** Texts read so far, by document id (a document's text is read when it is shown: `loadText`). */
	#texts = $state.raw<ReadonlyMap<Id, string>>(new Map());
	#textReads = new Map<Id, Promise<string>>();
	#cases: Live<Case[]>;
	#attributes: Live<Attribute[]>;
	#memos: Live<Memo[]>;

	/** Codes made here (in-vivo) that the live query has not delivered yet. */
	#pendingCodes = $state.raw<Code[]>([]);
	#segments = $state.raw<Segment[]>([]);
	/**
	 * The segments as of the last painted frame. Counts and the undo labels follow these, one
	 * frame behind: a key press's frame then changes only the transcript's highlights, and the
	 * panes beside it update in the next frame.
	 */
	#settled = $state.raw<Segment[]>([]);
	#settleQueued = false;
	#segmentsLoaded = $state(false);
	#stack = new UndoStack();
	#undoLabel = $state<string | null>(null);
	#redoLabel = $state<string | null>(null);
	#writes: Promise<unknown> = Promise.resolve();
	#pendingWrites = 0;
	#loading: Promise<void> | null = null;
	/**
	 * The last coding action's change to the segments (not reactive): the lists built from all of
	 * them (which are present, by document) apply it instead of walking 100,000 segments again.
	 */
	#delta: { from: Segment[]; to: Segment[]; changes: readonly SegmentChange[] } | null = null;
	/** The actions' changes since the counts were last made (see `#counts`). */
	#deltas: { from: Segment[]; to: Segment[]; changes: readonly SegmentChange[] }[] = [];
	#presentMemo: { segs: Segment[]; codes: Map<Id, Code>; docs: Map<Id, DocumentRow>; out: Segment[] } | null = null;
	#byDocMemo: { visible: Segment[]; map: Map<Id, Segment[]> } | null = null;

	/** A screen has asked for this state (`getCodingState`): the live queries run. */
	#used = $state(false);
	/** Start the live queries (once; by `getCodingState`). */
	use(): void {
		if (!this.#used) this.#used = true;
	}

	recent = $state<Id[]>([]);
	view = $state<CoderView>('all');
	/** The last error of a coding action, shown inline in the workspace. */
	error = $state<string | null>(null);

	constructor(session: StudySession) {
		this.session = session;
		this.studyId = session.studyId;
		const db = session.db;
		const id = this.studyId;
		// Made during the study layout's initialisation: these live queries belong to the layout.
		// They read nothing until Code or Retrieve first asks for the coding state (`getCodingState`):
		// the other screens open without reading the study's documents, codes, cases and memos here.
		const used = () => this.#used;
		this.#codes = new Live(() => db.codes.where('studyId').equals(id).toArray(), [], undefined, used);
		this.#documents = new Live(
			async () => {
				const docs = await db.documents.where('studyId').equals(id).toArray();
				return docs.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
			},
			[],
			undefined,
			used
		);
		this.#cases = new Live(() => db.cases.where('studyId').equals(id).toArray(), [], undefined, used);
		this.#attributes = new Live(async () => (await db.attributes.where('studyId').equals(id).toArray()).sort((a, b) => a.order - b.order), [], undefined, used);
		this.#memos = new Live(() => listMemos(db, id), [], undefined, used);
		this.#restorePrefs();
		// Another window (a second tab on this study) coded: the study's change time is not one this
		// window wrote. Read the segments again, so both tabs show both tabs' coding without a reload.
		$effect(() => {
			const at = session.study?.updatedAt;
			if (!untrack(() => this.#segmentsLoaded) || session.changedHere(at)) return;
			untrack(() => this.refresh());
		});
	}

	// ---------------------------------------------------------------- data

	get codes(): Code[] {
		const live = this.#codes.current;
		if (this.#pendingCodes.length === 0) return live;
		const have = new Set(live.map((c) => c.id));
		return [...live, ...this.#pendingCodes.filter((c) => !have.has(c.id))];
	}
	/** The study's documents, without their texts (`textOf`, `loadText`). */
	get documents(): DocumentRow[] {
		return this.#documents.current;
	}
	/**
	 * The document's text if read already (undefined: not yet, `loadText` reads it). A text read
	 * before it changed (a shared study's transcript arriving) does not count.
	 */
	textOf(doc: DocumentRow): string | undefined {
		const t = this.#texts.get(doc.id);
		return t !== undefined && t.length === doc.textLength ? t : undefined;
	}
	/** Read one document's text (once at a time per document), kept for `textOf`. */
	loadText(documentId: Id): Promise<string> {
		const running = this.#textReads.get(documentId);
		if (running) return running;
		const read = getDocumentText(this.session.db, this.studyId, documentId).then((text) => {
			this.#textReads.delete(documentId);
			this.#texts = new Map(this.#texts).set(documentId, text);
			return text;
		});
		this.#textReads.set(documentId, read);
		return read;
	}
	/** Every text of the study (corpus search, Retrieve's passages), read once and kept. */
	async loadAllTexts(): Promise<ReadonlyMap<Id, string>> {
		const docs = this.documents;
		if (this.#documents.loaded && docs.every((d) => this.textOf(d) !== undefined)) return this.#texts;
		const all = await readDocumentTexts(this.session.db, this.studyId);
		this.#texts = all;
		return all;
	}
	get cases(): Case[] {
		return this.#cases.current;
	}
	get attributes(): Attribute[] {
		return this.#attributes.current;
	}
	get memos(): Memo[] {
		return this.#memos.current;
	}
	get documentsLoaded(): boolean {
		return this.#documents.loaded;
	}
	get loaded(): boolean {
		return this.#segmentsLoaded && this.#codes.loaded && this.#documents.loaded;
	}
	/** Every segment of the study, by every coder (but those of a code or document deleted elsewhere). */
	get allSegments(): Segment[] {
		return this.#present;
	}
	/** The segments blind coding lets the current coder see: all of them when it is off. */
	segmentsInView = $derived.by(() => {
		const shown = this.session.shownCoderId;
		return shown === null ? this.#segments : this.#segments.filter((s) => s.coderId === shown);
	});
	/** The memos blind coding lets the current coder see: theirs and those nobody signed. */
	memosInView = $derived.by(() => {
		const shown = this.session.shownCoderId;
		return shown === null ? this.memos : this.memos.filter((m) => m.coderId === null || m.coderId === shown);
	});

	codeById = $derived(new Map(this.codes.map((c) => [c.id, c])));
	caseById = $derived(new Map(this.cases.map((c) => [c.id, c])));
	documentById = $derived(new Map(this.documents.map((d) => [d.id, d])));
	get coderName(): Map<Id, string> {
		return new Map(this.session.coders.map((c) => [c.id, c.name]));
	}

	/** Codes in codebook order with depth and path, for the tree and the picker. */
	walked = $derived(walk(buildTree(this.codes)));
	codeEntries: CodeEntry[] = $derived(this.walked.map((w) => ({ code: w.code, path: w.path.join(' / ') })));

	/** Number key (1–9) → code: the researcher's favourites, else the first nine leaf codes (core/favourites). */
	favourites = $derived(favouriteKeys(this.codes));

	/** The coder whose coding is shown, or null for all coders. */
	get viewCoderId(): Id | null {
		const shown = this.session.shownCoderId; // blind coding hides the other coders everywhere
		if (shown !== null) return shown;
		if (this.view === 'mine') return this.session.currentCoderId ?? NO_CODER;
		if (this.view === 'all') return null;
		return this.view.slice('coder:'.length);
	}

	/** The segments shown under the current coder filter. */
	visibleSegments = $derived.by(() => {
		const c = this.viewCoderId;
		const present = this.#present;
		return c === null ? present : present.filter((s) => s.coderId === c);
	});

	/**
	 * The segments whose code and document still exist: a code or document deleted in another
	 * window takes its segments off this screen (highlights, popovers, counts) at once.
	 */
	#present = $derived.by(() => {
		const segs = this.#segments;
		if (!this.#codes.loaded || !this.#documents.loaded) return segs;
		const codes = this.codeById;
		const docs = this.documentById;
		const ok = (s: Segment) => codes.has(s.codeId) && docs.has(s.documentId);
		const m = this.#presentMemo;
		const d = this.#delta;
		let out: Segment[];
		if (m && m.out === m.segs && m.codes === codes && m.docs === docs && d && d.from === m.segs && d.to === segs)
			// every segment was present, and the same codes and documents exist: only those the
			// action brought need a look
			out = d.changes.every((c) => !c.after || ok(c.after)) ? segs : segs.filter(ok);
		else out = segs.every(ok) ? segs : segs.filter(ok);
		this.#presentMemo = { segs, codes, docs, out };
		return out;
	});


	/** Shown segments by document (in no particular order: `sortedSegments` gives reading order). */
	segmentsByDocument = $derived.by(() => {
		const visible = this.visibleSegments;
		const memo = this.#byDocMemo;
		const d = this.#delta;
		let m: Map<Id, Segment[]>;
		if (memo && d && d.from === memo.visible && d.to === visible) {
			// the shown segments are all of them, before and after one action: only the documents it
			// touched get a new list (a key press at 100,000 segments regrouped them all)
			m = new Map(memo.map);
			const touched = new Set<Id>();
			for (const c of d.changes) for (const s of [c.before, c.after]) if (s) touched.add(s.documentId);
			for (const id of touched) {
				const mine = (s: Segment | null) => (s && s.documentId === id ? s : null);
				const cs = d.changes.map((c) => ({ before: mine(c.before), after: mine(c.after) })).filter((c) => c.before || c.after);
				const list = applyChanges(memo.map.get(id) ?? [], cs);
				if (list.length) m.set(id, list);
				else m.delete(id);
			}
		} else {
			m = new Map<Id, Segment[]>();
			for (const s of visible) {
				const list = m.get(s.documentId);
				if (list) list.push(s);
				else m.set(s.documentId, [s]);
			}
		}
		this.#byDocMemo = { visible, map: m };
		return m;
	});

	/** A document's shown segments in reading order. */
	sortedSegments(documentId: Id): Segment[] {
		return [...(this.segmentsByDocument.get(documentId) ?? [])].sort(byPosition);
	}

	/**
	 * The settled segments counted per code and per document under the current coder filter. After
	 * coding actions, the last counts take the actions' changes (`#deltas`, from the segments they
	 * were counted from to the settled ones) instead of a count of every segment (two walks of
	 * 100,000 segments in the task after a key press's frame).
	 */
	#counts = $derived.by(() => {
		const settled = this.#settled;
		const c = this.viewCoderId;
		const memo = this.#countMemo;
		const chain = memo && memo.coder === c ? this.#chain(memo.settled, settled) : null;
		let byCode: Map<Id, number>;
		let byDoc: Map<Id, number>;
		if (memo && chain) {
			byCode = new Map(memo.byCode);
			byDoc = new Map(memo.byDoc);
			const add = (m: Map<Id, number>, k: Id, by: number) => {
				const n = (m.get(k) ?? 0) + by;
				if (n > 0) m.set(k, n);
				else m.delete(k);
			};
			for (const d of chain)
				for (const ch of d.changes) {
					if (ch.before && (c === null || ch.before.coderId === c)) {
						add(byCode, ch.before.codeId, -1);
						add(byDoc, ch.before.documentId, -1);
					}
					if (ch.after && (c === null || ch.after.coderId === c)) {
						add(byCode, ch.after.codeId, 1);
						add(byDoc, ch.after.documentId, 1);
					}
				}
		} else {
			byCode = new Map();
			byDoc = new Map();
			for (const s of settled) {
				if (c !== null && s.coderId !== c) continue;
				byCode.set(s.codeId, (byCode.get(s.codeId) ?? 0) + 1);
				byDoc.set(s.documentId, (byDoc.get(s.documentId) ?? 0) + 1);
			}
		}
		this.#countMemo = { settled, coder: c, byCode, byDoc };
		return { byCode, byDoc };
	});
	#countMemo: { settled: Segment[]; coder: Id | null; byCode: Map<Id, number>; byDoc: Map<Id, number> } | null = null;

	/** The actions' changes leading from `from` to `to` (null when they do not: counted afresh); drops those before `from`. */
	#chain(from: Segment[], to: Segment[]): { from: Segment[]; to: Segment[]; changes: readonly SegmentChange[] }[] | null {
		if (from === to) return [];
		const ds = this.#deltas;
		const i = ds.findIndex((d) => d.from === from);
		if (i < 0) return null;
		const out = [];
		for (let k = i; k < ds.length; k++) {
			if (k > i && ds[k].from !== ds[k - 1].to) return null;
			out.push(ds[k]);
			if (ds[k].to === to) {
				this.#deltas = ds.slice(k + 1);
				return out;
			}
		}
		return null;
	}

	/** Shown segments per code (own count, not including sub-codes); one frame behind an action. */
	get countByCode(): Map<Id, number> {
		return this.#counts.byCode;
	}

	/** Shown segments per document; one frame behind an action. */
	get countByDocument(): Map<Id, number> {
		return this.#counts.byDoc;
	}

	pathOf(codeId: Id): string {
		return codePathText(this.codes, codeId);
	}

	get undoLabel(): string | null {
		return this.#undoLabel;
	}
	get redoLabel(): string | null {
		return this.#redoLabel;
	}

	/**
	 * Read every segment. The first time, with `firstDocument` (the document the page opens), that
	 * document's segments come first and the page can paint them; the rest of the study follows in
	 * chunks that never hold a frame (100,000 segments take seconds to read).
	 */
	async reload(firstDocument?: Id): Promise<void> {
		const db = this.session.db;
		if (!this.#segmentsLoaded && firstDocument) {
			const first = await listSegments(db, this.studyId, firstDocument);
			if (this.#pendingWrites === 0 && !this.#segmentsLoaded) {
				this.#segments = first;
				this.#settled = first;
				this.#segmentsLoaded = true;
			}
			const rest = await readSegmentsInChunks(db, this.studyId, firstDocument);
			performance.mark?.('gloss:segments-loaded');
			// Coding meanwhile changed only what is in #segments: add the other documents' segments to it.
			const have = new Set(this.#segments.map((s) => s.id));
			const all = [...this.#segments, ...rest.filter((s) => !have.has(s.id))];
			this.#segments = all;
			this.#settled = all;
			return;
		}
		const segs = await readSegmentsInChunks(db, this.studyId);
		performance.mark?.('gloss:segments-loaded');
		if (this.#pendingWrites > 0) return; // our own newer changes are on their way
		this.#segments = segs;
		this.#settled = segs;
		this.#segmentsLoaded = true;
	}

	/**
	 * Read the segments when a page opens: the first time, and again on each later visit to pick up
	 * what other screens changed (Review's adjudication, a code merged or deleted in the Codebook).
	 * Skipped while our own writes are pending or a read is already running. `firstDocument`: the
	 * document the page shows, whose segments are read first.
	 */
	refresh(firstDocument?: Id): void {
		if (this.#pendingWrites > 0 || this.#loading) return;
		this.#loading = this.reload(firstDocument).finally(() => (this.#loading = null));
	}

	// ---------------------------------------------------------------- preferences

	#prefKey(k: string) {
		return `gloss:${this.studyId}:${k}`;
	}
	#restorePrefs() {
		if (typeof localStorage === 'undefined') return;
		try {
			const r = JSON.parse(localStorage.getItem(this.#prefKey('recent')) ?? '[]');
			if (Array.isArray(r)) this.recent = r.filter((x) => typeof x === 'string').slice(0, RECENT_MAX);
			const v = localStorage.getItem(this.#prefKey('view'));
			if (v === 'mine' || v === 'all' || v?.startsWith('coder:')) this.view = v as CoderView;
		} catch {
			/* preferences are a convenience */
		}
	}
	savePrefs() {
		if (typeof localStorage === 'undefined') return;
		localStorage.setItem(this.#prefKey('recent'), JSON.stringify(this.recent));
		localStorage.setItem(this.#prefKey('view'), this.view);
	}
	#touchRecent(codeId: Id) {
		if (this.recent[0] === codeId) return;
		this.recent = [codeId, ...this.recent.filter((x) => x !== codeId)].slice(0, RECENT_MAX);
		setTimeout(() => this.savePrefs(), 0); // not in the key press's frame
	}

	// ---------------------------------------------------------------- actions

	/** Do an action: memory first (painted this frame), then the database after the paint. */
	#run(a: CodingAction, record: 'push' | 'none', held: CodingAction = a, notDone = NOT_DONE[a.kind]) {
		if (this.session.reviewing) {
			this.error = this.session.readOnlyMessage;
			return;
		}
		this.#change(a.segments);
		if (a.codes?.length) this.#applyCodeChanges(a.codes);
		if (record === 'push') this.#stack.push(a);
		if (this.error !== null) this.error = null;
		this.#settle();
		this.#write(a, held, notDone);
	}

	/**
	 * The database refused an action (what it points to was deleted in another window): take it
	 * back from the screen, and out of the undo stack so that neither undo nor redo replays it.
	 */
	#refused(a: CodingAction, held: CodingAction, message: string) {
		const back = invertAction(a);
		this.#change(back.segments);
		if (back.codes?.length) this.#applyCodeChanges(back.codes);
		this.#stack.forget(held);
		this.error = message;
		this.#settle();
	}

	/** Change the segments in memory, remembering the change so the lists built from them follow it. */
	#change(changes: readonly SegmentChange[]) {
		const from = this.#segments;
		const to = applyChanges(from, changes);
		this.#delta = { from, to, changes };
		// kept for the counts, which follow a frame later (a long run of them is counted afresh)
		this.#deltas = this.#deltas.length > 500 ? [] : this.#deltas;
		this.#deltas.push(this.#delta);
		this.#segments = to;
	}

	/** Names as this window last saw them, for "The code 'Savings' was deleted in another window". */
	#nameOf = (kind: RefKind, id: Id): string | undefined =>
		kind === 'code'
			? this.codeById.get(id)?.name
			: kind === 'document'
				? this.documentById.get(id)?.name
				: kind === 'coder'
					? this.coderName.get(id)
					: kind === 'case'
						? this.caseById.get(id)?.name
						: undefined;

	/** After the next paint: counts and undo labels catch up with the segments. */
	#settle() {
		const run = () => {
			this.#settleQueued = false;
			this.#settled = this.#segments;
			this.#undoLabel = this.#stack.undoLabel;
			this.#redoLabel = this.#stack.redoLabel;
		};
		if (typeof requestAnimationFrame === 'undefined') return run();
		if (this.#settleQueued) return;
		this.#settleQueued = true;
		void afterShown().then(run);
	}

	#applyCodeChanges(changes: CodeChange[]) {
		let pending = [...this.#pendingCodes];
		for (const c of changes) {
			const id = (c.after ?? c.before)!.id;
			pending = pending.filter((p) => p.id !== id);
			if (c.after) pending.push(c.after);
		}
		this.#pendingCodes = pending;
	}

	#write(a: CodingAction, held: CodingAction, notDone: string) {
		const prev = this.#writes;
		// once the frame painting the change is on screen: the write (and the frames of the
		// save status it changes) would otherwise share the CPU with that frame's raster
		const after = afterShown();
		this.#pendingWrites++;
		// "Saving…" shows with the frame after the change's (which paints only the change), so
		// "Saved" never means an older write for longer than that frame; writes run in order
		this.#writes = this.session
			.save(
				async (): Promise<Result<null>> => {
					await prev;
					await after;
					return writeChanges(this.session.db, this.studyId, a.segments, a.codes, { nameOf: this.#nameOf, notDone });
				},
				{ showAfter: afterFrame() }
			)
			.then((r) => {
				if (!r.ok) this.#refused(a, held, r.errors.join('; '));
			})
			.finally(() => this.#pendingWrites--);
	}

	/** Resolves when every write so far has reached the database (tests, the bench). */
	flush(): Promise<unknown> {
		return this.#writes;
	}

	#draft(documentId: Id, codeId: Id, start: number, end: number): SegmentDraft | null {
		const coderId = this.session.currentCoderId;
		if (!coderId) {
			this.error = 'Say who is coding first (click the coder in the header).';
			return null;
		}
		return { studyId: this.studyId, documentId, codeId, coderId, start, end };
	}

	/** Apply a code to a span. Returns false when nothing changed (it was already coded). */
	apply(documentId: Id, codeId: Id, start: number, end: number): boolean {
		const d = this.#draft(documentId, codeId, start, end);
		if (!d) return false;
		const code = this.codeById.get(codeId);
		const changes = planApply(this.#segments, d, newId, nowIso());
		this.#touchRecent(codeId);
		if (changes.length === 0) return false;
		this.#run({ kind: 'apply', label: `Apply ${code?.name ?? 'code'}`, segments: changes }, 'push');
		return true;
	}

	/**
	 * Auto-code many spans with one code, as one undoable action. Returns what it made, or null
	 * when nobody is coding.
	 */
	applyMany(codeId: Id, hits: readonly { documentId: Id; start: number; end: number }[]): ApplyManyCount | null {
		const coderId = this.session.currentCoderId;
		if (!coderId) {
			this.error = 'Say who is coding first (click the coder in the header).';
			return null;
		}
		const drafts = hits.map((h) => ({ studyId: this.studyId, documentId: h.documentId, codeId, coderId, start: h.start, end: h.end }));
		const changes = planApplyMany(this.#segments, drafts, newId, nowIso());
		const count = countApplyMany(this.#segments, drafts, changes);
		this.#touchRecent(codeId);
		if (changes.length === 0) return count;
		const code = this.codeById.get(codeId);
		this.#run({ kind: 'auto-code', label: `Auto-code ${hits.length} hits with ${code?.name ?? 'code'}`, segments: changes }, 'push');
		return count;
	}

	/**
	 * In-vivo coding: a new top-level code named from the selected words, applied to them. If a
	 * top-level code of that name exists, it is applied instead.
	 */
	inVivo(documentId: Id, start: number, end: number, text: string): Code | null {
		const coderId = this.session.currentCoderId;
		if (!coderId) {
			this.error = 'Say who is coding first (click the coder in the header).';
			return null;
		}
		let name = text.replace(/\s+/g, ' ').trim();
		if (name.length > 60) name = name.slice(0, 60).replace(/\s+\S*$/, '') + '…';
		if (!name) return null;
		const existing = this.codes.find((c) => c.parentId === null && c.name.toLocaleLowerCase() === name.toLocaleLowerCase());
		if (existing) {
			this.apply(documentId, existing.id, start, end);
			return existing;
		}
		const now = nowIso();
		const top = this.codes.filter((c) => c.parentId === null);
		const code: Code = {
			id: newId(),
			studyId: this.studyId,
			parentId: null,
			name,
			definition: '',
			inclusion: '',
			exclusion: '',
			example: '',
			colour: paletteColour(this.codes.length),
			order: top.reduce((m, c) => Math.max(m, c.order + 1), 0),
			favourite: null,
			createdAt: now,
			updatedAt: now
		};
		const segs = planApply(this.#segments, { studyId: this.studyId, documentId, codeId: code.id, coderId, start, end }, newId, now);
		this.#touchRecent(code.id);
		this.#run({ kind: 'in-vivo', label: `In-vivo code “${name}”`, segments: segs, codes: [{ before: null, after: code }] }, 'push');
		return code;
	}

	remove(seg: Segment) {
		const code = this.codeById.get(seg.codeId);
		this.#run({ kind: 'remove', label: `Remove ${code?.name ?? 'code'}`, segments: planRemove([seg]) }, 'push');
	}

	changeCode(seg: Segment, codeId: Id) {
		const changes = planChangeCode(this.#segments, seg, codeId, newId, nowIso());
		if (changes.length === 0) return;
		this.#touchRecent(codeId);
		this.#run({ kind: 'change-code', label: `Change to ${this.codeById.get(codeId)?.name ?? 'code'}`, segments: changes }, 'push');
	}

	adjust(seg: Segment, start: number, end: number): Result<null> {
		const doc = this.documentById.get(seg.documentId);
		if (!doc) return { ok: false, errors: ['The document is gone'] };
		const r = planAdjust(seg, start, end, doc.textLength, nowIso());
		if (!r.ok) return r;
		this.#run({ kind: 'adjust', label: 'Adjust boundaries', segments: r.value }, 'push');
		return { ok: true, value: null };
	}

	setSegmentMemo(seg: Segment, memo: string) {
		this.#run({ kind: 'memo', label: 'Segment memo', segments: planMemo(seg, memo, nowIso()) }, 'push');
	}

	undo(): string | null {
		const held = this.#stack.peekUndo();
		const a = this.#stack.undo();
		if (!a || !held) return null;
		this.#run(a, 'none', held, 'it was not undone');
		return a.label;
	}

	redo(): string | null {
		const a = this.#stack.redo();
		if (!a) return null;
		this.#run(a, 'none', a, 'it was not redone');
		return a.label;
	}

	/** Find a segment's current version (after edits) by id. */
	segment(id: Id): Segment | undefined {
		const s = this.#segments.find((x) => x.id === id);
		if (!s || !this.#codes.loaded || !this.#documents.loaded) return s;
		return this.codeById.has(s.codeId) && this.documentById.has(s.documentId) ? s : undefined;
	}

	// ---------------------------------------------------------------- memos

	/** The memo on the study, a document (as a whole), a code or a case. */
	memoFor(targetType: Memo['targetType'], targetId: Id | null): Memo | undefined {
		return this.memos.find((m) => m.targetType === targetType && m.targetId === targetId && m.start === undefined);
	}

	/** Memos on passages of a document (imported from f4), in text order, as blind coding shows them. */
	passageMemos(documentId: Id): Memo[] {
		return this.memosInView
			.filter((m) => m.targetType === 'document' && m.targetId === documentId && m.start !== undefined)
			.sort((a, b) => (a.start as number) - (b.start as number) || (a.end as number) - (b.end as number));
	}

	async writeMemo(targetType: Memo['targetType'], targetId: Id | null, title: string, text: string): Promise<Result<null>> {
		const now = nowIso();
		const old = this.memoFor(targetType, targetId);
		const memo: Memo = old
			? { ...old, title, text, updatedAt: now }
			: { id: newId(), studyId: this.studyId, targetType, targetId, title, text, coderId: this.session.currentCoderId, createdAt: now, updatedAt: now };
		return this.session.save(() => saveMemo(this.session.db, memo, { nameOf: this.#nameOf }));
	}
}

/** What did not happen when an action's write is refused. */
const NOT_DONE: Record<CodingAction['kind'], string> = {
	apply: 'the passage was not coded',
	'auto-code': 'the passages were not coded',
	'in-vivo': 'the passage was not coded',
	'change-code': "the passage's code was not changed",
	remove: 'the code was not removed',
	adjust: 'the boundaries were not changed',
	memo: 'the memo was not saved'
};


const KEY = Symbol('gloss-coding');

/**
 * Make the open study's coding state and provide it to the pages below. Call during the study
 * layout's initialisation (StudyShell), after `createSession`.
 */
export function createCodingState(session: StudySession): CodingState {
	return setContext(KEY, new CodingState(session));
}

/** The open study's coding state (shared by Code and Retrieve). Only inside the study layout. */
export function getCodingState(): CodingState {
	const s = getContext<CodingState | undefined>(KEY);
	if (!s) throw new Error('getCodingState() called outside a study (no CodingState in context)');
	s.use();
	return s;
}
