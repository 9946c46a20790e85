/**
 * Timestamped transcripts: WebVTT and SRT subtitle files (Zoom, Teams, Otter) and text
 * transcripts whose turns start with a time such as `[00:12:34]` or `(12:34)`.
 *
 * A paragraph's start time is data beside the text (`TimeMark`), never part of the offsets: a
 * subtitle file becomes one paragraph per speaker turn (`Name: text`), and a text transcript
 * keeps its text exactly as it was, with the times read from it. Pure: no DOM.
 */
import webvtt from 'webvtt-parser';
import { normaliseText, speakerLabel } from './text';
import type { Result } from './types';

/** A paragraph that starts at `offset` (UTF-16, in the normalised text) was spoken at `seconds`. */
export interface TimeMark {
	offset: number;
	seconds: number;
}

export interface TimedText {
	/** Normalised text (LF, NFC), one paragraph per line. */
	text: string;
	/** One mark per timed paragraph, in text order. */
	times: TimeMark[];
}

/** Cues from one speaker closer together than this are one paragraph. */
const MERGE_GAP_SECONDS = 30;
/** Cues with no speaker are joined into paragraphs of about this length at most. */
const UNVOICED_PARAGRAPH = 600;

// The parser's default entities lack the `;` forms, so `&amp;` would read as `&;`.
const ENTITIES: Record<string, string> = {};
for (const [name, ch] of Object.entries({ amp: '&', lt: '<', gt: '>', nbsp: '\u00a0', lrm: '\u200e', rlm: '\u200f', quot: '"', apos: "'" })) {
	ENTITIES[`&${name}`] = ch;
	ENTITIES[`&${name};`] = ch;
}

interface CueNode {
	type: 'text' | 'object' | 'timestamp';
	name?: string;
	value?: string;
	children?: CueNode[];
}

interface ParsedCue {
	startTime: number;
	endTime: number;
	tree: { children: CueNode[] };
}

interface Turn {
	speaker: string | null;
	seconds: number;
	end: number;
	body: string;
}

/** The plain text of a cue and the voice (`<v Name>`) it names first, if any. */
function flatten(nodes: CueNode[], out: { text: string; voice: string | null }): void {
	for (const n of nodes) {
		if (n.type === 'text') out.text += n.value ?? '';
		else if (n.type === 'object') {
			if (n.name === 'v' && out.voice === null && n.value) out.voice = n.value.trim() || null;
			flatten(n.children ?? [], out);
		}
	}
}

const tidy = (s: string) => s.replace(/[\u00a0\s]+/g, ' ').trim();

/** Turns (speaker, start time, text) from parsed cues: one per speaker turn. */
function turnsOf(cues: ParsedCue[]): Turn[] {
	const turns: Turn[] = [];
	for (const cue of cues) {
		const flat = { text: '', voice: null as string | null };
		flatten(cue.tree.children, flat);
		let body = tidy(flat.text);
		let speaker = flat.voice ? tidy(flat.voice) : null;
		if (!speaker) {
			const label = speakerLabel(body);
			if (label) {
				speaker = label.name;
				body = body.slice(label.length).trim();
			}
		}
		if (!body) continue;
		const prev = turns[turns.length - 1];
		const gap = prev ? cue.startTime - prev.end : Infinity;
		const same =
			prev &&
			prev.speaker === speaker &&
			gap < MERGE_GAP_SECONDS &&
			(speaker !== null || (prev.body.length < UNVOICED_PARAGRAPH && gap < 2 && !/[.?!。？！…]["”’)]?$/.test(prev.body)));
		if (same) {
			prev.body += (/[\u3000-\u9fff\uff00-\uffef]$/.test(prev.body) ? '' : ' ') + body;
			prev.end = Math.max(prev.end, cue.endTime);
		} else turns.push({ speaker, seconds: cue.startTime, end: cue.endTime, body });
	}
	return turns;
}

function textOf(turns: Turn[]): TimedText {
	let text = '';
	const times: TimeMark[] = [];
	for (const t of turns) {
		const line = normaliseText(t.speaker ? `${t.speaker}: ${t.body}` : t.body).replace(/\n/g, ' ');
		times.push({ offset: text.length, seconds: Math.round(t.seconds * 1000) / 1000 });
		text += line + '\n';
	}
	return { text, times };
}

/**
 * Read a WebVTT file (already decoded to a string). Voice tags and `Name:` prefixes become
 * speaker turns; consecutive cues from one speaker become one paragraph that keeps the first
 * cue's start; cue settings, styling, notes and regions are dropped.
 */
export function parseVtt(input: string, fileName: string): Result<TimedText, string> {
	const src = normaliseText(input.replace(/^\uFEFF/, ''));
	if (!/^WEBVTT(?:[ \t].*)?(?:\n|$)/.test(src))
		return { ok: false, errors: `${fileName}: not a WebVTT file (the first line must be "WEBVTT")` };
	let tree: { cues: ParsedCue[]; errors: { message: string; line: number }[] };
	try {
		tree = new webvtt.WebVTTParser(ENTITIES).parse(src, 'metadata') as typeof tree;
	} catch (e) {
		return { ok: false, errors: `${fileName}: not a readable WebVTT file (${(e as Error).message})` };
	}
	const cues = tree.cues.filter((c) => Number.isFinite(c.startTime) && c.startTime >= 0);
	if (cues.length === 0) {
		const first = tree.errors[0];
		return {
			ok: false,
			errors: `${fileName}: no cues with text found${first ? ` (line ${first.line}: ${first.message})` : ''}`
		};
	}
	const turns = turnsOf(cues);
	if (turns.length === 0) return { ok: false, errors: `${fileName}: the cues hold no text` };
	return { ok: true, value: textOf(turns) };
}

const SRT_TIME = /^(\d{1,3}):(\d{2}):(\d{2})[,.](\d{1,3})\s*-->\s*(\d{1,3}):(\d{2}):(\d{2})[,.](\d{1,3})/;

/**
 * Read an SRT file: its blocks (number, `00:01:02,500 --> 00:01:04,000`, text lines) become
 * WebVTT cues, read by the same parser, so speakers and merging follow the same rules.
 */
export function parseSrt(input: string, fileName: string): Result<TimedText, string> {
	const src = normaliseText(input.replace(/^\uFEFF/, ''));
	const blocks = src.split(/\n[ \t]*\n+/);
	let vtt = 'WEBVTT\n\n';
	let n = 0;
	let firstBad: string | null = null;
	for (const raw of blocks) {
		const lines = raw.split('\n').filter((l, i) => i > 0 || l.trim() !== '');
		if (lines.length === 0) continue;
		let i = 0;
		if (/^\d+\s*$/.test(lines[0]) && lines.length > 1) i = 1;
		const m = SRT_TIME.exec(lines[i]?.trim() ?? '');
		if (!m) {
			firstBad ??= lines[0].slice(0, 40);
			continue;
		}
		const ms = (s: string) => s.padEnd(3, '0');
		const pad = (s: string) => s.padStart(2, '0');
		const body = lines
			.slice(i + 1)
			.join('\n')
			// SRT's own tags (<i>, <b>, <font …>) are styling: keep the words only
			.replace(/<\/?(?:i|b|u|font)(?:\s[^>]*)?>/gi, '')
			.replace(/\{\\[^}]*\}/g, '')
			// a blank line inside a cue would end it in WebVTT
			.replace(/\n+/g, '\n')
			.replace(/-->/g, '→');
		if (!body.trim()) continue;
		vtt += `${pad(m[1])}:${m[2]}:${m[3]}.${ms(m[4])} --> ${pad(m[5])}:${m[6]}:${m[7]}.${ms(m[8])}\n${body}\n\n`;
		n++;
	}
	if (n === 0)
		return {
			ok: false,
			errors: `${fileName}: not an SRT subtitle file (no "00:00:01,000 --> 00:00:02,000" timings found${firstBad ? `; first block starts "${firstBad}"` : ''})`
		};
	return parseVtt(vtt, fileName);
}

/** `[00:12:34]`, `[12:34]`, `(0:12:34.5)`, `[00:12:34.500]` at the start of a turn. */
const STAMP = /^[ \t]*[[(](?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?[\])]/;

function stampSeconds(m: RegExpExecArray): number | null {
	const h = m[1] ? Number(m[1]) : 0;
	const min = Number(m[2]);
	const s = Number(m[3]);
	if (s >= 60 || (m[1] !== undefined && min >= 60)) return null;
	const frac = m[4] ? Number(`0.${m[4]}`) : 0;
	return h * 3600 + min * 60 + s + frac;
}

/**
 * The start times of a text transcript's turns, where a line starts with a time (`[00:12:34]
 * Interviewer: …`, `(12:34) …`) or a speaker label does (`Interviewer: [00:12:34] …`). The text
 * itself is not changed. Fewer than two timed lines is not a timed transcript: no marks.
 */
export function findTimestamps(text: string): TimeMark[] {
	const marks: TimeMark[] = [];
	let pos = 0;
	while (pos < text.length) {
		let nl = text.indexOf('\n', pos);
		if (nl < 0) nl = text.length;
		const line = text.slice(pos, Math.min(nl, pos + 120));
		let m = STAMP.exec(line);
		if (!m) {
			const label = speakerLabel(line);
			if (label) m = STAMP.exec(line.slice(label.length));
		}
		if (m && line.trim() !== '') {
			const seconds = stampSeconds(m);
			if (seconds !== null) marks.push({ offset: pos, seconds });
		}
		pos = nl + 1;
	}
	return marks.length >= 2 ? marks : [];
}

/** `1:02:03` from an hour on, else `12:34`; whole seconds. */
export function formatTime(seconds: number): string {
	const t = Math.max(0, Math.floor(seconds));
	const h = Math.floor(t / 3600);
	const m = Math.floor((t % 3600) / 60);
	const s = t % 60;
	const ss = String(s).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * Check stored marks against their text: offsets are integers inside the text, in order, and
 * each starts a line; seconds are finite and not negative. Returns the problems, by index.
 */
export function checkTimes(times: unknown, textLength: number, text?: string): string[] {
	if (!Array.isArray(times)) return ['must be a list of { offset, seconds }'];
	const errors: string[] = [];
	let last = -1;
	times.forEach((t: unknown, i) => {
		const o = (t ?? {}) as { offset?: unknown; seconds?: unknown };
		if (!Number.isSafeInteger(o.offset) || (o.offset as number) < 0 || (o.offset as number) > textLength)
			errors.push(`[${i}].offset: must be a whole number from 0 to ${textLength}`);
		else if ((o.offset as number) <= last) errors.push(`[${i}].offset: must be after the previous mark's`);
		else if (text !== undefined && (o.offset as number) > 0 && text[(o.offset as number) - 1] !== '\n')
			errors.push(`[${i}].offset: must be the start of a line`);
		if (typeof o.seconds !== 'number' || !Number.isFinite(o.seconds) || o.seconds < 0)
			errors.push(`[${i}].seconds: must be a number of seconds, not negative`);
		if (Number.isSafeInteger(o.offset)) last = Math.max(last, o.offset as number);
	});
	return errors;
}
