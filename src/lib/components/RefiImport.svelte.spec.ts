import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { RefiProjectImported } from '$lib/db/refi';
import RefiImport from './RefiImport.svelte';

beforeAll(() => {
	// jsdom has no modal dialogs.
	HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
		this.setAttribute('open', '');
	};
	HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
		this.removeAttribute('open');
	};
});

const imported: RefiProjectImported = {
	study: { id: 'st-1', name: 'Vaccine talk', description: '', createdAt: '', updatedAt: '' },
	counts: { documents: 2, codes: 152, segments: 303, cases: 0, coders: 2, memos: 0, recordings: 0 },
	warnings: ['p.qdpx/project.qde: /Project/Sources: 1 PictureSource(s) skipped (Gloss imports text sources only)'],
	notes: ['Written by NVivo for Windows 12.6.']
};

function pick(file: File) {
	const input = screen.getByLabelText('REFI-QDA project file to import') as HTMLInputElement;
	Object.defineProperty(input, 'files', { value: [file], configurable: true });
	return fireEvent.change(input);
}

describe('RefiImport', () => {
	it('imports the picked file and links to the new study, listing what was skipped', async () => {
		const importProject = vi.fn(async () => ({ ok: true as const, value: imported }));
		const onimported = vi.fn();
		render(RefiImport, { importProject, onimported });
		expect(screen.getByRole('button', { name: 'Import a REFI-QDA project…' })).toBeTruthy();
		await pick(new File([new Uint8Array([80, 75, 3, 4])], 'p.qdpx'));
		const link = await screen.findByRole('link', { name: 'Open “Vaccine talk”' });
		expect(link.getAttribute('href')).toBe('/study/st-1/documents');
		expect(importProject).toHaveBeenCalledWith(expect.any(Uint8Array), 'p.qdpx', expect.any(Function), expect.any(AbortSignal));
		expect((importProject.mock.calls[0] as unknown[])[0]).toEqual(new Uint8Array([80, 75, 3, 4]));
		expect(onimported).toHaveBeenCalledWith(imported);
		expect(screen.getByText(/152 codes, 303 coded segments/)).toBeTruthy();
		expect(screen.getByText(/1 PictureSource\(s\) skipped/)).toBeTruthy();
	});

	it('lists every error and says nothing was imported', async () => {
		const importProject = vi.fn(async () => ({ ok: false as const, errors: ['bad.qdpx: no project.qde (nor any .qde file) inside the zip', 'second problem'] }));
		render(RefiImport, { importProject });
		await pick(new File([new Uint8Array([1, 2, 3])], 'bad.qdpx'));
		const alert = await screen.findByRole('alert');
		expect(alert.textContent).toContain('Nothing was imported.');
		expect(alert.textContent).toContain('bad.qdpx: no project.qde');
		expect(alert.textContent).toContain('second problem');
		expect(screen.queryByRole('link')).toBeNull();
	});

	it('refuses an empty file without trying to import it', async () => {
		const importProject = vi.fn();
		render(RefiImport, { importProject });
		await pick(new File([], 'empty.qdpx'));
		expect((await screen.findByRole('alert')).textContent).toContain('empty.qdpx: the file is empty');
		expect(importProject).not.toHaveBeenCalled();
	});
});

describe('RefiImport while it reads', () => {
	it('shows the sources read, and Cancel stops it with nothing imported', async () => {
		const importProject = vi.fn(
			(_b: Uint8Array, _n: string, onProgress: (done: number, total: number) => void, signal: AbortSignal) =>
				new Promise<{ ok: false; errors: string[] }>((resolve) => {
					onProgress(3, 12);
					signal.addEventListener('abort', () => resolve({ ok: false, errors: ['Cancelled: nothing was imported.'] }));
				})
		);
		render(RefiImport, { importProject });
		await pick(new File([new Uint8Array([80, 75, 3, 4])], 'big.qdpx'));
		expect((await screen.findByRole('group', { name: 'Reading the sources' })).textContent).toContain('3 / 12 sources');
		await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
		expect((await screen.findByRole('alert')).textContent).toContain('Cancelled: nothing was imported.');
		expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
	});
});

describe('RefiImport as a start-page choice', () => {
	it('names the tools it reads from and opens the same picker', async () => {
		const importProject = vi.fn(async () => ({ ok: true as const, value: imported }));
		render(RefiImport, { importProject, variant: 'choice' });
		const button = screen.getByRole('button', { name: /^Import a REFI-QDA project… A \.qdpx from NVivo/ });
		expect(button.className).toContain('choice');
		await pick(new File([new Uint8Array([1])], 'p.qdpx'));
		expect(await screen.findByRole('link', { name: 'Open “Vaccine talk”' })).toBeTruthy();
	});
});
