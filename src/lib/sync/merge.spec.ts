/**
 * Concurrent edits through real Y.Docs exchanging updates, the way the engine handles them: a
 * client whose value lost a concurrent write writes back the field-wise merge (`conflictRepair`),
 * and every client reads codes through the same cycle repair (`projectCodes`). Whatever the order
 * the updates arrive in, all clients end with identical records and a tree without cycles.
 */
import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { isForest } from '../core/sync/cycles';
import { projectCodes, recordFor, rowFor, type SyncRecord } from '../core/sync/records';
import { LOCAL, conflictRepair } from './ydocs';

const T0 = '2026-01-01T00:00:00.000Z';

/** A client: a Y.Doc whose 'codes' map repairs concurrent overwrites as the engine does. */
class Client {
	doc = new Y.Doc();
	codes = this.doc.getMap<SyncRecord>('codes');
	#repairs: [string, unknown][] = [];
	constructor() {
		this.codes.observe((ev) => {
			if (ev.transaction.origin === LOCAL) return;
			for (const [key, change] of ev.changes.keys)
				if (change.action === 'update' && conflictRepair('codes', change.oldValue, this.codes.get(key))) this.#repairs.push([key, change.oldValue]);
		});
	}
	receive(update: Uint8Array) {
		Y.applyUpdate(this.doc, update, 'remote');
		const list = this.#repairs.splice(0);
		for (const [key, old] of list) {
			const merged = conflictRepair('codes', old, this.codes.get(key));
			if (merged) this.doc.transact(() => this.codes.set(key, merged), LOCAL);
		}
	}
	edit(id: string, patch: Record<string, unknown>, at: string) {
		const prev = this.codes.get(id)!;
		const row = { ...rowFor('codes', prev, 'st')!, ...patch };
		const rec = recordFor('codes', row, prev, at);
		if (rec) this.doc.transact(() => this.codes.set(id, rec), LOCAL);
	}
	view() {
		const recs = [...this.codes.values()].filter((r) => !r.deleted);
		return projectCodes(recs, 'st').sort((a, b) => (a.id < b.id ? -1 : 1));
	}
}

function code(id: string, parentId: string | null) {
	return { id, parentId, name: id.toUpperCase(), definition: '', inclusion: '', exclusion: '', example: '', colour: '#000000', order: 0, createdAt: T0, updatedAt: T0 };
}

/** Clients that start from the same codes. */
function clients(n: number, codes: ReturnType<typeof code>[]): Client[] {
	const seed = new Y.Doc();
	seed.transact(() => {
		for (const c of codes) seed.getMap('codes').set(c.id, recordFor('codes', c, undefined, T0));
	});
	const init = Y.encodeStateAsUpdate(seed);
	return Array.from({ length: n }, () => {
		const c = new Client();
		Y.applyUpdate(c.doc, init, 'remote');
		return c;
	});
}

/** Deliver everything each client has that another lacks, pairs in the given order, until quiet. */
function exchange(cs: Client[], order: [number, number][]) {
	for (let round = 0; round < 10; round++) {
		for (const [from, to] of order) {
			if (from === to) continue;
			const diff = Y.encodeStateAsUpdate(cs[from].doc, Y.encodeStateVector(cs[to].doc));
			cs[to].receive(diff);
		}
		const first = Y.encodeStateVector(cs[0].doc);
		if (cs.every((c) => Buffer.from(Y.encodeStateVector(c.doc)).equals(Buffer.from(first)))) {
			const v = JSON.stringify(cs[0].codes.toJSON());
			if (cs.every((c) => JSON.stringify(c.codes.toJSON()) === v)) return;
		}
	}
}

describe('concurrent code edits', () => {
	it('a rename on one client and a recolour on the other both survive, identically on both', () => {
		const [a, b] = clients(2, [code('k', null)]);
		a.edit('k', { name: 'Costs' }, '2026-01-02T00:00:00.000Z');
		b.edit('k', { colour: '#ff0000' }, '2026-01-02T00:00:00.000Z');
		exchange([a, b], [[0, 1], [1, 0]]);
		expect(a.view()).toEqual(b.view());
		expect(a.view()[0]).toMatchObject({ name: 'Costs', colour: '#ff0000' });
	});

	it('the same field renamed on both: the later rename wins on both', () => {
		const [a, b] = clients(2, [code('k', null)]);
		a.edit('k', { name: 'Early' }, '2026-01-02T00:00:00.000Z');
		b.edit('k', { name: 'Late' }, '2026-01-03T00:00:00.000Z');
		exchange([a, b], [[1, 0], [0, 1]]);
		expect(a.view()).toEqual(b.view());
		expect(a.view()[0].name).toBe('Late');
	});

	it('A moved under B on one client and B under A on the other: both break the cycle at the later move', () => {
		const [c1, c2] = clients(2, [code('a', null), code('b', null)]);
		c1.edit('a', { parentId: 'b' }, '2026-01-02T00:00:00.000Z');
		c2.edit('b', { parentId: 'a' }, '2026-01-03T00:00:00.000Z');
		exchange([c1, c2], [[0, 1], [1, 0]]);
		expect(c1.view()).toEqual(c2.view());
		expect(isForest(c1.view())).toBe(true);
		expect(c1.view().find((c) => c.id === 'a')!.parentId).toBe('b');
		expect(c1.view().find((c) => c.id === 'b')!.parentId).toBe(null);
	});

	it('random concurrent moves and renames on three clients converge to one tree whatever the delivery order (fast-check)', () => {
		const ids = ['a', 'b', 'c', 'd', 'e'];
		const move = fc.record({
			client: fc.integer({ min: 0, max: 2 }),
			id: fc.constantFrom(...ids),
			parent: fc.constantFrom(null, ...ids),
			name: fc.option(fc.constantFrom('X', 'Y'), { nil: undefined }),
			day: fc.integer({ min: 2, max: 4 })
		});
		const pair = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }));
		const initial = fc.tuple(...ids.map((_, i) => fc.option(fc.integer({ min: 0, max: Math.max(0, i - 1) }), { nil: null })));
		fc.assert(
			fc.property(initial, fc.array(move, { minLength: 1, maxLength: 6 }), fc.array(pair, { minLength: 1, maxLength: 8 }), (init, moves, order) => {
				const start = ids.map((id, i) => code(id, i > 0 && init[i] !== null ? ids[init[i]!] : null));
				const cs = clients(3, start);
				for (const m of moves) {
					const patch: Record<string, unknown> = m.parent === m.id ? {} : { parentId: m.parent };
					if (m.name) patch.name = m.name;
					cs[m.client].edit(m.id, patch, `2026-01-0${m.day}T00:00:00.000Z`);
				}
				// The given order first, then everyone to everyone so all updates arrive.
				exchange(cs, [...order, [0, 1], [1, 2], [2, 0], [0, 2], [2, 1], [1, 0]] as [number, number][]);
				const v = cs[0].view();
				expect(isForest(v)).toBe(true);
				for (const c of cs) expect(c.view()).toEqual(v);
			}),
			{ numRuns: 150 }
		);
	});
});
