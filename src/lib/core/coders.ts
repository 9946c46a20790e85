/** Coders: the order in which "Who is coding?" offers them. */
import type { Coder, Id } from './types';

/**
 * The coders with the one who coded or wrote a memo last first, then the others by their last
 * work, then those with none by name. `lastUse` maps a coder's id to the ISO time of their last
 * segment or memo change.
 */
export function codersByLastUse(coders: readonly Coder[], lastUse: ReadonlyMap<Id, string>): Coder[] {
	return [...coders].sort((a, b) => {
		const ta = lastUse.get(a.id) ?? '';
		const tb = lastUse.get(b.id) ?? '';
		if (ta !== tb) return ta < tb ? 1 : -1;
		return a.name.localeCompare(b.name);
	});
}

/** The latest `updatedAt` per coder over rows that carry a coder (segments, memos). */
export function lastUseByCoder(rows: Iterable<{ coderId: Id | null; updatedAt: string }>): Map<Id, string> {
	const out = new Map<Id, string>();
	for (const r of rows) {
		if (!r.coderId) continue;
		const prev = out.get(r.coderId);
		if (prev === undefined || r.updatedAt > prev) out.set(r.coderId, r.updatedAt);
	}
	return out;
}
