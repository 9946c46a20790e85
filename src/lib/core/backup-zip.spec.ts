import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { backupZip, isZip, readBackupZip } from './backup-zip';

const wav = new Uint8Array([82, 73, 70, 70, 1, 2, 3, 4]);

describe('backups with recordings', () => {
	it('round-trip the backup JSON byte for byte and each recording with its document', () => {
		const json = '{"format":"gloss-study","version":3,"study":{"name":"Café 访谈"}}';
		const zip = backupZip(json, [
			{ documentId: 'd1', name: 'Interview 1.wav', type: 'audio/wav', kind: 'audio', bytes: wav },
			{ documentId: 'd2', name: 'call.webm', type: 'video/webm', kind: 'video', bytes: new Uint8Array([9, 9]) }
		]);
		expect(isZip(zip)).toBe(true);
		expect(isZip(strToU8(json))).toBe(false);
		const r = readBackupZip(zip, 'study.gloss.zip');
		expect(r).toEqual({
			ok: true,
			value: {
				json,
				media: [
					{ documentId: 'd1', name: 'Interview 1.wav', type: 'audio/wav', kind: 'audio', bytes: wav },
					{ documentId: 'd2', name: 'call.webm', type: 'video/webm', kind: 'video', bytes: new Uint8Array([9, 9]) }
				]
			}
		});
	});
	it('refuse what is not one, naming the file and the entry', () => {
		const z = (files: Record<string, string | Uint8Array>) =>
			zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v])));
		expect(readBackupZip(z({ 'x.txt': 'hi' }), 'a.zip')).toEqual({ ok: false, errors: 'a.zip: a zip without study.gloss.json, so not a Gloss backup' });
		expect(readBackupZip(strToU8('PK\x03\x04garbage'), 'b.zip')).toEqual({ ok: false, errors: expect.stringMatching(/^b\.zip: not a Gloss backup/) });
		expect(readBackupZip(z({ 'study.gloss.json': '{}', 'media.json': '{' }), 'c.zip')).toEqual({ ok: false, errors: expect.stringMatching(/^c\.zip: media\.json is not valid JSON/) });
		expect(readBackupZip(z({ 'study.gloss.json': '{}', 'media.json': '[{"documentId":"d","name":"a.wav","file":"media/none.wav"}]' }), 'd.zip')).toEqual({
			ok: false,
			errors: 'd.zip: media.json[0].file: "media/none.wav" is not in the zip'
		});
		expect(readBackupZip(z({ 'study.gloss.json': '{}', 'media.json': '[{"documentId":"d","name":"notes.pdf","file":"m"}]', m: 'x' }), 'e.zip')).toEqual({
			ok: false,
			errors: expect.stringMatching(/^e\.zip: media\.json\[0\]: notes\.pdf: not an audio or video file/)
		});
		expect(readBackupZip(z({ 'study.gloss.json': new Uint8Array([0xff, 0xfe, 0x00]) }), 'f.zip')).toEqual({ ok: false, errors: 'f.zip: study.gloss.json is not UTF-8 text' });
	});
});
