/**
 * A sample of the hostile corpus (tests/fuzz/hostile.ts) through the controls a person uses, in a
 * browser holding the demo study: Restore a backup and Import a REFI-QDA project (Start), Import a
 * coder's backup (Review), the attributes CSV (Cases), Import codebook with JSON, CSV and .qdc
 * (Codebook), and transcripts (Documents).
 *
 * A refused file: a visible message naming the file, and not one byte of IndexedDB changed (a
 * hash of every object store of every database, before and after). An accepted file with HTML in
 * its names: the HTML shown as literal text where it lands. And no payload ever runs:
 * `window.__pwned` stays unset, after every file and after visiting the screens that show them.
 */
import type { Locator, Page } from '@playwright/test';
import { hostileCorpus, type HostileInput } from '../fuzz/hostile';
import { expect, openDemo, test } from './helpers';

const corpus = new Map(hostileCorpus().map((c) => [c.name, c]));

/** The payloads the corpus puts in names (tests/fuzz/hostile.ts `HTML`). */
const HTML = [
	`<img src=x onerror="window.__pwned=1">`,
	`<script>window.__pwned=1</script>`,
	`javascript:window.__pwned=1`,
	`"><svg onload=window.__pwned=1>`,
	`<a href="javascript:window.__pwned=1">x</a>`
];

type Outcome = 'refused' | 'accepted';
/** One sampled input: its corpus name, what must happen to it, and words its message must hold. */
type Sample = [name: string, outcome: Outcome, message?: string];

/** The one decoder's message for bytes that are neither UTF-8 nor UTF-16 (core/text.ts). */
const NOT_TEXT = ': not readable as text (it is neither UTF-8 nor UTF-16';

/** A content hash of the whole of IndexedDB: every object store of every database, sorted. */
async function dbHash(page: Page): Promise<{ hash: string; records: number }> {
	return page.evaluate(async () => {
		const req = <T>(r: IDBRequest<T>) =>
			new Promise<T>((resolve, reject) => {
				r.onsuccess = () => resolve(r.result);
				r.onerror = () => reject(r.error);
			});
		const plain = (_k: string, v: unknown) =>
			v instanceof ArrayBuffer ? [...new Uint8Array(v)] : ArrayBuffer.isView(v) ? [...new Uint8Array(v.buffer, v.byteOffset, v.byteLength)] : v;
		const names = (await indexedDB.databases()).map((d) => d.name ?? '').sort();
		const parts: string[] = [];
		let records = 0;
		for (const name of names) {
			const db = await req(indexedDB.open(name));
			try {
				for (const store of [...db.objectStoreNames].sort()) {
					const s = db.transaction(store, 'readonly').objectStore(store);
					const [keys, values] = await Promise.all([req(s.getAllKeys()), req(s.getAll())]);
					records += keys.length;
					parts.push(JSON.stringify([name, store, keys, values], plain));
				}
			} finally {
				db.close();
			}
		}
		const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join('\n')));
		return { hash: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''), records };
	});
}

async function notPwned(page: Page) {
	expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
}

/** A file name unique in the run, so that each message is told from the one before. */
function fileFor(input: HostileInput, i: number) {
	return { name: `h${String(i).padStart(2, '0')}-${input.fileName}`, mimeType: 'application/octet-stream', buffer: Buffer.from(input.bytes) };
}

/** What a screen shows once it has answered a file: the refusal, or what says it was taken. */
type Answer = { refused: Locator; accepted: Locator };

/**
 * Feed each sample through `give` (which hands the file to the screen's control and says where
 * its answer shows), check the outcome, the message and the database, and return what was accepted.
 */
async function feed(page: Page, samples: Sample[], give: (file: ReturnType<typeof fileFor>) => Promise<Answer>, tidy?: () => Promise<void>) {
	const accepted: { input: HostileInput; fileName: string }[] = [];
	for (const [i, [name, outcome, message]] of samples.entries()) {
		const input = corpus.get(name);
		if (!input) throw new Error(`"${name}" is not in the hostile corpus`);
		const file = fileFor(input, i);
		const before = await dbHash(page);
		expect(before.records, 'the demo study is in IndexedDB').toBeGreaterThan(100);
		const answer = await give(file);
		// (a study holding an accepted 5,000-code tree makes each look at the page slow on a busy machine)
		await expect(answer.refused.or(answer.accepted).first(), `${name}: an answer on screen`).toBeVisible({ timeout: 60_000 });
		const got: Outcome = (await answer.refused.first().isVisible()) ? 'refused' : 'accepted';
		expect.soft(got, name).toBe(outcome);
		if (got === 'refused') {
			await expect(answer.refused.first(), `${name}: the message names the file`).toContainText(`${file.name}`);
			if (message) await expect(answer.refused.first(), name).toContainText(`${file.name}${message}`);
			expect((await dbHash(page)).hash, `${name}: IndexedDB changed by a refusal`).toBe(before.hash);
		} else {
			// What was taken was written: the hash sees a write (so an unchanged hash means no write).
			await expect.poll(async () => (await dbHash(page)).hash, `${name}: accepted but nothing stored`).not.toBe(before.hash);
			accepted.push({ input, fileName: file.name });
		}
		await notPwned(page);
		await tidy?.();
	}
	return accepted;
}

const nav = (page: Page, section: string) => page.getByRole('navigation', { name: 'Study sections' }).getByRole('link', { name: section, exact: true }).click();

test.describe.configure({ timeout: 240_000 });

test('Start page: hostile backups and REFI-QDA projects are refused naming the file and change nothing; HTML names restore as text', async ({ page }) => {
	await openDemo(page);
	await page.goto('/');
	const restore = page.getByLabel('Backup file to restore');
	const backups: Sample[] = [
		['backup: truncated at 50%', 'refused'],
		['backup: not JSON', 'refused'],
		['backup: JSON null', 'refused'],
		['backup: a JSON array', 'refused'],
		['backup: UTF-16 with BOM', 'accepted'],
		['backup: invalid UTF-8', 'refused', NOT_TEXT],
		['backup: NUL bytes', 'refused'],
		['backup: "study" is null', 'refused'],
		['backup: "codes" is a string', 'refused'],
		['backup: "segments" is an object', 'refused'],
		// Restored with the segment dropped, and the repair listed.
		['backup: segment start "12" (a string)', 'accepted'],
		['backup: version 99', 'refused', ': version: this Gloss reads backup versions 1 to 3, found 99'],
		['backup: format of another tool', 'refused'],
		['backup: 4 random byte(s) changed (2)', 'refused'],
		// Restored with the chain cut to the depth Gloss keeps, and the repairs listed.
		['backup: code parent chain 5000 deep', 'accepted'],
		['backup: HTML payload 1 in every name', 'accepted'],
		['backup: HTML payload 4 in every name', 'accepted']
	];
	const restored = await feed(page, backups, async (file) => {
		await restore.setInputFiles(file);
		return {
			refused: page.getByRole('alert').filter({ hasText: `${file.name}:` }),
			accepted: page.getByText(`from ${file.name}.`).or(page.getByRole('region', { name: /^Restored / }).filter({ hasText: file.name }))
		};
	});
	// Each study restored is named after its payload, shown as text in the list of studies.
	for (const h of [HTML[0], HTML[3]]) await expect(page.getByRole('link', { name: h, exact: true })).toBeVisible();
	expect(restored).toHaveLength(5);

	const projects: Sample[] = [
		['qdpx: truncated at 50%', 'refused'],
		['qdpx: not a zip', 'refused'],
		['qdpx: no project.qde', 'refused'],
		['qdpx: project.qde not XML', 'refused'],
		['qdpx: billion laughs entities', 'refused'],
		['qdpx: external entity', 'refused'],
		['qdpx: a zip bomb (claims 2 GB)', 'refused'],
		// Read without its source (outside the project, so not read), and said so.
		['qdpx: path traversal source path', 'accepted'],
		['qdpx: 10 random byte(s) changed (4)', 'refused'],
		['qdpx: 20,001 entries', 'refused'],
		['qdpx: HTML payload 2 in names', 'accepted'],
		['qdpx: HTML payload 5 in names', 'accepted']
	];
	const dialog = page.getByRole('dialog', { name: 'Import a REFI-QDA project' });
	await feed(
		page,
		projects,
		async (file) => {
			await page.getByLabel('REFI-QDA project file to import').setInputFiles(file);
			return {
				// The message names the file, then the entry inside it: "project.qdpx/project.qde: line 1: …".
				refused: dialog.getByRole('alert').filter({ hasText: new RegExp(`${escapeRe(file.name)}[:/]`) }),
				accepted: dialog.getByRole('link', { name: /^Open “/ })
			};
		},
		async () => {
			await page.keyboard.press('Escape');
			await expect(dialog).toBeHidden();
		}
	);
	for (const h of [HTML[1], HTML[4]]) await expect(page.getByRole('link', { name: h, exact: true })).toBeVisible();

	// Open a restored study: its codes, cases and documents are named with the payload, as text.
	await page.getByRole('link', { name: HTML[0], exact: true }).click();
	const who = page.getByRole('dialog', { name: 'Who is coding?' });
	await who.getByRole('button').filter({ hasText: HTML[0] }).first().click();
	await expect(page.getByRole('banner').getByText(HTML[0], { exact: true })).toBeVisible();
	await expect(page.getByRole('button', { name: `Coder: ${HTML[0]} k1 (switch coder)` })).toBeVisible();
	await expect(page.getByRole('main').getByText(HTML[0]).first()).toBeVisible();
	await nav(page, 'Codebook');
	await expect(page.getByRole('treeitem').filter({ hasText: HTML[0] }).first()).toBeVisible();
	await nav(page, 'Cases');
	await expect(page.getByRole('button', { name: new RegExp(`^Edit case ${escapeRe(HTML[0])}`) }).first()).toBeVisible();
	await nav(page, 'Analyse');
	await expect(page.getByText(HTML[0]).first()).toBeVisible();
	await notPwned(page);
});

test('Review: a coder’s hostile backups are refused naming the file and change nothing; HTML coder names merge as text', async ({ page }) => {
	await openDemo(page);
	await nav(page, 'Review');
	await page.getByRole('button', { name: 'Import a coder’s backup…' }).first().click();
	const dialog = page.getByRole('dialog', { name: 'Import a coder’s backup' });
	const samples: Sample[] = [
		['backup: truncated at 90%', 'refused'],
		['backup: truncated at 0%', 'refused'],
		['backup: invalid UTF-8', 'refused', NOT_TEXT],
		['backup: "documents" is a number', 'refused'],
		['backup: "coders" is a string', 'refused'],
		['backup: version 99', 'refused'],
		['backup: HTML payload 2 in every name', 'accepted'],
		['backup: HTML payload 5 in every name', 'accepted']
	];
	await feed(page, samples, async (file) => {
		await dialog.getByLabel('Choose a backup file: choose files').setInputFiles(file);
		return { refused: dialog.getByRole('alert').filter({ hasText: `${file.name}:` }), accepted: dialog.getByRole('status').filter({ hasText: `${file.name}:` }) };
	});
	// The last file's coders, named with the payload, listed as text.
	await expect(dialog.getByText(`Coders in the file: ${HTML[4]}`)).toBeVisible();
	await dialog.getByRole('button', { name: 'Done' }).click();
	// The merged coders, offered by name, as text, for the comparison; chosen, the report names
	// the coder and its codes as text.
	const coderB = page.getByLabel('Coder B');
	const merged = coderB.getByRole('option').filter({ hasText: `${HTML[1]} k1 (` });
	await expect(merged).toHaveCount(1);
	await expect(coderB.getByRole('option').filter({ hasText: `${HTML[4]} k1 (` })).toHaveCount(1);
	await coderB.selectOption({ label: (await merged.textContent())!.trim() });
	await expect(page.getByRole('main').getByText(`${HTML[1]} k1`, { exact: true })).toBeVisible();
	await expect(page.getByRole('rowheader', { name: `${HTML[1]} g1` })).toBeVisible();
	await notPwned(page);
});

test('Cases: hostile attribute sheets are refused naming the file and change nothing; HTML case names import as text', async ({ page }) => {
	await openDemo(page);
	await nav(page, 'Cases');
	const importer = page.getByRole('region', { name: /^Import attributes from/ });
	const samples: Sample[] = [
		['attributes-csv: truncated at 0%', 'refused'],
		['attributes-csv: only blank lines', 'refused'],
		['attributes-csv: invalid UTF-8', 'refused', NOT_TEXT],
		['attributes-csv: NUL bytes', 'refused'],
		['attributes-csv: a binary file', 'refused'],
		['attributes-csv: an unclosed quote', 'refused'],
		['attributes-csv: ragged rows', 'refused'],
		['attributes-csv: 10,000 columns', 'refused'],
		['attributes-csv: 100,000 rows', 'refused'],
		['attributes-csv: HTML payload 1 in every cell', 'accepted']
	];
	await feed(
		page,
		samples,
		async (file) => {
			await page.getByLabel('Attributes CSV file', { exact: true }).setInputFiles(file);
			// A sheet that reads opens the preview; its rows are checked on "Import".
			const alert = page.getByRole('alert').filter({ hasText: `${file.name}:` });
			// A sheet of 100,000 rows takes a few seconds to read and match against the cases.
			await expect(alert.or(importer).first()).toBeVisible({ timeout: 60_000 });
			if (await importer.isVisible()) {
				await expect(importer).toContainText(file.name);
				// New cases for a sheet of a few rows (its names land in the table); a sheet of
				// 100,000 rows is imported as it is offered, and none of its names is a case.
				const go = importer.getByRole('button', { name: /^Import \d+ rows$/ });
				if (Number((await go.textContent())!.match(/\d+/)![0]) < 1000) await importer.getByLabel('Create cases that are not in the study yet').check();
				await go.click();
			}
			return { refused: alert, accepted: page.getByText(`Imported ${file.name}:`) };
		},
		async () => {
			if (await importer.isVisible()) await importer.getByRole('button', { name: 'Cancel' }).click();
		}
	);
	await expect(page.getByRole('button', { name: `Edit case ${HTML[0]}Enterprise C01` })).toBeVisible();
	await notPwned(page);
});

test('Codebook: hostile JSON, CSV and .qdc codebooks are refused naming the file and change nothing; HTML names import as text', async ({ page }) => {
	await openDemo(page);
	await nav(page, 'Codebook');
	const samples: Sample[] = [
		['codebook-json: truncated at 25%', 'refused'],
		['codebook-json: a JSON array', 'refused'],
		['codebook-json: UTF-16 with BOM', 'refused'],
		['codebook-json: invalid UTF-8', 'refused', NOT_TEXT],
		['codebook-json: "codes" is a string', 'refused'],
		['codebook-json: codes nested 3000 deep', 'refused'],
		['codebook-json: a colour that is no colour', 'refused'],
		['codebook-json: __proto__ key at the top', 'refused'],
		['codebook-csv: an unclosed quote', 'refused'],
		['codebook-csv: invalid UTF-8', 'refused', NOT_TEXT],
		['codebook-csv: a binary file', 'refused'],
		['codebook-csv: 10,000 columns', 'refused'],
		['codebook-json: 100,000 codes', 'refused'],
		['codebook-csv: a 5 MB cell', 'refused'],
		// Read, its tree cut to the 12 levels Gloss keeps.
		['qdc: codes nested 5,000 deep', 'accepted'],
		['qdc: not XML', 'refused'],
		['qdc: a Project, not a CodeBook', 'refused'],
		['qdc: billion laughs', 'refused'],
		['qdc: NUL bytes', 'refused'],
		['qdc: truncated at 70%', 'refused'],
		// The demo holds this codebook: its codes' ids clash, whatever their names.
		['codebook-json: HTML payload 2 in names and definitions', 'refused'],
		// Refused (its colours and ids are no colours and ids), the payload shown as text in the message.
		['codebook-csv: HTML payload 4 in every cell', 'refused'],
		['codebook-csv: HTML payload 1 in every cell', 'refused'],
		['qdc: HTML payload 1', 'accepted']
	];
	await feed(page, samples, async (file) => {
		await page.getByLabel('Codebook file to import').setInputFiles(file);
		return { refused: page.getByRole('alert').filter({ hasText: `${file.name} was not imported` }), accepted: page.locator('.toasts').getByText(new RegExp(`^Imported [\\d,]+ codes? from ${escapeRe(file.name)}\\.$`)) };
	});
	const tree = page.getByRole('tree', { name: 'Codes' });
	for (const h of [HTML[0]]) await expect(tree.getByRole('treeitem').filter({ hasText: h }).first()).toBeVisible();
	// A description with the payload, in the code editor, as text.
	await tree.getByRole('treeitem').filter({ hasText: HTML[0] }).first().click();
	await expect(page.getByLabel('Definition')).toHaveValue(HTML[0]);
	await notPwned(page);
});

test('Documents: hostile transcripts are refused naming the file and change nothing; HTML in a transcript shows as text', async ({ page }) => {
	await openDemo(page);
	await nav(page, 'Documents');
	const samples: Sample[] = [
		['transcript-txt: empty', 'refused'],
		['transcript-txt: only spaces', 'refused'],
		['transcript-txt: NUL bytes', 'refused'],
		['transcript-txt: invalid UTF-8', 'refused', NOT_TEXT],
		['transcript-txt: a lone BOM', 'refused'],
		['transcript-txt: a binary file', 'refused'],
		['transcript-txt: a lone surrogate as UTF-8 (CESU)', 'refused'],
		['transcript-docx: not a zip', 'refused'],
		['transcript-docx: a zip without document.xml', 'refused'],
		['transcript-docx: a zip bomb (8 MB of zeros)', 'refused'],
		['transcript-docx: a zip claiming 2 GB', 'refused'],
		['transcript-docx: 10,000 entries', 'refused'],
		['transcript-txt: HTML payload 1', 'accepted'],
		['transcript-txt: HTML payload 2', 'accepted']
	];
	const accepted = await feed(page, samples, async (file) => {
		await page.getByLabel('Import transcripts: choose files').setInputFiles(file);
		const base = file.name.replace(/\.[^.]+$/, '');
		return {
			refused: page.getByRole('list', { name: 'Skipped files' }).filter({ hasText: `${file.name}:` }),
			accepted: page.getByRole('button', { name: `Preview ${base}`, exact: true })
		};
	});
	// Each payload transcript, opened in the coding view: the payload is its text.
	for (const [k, { fileName }] of accepted.entries()) {
		await nav(page, 'Code');
		const base = fileName.replace(/\.[^.]+$/, '');
		await page.getByRole('complementary', { name: 'Documents' }).getByRole('link').filter({ hasText: base }).click();
		await expect(page.getByRole('document', { name: `Transcript: ${base}` })).toContainText(HTML[k]);
		await notPwned(page);
	}
});

function escapeRe(s: string) {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('Cases: a sheet of 10,000 rows creates 10,000 cases, shown a page at a time with the count', async ({ page }) => {
	await openDemo(page);
	await nav(page, 'Cases');
	const rows = ['Firm,City,Employees'];
	for (let i = 0; i < 10_000; i++) rows.push(`Firm ${String(i).padStart(5, '0')},${['Wuxi', 'Suzhou', 'Nantong'][i % 3]},${(i % 50) * 10 + 5}`);
	await page.getByLabel('Attributes CSV file', { exact: true }).setInputFiles({ name: 'firms.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
	const importer = page.getByRole('region', { name: 'Import attributes from firms.csv' });
	// The preview shows a few rows and counts the rest.
	await expect(importer.getByText('Showing the first 5 of 10000 rows.')).toBeVisible({ timeout: 60_000 });
	await expect(importer.getByRole('table').getByRole('row')).toHaveCount(2 + 5);
	await importer.getByLabel('Create cases that are not in the study yet').check();
	await expect(importer.getByText(/10,?000 rows match no case: they will become new cases/)).toBeVisible();
	await importer.getByRole('button', { name: 'Import 10000 rows' }).click();
	await expect(page.getByText('Imported firms.csv: 0 cases updated, 10,000 new cases, 1 new attribute.')).toBeVisible({ timeout: 120_000 });
	// 30 demo cases and 10,000 new ones; the table shows 100 of them and pages through the rest.
	await expect(page.getByText('10,030 cases')).toBeVisible();
	const pager = page.getByRole('navigation', { name: 'Pages of cases' });
	await expect(pager).toContainText('Cases 1–100 of 10,030');
	await expect(page.getByRole('table').locator('tbody tr')).toHaveCount(100);
	await pager.getByRole('button', { name: 'Next' }).click();
	await expect(pager).toContainText('Cases 101–200 of 10,030');
	// Page 1 holds the ten C… demo cases and Firm 00000–00089; page 2 goes on from Firm 00090.
	await expect(page.getByRole('rowheader', { name: 'Firm 00123' })).toBeVisible();
	await expect(page.getByRole('textbox', { name: 'Employees of Firm 00123' })).toHaveValue('235');
});
