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
 */
import { getContext, setContext } from 'svelte';
import { getDb, type GlossDB } from '../db/db';
import { addAndSelectCoder, coderSegmentCount, currentCoderKey, deleteCoder, setCurrentCoder } from '../db/coders';
import { touchStudy } from '../db/studies';
import type { Coder, Result, Study } from '../core/types';
import { Live } from './live.svelte';

export type SaveState = 'saved' | 'saving' | 'error';

export class StudySession {
	readonly studyId: string;
	readonly db: GlossDB;

	#study: Live<Study | null | undefined>;
	#coders: Live<Coder[]>;
	#coderId: Live<string | null | undefined>;
	#pending = $state(0);
	#saveError = $state<string | null>(null);

	constructor(studyId: string, db: GlossDB = getDb()) {
		this.studyId = studyId;
		this.db = db;
		this.#study = new Live(async () => (await db.studies.get(studyId)) ?? null, undefined);
		this.#coders = new Live(
			async () => (await db.coders.where('studyId').equals(studyId).toArray()).sort((a, b) => a.name.localeCompare(b.name)),
			[]
		);
		this.#coderId = new Live(async () => {
			const row = await db.settings.get(currentCoderKey(studyId));
			return typeof row?.value === 'string' ? row.value : null;
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
	get currentCoderId(): string | null {
		const id = this.#coderId.current ?? null;
		return id && this.#coders.current.some((c) => c.id === id) ? id : null;
	}
	/** The coder coding now in this browser; null until someone says who is coding. */
	get currentCoder(): Coder | null {
		const id = this.#coderId.current;
		return this.#coders.current.find((c) => c.id === id) ?? null;
	}
	/** The study is loaded but nobody has said who is coding: the layout asks "Who is coding?". */
	get needsCoder(): boolean {
		return !this.loading && !!this.study && this.currentCoder === null;
	}

	/** 'saving' while a write runs, 'error' when the last write failed, else 'saved'. */
	get saveState(): SaveState {
		if (this.#pending > 0) return 'saving';
		return this.#saveError ? 'error' : 'saved';
	}
	get saveError(): string | null {
		return this.#saveError;
	}

	/**
	 * Run a write and show its progress in the header's save status. A thrown error becomes a
	 * failed Result (and "Not saved"); a successful write marks the study as changed now (unless
	 * `touch: false`, for settings that are not part of the study).
	 */
	async save<T>(work: () => Promise<Result<T>>, opts: { touch?: boolean } = {}): Promise<Result<T>> {
		this.#pending++;
		try {
			const r = await work();
			if (r.ok) {
				this.#saveError = null;
				if (opts.touch !== false) await touchStudy(this.db, this.studyId).catch(() => {});
			}
			return r;
		} catch (e) {
			const msg = e instanceof Error ? e.message : String(e);
			this.#saveError = msg;
			return { ok: false, errors: [`Not saved: ${msg}`] };
		} finally {
			this.#pending--;
		}
	}

	/** Make an existing coder the current coder. */
	switchCoder(coderId: string): Promise<Result<Coder>> {
		return this.save(() => setCurrentCoder(this.db, this.studyId, coderId), { touch: false });
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
		return this.save(() => addAndSelectCoder(this.db, this.studyId, name));
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
