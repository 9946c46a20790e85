/**
 * Which coders a table counts.
 *
 * - Blind coding shows a coder only their own work: `onlyCoder` is the study as they see it.
 * - Once a consensus coder exists, tables count the consensus by default (`defaultCoderIds`):
 *   adding every coder together would count each adjudicated passage up to three times (the
 *   two coders' segments and the consensus's).
 * - `describeCoders` names the coders a table counts, for its title.
 */
import type { Coder, Id, StudyData } from '../types';

/** The study as one coder sees it under blind coding: only their segments, memos and coder row. */
export function onlyCoder(data: StudyData, coderId: Id): StudyData {
	return {
		...data,
		coders: data.coders.filter((c) => c.id === coderId),
		segments: data.segments.filter((s) => s.coderId === coderId),
		memos: data.memos.filter((m) => m.coderId === null || m.coderId === coderId)
	};
}

/** The coders a table counts unless the researcher chooses: the consensus coder where there is one, else all (empty). */
export function defaultCoderIds(coders: readonly Pick<Coder, 'id' | 'isConsensus'>[]): Id[] {
	const consensus = coders.find((c) => c.isConsensus);
	return consensus ? [consensus.id] : [];
}

/**
 * The coders a table counts, in words: "Consensus", "Demo coder and Second coder",
 * "all coders (3)"; an empty selection (or one naming every coder) is all coders.
 */
export function describeCoders(coders: readonly Pick<Coder, 'id' | 'name'>[], selected: readonly Id[]): string {
	const known = new Set(coders.map((c) => c.id));
	const ids = new Set(selected.filter((id) => known.has(id)));
	if (ids.size === 0 || ids.size === coders.length) {
		if (coders.length === 1) return coders[0].name;
		return coders.length === 0 ? 'all coders' : `all coders (${coders.length})`;
	}
	const names = coders.filter((c) => ids.has(c.id)).map((c) => c.name);
	if (names.length <= 3) return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
	return `${names.length} of ${coders.length} coders`;
}
