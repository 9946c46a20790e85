/**
 * Recordings linked to transcripts: which files are accepted, and which paragraph is being
 * heard at a time. Pure: the file itself (a Blob) is stored by src/lib/db/media.ts.
 */
import type { Result } from './types';
import { formatBytes } from './size';

export type MediaKind = 'audio' | 'video';

const BY_EXTENSION: Record<string, { kind: MediaKind; type: string }> = {
	mp3: { kind: 'audio', type: 'audio/mpeg' },
	m4a: { kind: 'audio', type: 'audio/mp4' },
	wav: { kind: 'audio', type: 'audio/wav' },
	ogg: { kind: 'audio', type: 'audio/ogg' },
	oga: { kind: 'audio', type: 'audio/ogg' },
	mp4: { kind: 'video', type: 'video/mp4' },
	webm: { kind: 'video', type: 'video/webm' }
};

/** What the file picker offers. */
export const MEDIA_ACCEPT = Object.keys(BY_EXTENSION)
	.map((e) => `.${e}`)
	.concat(['audio/*', 'video/mp4', 'video/webm'])
	.join(',');

/** A day-long recording in a compressed format is well under this. */
export const MAX_MEDIA_BYTES = 4 * 1024 * 1024 * 1024;

export interface MediaFileInfo {
	kind: MediaKind;
	/** The MIME type the player is given. */
	type: string;
}

/** Check a recording before it is stored: its kind (by extension, then MIME type) and size. */
export function checkMediaFile(file: { name: string; size: number; type?: string }): Result<MediaFileInfo, string> {
	const ext = /\.([^.]+)$/.exec(file.name.toLowerCase())?.[1] ?? '';
	const known = BY_EXTENSION[ext];
	const mime = (file.type ?? '').toLowerCase();
	const info: MediaFileInfo | null = known
		? { kind: known.kind, type: mime.startsWith(known.kind + '/') ? mime : known.type }
		: mime.startsWith('audio/')
			? { kind: 'audio', type: mime }
			: null;
	if (!info) return { ok: false, errors: `${file.name}: not an audio or video file Gloss can play (mp3, m4a, wav, ogg, mp4, webm)` };
	if (file.size === 0) return { ok: false, errors: `${file.name}: the file is empty` };
	if (file.size > MAX_MEDIA_BYTES)
		return { ok: false, errors: `${file.name}: too large (${formatBytes(file.size)}); a recording may be at most ${formatBytes(MAX_MEDIA_BYTES)}` };
	return { ok: true, value: info };
}

/**
 * The mark being heard at `seconds`: the last one that starts at or before it (index into
 * `times`), or -1 before the first. Marks are in text order, and so (nearly always) in time order;
 * a binary search would mislead on the odd mark out of order, so this scans.
 */
export function markAt(times: readonly { seconds: number }[], seconds: number): number {
	let best = -1;
	for (let i = 0; i < times.length; i++) if (times[i].seconds <= seconds + 0.05 && (best < 0 || times[i].seconds >= times[best].seconds)) best = i;
	return best;
}

/**
 * The stretch of the recording that holds a passage: from the mark of the paragraph it starts in
 * to the next mark after its end (or the end of the recording). Null when the passage starts
 * before the first mark.
 */
export function passageTimes(times: readonly { offset: number; seconds: number }[], start: number, end: number): { from: number; to: number | null } | null {
	let first = -1;
	for (let i = 0; i < times.length; i++) if (times[i].offset <= start) first = i;
	if (first < 0) return null;
	const after = times.find((t) => t.offset >= end && t.seconds > times[first].seconds);
	return { from: times[first].seconds, to: after ? after.seconds : null };
}
