/** The code tree as the agreement and merge functions need it: paths, tree order, descendants. */
import type { Code, Id } from '../types';

export const PATH_SEPARATOR = ' > ';

/** Each code's path: the names from the root down, joined with ' > '. Cycles are cut. */
export function codePaths(codes: readonly Code[]): Map<Id, string> {
	const byId = new Map(codes.map((c) => [c.id, c] as const));
	const out = new Map<Id, string>();
	for (const c of codes) {
		const names: string[] = [];
		const seen = new Set<Id>();
		let cur: Code | undefined = c;
		while (cur && !seen.has(cur.id)) {
			seen.add(cur.id);
			names.unshift(cur.name);
			cur = cur.parentId ? byId.get(cur.parentId) : undefined;
		}
		out.set(c.id, names.join(PATH_SEPARATOR));
	}
	return out;
}

const bySiblingOrder = (a: Code, b: Code) => a.order - b.order || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/** The codes depth first, siblings by `order` (orphans, whose parent is missing, count as roots). */
export function codesInTreeOrder(codes: readonly Code[]): Code[] {
	const ids = new Set(codes.map((c) => c.id));
	const children = new Map<Id | null, Code[]>();
	for (const c of codes) {
		const p = c.parentId && ids.has(c.parentId) && c.parentId !== c.id ? c.parentId : null;
		const list = children.get(p) ?? [];
		list.push(c);
		children.set(p, list);
	}
	const out: Code[] = [];
	const seen = new Set<Id>();
	const visit = (c: Code) => {
		if (seen.has(c.id)) return;
		seen.add(c.id);
		out.push(c);
		for (const k of (children.get(c.id) ?? []).sort(bySiblingOrder)) visit(k);
	};
	for (const r of (children.get(null) ?? []).sort(bySiblingOrder)) visit(r);
	for (const c of codes) visit(c); // codes caught in a parent cycle
	return out;
}

/** Every descendant of each code (not including the code itself). */
export function descendantsOf(codes: readonly Code[]): Map<Id, Id[]> {
	const children = new Map<Id, Id[]>();
	for (const c of codes) {
		if (!c.parentId || c.parentId === c.id) continue;
		const list = children.get(c.parentId) ?? [];
		list.push(c.id);
		children.set(c.parentId, list);
	}
	const out = new Map<Id, Id[]>();
	for (const c of codes) {
		const acc: Id[] = [];
		const seen = new Set<Id>([c.id]);
		const stack = [...(children.get(c.id) ?? [])];
		while (stack.length) {
			const id = stack.pop()!;
			if (seen.has(id)) continue;
			seen.add(id);
			acc.push(id);
			stack.push(...(children.get(id) ?? []));
		}
		out.set(c.id, acc);
	}
	return out;
}
