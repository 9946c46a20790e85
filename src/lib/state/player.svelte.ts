/**
 * The recording player of the coding screen: which recording belongs to the open document, where
 * it is, and which paragraph is being heard. One per coding screen (made by the page, gone with
 * it); the <audio>/<video> element is attached by MediaPlayer.svelte.
 */
import { markAt, passageTimes } from '../core/media';
import type { GlossDocument } from '../core/types';
import type { GlossDB } from '../db/db';
import { attachMedia, detachMedia, getMedia, type MediaInfo } from '../db/media';

export const RATES = [0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2] as const;
/** The step back that transcribers use to hear a word again. */
export const BACK_SECONDS = 5;

export class PlayerState {
	readonly #db: GlossDB;
	readonly #studyId: string;
	#el: HTMLMediaElement | null = null;
	#docId = '';
	#loadSeq = 0;

	/** The open document's recording (without its bytes), or null. */
	media = $state<MediaInfo | null>(null);
	/** An object URL for the recording's Blob; revoked when the document or screen changes. */
	url = $state<string | null>(null);
	time = $state(0);
	duration = $state(0);
	playing = $state(false);
	rate = $state(1);
	/** Scroll the transcript to follow the paragraph being heard. */
	follow = $state(true);
	error = $state<string | null>(null);
	/** Where a "play this passage" stops. */
	#stopAt: number | null = null;
	times = $state<readonly { offset: number; seconds: number }[]>([]);

	/** The offset of the paragraph being heard, while a recording is loaded and has been played or sought. */
	readonly heardOffset = $derived.by(() => {
		if (!this.url || !this.times.length || (!this.playing && this.time === 0)) return null;
		const i = markAt(this.times, this.time);
		return i < 0 ? null : this.times[i].offset;
	});

	constructor(db: GlossDB, studyId: string) {
		this.#db = db;
		this.#studyId = studyId;
	}

	/** Show the recording of this document (or none). */
	async open(doc: Pick<GlossDocument, 'id' | 'times'> | null): Promise<void> {
		const id = doc?.id ?? '';
		this.times = doc?.times ?? [];
		if (id === this.#docId) return;
		this.#docId = id;
		const seq = ++this.#loadSeq;
		this.#release();
		if (!id) return;
		const rec = await getMedia(this.#db, this.#studyId, id);
		if (seq !== this.#loadSeq || !rec) return;
		const { blob, ...info } = rec;
		this.media = info;
		this.url = URL.createObjectURL(blob);
	}

	#release() {
		this.#el?.pause();
		if (this.url) URL.revokeObjectURL(this.url);
		this.url = null;
		this.media = null;
		this.time = 0;
		this.duration = 0;
		this.playing = false;
		this.error = null;
		this.#stopAt = null;
	}

	/** Link a file to the open document; replaces its recording. */
	async link(file: File): Promise<string | null> {
		const id = this.#docId;
		if (!id) return 'Open a document first';
		const r = await attachMedia(this.#db, this.#studyId, id, file);
		if (!r.ok) return r.errors[0];
		this.#docId = '';
		const doc = { id, times: this.times } as GlossDocument;
		await this.open(doc);
		return null;
	}

	async unlink(): Promise<void> {
		const id = this.#docId;
		if (!id) return;
		await detachMedia(this.#db, this.#studyId, id);
		this.#release();
	}

	/** The element the component renders (null when it goes). */
	attach(el: HTMLMediaElement | null) {
		this.#el = el;
		if (el) el.playbackRate = this.rate;
	}

	/** Events from the element. */
	ontime() {
		const el = this.#el;
		if (!el) return;
		this.time = el.currentTime;
		if (this.#stopAt !== null && el.currentTime >= this.#stopAt) {
			this.#stopAt = null;
			el.pause();
		}
	}
	onmeta() {
		if (this.#el && Number.isFinite(this.#el.duration)) this.duration = this.#el.duration;
	}
	onplay(playing: boolean) {
		this.playing = playing;
	}
	onerror() {
		this.error = `${this.media?.name ?? 'The recording'}: this browser cannot play it (try mp3, m4a, wav, ogg, mp4 or webm)`;
		this.playing = false;
	}

	seek(seconds: number) {
		const el = this.#el;
		if (!el) return;
		this.#stopAt = null;
		el.currentTime = Math.max(0, Math.min(seconds, Number.isFinite(el.duration) ? el.duration : seconds));
		this.time = el.currentTime;
	}

	/** Play from a paragraph's time: a click on the time beside it. */
	playFrom(seconds: number) {
		this.seek(seconds);
		void this.#play();
	}

	async #play() {
		try {
			await this.#el?.play();
		} catch (e) {
			if ((e as Error).name !== 'AbortError') this.onerror();
		}
	}

	toggle() {
		const el = this.#el;
		if (!el) return;
		if (el.paused) void this.#play();
		else el.pause();
	}

	back(seconds = BACK_SECONDS) {
		if (this.#el) this.seek(this.#el.currentTime - seconds);
	}

	setRate(rate: number) {
		this.rate = rate;
		if (this.#el) this.#el.playbackRate = rate;
	}
	slower() {
		const i = RATES.findIndex((r) => r >= this.rate);
		this.setRate(RATES[Math.max(0, (i < 0 ? RATES.length : i) - 1)]);
	}
	faster() {
		const i = RATES.findIndex((r) => r > this.rate);
		this.setRate(RATES[i < 0 ? RATES.length - 1 : i]);
	}

	/** Whether a passage can be played: a recording and a time at or before its start. */
	canPlay(start: number, end: number): boolean {
		return !!this.url && passageTimes(this.times, start, end) !== null;
	}

	/** Play the stretch of recording that holds a passage, and stop at its end. */
	playPassage(start: number, end: number) {
		const t = passageTimes(this.times, start, end);
		if (!t || !this.#el) return;
		this.seek(t.from);
		this.#stopAt = t.to;
		void this.#play();
	}

	destroy() {
		this.#loadSeq++;
		this.#release();
		this.#el = null;
	}
}
