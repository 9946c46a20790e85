/**
 * Text positions at the REFI-QDA edge.
 *
 * Gloss counts UTF-16 code units over normalised text (LF, NFC). REFI-QDA 1.5 (section 10.2)
 * counts Unicode code points from 0, end exclusive. Other tools differ (NVivo for Windows writes
 * UTF-16 code units with CRLF counted as 2; ATLAS.ti is reported to count CRLF as one), so the
 * importer reads a source file's raw text, tries the possible readings and maps positions through
 * the normalisation (BOM, CRLF -> LF, NFC) onto the stored text.
 */

/** UTF-16 offset -> code point index over `text`. An offset inside a surrogate pair rounds down. */
export function utf16ToCodePoints(text: string): (offset: number) => number {
	// cum[k] = code points before UTF-16 offset k
	const cum = new Int32Array(text.length + 1);
	let cp = 0;
	for (let k = 0; k < text.length; k++) {
		cum[k] = cp;
		const c = text.charCodeAt(k);
		const isHigh = c >= 0xd800 && c <= 0xdbff;
		const nextLow = k + 1 < text.length && text.charCodeAt(k + 1) >= 0xdc00 && text.charCodeAt(k + 1) <= 0xdfff;
		if (isHigh && nextLow) {
			cum[k + 1] = cp; // inside the pair: same code point
			k++;
		}
		cp++;
	}
	cum[text.length] = cp;
	return (offset: number) => cum[Math.max(0, Math.min(text.length, offset))];
}

/** Code point index -> UTF-16 offset over `text` (clamped to the text's end). */
export function codePointsToUtf16(text: string): (cp: number) => number {
	const offs: number[] = [];
	let k = 0;
	while (k < text.length) {
		offs.push(k);
		const c = text.charCodeAt(k);
		k += c >= 0xd800 && c <= 0xdbff && k + 1 < text.length && (text.charCodeAt(k + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
	}
	offs.push(text.length);
	return (cp: number) => offs[Math.max(0, Math.min(offs.length - 1, cp))];
}

/** Count code points of a string. */
export function codePointLength(text: string): number {
	let n = 0;
	for (let k = 0; k < text.length; k++) {
		const c = text.charCodeAt(k);
		if (!(c >= 0xdc00 && c <= 0xdfff && k > 0 && (text.charCodeAt(k - 1) & 0xfc00) === 0xd800)) n++;
	}
	return n;
}

export type PositionUnit = 'codepoint' | 'utf16';
/** How many positions a CRLF pair occupies in the file's counting. */
export type CrlfCount = 1 | 2;

export interface Reading {
	unit: PositionUnit;
	crlf: CrlfCount;
}

export const readingLabel = (r: Reading): string =>
	`${r.unit === 'codepoint' ? 'Unicode code points' : 'UTF-16 code units'}${r.crlf === 1 ? ', CRLF counted as 1' : ''}`;

/** Characters that attach to the one before them (combining marks, Hangul medial and final jamo). */
const CONTINUES = /[\p{M}\u1160-\u11FF\uD7B0-\uD7FF]/u;

export interface NormalisedMap {
	/** The normalised text: LF line endings, NFC, no BOM. Equals `normaliseText(raw)`. */
	text: string;
	/** Positions the raw text has in this reading (the largest valid position). */
	length: number;
	/** Map a start position; null when past the end. */
	start(pos: number): number | null;
	/** Map an end position; null when past the end. */
	end(pos: number): number | null;
}

/**
 * Build the position mapping from a raw source text (BOM already stripped or not) read in
 * `reading` onto its normalised form. The text is cut into clusters (a character with the marks
 * that follow it, or a CRLF pair). A cluster normalisation leaves alone maps position by position;
 * a changed cluster maps a start inside it to its start and an end inside it to its end, so a
 * selection never splits a composed character. An end between CR and LF maps before the LF.
 */
export function mapThroughNormalisation(rawIn: string, reading: Reading): NormalisedMap {
	const raw = rawIn.charCodeAt(0) === 0xfeff ? rawIn.slice(1) : rawIn;
	const parts: string[] = [];
	// Per raw position (in the reading's units): normalised start and end offsets. No reading has
	// more positions than the raw text has UTF-16 units.
	const startMap = new Int32Array(raw.length + 1);
	const endMap = new Int32Array(raw.length + 1);
	let pos = 0;
	const push = (s: number, e: number) => {
		startMap[pos] = s;
		endMap[pos] = e;
		pos++;
	};
	let norm = 0;
	let k = 0;
	const n = raw.length;
	let plainFrom = -1; // start of a run of characters below U+0300 (other than CR), copied as is
	const flushPlain = (to: number) => {
		if (plainFrom >= 0) {
			parts.push(raw.slice(plainFrom, to));
			plainFrom = -1;
		}
	};
	while (k < n) {
		const c = raw.charCodeAt(k);
		// Fast path: a character below U+0300 not followed by a possible combining character.
		if (c !== 13 && c < 0x300 && (k + 1 >= n || raw.charCodeAt(k + 1) < 0x300)) {
			if (plainFrom < 0) plainFrom = k;
			push(norm, norm);
			norm++;
			k++;
			continue;
		}
		flushPlain(k);
		if (c === 13) {
			const pair = raw.charCodeAt(k + 1) === 10;
			parts.push('\n');
			push(norm, norm);
			// An end between CR and LF stops before the line break.
			if (pair && reading.crlf === 2) push(norm, norm);
			norm += 1;
			k += pair ? 2 : 1;
			continue;
		}
		// One cluster: a character and the continuing characters after it.
		let j = k + (c >= 0xd800 && c <= 0xdbff && (raw.charCodeAt(k + 1) & 0xfc00) === 0xdc00 ? 2 : 1);
		while (j < n) {
			const d = raw.charCodeAt(j);
			if (d < 0x300) break;
			const cp = raw.codePointAt(j) as number;
			if (!CONTINUES.test(String.fromCodePoint(cp))) break;
			j += cp > 0xffff ? 2 : 1;
		}
		const cluster = raw.slice(k, j);
		const normed = j - k === 1 && c < 0x300 ? cluster : cluster.normalize('NFC');
		parts.push(normed);
		if (normed === cluster) {
			// Position by position.
			for (let q = k; q < j; ) {
				const w = (raw.codePointAt(q) as number) > 0xffff ? 2 : 1;
				const off = norm + (q - k);
				if (reading.unit === 'codepoint') push(off, off);
				else {
					// Inside a surrogate pair: a start rounds down, an end rounds up.
					push(off, off);
					if (w === 2) push(off, off + 2);
				}
				q += w;
			}
		} else {
			const units = reading.unit === 'codepoint' ? codePointLength(cluster) : cluster.length;
			for (let u = 0; u < units; u++) push(norm, u === 0 ? norm : norm + normed.length);
		}
		norm += normed.length;
		k = j;
	}
	flushPlain(n);
	push(norm, norm);
	const text = parts.join('');
	const length = pos - 1;
	return {
		text,
		length,
		start: (p) => (Number.isInteger(p) && p >= 0 && p <= length ? startMap[p] : null),
		end: (p) => (Number.isInteger(p) && p >= 0 && p <= length ? endMap[p] : null)
	};
}

/** Does the raw text read differently under different readings? */
export function readingsDiffer(raw: string): { astral: boolean; crlf: boolean } {
	return { astral: /[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(raw), crlf: raw.includes('\r\n') };
}

const WORD = /[\p{L}\p{N}]/u;
const isWord = (ch: string | undefined) => ch !== undefined && WORD.test(ch);

/**
 * How plausible selections look under a mapping: the share of selection edges that fall on a word
 * boundary (not inside a word), with out-of-range selections counted as wrong. 0..1.
 */
export function plausibility(map: NormalisedMap, selections: readonly { start: number; end: number }[]): number {
	if (!selections.length) return 1;
	let good = 0;
	const t = map.text;
	const boundary = (o: number) => o <= 0 || o >= t.length || !isWord(t[o - 1]) || !isWord(t[o]);
	for (const s of selections) {
		const a = map.start(s.start);
		const b = map.end(s.end);
		if (a === null || b === null) continue;
		if (boundary(a)) good++;
		if (boundary(b)) good++;
	}
	return good / (2 * selections.length);
}

/**
 * Choose the reading for one source: the preferred one (from the tool that wrote the file) unless
 * another reading fits the selections clearly better (more edges on word boundaries, fewer
 * selections past the end).
 */
export function chooseReading(
	raw: string,
	selections: readonly { start: number; end: number }[],
	preferred: Reading
): { reading: Reading; map: NormalisedMap } {
	const { astral, crlf } = readingsDiffer(raw);
	const candidates: Reading[] = [preferred];
	const add = (r: Reading) => {
		if (!candidates.some((c) => c.unit === r.unit && c.crlf === r.crlf)) candidates.push(r);
	};
	for (const unit of astral ? (['codepoint', 'utf16'] as const) : [preferred.unit])
		for (const c of crlf ? ([2, 1] as const) : [preferred.crlf]) add({ unit, crlf: c });
	let best = { reading: preferred, map: mapThroughNormalisation(raw, preferred), score: -1 };
	best.score = plausibility(best.map, selections);
	if (candidates.length === 1 || !selections.length) return best;
	for (const r of candidates.slice(1)) {
		const map = mapThroughNormalisation(raw, r);
		const score = plausibility(map, selections);
		if (score > best.score + 0.05) best = { reading: r, map, score };
	}
	return best;
}
