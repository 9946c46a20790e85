import { fireEvent, render, screen } from '@testing-library/svelte';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tinyStudy } from '../../../tests/fixtures/refi-studies';
import RefiExport from './RefiExport.svelte';

let blobs: Blob[] = [];
let names: string[] = [];
beforeEach(() => {
	blobs = [];
	names = [];
	URL.createObjectURL = vi.fn((b: Blob) => {
		blobs.push(b);
		return 'blob:x';
	});
	URL.revokeObjectURL = vi.fn();
	vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
		names.push(this.download);
	});
});
afterEach(() => vi.restoreAllMocks());

const bytesOf = (b: Blob) => new Promise<Uint8Array>((res) => {
	const r = new FileReader();
	r.onload = () => res(new Uint8Array(r.result as ArrayBuffer));
	r.readAsArrayBuffer(b);
});

describe('RefiExport', () => {
	it('downloads the project as a .qdpx zip holding project.qde and the sources', async () => {
		const load = vi.fn(async () => tinyStudy());
		render(RefiExport, { load, fileBase: 'tiny' });
		await fireEvent.click(screen.getByRole('button', { name: 'REFI-QDA project (.qdpx)' }));
		await screen.findByText(/Downloaded tiny\.qdpx/);
		expect(names).toEqual(['tiny.qdpx']);
		const files = unzipSync(await bytesOf(blobs[0]));
		expect(strFromU8(files['project.qde'])).toContain('<Project xmlns="urn:QDA-XML:project:1.0"');
		expect(Object.keys(files).filter((k) => k.startsWith('sources/') && k.endsWith('.txt'))).toHaveLength(1);
	});

	it('says the recordings are left out unless included, and puts them in the .qdpx when the box is ticked', async () => {
		const data = tinyStudy();
		const doc = data.documents[0];
		const wav = new Uint8Array([1, 2, 3, 4]);
		const loadRecordings = vi.fn(async () => [{ documentId: doc.id, name: 'a.wav', kind: 'audio' as const, bytes: wav }]);
		render(RefiExport, { load: async () => data, fileBase: 'tiny', recordings: [{ documentId: doc.id, name: 'a.wav', kind: 'audio', size: 4 }], loadRecordings });
		expect(screen.getByText(/The recording itself is left out unless you include it/)).toBeTruthy();
		await fireEvent.click(screen.getByRole('button', { name: 'REFI-QDA project (.qdpx)' }));
		await screen.findByText(/Downloaded tiny\.qdpx/);
		let files = unzipSync(await bytesOf(blobs[0]));
		expect(strFromU8(files['project.qde'])).toContain(`<AudioSource guid="${doc.id}"`);
		expect(Object.keys(files).some((k) => k.endsWith('.wav'))).toBe(false);
		expect(loadRecordings).not.toHaveBeenCalled();
		await fireEvent.click(screen.getByLabelText(/Include the recordings in the \.qdpx/));
		expect(screen.getByText(/The recording goes into the \.qdpx too/)).toBeTruthy();
		await fireEvent.click(screen.getByRole('button', { name: 'REFI-QDA project (.qdpx)' }));
		await vi.waitFor(() => expect(blobs).toHaveLength(2));
		files = unzipSync(await bytesOf(blobs[1]));
		expect(files[`sources/${doc.id}.wav`]).toEqual(wav);
	});

	it('downloads the codebook as .qdc, and says so when there are no codes', async () => {
		const data = tinyStudy();
		const load = vi.fn(async () => data);
		render(RefiExport, { load, fileBase: 'tiny' });
		await fireEvent.click(screen.getByRole('button', { name: 'REFI-QDA codebook (.qdc)' }));
		await screen.findByText(/Downloaded tiny\.qdc/);
		expect(new TextDecoder().decode(await bytesOf(blobs[0]))).toContain('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"');
		data.codes = [];
		await fireEvent.click(screen.getByRole('button', { name: 'REFI-QDA codebook (.qdc)' }));
		expect((await screen.findByRole('alert')).textContent).toBe('Could not export: the study has no codes yet');
	});
});
