/** REFI-QDA GUIDs and colours. */

const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

/** `{ABCDEF01-...}` or `abcdef01-...` -> lower case without braces; null when it is not a GUID. */
export function normaliseGuid(s: string | undefined): string | null {
	if (!s) return null;
	const m = GUID.exec(s.trim());
	if (!m) return null;
	const t = s.trim();
	// Braces must pair.
	if ((t[0] === '{') !== (t[t.length - 1] === '}')) return null;
	return m[1].toLowerCase();
}

/** FNV-1a 32-bit over a string, seeded. */
function fnv(s: string, seed: number): number {
	let h = 0x811c9dc5 ^ seed;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

/**
 * A GUID for a Gloss id: the id itself when it already is one (Gloss ids are UUIDs), otherwise a
 * stable UUID-shaped value derived from it, so the same study always exports the same GUIDs.
 */
export function guidFor(id: string): string {
	const g = normaliseGuid(id);
	if (g) return g;
	const h = [0, 1, 2, 3].map((k) => fnv(id, k * 0x9e3779b1).toString(16).padStart(8, '0')).join('');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A colour from another tool as Gloss's `#rrggbb`, or null when unreadable. Accepts `#RGB`,
 * `#RRGGBB`, 8 hex digits with alpha (`#RRGGBBAA`, or `#AARRGGBB` when it starts with FF and
 * does not end with FF), with or without `#`, and RGB triples (`rgb(1, 2, 3)`, `1,2,3`).
 */
export function normaliseColour(s: string | undefined): string | null {
	if (!s) return null;
	const t = s.trim();
	let m = /^#?([0-9a-fA-F]{3})$/.exec(t);
	if (m)
		return (
			'#' +
			[...m[1]]
				.map((c) => c + c)
				.join('')
				.toLowerCase()
		);
	m = /^#?([0-9a-fA-F]{6})$/.exec(t);
	if (m) return '#' + m[1].toLowerCase();
	m = /^#?([0-9a-fA-F]{8})$/.exec(t);
	if (m) {
		const h = m[1].toLowerCase();
		const argb = h.startsWith('ff') && !h.endsWith('ff');
		return '#' + (argb ? h.slice(2) : h.slice(0, 6));
	}
	m = /^(?:rgba?\s*\()?\s*(\d{1,3})\s*[,;\s]\s*(\d{1,3})\s*[,;\s]\s*(\d{1,3})\s*(?:[,;\s]\s*[\d.]+\s*)?\)?$/i.exec(t);
	if (m) {
		const v = [m[1], m[2], m[3]].map(Number);
		if (v.some((x) => x > 255)) return null;
		return '#' + v.map((x) => x.toString(16).padStart(2, '0')).join('');
	}
	return null;
}
