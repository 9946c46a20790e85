import 'fake-indexeddb/auto';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadDemo, REFI_T } from '../../../tests/fixtures/refi-studies';
import { newId } from '../core/ids';
import { codebookQdc, projectQdpx } from '../core/refi/export';
import { GlossDB } from './db';
import { getMedia } from './media';
import { importRefiCodebook, importRefiProject } from './refi';
import { createStudy, listStudies, loadStudyData, studyCounts } from './studies';

const freshDb = () => new GlossDB('test-' + newId());

describe('REFI-QDA import into the database', () => {
	it('stores a project as a new study, twice side by side, with every row', async () => {
		const db = freshDb();
		const demo = loadDemo();
		const bytes = projectQdpx(demo, REFI_T);
		const a = await importRefiProject(db, bytes, 'demo.qdpx');
		const b = await importRefiProject(db, bytes, 'demo.qdpx');
		if (!a.ok || !b.ok) throw new Error('import failed');
		expect(a.value.study.id).not.toBe(b.value.study.id);
		expect(a.value.warnings).toEqual([]);
		expect(a.value.counts).toEqual({ documents: 32, codes: 41, segments: 459, cases: 30, coders: 2, memos: 2, recordings: 0 });
		expect(await studyCounts(db, a.value.study.id)).toEqual({ documents: 32, cases: 30, codes: 41, segments: 459, memos: 7, coders: 2 }); // 2 memos and 5 segment memos
		const stored = await loadStudyData(db, b.value.study.id);
		expect(stored?.study.name).toBe(demo.study.name);
		const texts = (d: typeof demo) => d.segments.map((s) => d.documents.find((x) => x.id === s.documentId)?.text.slice(s.start, s.end)).sort();
		expect(texts(stored as typeof demo)).toEqual(texts(demo));
	}, 30_000);

	it('stores the recording of an audio source with its document, byte for byte', async () => {
		const db = freshDb();
		const demo = loadDemo();
		const doc = demo.documents[0];
		doc.times = [{ offset: 0, seconds: 2 }];
		const wav = new Uint8Array([82, 73, 70, 70, 0, 1, 2, 3]);
		const r = await importRefiProject(db, projectQdpx(demo, REFI_T, [{ documentId: doc.id, name: 'a.wav', kind: 'audio', bytes: wav }]), 'demo.qdpx');
		if (!r.ok) throw new Error(r.errors.join('\n'));
		expect(r.value.counts.recordings).toBe(1);
		const m = await getMedia(db, r.value.study.id, doc.id);
		expect([m?.kind, m?.type, m?.size]).toEqual(['audio', 'audio/wav', wav.length]);
		expect(new Uint8Array(await (m?.blob as Blob).arrayBuffer())).toEqual(wav);
		const stored = await loadStudyData(db, r.value.study.id);
		expect(stored?.documents.find((d) => d.id === doc.id)?.times).toEqual([{ offset: 0, seconds: 2 }]);
	}, 30_000);

	it('stores nothing when the project cannot be read', async () => {
		const db = freshDb();
		const r = await importRefiProject(db, zipSync({ 'project.qde': strToU8('<Project name="x">') }), 'broken.qdpx');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors[0]).toMatch(/^broken\.qdpx\/project\.qde: line 1: not well-formed XML/);
		expect(await listStudies(db)).toEqual([]);
	});

	it('adds a codebook to a study and refuses the same codes twice', async () => {
		const db = freshDb();
		const s = await createStudy(db, 'Target');
		if (!s.ok) throw new Error('create failed');
		const qdc = codebookQdc(loadDemo().codes);
		const r = await importRefiCodebook(db, s.value.id, qdc, 'demo.qdc');
		expect(r.ok && r.value.codes.length).toBe(41);
		const again = await importRefiCodebook(db, s.value.id, qdc, 'demo.qdc');
		expect(again.ok).toBe(false);
		if (!again.ok) expect(again.errors[0]).toMatch(/^demo\.qdc: /);
		expect((await studyCounts(db, s.value.id)).codes).toBe(41);
	});
});
