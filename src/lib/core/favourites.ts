/**
 * Favourite codes: which code each number key 1–9 applies in the coding view.
 *
 * The researcher's own choice (Code.favourite) wins. When no code has a key, the keys go to the
 * first nine LEAF codes in codebook order: a code with subcodes is usually a container
 * ("Motivations…"), not something one applies.
 */
import { buildTree, walk } from './codebook';
import { nowIso } from './ids';
import type { Code, Id, Result } from './types';

export const FAVOURITE_KEYS: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9];

const isKey = (k: unknown): k is number => typeof k === 'number' && Number.isInteger(k) && k >= 1 && k <= 9;

/** Number key → code. Set favourites when any code has one, else the first nine leaf codes. */
export function favouriteKeys(codes: readonly Code[]): Map<number, Code> {
	const ordered = walk(buildTree(codes)).map((w) => w.code);
	const m = new Map<number, Code>();
	for (const c of ordered) if (isKey(c.favourite) && !m.has(c.favourite)) m.set(c.favourite, c);
	if (m.size > 0) return new Map([...m].sort((a, b) => a[0] - b[0]));
	const parents = new Set(codes.map((c) => c.parentId).filter((p): p is Id => p !== null));
	ordered
		.filter((c) => !parents.has(c.id))
		.slice(0, 9)
		.forEach((c, i) => m.set(i + 1, c));
	return m;
}

/** The codes the number keys apply, in key order (at most nine). */
export function favouriteCodes(codes: readonly Code[]): Code[] {
	return [...favouriteKeys(codes).values()];
}

/**
 * Give `id` the number key `key` (null: no key). A key is unique in a study: the code that had
 * it loses it. Returns the codes to write.
 */
export function setFavourite(
	codes: readonly Code[],
	id: Id,
	key: number | null,
	now = nowIso()
): Result<{ upserts: Code[]; removedIds: Id[] }> {
	if (key !== null && !isKey(key)) return { ok: false, errors: [`A number key must be 1 to 9, found ${String(key)}.`] };
	const code = codes.find((c) => c.id === id);
	if (!code) return { ok: false, errors: ['The code no longer exists.'] };
	const upserts: Code[] = [];
	if ((code.favourite ?? null) !== key) upserts.push({ ...code, favourite: key, updatedAt: now });
	if (key !== null)
		for (const c of codes) if (c.id !== id && c.favourite === key) upserts.push({ ...c, favourite: null, updatedAt: now });
	return { ok: true, value: { upserts, removedIds: [] } };
}
