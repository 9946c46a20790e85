/**
 * Screen state lives as long as its screen: the coding state is made by the study layout and
 * stays live however often a screen using it is closed and opened again; blind coding is a
 * setting of the session that every screen's counts follow.
 */
import 'fake-indexeddb/auto';
import { render, screen, waitFor as waitForOnce } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backupToJson } from '$lib/core/backup';
import { newId } from '$lib/core/ids';
import { setCurrentCoder } from '$lib/db/coders';
import { updateCodeFields } from '$lib/db/codes';
import { GlossDB } from '$lib/db/db';
import type { AnalysisState } from './analysis.svelte';
import type { CodingState } from './coding.svelte';
import type { StudySession } from './session.svelte';
import { restoreAsNewStudy } from './studies.svelte';
import { T, sampleStudy } from '../../../tests/fixtures/sample-study';
import StudyHarness from '../../../tests/unit/harness/StudyHarness.svelte';

async function twoCoderStudy(consensus = false) {
	const db = new GlossDB('test-' + newId());
	const data = sampleStudy();
	data.coders.push({ id: 'k2', studyId: data.study.id, name: 'Bob', createdAt: T });
	data.segments.push({ ...data.segments[0], id: 'x2', coderId: 'k2', start: 6, end: 13 });
	if (consensus) {
		data.coders.push({ id: 'k3', studyId: data.study.id, name: 'Consensus', isConsensus: true, createdAt: T });
		data.segments.push({ ...data.segments[0], id: 'x3', coderId: 'k3' });
	}
	const r = await restoreAsNewStudy(db, backupToJson(data), 'two.gloss.json');
	if (!r.ok) throw new Error(r.errors.join('; '));
	const studyId = r.value.study.id;
	const coders = await db.coders.where('studyId').equals(studyId).toArray();
	const ann = coders.find((c) => c.name === 'Ann')!;
	await setCurrentCoder(db, studyId, ann.id);
	const codes = await db.codes.where('studyId').equals(studyId).toArray();
	const doc = (await db.documents.where('studyId').equals(studyId).first())!;
	return { db, studyId, code: (name: string) => codes.find((c) => c.name === name)!, doc };
}

const items = (name: string) => Array.from(screen.getByRole('list', { name }).querySelectorAll('li'), (li) => li.textContent?.trim());

/** Live queries answer asynchronously; a busy machine may take more than the default second. */
const waitFor = (check: () => void) => waitForOnce(check, { timeout: 8000 });

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
	localStorage.clear();
	warn = vi.spyOn(console, 'warn');
});
afterEach(() => warn.mockRestore());

describe('the coding state of an open study', { timeout: 30_000 }, () => {
	it('stays live when its screen is closed and opened again', async () => {
		const { db, studyId, code, doc } = await twoCoderStudy();
		let session!: StudySession, cs!: CodingState;
		const view = render(StudyHarness, { studyId, db, screen: 'coding', onready: (s, c) => ((session = s), (cs = c)) });
		await waitFor(() => expect(items('Codes')).toEqual(['Economic: 0', 'Cost: 2']));

		for (let visit = 1; visit <= 2; visit++) {
			// leave the screen and come back, without a reload
			await view.rerender({ screen: 'documents' });
			const n = visit + 1; // two segments, and one coded on each earlier visit
			await waitFor(() => expect(items('Document segments')).toEqual([`E01 interview: ${n} of ${n}`]));
			await view.rerender({ screen: 'coding' });
			await waitFor(() => expect(session.currentCoderId).not.toBeNull());

			// coded on the revisited screen: counted
			expect(cs.apply(doc.id, code('Economic').id, visit * 2, visit * 2 + 1)).toBe(true);
			const cost = visit === 1 ? 'Cost' : `Cost ${visit - 1}`; // renamed on the earlier visit
			await waitFor(() => expect(items('Codes')).toEqual([`Economic: ${visit}`, `${cost}: 2`]));
			await waitFor(() => expect(items('Documents')).toEqual([`E01 interview: ${visit + 2}`]));
			await cs.flush();

			// renamed elsewhere (the Codebook): the new name
			await updateCodeFields(db, studyId, code('Cost').id, { name: `Cost ${visit}` });
			await waitFor(() => expect(items('Codes')).toEqual([`Economic: ${visit}`, `Cost ${visit}: 2`]));
		}
		expect(warn).not.toHaveBeenCalled();
		view.unmount();
	});

	it('keeps its lists by document in step with every action, as if regrouped from scratch', async () => {
		const { db, studyId, code, doc } = await twoCoderStudy();
		let session!: StudySession, cs!: CodingState;
		const view = render(StudyHarness, { studyId, db, screen: 'coding', onready: (s, c) => ((session = s), (cs = c)) });
		await waitFor(() => expect(items('Codes')).toEqual(['Economic: 0', 'Cost: 2']));
		await waitFor(() => expect(session.currentCoderId).not.toBeNull());
		const regrouped = () => {
			const m = new Map<string, string[]>();
			for (const s of cs.visibleSegments) m.set(s.documentId, [...(m.get(s.documentId) ?? []), `${s.id}:${s.codeId}:${s.start}-${s.end}`]);
			return m;
		};
		const shown = () => new Map([...cs.segmentsByDocument].map(([k, v]) => [k, v.map((s) => `${s.id}:${s.codeId}:${s.start}-${s.end}`)]));
		const steps: (() => unknown)[] = [
			() => cs.apply(doc.id, code('Economic').id, 0, 2),
			() => cs.apply(doc.id, code('Economic').id, 1, 4), // merges into the one before
			() => cs.remove(cs.segmentsByDocument.get(doc.id)![0]),
			() => cs.undo(),
			() => cs.changeCode(cs.segmentsByDocument.get(doc.id)!.at(-1)!, code('Cost').id),
			() => cs.undo(),
			() => cs.redo()
		];
		// the counts, a frame behind, as if counted afresh
		const recount = () => {
			const byCode = new Map<string, number>();
			const byDoc = new Map<string, number>();
			for (const s of cs.visibleSegments) {
				byCode.set(s.codeId, (byCode.get(s.codeId) ?? 0) + 1);
				byDoc.set(s.documentId, (byDoc.get(s.documentId) ?? 0) + 1);
			}
			return { byCode, byDoc };
		};
		const counted = () => ({ byCode: new Map(cs.countByCode), byDoc: new Map(cs.countByDocument) });
		for (const step of steps) {
			step();
			expect(shown()).toEqual(regrouped());
			expect(cs.allSegments.every((s) => cs.codeById.has(s.codeId))).toBe(true);
			await waitFor(() => expect(counted()).toEqual(recount()));
		}
		// two actions within one frame: the counts take both
		cs.apply(doc.id, code('Cost').id, 8, 9);
		cs.remove(cs.segmentsByDocument.get(doc.id)![0]);
		await waitFor(() => expect(counted()).toEqual(recount()));
		// another coder shown only: the lists and counts are those of that coder
		cs.view = 'mine';
		expect(shown()).toEqual(regrouped());
		await waitFor(() => expect(counted()).toEqual(recount()));
		cs.apply(doc.id, code('Cost').id, 5, 6);
		expect(shown()).toEqual(regrouped());
		await waitFor(() => expect(counted()).toEqual(recount()));
		await cs.flush();
		expect(warn).not.toHaveBeenCalled();
		view.unmount();
	});

	it('hides the other coders on every screen when blind coding is on', async () => {
		const { db, studyId } = await twoCoderStudy();
		let session!: StudySession;
		const view = render(StudyHarness, { studyId, db, screen: 'coding', onready: (s) => (session = s) });
		await waitFor(() => expect(items('Codes')).toEqual(['Economic: 0', 'Cost: 2']));
		await waitFor(() => expect(session.currentCoderId).not.toBeNull());
		expect(session.shownCoderId).toBeNull();

		session.blind = true;
		expect(session.shownCoderId).toBe(session.currentCoderId);
		await waitFor(() => expect(items('Codes')).toEqual(['Economic: 0', 'Cost: 1']));
		await view.rerender({ screen: 'documents' });
		await waitFor(() => expect(items('Document segments')).toEqual(['E01 interview: 1 of 2']));

		// remembered for the study in this browser
		expect(localStorage.getItem(`gloss:${studyId}:blind`)).toBe('1');
		session.blind = false;
		await waitFor(() => expect(items('Document segments')).toEqual(['E01 interview: 2 of 2']));
		expect(warn).not.toHaveBeenCalled();
		view.unmount();
	});
});

describe('the Analyse screen’s coders', { timeout: 30_000 }, () => {
	it('counts the consensus by default once there is one, says so, and follows blind coding', async () => {
		sessionStorage.clear();
		const { db, studyId } = await twoCoderStudy(true);
		let session!: StudySession, an!: AnalysisState;
		const view = render(StudyHarness, { studyId, db, screen: 'analysis', onready: (s) => (session = s), onanalysis: (a) => (an = a) });
		// (sub-codes included: Economic counts its sub-code Cost)
		await waitFor(() => expect(items('Segments per code')).toEqual(['Economic: 1', 'Cost: 1']));
		expect(screen.getByLabelText('Title').textContent).toBe('Consensus');
		expect(an.filterCount).toBe(0);

		// every coder added together, chosen in the Coders filter ("All")
		an.coderIds = [];
		await waitFor(() => expect(items('Segments per code')).toEqual(['Economic: 3', 'Cost: 3']));
		expect(screen.getByLabelText('Title').textContent).toBe('all coders (3)');
		expect(an.filterCount).toBe(1);
		an.clearFilters();
		await waitFor(() => expect(screen.getByLabelText('Title').textContent).toBe('Consensus'));

		// blind coding: only the current coder's work, whatever the default
		await waitFor(() => expect(session.currentCoderId).not.toBeNull());
		session.blind = true;
		await waitFor(() => expect(screen.getByLabelText('Title').textContent).toBe('Ann'));
		expect(items('Segments per code')).toEqual(['Economic: 1', 'Cost: 1']);
		expect(an.coders.map((c) => c.name)).toEqual(['Ann']);
		expect(warn).not.toHaveBeenCalled();
		view.unmount();
	});
});
