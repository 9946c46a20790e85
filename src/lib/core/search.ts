/**
 * Corpus search: plain text, whole word or regular expression, always case-insensitive by
 * default, over the stored (NFC) text. CJK works: for Han and kana, whose words are not
 * separated by spaces, "whole word" means whole characters, so only the edges of the query that
 * are letters of a space-separated script need a word boundary.
 *
 * fuse.js is for codes and memos (`searchCodes`, `searchMemos` below), never for the corpus text.
 */
import Fuse from 'fuse.js';
import { paragraphs, type Paragraph } from './text';
import type { Code, Id, Memo, Result } from './types';

export type SearchMode = 'text' | 'word' | 'regex';

export interface SearchOptions {
	query: string;
	mode: SearchMode;
	caseSensitive?: boolean;
}

export interface TextHit {
	start: number;
	end: number;
}

export interface CorpusHit extends TextHit {
	documentId: Id;
}

const CJK_CLASS = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Bopomofo}';
const CJK = new RegExp(`[${CJK_CLASS}]`, 'u');
const WORDCH = /[\p{L}\p{M}\p{N}_]/u;
/** A word character of a space-separated script. */
const NON_CJK_WORD = `(?:(?![${CJK_CLASS}])[\\p{L}\\p{M}\\p{N}_])`;

export function escapeRegExp(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Build the regular expression for a search, or a clear message when it cannot be built. */
export function compileSearch(opts: SearchOptions): Result<RegExp, string> {
	const q = opts.query.normalize('NFC');
	if (q.trim() === '') return { ok: false, errors: 'Type something to search for' };
	const flags = opts.caseSensitive ? 'gu' : 'giu';
	let source: string;
	if (opts.mode === 'regex') source = q;
	else {
		source = escapeRegExp(q);
		if (opts.mode === 'word') {
			const first = String.fromCodePoint(q.codePointAt(0)!);
			const lastCp = [...q].at(-1)!;
			if (WORDCH.test(first) && !CJK.test(first)) source = `(?<!${NON_CJK_WORD})${source}`;
			if (WORDCH.test(lastCp) && !CJK.test(lastCp)) source = `${source}(?!${NON_CJK_WORD})`;
		}
	}
	try {
		return { ok: true, value: new RegExp(source, flags) };
	} catch (e) {
		return { ok: false, errors: `Not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}` };
	}
}

/** Every non-empty match in a text, up to `limit`. */
export function searchText(text: string, re: RegExp, limit = Infinity): TextHit[] {
	const out: TextHit[] = [];
	const r = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
	let m: RegExpExecArray | null;
	while (out.length < limit && (m = r.exec(text))) {
		if (m[0].length === 0) {
			r.lastIndex = m.index + (text.codePointAt(m.index)! > 0xffff ? 2 : 1);
			continue;
		}
		out.push({ start: m.index, end: m.index + m[0].length });
	}
	return out;
}

export interface CorpusSearchResult {
	hits: CorpusHit[];
	/** True when the limit cut the list short. */
	truncated: boolean;
}

/** Search every document, in the order given. */
export function searchCorpus(
	documents: readonly { id: Id; text: string }[],
	opts: SearchOptions,
	limit = 5000
): Result<CorpusSearchResult, string> {
	const re = compileSearch(opts);
	if (!re.ok) return re;
	const hits: CorpusHit[] = [];
	for (const d of documents) {
		const left = limit - hits.length;
		if (left <= 0) return { ok: true, value: { hits, truncated: true } };
		for (const h of searchText(d.text, re.value, left + 1)) hits.push({ documentId: d.id, ...h });
	}
	const truncated = hits.length > limit;
	return { ok: true, value: { hits: hits.slice(0, limit), truncated } };
}

// ------------------------------------------------------------------ auto-coding: what a hit codes

/** What auto-coding codes for each hit: the hit itself, or its sentence, paragraph or speaker turn. */
export type HitScope = 'hit' | 'sentence' | 'paragraph' | 'turn';
export const HIT_SCOPES: readonly HitScope[] = ['hit', 'sentence', 'paragraph', 'turn'];

/**
 * A sentence ends at `.`, `!`, `?` or `…` followed by white space or the end of the paragraph,
 * and at the CJK `。`, `！`, `？` anywhere (CJK writes no space after them). Closing quotes and
 * brackets right after the mark belong to the sentence: `他说：“好。”` is one sentence.
 */
const SENTENCE_END = /(?:[.!?…]+|[。！？]+)[”’"'）)」』】〕》〉]*(?=\s|$)|[。！？]+[”’"'）)」』】〕》〉]*/gu;

/** The sentences of one paragraph's body, as [start, end) offsets into `text`, without edge spaces. */
function sentencesIn(text: string, start: number, end: number): [number, number][] {
	const body = text.slice(start, end);
	const out: [number, number][] = [];
	let from = 0;
	for (const m of body.matchAll(SENTENCE_END)) {
		const to = m.index + m[0].length;
		out.push([from, to]);
		from = to;
	}
	if (from < body.length) out.push([from, body.length]);
	return out
		.map(([a, b]): [number, number] => {
			const lead = body.slice(a, b).length - body.slice(a, b).trimStart().length;
			const trail = body.slice(a, b).length - body.slice(a, b).trimEnd().length;
			return [start + a + lead, start + b - trail];
		})
		.filter(([a, b]) => b > a);
}

/** The paragraph holding offset `at` (the last one starting at or before it). */
function paragraphAt(paras: readonly Paragraph[], at: number): number {
	let lo = 0;
	let hi = paras.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (paras[mid].start <= at) lo = mid;
		else hi = mid - 1;
	}
	return lo;
}

/**
 * The span a hit codes under a scope. Speaker labels (`R: `) are never part of it. A hit that
 * runs over several sentences (paragraphs, turns) grows to cover all of them.
 */
export function expandHit(text: string, hit: TextHit, scope: HitScope, paras: readonly Paragraph[] = paragraphs(text)): TextHit {
	if (scope === 'hit' || paras.length === 0) return { start: hit.start, end: hit.end };
	const first = paragraphAt(paras, hit.start);
	const last = paragraphAt(paras, Math.max(hit.start, hit.end - 1));
	if (scope === 'paragraph') return { start: Math.min(hit.start, paras[first].bodyStart), end: Math.max(hit.end, paras[last].end) };
	if (scope === 'turn') {
		let a = first;
		while (a > 0 && paras[a].speaker === null) a--;
		let b = last;
		while (b + 1 < paras.length && paras[b + 1].speaker === null) b++;
		return { start: Math.min(hit.start, paras[a].bodyStart), end: Math.max(hit.end, paras[b].end) };
	}
	const startSentences = sentencesIn(text, paras[first].bodyStart, paras[first].end);
	const endSentences = first === last ? startSentences : sentencesIn(text, paras[last].bodyStart, paras[last].end);
	const s = startSentences.find(([, b]) => b > hit.start) ?? startSentences.at(-1);
	const e = [...endSentences].reverse().find(([a]) => a < hit.end) ?? endSentences[0];
	return { start: Math.min(hit.start, s ? s[0] : hit.start), end: Math.max(hit.end, e ? e[1] : hit.end) };
}

/**
 * The spans a list of hits codes under a scope, one per distinct span, in document order: two
 * hits in one sentence code that sentence once. `hits` counts the hits behind each span.
 */
export function expandHits(
	documents: ReadonlyMap<Id, string>,
	hits: readonly CorpusHit[],
	scope: HitScope
): (CorpusHit & { hits: number })[] {
	const paraCache = new Map<Id, Paragraph[]>();
	const out = new Map<string, CorpusHit & { hits: number }>();
	for (const h of hits) {
		const text = documents.get(h.documentId);
		if (text === undefined) continue;
		let paras = paraCache.get(h.documentId);
		if (!paras && scope !== 'hit') paraCache.set(h.documentId, (paras = paragraphs(text)));
		const span = expandHit(text, h, scope, paras ?? []);
		const key = `${h.documentId}:${span.start}:${span.end}`;
		const prev = out.get(key);
		if (prev) prev.hits++;
		else out.set(key, { documentId: h.documentId, ...span, hits: 1 });
	}
	return [...out.values()];
}

export interface InContext {
	before: string;
	match: string;
	after: string;
}

/**
 * A match with up to `chars` characters either side, cut at white space where possible and
 * never across a paragraph break, with an ellipsis where it was cut.
 */
export function inContext(text: string, start: number, end: number, chars = 80): InContext {
	let b = Math.max(0, start - chars);
	const nlBefore = text.lastIndexOf('\n', start - 1);
	if (nlBefore >= b) b = nlBefore + 1;
	else if (b > 0) {
		const sp = text.indexOf(' ', b);
		if (sp >= 0 && sp < start) b = sp + 1;
	}
	let a = Math.min(text.length, end + chars);
	const nlAfter = text.indexOf('\n', end);
	if (nlAfter >= 0 && nlAfter <= a) a = nlAfter;
	else if (a < text.length) {
		const sp = text.lastIndexOf(' ', a);
		if (sp > end) a = sp;
	}
	// do not split a surrogate pair at the cut
	if (b > 0 && /[\udc00-\udfff]/.test(text[b] ?? '')) b--;
	if (a < text.length && /[\udc00-\udfff]/.test(text[a] ?? '')) a++;
	const cutBefore = b > 0 && text[b - 1] !== '\n';
	const cutAfter = a < text.length && text[a] !== '\n';
	return {
		before: (cutBefore ? '…' : '') + text.slice(b, start),
		match: text.slice(start, end),
		after: text.slice(end, a) + (cutAfter ? '…' : '')
	};
}

// ------------------------------------------------------------------ codes and memos (fuse.js)

export interface CodeEntry {
	code: Code;
	/** "Parent / Child / Code" */
	path: string;
}

/**
 * Typo-tolerant code search over name, path and definition. With an empty query, the recent
 * codes come first (most recent first), then the rest in codebook order. With a query, a recent
 * code wins a near tie.
 */
export function searchCodes(entries: readonly CodeEntry[], query: string, recent: readonly Id[] = [], limit = 50): CodeEntry[] {
	const rank = new Map(recent.map((id, i) => [id, i]));
	const q = query.trim();
	if (!q) {
		const r = entries.filter((e) => rank.has(e.code.id)).sort((a, b) => rank.get(a.code.id)! - rank.get(b.code.id)!);
		return [...r, ...entries.filter((e) => !rank.has(e.code.id))].slice(0, limit);
	}
	const fuse = new Fuse(entries as CodeEntry[], {
		keys: [
			{ name: 'code.name', weight: 3 },
			{ name: 'path', weight: 1.5 },
			{ name: 'code.definition', weight: 0.5 }
		],
		includeScore: true,
		ignoreLocation: true,
		threshold: 0.4
	});
	return fuse
		.search(q)
		.map((r) => ({ e: r.item, s: (r.score ?? 1) - (rank.has(r.item.code.id) ? 0.05 * (1 - rank.get(r.item.code.id)! / Math.max(1, recent.length)) : 0) }))
		.sort((a, b) => a.s - b.s)
		.slice(0, limit)
		.map((r) => r.e);
}

export interface MemoEntry {
	/** What the memo is on: "Study", "Document: Interview 3", "Code: Cost", "Segment in Interview 3". */
	where: string;
	title: string;
	text: string;
	memo?: Memo;
	/** For a segment memo. */
	segmentId?: Id;
	documentId?: Id;
}

/** Typo-tolerant search over memo titles and text. */
export function searchMemos(entries: readonly MemoEntry[], query: string, limit = 100): MemoEntry[] {
	const q = query.trim();
	if (!q) return entries.slice(0, limit);
	const fuse = new Fuse(entries as MemoEntry[], {
		keys: [
			{ name: 'title', weight: 2 },
			{ name: 'text', weight: 1 },
			{ name: 'where', weight: 0.5 }
		],
		ignoreLocation: true,
		threshold: 0.35
	});
	return fuse.search(q, { limit }).map((r) => r.item);
}
