/**
 * Concurrent moves in the codebook can make a cycle (A moved under B on one client while B was
 * moved under A on another). Every client repairs the merged code table with this same pure
 * function, so all reach the same tree: in each cycle the member whose parent was set last
 * (greatest `(time, id)`) goes to the top level. A code whose parent no longer exists also goes
 * to the top level. Walks without recursion.
 */
import type { Code } from '../types';

export function repairCycles(codes: Code[], parentTime: (c: Code) => string = (c) => c.updatedAt): Code[] {
	const byId = new Map(codes.map((c) => [c.id, c]));
	const fixed = new Map<string, Code>();
	const parentOf = (id: string): string | null => {
		const c = fixed.get(id) ?? byId.get(id)!;
		return c.parentId !== null && byId.has(c.parentId) ? c.parentId : null;
	};
	for (const c of codes)
		if (c.parentId !== null && !byId.has(c.parentId)) fixed.set(c.id, { ...c, parentId: null });
	const state = new Map<string, 1 | 2>();
	for (const start of codes) {
		if (state.has(start.id)) continue;
		const path: string[] = [];
		let cur: string | null = start.id;
		while (cur !== null && !state.has(cur)) {
			state.set(cur, 1);
			path.push(cur);
			cur = parentOf(cur);
		}
		if (cur !== null && state.get(cur) === 1) {
			// A cycle: from `cur` to the end of the path.
			const cycle = path.slice(path.indexOf(cur));
			let breakAt = cycle[0];
			let best = [parentTime(byId.get(breakAt)!), breakAt];
			for (const id of cycle.slice(1)) {
				const key = [parentTime(byId.get(id)!), id];
				if (key[0] > best[0] || (key[0] === best[0] && key[1] > best[1])) {
					best = key;
					breakAt = id;
				}
			}
			fixed.set(breakAt, { ...(fixed.get(breakAt) ?? byId.get(breakAt)!), parentId: null });
		}
		for (const id of path) state.set(id, 2);
	}
	return fixed.size === 0 ? codes : codes.map((c) => fixed.get(c.id) ?? c);
}

/** Whether following parents from every code reaches the top level. */
export function isForest(codes: Code[]): boolean {
	const byId = new Map(codes.map((c) => [c.id, c]));
	for (const c of codes) {
		let cur: Code | undefined = c;
		for (let i = 0; cur && cur.parentId !== null; i++) {
			if (i > codes.length) return false;
			cur = byId.get(cur.parentId);
			if (!cur) return false;
		}
	}
	return true;
}
