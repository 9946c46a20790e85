import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { sampleStudy, T } from '../../../tests/fixtures/sample-study';
import { adjudicate, disagreements, inferDecision } from '../core/agreement';
import { backupToJson } from '../core/backup';
import { newId } from '../core/ids';
import { GlossDB } from './db';
import { ensureConsensusCoder, readDecisions, readDrops, undoDecision, writeDecision } from './adjudication';
import { loadStudyData, restoreBackup } from './studies';
import { deleteCodeWithSegments } from './codes';

async function setup() {
	const db = new GlossDB('test-' + newId());
	const d = sampleStudy();
	d.coders.push({ id: 'k2', studyId: d.study.id, name: 'Consensus', createdAt: T });
	d.coders.push({ id: 'k3', studyId: d.study.id, name: 'Bea', createdAt: T });
	d.segments.push({ id: 'x2', studyId: d.study.id, documentId: 'd1', codeId: 'g2', coderId: 'k3', start: 3, end: 13, memo: 'b', createdAt: T, updatedAt: T });
	const r = await restoreBackup(db, backupToJson(d), 's.gloss.json');
	if (!r.ok) throw new Error(r.errors.join());
	return { db, studyId: r.value.id };
}

describe('adjudication writes', () => {
	it('creates one consensus coder, avoiding a taken name', async () => {
		const { db, studyId } = await setup();
		const a = await ensureConsensusCoder(db, studyId);
		const b = await ensureConsensusCoder(db, studyId);
		if (!a.ok || !b.ok) throw new Error('failed');
		expect(a.value.name).toBe('Consensus 2');
		expect(a.value.isConsensus).toBe(true);
		expect(b.value.id).toBe(a.value.id);
	});

	it('writes a decision, replaces it with another, remembers drops, and undoes each exactly', async () => {
		const { db, studyId } = await setup();
		const c = await ensureConsensusCoder(db, studyId);
		if (!c.ok) throw new Error('failed');
		const consensus = c.value.id;
		const data = (await loadStudyData(db, studyId))!;
		const [p] = disagreements(data, 'g2', 'k1', 'k3');
		expect(p.kind).toBe('boundaries');
		const write = (decision: 'accept-a' | 'accept-b' | 'drop') =>
			writeDecision(db, studyId, {
				coderId: consensus,
				documentId: p.documentId,
				codeIds: ['g2'],
				start: p.start,
				end: p.end,
				segments: adjudicate(p, decision, { studyId, coderId: consensus }),
				dropKey: `k1|k3|g2|${p.id}`,
				dropped: decision === 'drop'
			});
		const first = await write('accept-b');
		if (!first.ok) throw new Error(first.errors.join());
		let now = (await loadStudyData(db, studyId))!;
		expect(inferDecision(p, now, consensus)).toBe('accept-b');
		const second = await write('drop');
		if (!second.ok) throw new Error(second.errors.join());
		now = (await loadStudyData(db, studyId))!;
		expect(inferDecision(p, now, consensus)).toBeNull();
		expect(await readDrops(db, studyId)).toEqual([`k1|k3|g2|${p.id}`]);
		await undoDecision(db, second.value);
		now = (await loadStudyData(db, studyId))!;
		expect(inferDecision(p, now, consensus)).toBe('accept-b');
		expect(await readDrops(db, studyId)).toEqual([]);
		await undoDecision(db, first.value);
		now = (await loadStudyData(db, studyId))!;
		expect(now.segments.filter((s) => s.coderId === consensus)).toEqual([]);
		expect(now.segments.length).toBe(2);
	});

	it('remembers the decision taken (read back as that decision while the coding is what it wrote); undo restores the one before', async () => {
		const { db, studyId } = await setup();
		const c = await ensureConsensusCoder(db, studyId);
		if (!c.ok) throw new Error('failed');
		const consensus = c.value.id;
		const data = (await loadStudyData(db, studyId))!;
		const [p] = disagreements(data, 'g2', 'k1', 'k3');
		const key = `k1|k3|g2|${p.id}`;
		const write = (decision: 'keep-both' | 'accept-a') =>
			writeDecision(db, studyId, {
				coderId: consensus,
				documentId: p.documentId,
				codeIds: ['g2'],
				start: p.start,
				end: p.end,
				segments: adjudicate(p, decision, { studyId, coderId: consensus }),
				dropKey: key,
				dropped: false,
				decision
			});
		const first = await write('accept-a');
		const second = await write('keep-both');
		if (!first.ok || !second.ok) throw new Error('failed');
		expect(await readDecisions(db, studyId)).toEqual({ [key]: 'keep-both' });
		const now = (await loadStudyData(db, studyId))!;
		const remembered = (await readDecisions(db, studyId))[key];
		expect(inferDecision(p, now, consensus, remembered)).toBe('keep-both');
		await undoDecision(db, second.value);
		expect(await readDecisions(db, studyId)).toEqual({ [key]: 'accept-a' });
		await undoDecision(db, first.value);
		expect(await readDecisions(db, studyId)).toEqual({});
	});

	it('refuses a decision on a code another window deleted, writing nothing', async () => {
		const { db, studyId } = await setup();
		const c = await ensureConsensusCoder(db, studyId);
		if (!c.ok) throw new Error('failed');
		const data = (await loadStudyData(db, studyId))!;
		const [p] = disagreements(data, 'g2', 'k1', 'k3');
		await deleteCodeWithSegments(db, studyId, 'g2');
		const r = await writeDecision(db, studyId, {
			coderId: c.value.id,
			documentId: p.documentId,
			codeIds: ['g2'],
			start: p.start,
			end: p.end,
			segments: adjudicate(p, 'accept-a', { studyId, coderId: c.value.id }),
			dropKey: 'k',
			dropped: false
		});
		expect(r).toEqual({ ok: false, errors: ['The code "g2" was deleted in another window; the decision was not saved'] });
		expect((await loadStudyData(db, studyId))!.segments).toEqual([]);
	});
});
