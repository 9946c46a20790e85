/**
 * The open study: its record, its coders and the CURRENT CODER, live from IndexedDB.
 *
 * Created once per study by the study layout (src/routes/study/[id]/+layout.svelte via
 * StudyShell) and handed down as a Svelte context:
 *
 *   const session = getSession();
 *   session.study?.name            // live Study (null when it does not exist, undefined while loading)
 *   session.currentCoder           // the Coder coding now in this browser, or null
 *   await session.save(() => addSegment(session.db, ...))   // shows "Saving…"/"Saved", touches the study
 *
 * The current coder is remembered per study in this browser (settings key `coder:<studyId>`).
 *
 * Blind coding ("Hide other coders") is a setting of the coder's view, not of one screen: every
 * screen reads `session.shownCoderId` (null: every coder's work is shown) and hides the other
 * coders' segments and memos from its tables, counts, passages and search. Remembered per study
 * in this browser (localStorage `gloss:<studyId>:blind`).
 *
 * Instead of a coder, a supervisor can say "I am only reviewing" (`session.reviewing`): a
 * read-only session. `save()` then refuses every write except those marked `asReviewer`
 * (adjudication and merging coders' backups on the Review screen).
 *
 * In a shared study the membership decides (`setMember`, called by the sync state): a coder member
 * codes as their own coder and cannot switch; a supervisor codes as theirs or, with none, reviews;
 * a viewer's session is read-only with no exception (`viewer`, VIEWER_MESSAGE).
 */
import { getContext, setContext } from 'svelte';
import { getDb, type GlossDB } from '../db/db';
import { addAndSelectCoder, coderLastUse, coderSegmentCount, currentCoderKey, deleteCoder, setCurrentCoder, setReviewing } from '../db/coders';
import { codersByLastUse } from '../core/coders';
import { touchStudy } from '../db/studies';
import type { Coder, Result, Study } from '../core/types';
import type { Role } from '../core/sync/protocol';
import { Live } from './live.svelte';

export type SaveState = 'saved' | 'saving' | 'error';

/** What a write refused in a reviewing session says. */
export const READ_ONLY_MESSAGE = 'You are reviewing (read-only). To code or edit, choose a coder: click “Reviewing” in the header.';
/** What every write says in a viewer's session of a shared study. */
export const VIEWER_MESSAGE = 'You are a viewer of this shared study: you can read everything, but not code or edit.';
/** What switching coder says when the shared study's membership fixes the coder. */
export const LOCKED_CODER_MESSAGE = 'In a shared study you code as the coder your invitation names.';

/** Who this browser is in a shared study: the member's role and the coder they code as. */
export interface SessionMember {
	role: Role;
	coderId: string | null;
}

export class StudySession {
	readonly studyId: string;
	readonly db: GlossDB;

	#study: Live<Study | null | undefined>;
	#coders: Live<Coder[]>;
	#coderId: Live<string | { reviewing: true } | null | undefined>;
	/** Writes shown as running in the header ("Saving…"). */
	#pending = $state(0);
	/** Writes running, shown or not yet (a page must not unload under them). */
	#running = 0;
	#saveError = $state<string | null>(null);
	#blind = $state(false);
	#member = $state<SessionMember | null>(null);

	constructor(studyId: string, db: GlossDB = getDb()) {
		this.studyId = studyId;
		this.db = db;
		this.#blind = readBlind(studyId);
		this.#study = new Live(async () => (await db.studies.get(studyId)) ?? null, undefined);
		this.#coders = new Live(
			async () => (await db.coders.where('studyId').equals(studyId).toArray()).sort((a, b) => a.name.localeCompare(b.name)),
			[]
		);
		this.#coderId = new Live(async () => {
			const row = await db.settings.get(currentCoderKey(studyId));
			if (typeof row?.value === 'string') return row.value;
			const v = row?.value as { reviewing?: unknown } | undefined;
			return v && typeof v === 'object' && v.reviewing === true ? { reviewing: true as const } : null;
		}, undefined);
	}

	/** The study; `undefined` while loading, `null` when there is no such study. */
	get study(): Study | null | undefined {
		return this.#study.current;
	}
	/** True until the study, its coders and the coder setting have been read once. */
	get loading(): boolean {
		return !this.#study.loaded || !this.#coders.loaded || !this.#coderId.loaded;
	}
	/** Every coder of the study, by name. */
	get coders(): Coder[] {
		return this.#coders.current;
	}
	/** The shared study's member in this browser (null for a local study). */
	get member(): SessionMember | null {
		return this.#member;
	}
	/** Set by the sync state when the study is shared (null when it is not). */
	setMember(m: SessionMember | null): void {
		if (m?.role === this.#member?.role && m?.coderId === this.#member?.coderId) return;
		this.#member = m ? { role: m.role, coderId: m.coderId } : null;
	}
	/** A viewer of a shared study: reads everything, writes nothing. */
	get viewer(): boolean {
		return this.#member?.role === 'viewer';
	}
	/** The membership fixes who codes here: no "switch coder". */
	get coderLocked(): boolean {
		return this.#member !== null;
	}
	/** What a refused write says: a viewer's or a reviewer's message. */
	get readOnlyMessage(): string {
		return this.viewer ? VIEWER_MESSAGE : READ_ONLY_MESSAGE;
	}
	/** The coder the membership names, or undefined when the membership does not decide. */
	#memberCoder(): string | null | undefined {
		const m = this.#member;
		if (!m) return undefined;
		return m.role === 'viewer' ? null : m.coderId;
	}

	get currentCoderId(): string | null {
		const fixed = this.#memberCoder();
		if (fixed !== undefined) return fixed !== null && this.#coders.current.some((c) => c.id === fixed) ? fixed : null;
		const id = this.#coderId.current;
		return typeof id === 'string' && this.#coders.current.some((c) => c.id === id) ? id : null;
	}
	/** The coder coding now in this browser; null until someone says who is coding (or while reviewing). */
	get currentCoder(): Coder | null {
		const fixed = this.#memberCoder();
		if (fixed !== undefined) return fixed !== null ? (this.#coders.current.find((c) => c.id === fixed) ?? null) : null;
		const id = this.#coderId.current;
		return typeof id === 'string' ? (this.#coders.current.find((c) => c.id === id) ?? null) : null;
	}
	/** "I am only reviewing": a read-only session with no current coder. */
	get reviewing(): boolean {
		const fixed = this.#memberCoder();
		if (fixed !== undefined) return fixed === null;
		const v = this.#coderId.current;
		return !!v && typeof v === 'object';
	}
	/** The study is loaded but nobody has said who is coding: the layout asks "Who is coding?". */
	get needsCoder(): boolean {
		return !this.loading && !!this.study && this.currentCoder === null && !this.reviewing && !this.coderLocked;
	}

	/** Blind coding: the other coders' work is hidden on every screen. */
	get blind(): boolean {
		return this.#blind;
	}
	set blind(on: boolean) {
		this.#blind = on;
		try {
			localStorage.setItem(blindKey(this.studyId), on ? '1' : '0');
		} catch {
			/* storage refused or absent: the choice lasts this visit */
		}
	}

	/**
	 * The only coder whose work is shown, when blind coding is on: the current coder (or nobody,
	 * '\u0000none', until someone says who is coding). Null when every coder's work is shown.
	 */
	get shownCoderId(): string | null {
		// a reviewer codes nothing: blind coding does not apply
		if (!this.#blind || this.reviewing) return null;
		return this.currentCoderId ?? NO_CODER;
	}

	/** 'saving' while a write runs, 'error' when the last write failed, else 'saved'. */
	get saveState(): SaveState {
		if (this.#pending > 0) return 'saving';
		return this.#saveError ? 'error' : 'saved';
	}
	/**
	 * Leaving the page while a write runs would lose it: the browser is asked to confirm
	 * (for a window's `beforeunload`).
	 */
	holdUnload(e: BeforeUnloadEvent): void {
		if (this.#running > 0) e.preventDefault();
	}
	get saveError(): string | null {
		return this.#saveError;
	}

	/**
	 * Run a write and show its progress in the header's save status. A thrown error becomes a
	 * failed Result (and "Not saved"); a successful write marks the study as changed now (unless
	 * `touch: false`, for settings that are not part of the study). In a reviewing session only
	 * writes marked `asReviewer` run; the rest fail with READ_ONLY_MESSAGE. `showAfter`: "Saving…"
	 * shows once it resolves (a key press's frame then paints only its change, not the header),
	 * unless the write is done by then; the write counts for `holdUnload` at once.
	 */
	/** The study's `updatedAt` values this window wrote: any other one was another window's change. */
	#ownTouches = new Set<string>();
	/** True when the study's last change time is one this window wrote (or there is none). */
	changedHere(updatedAt: string | undefined): boolean {
		return updatedAt === undefined || this.#ownTouches.has(updatedAt);
	}

	async save<T>(
		work: () => Promise<Result<T>>,
		opts: { touch?: boolean; asReviewer?: boolean; showAfter?: Promise<void> } = {}
	): Promise<Result<T>> {
		if (this.viewer) return { ok: false, errors: [VIEWER_MESSAGE] };
		if (this.reviewing && !opts.asReviewer) return { ok: false, errors: [READ_ONLY_MESSAGE] };
		this.#running++;
		let shown = false;
		let done = false;
		const show = () => {
			if (done || shown) return;
			shown = true;
			this.#pending++;
		};
		if (opts.showAfter) void opts.showAfter.then(show);
		else show();
		try {
			const r = await work();
			if (r.ok) {
				this.#saveError = null;
				if (opts.touch !== false) {
					const at = await touchStudy(this.db, this.studyId).catch(() => null);
					if (at) this.#ownTouches.add(at);
					if (this.#ownTouches.size > 64) this.#ownTouches.delete(this.#ownTouches.values().next().value as string);
				}
			}
			return r;
		} catch (e) {
			const msg = e instanceof Error ? e.message : String(e);
			this.#saveError = msg;
			return { ok: false, errors: [`Not saved: ${msg}`] };
		} finally {
			done = true;
			this.#running--;
			if (shown) this.#pending--;
		}
	}

	/**
	 * The coders with the one who worked last first (then by last work, then by name): what
	 * "Who is coding?" offers, so a restored study opens with its last coder on top. Read once
	 * when asked, not live.
	 */
	async codersByLastUse(): Promise<{ coders: Coder[]; lastUsedId: string | null }> {
		const coders = this.#coders.current;
		const lastUse = await coderLastUse(this.db, this.studyId);
		const ordered = codersByLastUse(coders, lastUse);
		return { coders: ordered, lastUsedId: ordered.length && lastUse.has(ordered[0].id) ? ordered[0].id : null };
	}

	/** Make an existing coder the current coder. */
	switchCoder(coderId: string): Promise<Result<Coder>> {
		if (this.coderLocked) return Promise.resolve({ ok: false, errors: [LOCKED_CODER_MESSAGE] });
		return this.save(() => setCurrentCoder(this.db, this.studyId, coderId), { touch: false, asReviewer: true });
	}

	/** How many segments a coder has, for the confirmation before deleting them. */
	coderSegmentCount(coderId: string): Promise<number> {
		return coderSegmentCount(this.db, this.studyId, coderId);
	}

	/** Delete a coder with their segments (after a confirmation that counts them). */
	deleteCoder(coderId: string): Promise<Result<{ segments: number }>> {
		return this.save(() => deleteCoder(this.db, this.studyId, coderId));
	}

	/** Add a coder by name (reusing one of that name) and make them the current coder. */
	addCoder(name: string): Promise<Result<Coder>> {
		if (this.coderLocked) return Promise.resolve({ ok: false, errors: [LOCKED_CODER_MESSAGE] });
		return this.save(() => addAndSelectCoder(this.db, this.studyId, name), { asReviewer: true });
	}

	/** "I am only reviewing": no current coder, nothing can be coded or edited (adjudication can). */
	review(): Promise<Result<true>> {
		if (this.coderLocked) return Promise.resolve({ ok: false, errors: [LOCKED_CODER_MESSAGE] });
		return this.save(() => setReviewing(this.db, this.studyId), { touch: false });
	}
}

/** A coder id no coder has: blind coding with nobody coding shows nobody's work. */
export const NO_CODER = '\u0000none';

function blindKey(studyId: string): string {
	return `gloss:${studyId}:blind`;
}
function readBlind(studyId: string): boolean {
	try {
		return typeof localStorage !== 'undefined' && localStorage.getItem(blindKey(studyId)) === '1';
	} catch {
		return false;
	}
}

const KEY = Symbol('gloss-session');

/** Create the session for a study and provide it to every component below (call during init). */
export function createSession(studyId: string, db?: GlossDB): StudySession {
	return setContext(KEY, new StudySession(studyId, db));
}

/** The open study's session. Only inside the study layout. */
export function getSession(): StudySession {
	const s = getContext<StudySession | undefined>(KEY);
	if (!s) throw new Error('getSession() called outside a study (no StudySession in context)');
	return s;
}
