import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { newId } from '../core/ids';
import type { Segment } from '../core/types';
import { addCoder, coderLastUse } from './coders';
import { findSameDocument, importTranscript } from './documents';
import { GlossDB } from './db';
import { createStudy } from './studies';

async function study(db: GlossDB): Promise<string> {
	const r = await createStudy(db, 'First steps');
	if (!r.ok) throw new Error(r.errors.join('\n'));
	return r.value.id;
}

describe('first steps in the database', () => {
	it('finds the document that already holds a transcript: same name and same text', async () => {
		const db = new GlossDB('test-' + newId());
		const s = await study(db);
		const t = { name: 'Enterprise C01', text: 'I: Hello\n', sourceName: 'Enterprise C01.txt' };
		expect(await findSameDocument(db, s, t)).toBeUndefined();
		const r = await importTranscript(db, s, t);
		if (!r.ok) throw new Error(r.errors.join('\n'));
		expect((await findSameDocument(db, s, t))?.id).toBe(r.value.document.id);
		expect(await findSameDocument(db, s, { ...t, text: 'I: Hello again\n' })).toBeUndefined();
	});

	it('knows when each coder last coded or wrote a memo', async () => {
		const db = new GlossDB('test-' + newId());
		const s = await study(db);
		const a = await addCoder(db, s, 'Ana');
		const b = await addCoder(db, s, 'Bo');
		if (!a.ok || !b.ok) throw new Error('coders');
		const seg = (id: string, coderId: string, updatedAt: string): Segment => ({
			id,
			studyId: s,
			documentId: 'd',
			codeId: 'c',
			coderId,
			start: 0,
			end: 1,
			memo: '',
			createdAt: updatedAt,
			updatedAt
		});
		await db.segments.bulkAdd([seg('1', a.value.id, '2026-01-01T00:00:00Z'), seg('2', a.value.id, '2026-01-03T00:00:00Z')]);
		await db.memos.add({ id: 'm', studyId: s, targetType: 'study', targetId: null, title: '', text: 'x', coderId: b.value.id, createdAt: 't', updatedAt: '2026-01-02T00:00:00Z' });
		expect(await coderLastUse(db, s)).toEqual(
			new Map([
				[a.value.id, '2026-01-03T00:00:00Z'],
				[b.value.id, '2026-01-02T00:00:00Z']
			])
		);
	});
});
