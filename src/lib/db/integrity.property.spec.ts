/**
 * Issue 14, invariant test: two "tabs" (two Dexie connections on one fake-indexeddb database)
 * code the same study in random interleavings. Each tab acts on what it last saw (its snapshot
 * may be stale, as a tab's screen is), keeps its own undo stack, and forgets an action the
 * database refused, as the coding state does. After every step the database holds no dangling
 * reference, and its backup restores to the same content with nothing to repair.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backupToJson, parseBackupReport } from '../core/backup';
import { newId } from '../core/ids';
import { checkIntegrity } from '../core/integrity';
import { applyChanges, planApply } from '../core/segments';
import type { Case, Code, GlossDocument, Segment, StudyData } from '../core/types';
import { invertAction, UndoStack, type CodingAction } from '../core/undo';
import { deleteCase } from './cases';
import { deleteCodeWithSegments, mergeCodeInto, moveCodeTo } from './codes';
import { GlossDB } from './db';
import { deleteDocument } from './documents';
import { writeChanges } from './segments';
import { insertStudyData, loadStudyData } from './studies';

const T = '2026-01-02T03:04:05.000Z';
const S = 'st';
const TEXT = 'We saved money on water. The fines were high, and the audit came twice a year.';

function seed(): StudyData {
	const code = (id: string, parentId: string | null, order: number): Code => ({
		id, studyId: S, parentId, name: id, definition: '', inclusion: '', exclusion: '', example: '', colour: '#0072b2', order, favourite: null, createdAt: T, updatedAt: T
	});
	const kase = (id: string): Case => ({ id, studyId: S, name: id, attributes: {}, createdAt: T, updatedAt: T });
	const doc = (id: string, caseId: string, order: number): GlossDocument => ({
		id, studyId: S, name: id, text: TEXT, caseId, order, createdAt: T, updatedAt: T
	});
	return {
		study: { id: S, name: 'Two tabs', description: '', createdAt: T, updatedAt: T },
		coders: [
			{ id: 'ann', studyId: S, name: 'Ann', createdAt: T },
			{ id: 'bea', studyId: S, name: 'Bea', createdAt: T }
		],
		attributes: [],
		cases: [kase('case1'), kase('case2'), kase('case3')],
		documents: [doc('doc1', 'case1', 0), doc('doc2', 'case2', 1)],
		codes: [code('Economic', null, 0), code('Savings', 'Economic', 0), code('Cost', 'Economic', 1), code('Fines', null, 1)],
		segments: [],
		memos: [
			{ id: 'm1', studyId: S, targetType: 'code', targetId: 'Savings', title: '', text: 'why', coderId: 'ann', createdAt: T, updatedAt: T },
			{ id: 'm2', studyId: S, targetType: 'document', targetId: 'doc1', title: '', text: 'note', coderId: null, createdAt: T, updatedAt: T },
			{ id: 'm3', studyId: S, targetType: 'case', targetId: 'case3', title: '', text: 'small', coderId: null, createdAt: T, updatedAt: T }
		]
	};
}

interface Tab {
	db: GlossDB;
	coderId: string;
	seen: StudyData;
	segments: Segment[];
	stack: UndoStack;
}

async function refresh(tab: Tab) {
	tab.seen = (await loadStudyData(tab.db, S))!;
	tab.segments = tab.seen.segments;
}

/** Do an action as the coding state does: memory first, then the guarded write; a refusal takes it back. */
async function run(tab: Tab, a: CodingAction, held: CodingAction, push: boolean) {
	tab.segments = applyChanges(tab.segments, a.segments);
	if (push) tab.stack.push(a);
	const r = await writeChanges(tab.db, S, a.segments, a.codes);
	if (!r.ok) {
		expect(r.errors[0]).toMatch(/was deleted in another window/);
		tab.segments = applyChanges(tab.segments, invertAction(a).segments);
		tab.stack.forget(held);
	}
}

const pick = <T>(xs: readonly T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);

type Step =
	| { kind: 'apply'; tab: number; doc: number; code: number; start: number; len: number }
	| { kind: 'delete code' | 'delete document' | 'delete case'; tab: number; i: number }
	| { kind: 'merge codes' | 'move code'; tab: number; i: number; j: number }
	| { kind: 'undo' | 'refresh'; tab: number };

const nat = fc.nat({ max: 50 });
const tab = fc.integer({ min: 0, max: 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
	{ weight: 5, arbitrary: fc.record({ kind: fc.constant('apply' as const), tab, doc: nat, code: nat, start: fc.nat({ max: TEXT.length - 1 }), len: fc.integer({ min: 1, max: 20 }) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('delete code' as const, 'delete document' as const, 'delete case' as const), tab, i: nat }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('merge codes' as const, 'move code' as const), tab, i: nat, j: nat }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('undo' as const, 'refresh' as const), tab }) }
);

async function doStep(tabs: Tab[], s: Step) {
	const t = tabs[s.tab];
	switch (s.kind) {
		case 'apply': {
			const doc = pick(t.seen.documents, s.doc);
			const code = pick(t.seen.codes, s.code);
			if (!doc || !code) return;
			const start = Math.min(s.start, doc.text.length - 1);
			const d = { studyId: S, documentId: doc.id, codeId: code.id, coderId: t.coderId, start, end: Math.min(doc.text.length, start + s.len) };
			const changes = planApply(t.segments, d, newId, T);
			if (changes.length === 0) return;
			const a: CodingAction = { kind: 'apply', label: `Apply ${code.name}`, segments: changes };
			return run(t, a, a, true);
		}
		case 'undo': {
			const held = t.stack.peekUndo();
			const a = t.stack.undo();
			if (a && held) await run(t, a, held, false);
			return;
		}
		case 'refresh':
			return refresh(t);
		case 'delete code': {
			const c = pick(t.seen.codes, s.i);
			if (c) await deleteCodeWithSegments(t.db, S, c.id);
			return refresh(t);
		}
		case 'merge codes': {
			const a = pick(t.seen.codes, s.i);
			const b = pick(t.seen.codes, s.j);
			if (a && b) await mergeCodeInto(t.db, S, a.id, b.id);
			return refresh(t);
		}
		case 'move code': {
			const a = pick(t.seen.codes, s.i);
			const p = s.j % 3 === 0 ? null : pick(t.seen.codes, s.j);
			if (a) await moveCodeTo(t.db, S, a.id, p?.id ?? null, 0);
			return refresh(t);
		}
		case 'delete document': {
			const d = pick(t.seen.documents, s.i);
			if (d) await deleteDocument(t.db, S, d.id);
			return refresh(t);
		}
		case 'delete case': {
			const c = pick(t.seen.cases, s.i);
			if (c) await deleteCase(t.db, S, c.id);
			return refresh(t);
		}
	}
}

async function invariants(db: GlossDB) {
	const data = (await loadStudyData(db, S))!;
	expect(checkIntegrity(data).repairs).toEqual([]);
	const json = backupToJson(data, T);
	const back = parseBackupReport(json, S, 'study.gloss.json');
	if (!back.ok) throw new Error(back.errors.join('\n'));
	expect(back.value.repairs).toEqual([]);
	expect(backupToJson(back.value.data, T)).toBe(json);
}

describe('two tabs coding one study', () => {
	it('never leave a dangling reference, and the backup always restores to the same study', { timeout: 60_000 }, async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
				const name = 'prop-' + newId();
				const first = new GlossDB(name);
				await insertStudyData(first, seed());
				const second = new GlossDB(name);
				const tabs: Tab[] = [first, second].map((db, i) => ({
					db,
					coderId: i === 0 ? 'ann' : 'bea',
					seen: seed(),
					segments: [],
					stack: new UndoStack()
				}));
				try {
					for (const s of steps) {
						await doStep(tabs, s);
						await invariants(first);
					}
				} finally {
					first.close();
					second.close();
					await first.delete();
				}
			}),
			{ numRuns: 40 }
		);
	});
});
