/**
 * Zip bombs and oversized zips are refused before anything is unpacked, with a message naming the
 * file; honest zips unpack as before.
 */
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readTranscript } from './import';
import { parseQdpx } from './refi/import';
import { QDPX_LIMITS, unzipWithin } from './zip';

/** Make the zip's directory (and local header) claim `size` bytes unpacked for the first entry. */
function claim(zip: Uint8Array, size: number): Uint8Array {
	const z = zip.slice();
	const dv = new DataView(z.buffer);
	dv.setUint32(22, size, true); // local header: uncompressed size
	for (let i = z.length - 22; i >= 0; i--)
		if (dv.getUint32(i, true) === 0x02014b50) {
			dv.setUint32(i + 24, size, true); // the first central directory entry is the last found going back
		}
	return z;
}

describe('unzipWithin', () => {
	it('unpacks an honest zip', () => {
		const r = unzipWithin(zipSync({ 'a.txt': strToU8('hello'), 'b/c.txt': strToU8('world') }), 'x.zip', QDPX_LIMITS);
		expect(r.ok && Object.keys(r.value).sort()).toEqual(['a.txt', 'b/c.txt']);
	});

	it('refuses a zip that unpacks past the limit, before unpacking it', () => {
		// 8 MB of zeros packs into a few KB.
		const bomb = zipSync({ 'big.txt': new Uint8Array(8 * 1024 * 1024) }, { level: 9 });
		expect(bomb.length).toBeLessThan(64 * 1024);
		const r = unzipWithin(bomb, 'bomb.qdpx', { maxEntries: 100, maxUnpackedBytes: 1024 * 1024 });
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors[0]).toMatch(/^bomb\.qdpx: unpacks to more than 1 MB \(\d+ KB packed; "big\.txt" passes the limit\), so it is not read$/);
	});

	it('refuses a zip whose directory claims more than the limit (the default limit)', () => {
		const z = claim(zipSync({ 'big.txt': strToU8('small really') }), 0xfffffff0);
		const r = unzipWithin(z, 'claims.qdpx', QDPX_LIMITS);
		expect(!r.ok && r.errors[0]).toMatch(/^claims\.qdpx: unpacks to more than 512 MB/);
	});

	it('never unpacks an entry past what its directory declares (a lying zip stays small)', () => {
		const z = claim(zipSync({ 'a.txt': new Uint8Array(4 * 1024 * 1024) }), 100);
		const r = unzipWithin(z, 'liar.zip', QDPX_LIMITS);
		if (r.ok) expect(r.value['a.txt'].length).toBeLessThanOrEqual(100);
		else expect(r.errors[0]).toMatch(/^liar\.zip: /);
	});

	it('refuses a zip with too many entries', () => {
		const files: Record<string, Uint8Array> = {};
		for (let i = 0; i < 30; i++) files[`f${i}.txt`] = strToU8('x');
		const r = unzipWithin(zipSync(files), 'many.zip', { maxEntries: 25, maxUnpackedBytes: 1e9 });
		expect(!r.ok && r.errors[0]).toBe('many.zip: holds more than 25 files; Gloss reads at most that many');
	});

	it('says what is not a zip', () => {
		const r = unzipWithin(strToU8('hello, not a zip'), 'plain.zip', QDPX_LIMITS, { notAZip: (why) => `plain.zip: nope (${why})` });
		expect(!r.ok && r.errors[0]).toMatch(/^plain\.zip: nope \(/);
	});
});

describe('the importers use the limits', () => {
	it('a REFI-QDA project that is a zip bomb is refused, naming the file', () => {
		const z = claim(zipSync({ 'project.qde': strToU8('<Project name="x"/>') }), 0x7ffffff0);
		const r = parseQdpx(z, 'bomb.qdpx', 's', '2026-01-01T00:00:00.000Z');
		expect(!r.ok && r.errors[0]).toMatch(/^bomb\.qdpx: unpacks to more than 512 MB/);
	});

	it('a .docx that is a zip bomb is refused before the Word reader sees it', async () => {
		const z = claim(zipSync({ 'word/document.xml': strToU8('<w:document/>') }), 0x7ffffff0);
		let read = false;
		const r = await readTranscript(
			{ name: 'Interview 3.docx', size: z.length, arrayBuffer: async () => z.slice().buffer },
			async () => {
				read = true;
				return 'text';
			}
		);
		expect(read).toBe(false);
		expect(!r.ok && r.errors).toMatch(/^Interview 3\.docx: unpacks to more than 256 MB/);
	});
});
