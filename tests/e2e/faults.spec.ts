/**
 * Faults a person meets: the disk is nearly full, or the laptop lid closes in the middle of a
 * restore. Either way the study list is what it was, or has the new study whole; never half of it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openDemo, test } from './helpers';

const DEMO = resolve(import.meta.dirname, '../../static/demo/cleaner-production.gloss.json');

/** The demo backup made larger: `copies` more documents (each a copy of the first) with their segments. */
function biggerBackup(copies: number): { buffer: Buffer; documents: number; segments: number } {
	const b = JSON.parse(readFileSync(DEMO, 'utf8'));
	const doc = b.documents[0];
	const segs = b.segments.filter((s: { documentId: string }) => s.documentId === doc.id);
	for (let i = 0; i < copies; i++) {
		const id = `copy-${i}`;
		b.documents.push({ ...doc, id, name: `${doc.name} (copy ${i + 1})`, order: b.documents.length, text: doc.text.repeat(30) });
		for (const s of segs) b.segments.push({ ...s, id: `${s.id}-${i}`, documentId: id });
	}
	return { buffer: Buffer.from(JSON.stringify(b)), documents: b.documents.length, segments: b.segments.length };
}

/** Every study in the browser with how many documents, texts (schema version 4) and segments (in packs, schema version 5; and any left in the old store) it holds (raw IndexedDB, no app code). */
function studies(page: Page) {
	return page.evaluate(
		() =>
			new Promise<Record<string, { name: string; documents: number; texts: number; segments: number }>>((done, fail) => {
				const open = indexedDB.open('gloss');
				open.onerror = () => fail(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const tx = db.transaction(['studies', 'documents', 'texts', 'segments', 'segmentPacks'], 'readonly');
					const out: Record<string, { name: string; documents: number; texts: number; segments: number }> = {};
					const all = (store: string) =>
						new Promise<{ id: string; studyId?: string; name?: string; segments?: unknown[] }[]>((ok) => {
							const r = tx.objectStore(store).getAll();
							r.onsuccess = () => ok(r.result);
						});
					Promise.all([all('studies'), all('documents'), all('texts'), all('segments'), all('segmentPacks')]).then(([s, d, t, g0, packs]) => {
						const g = [...g0, ...packs.flatMap((p) => (p.segments ?? []) as { studyId?: string }[])];
						for (const st of s) out[st.id] = { name: st.name as string, documents: 0, texts: 0, segments: 0 };
						for (const x of d) if (x.studyId && out[x.studyId]) out[x.studyId].documents++;
						else if (x.studyId) out[x.studyId] = { name: '(no study row)', documents: 1, texts: 0, segments: 0 };
						for (const x of t) if (x.studyId && out[x.studyId]) out[x.studyId].texts++;
						else if (x.studyId) out[x.studyId] = { name: '(no study row)', documents: 0, texts: 1, segments: 0 };
						for (const x of g) if (x.studyId && out[x.studyId]) out[x.studyId].segments++;
						else if (x.studyId) out[x.studyId] = { name: '(no study row)', documents: 0, texts: 0, segments: 1 };
						db.close();
						done(out);
					});
				};
			})
	);
}

test('a backup that does not fit in the storage left is refused, naming it, and nothing is stored', async ({ page, context, baseURL }) => {
	// The browser grants this site 8 MB: room for the app and the demo, not for a large study.
	// Chromium enforces an overridden quota on writes (its estimate still reports the disk), so this
	// is the write failing part-way, rolled back whole, and said plainly.
	const origin = new URL(baseURL as string).origin;
	const cdp = await context.newCDPSession(page);
	await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 8 * 1024 * 1024 });
	await openDemo(page);
	await page.goto('/');
	const before = await studies(page);
	expect(Object.keys(before)).toHaveLength(1);
	const big = biggerBackup(100);
	expect(big.buffer.length).toBeGreaterThan(8 * 1024 * 1024);
	await page.getByLabel('Backup file to restore').setInputFiles({ name: 'big study.gloss.json', mimeType: 'application/json', buffer: big.buffer });
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('big study.gloss.json did not fit in the storage this browser gives Gloss', { timeout: 30_000 });
	await expect(alert).toContainText('Nothing was stored.');
	expect(await studies(page)).toEqual(before);
	await cdp.send('Storage.overrideQuotaForOrigin', { origin });
});

test('a page closed in the middle of a restore leaves the study list as it was, or with the study whole', async ({ page, context }) => {
	await openDemo(page);
	await page.goto('/');
	const before = await studies(page);
	const big = biggerBackup(60);
	await page.getByLabel('Backup file to restore').setInputFiles({ name: 'closing.gloss.json', mimeType: 'application/json', buffer: big.buffer });
	// The lid closes while the file is read and written.
	await page.waitForTimeout(150);
	await page.close({ runBeforeUnload: false });

	const again = await context.newPage();
	await again.goto('/');
	// The demo, and the restored study too where the restore finished first (it has the demo's name).
	await expect(again.getByRole('link', { name: 'Cleaner Production in Jiangsu (demo)' }).first()).toBeVisible();
	const after = await studies(again);
	for (const [id, s] of Object.entries(before)) expect(after[id], 'the demo is untouched').toEqual(s);
	const added = Object.entries(after).filter(([id]) => !before[id]);
	expect(added.length).toBeLessThanOrEqual(1);
	// All or nothing: a study that made it in is whole.
	for (const [, s] of added) expect(s).toEqual({ name: expect.any(String), documents: big.documents, texts: big.documents, segments: big.segments });
});

test('a restore is read off the page with its steps shown, and Cancel leaves the study list as it was', async ({ page }) => {
	test.setTimeout(180_000);
	await openDemo(page);
	await page.goto('/');
	const before = await studies(page);
	const big = biggerBackup(200);
	await page.getByLabel('Backup file to restore').setInputFiles({ name: 'large.gloss.json', mimeType: 'application/json', buffer: big.buffer });
	const progress = page.getByRole('group', { name: 'Restoring large.gloss.json' });
	await expect(progress).toBeVisible();
	await expect(progress).toContainText(/\d \/ 3 steps/);
	await progress.getByRole('button', { name: 'Cancel' }).click();
	await expect(page.getByRole('alert')).toContainText('Cancelled: nothing was changed.');
	await expect(progress).toBeHidden();
	expect(await studies(page)).toEqual(before);

	// Restored without cancelling, the same file comes in whole.
	await page.getByLabel('Backup file to restore').setInputFiles({ name: 'large.gloss.json', mimeType: 'application/json', buffer: big.buffer });
	await expect(page.getByText('Restored “Cleaner Production in Jiangsu (demo) (2)” from large.gloss.json.')).toBeVisible({ timeout: 60_000 });
	const added = Object.entries(await studies(page)).filter(([id]) => !before[id]);
	expect(added.map(([, s]) => s)).toEqual([{ name: 'Cleaner Production in Jiangsu (demo) (2)', documents: big.documents, texts: big.documents, segments: big.segments }]);
});
