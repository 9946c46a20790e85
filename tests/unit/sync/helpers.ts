/** Helpers for the sync engine's node tests: small studies, two clients, waiting for a condition. */
import 'fake-indexeddb/auto';
import WebSocket from 'ws';
import { newId } from '../../../src/lib/core/ids';
import type { Code, Segment, StudyData } from '../../../src/lib/core/types';
import { GlossDB } from '../../../src/lib/db/db';
import { insertStudyData } from '../../../src/lib/db/studies';
import { setWebSocketImpl } from '../../../src/lib/sync';

/** `ws`, with its 'error' events handled (a socket closed while connecting emits one). */
class QuietWebSocket extends WebSocket {
	constructor(url: string, protocols?: string | string[]) {
		super(url, protocols);
		this.on('error', () => {});
	}
}
setWebSocketImpl(QuietWebSocket);

export const T = '2026-01-01T00:00:00.000Z';

export function code(studyId: string, id: string, name: string, parentId: string | null = null, order = 0): Code {
	return { id, studyId, parentId, name, definition: '', inclusion: '', exclusion: '', example: '', colour: '#0072b2', order, favourite: null, createdAt: T, updatedAt: T };
}

export function segment(studyId: string, coderId: string, documentId: string, codeId: string, start: number, end: number): Segment {
	const now = new Date().toISOString();
	return { id: newId(), studyId, documentId, codeId, coderId, start, end, memo: '', createdAt: now, updatedAt: now };
}

/** A small study: two documents, three codes, the supervisor's coder "Sam", an imported coder "Lee" and a consensus coder. */
export function smallStudy(studyId = newId()): StudyData {
	return {
		study: { id: studyId, name: 'Shared study', description: '', createdAt: T, updatedAt: T },
		coders: [
			{ id: 'sam', studyId, name: 'Sam', createdAt: T },
			// A coder whose coding the supervisor merged from a file: no member codes as Lee.
			{ id: 'lee', studyId, name: 'Lee', createdAt: T },
			{ id: 'consensus', studyId, name: 'Consensus', isConsensus: true, createdAt: T }
		],
		attributes: [{ id: 'city', studyId, name: 'City', type: 'category', order: 0 }],
		cases: [{ id: 'c1', studyId, name: 'E001', attributes: { city: 'N' }, createdAt: T, updatedAt: T }],
		documents: [
			{ id: 'd1', studyId, name: 'Interview 1', text: 'We reduced water use because the audit found leaks.\nThen fines came.', caseId: 'c1', order: 0, createdAt: T, updatedAt: T },
			{ id: 'd2', studyId, name: 'Interview 2', text: 'Energy prices pushed the plant to change.', caseId: null, order: 1, createdAt: T, updatedAt: T }
		],
		codes: [code(studyId, 'cost', 'Cost'), code(studyId, 'reg', 'Regulation', null, 1), code(studyId, 'fines', 'Fines', 'reg', 0)],
		segments: [
			{ id: 's0', studyId, documentId: 'd1', codeId: 'cost', coderId: 'sam', start: 0, end: 10, memo: '', createdAt: T, updatedAt: T },
			{ id: 's1', studyId, documentId: 'd1', codeId: 'fines', coderId: 'lee', start: 53, end: 68, memo: 'fines', createdAt: T, updatedAt: T }
		],
		memos: [{ id: 'm0', studyId, targetType: 'study', targetId: null, title: 'Aim', text: 'Why plants change', coderId: null, createdAt: T, updatedAt: T }]
	};
}

export async function freshDb(data?: StudyData): Promise<GlossDB> {
	const db = new GlossDB('sync-test-' + newId());
	await db.open();
	if (data) await insertStudyData(db, data);
	return db;
}

/** Wait until `fn` returns a truthy value (polling), or fail with `what`. */
export async function until<T>(fn: () => Promise<T> | T, what: string, timeoutMs = 10_000): Promise<T> {
	const t0 = Date.now();
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for: ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}
