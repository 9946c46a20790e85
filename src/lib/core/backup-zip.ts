/**
 * A backup with its recordings: a zip holding the backup JSON (`study.gloss.json`, exactly what
 * a plain backup holds), `media.json` (which recording belongs to which document) and the
 * recordings themselves under `media/`, stored as they are (audio and video are compressed
 * already). Recordings are left out of a plain backup; this is the option that includes them.
 */
import { strFromU8, strToU8, zipSync, type Zippable } from 'fflate';
import { checkMediaFile, type MediaKind } from './media';
import type { Result } from './types';
import { unzipWithin, type ZipLimits } from './zip';

export const BACKUP_JSON_ENTRY = 'study.gloss.json';
const MANIFEST = 'media.json';

/** A backup zip may hold a few long recordings. */
export const BACKUP_ZIP_LIMITS: ZipLimits = { maxEntries: 10_000, maxUnpackedBytes: 2 * 1024 * 1024 * 1024 };

export interface BackupMedia {
	documentId: string;
	name: string;
	type: string;
	kind: MediaKind;
	bytes: Uint8Array;
}

interface ManifestEntry {
	documentId: string;
	name: string;
	type: string;
	kind: MediaKind;
	file: string;
}

/** The zip of a backup and its recordings. */
export function backupZip(json: string, media: readonly BackupMedia[]): Uint8Array {
	const files: Zippable = { [BACKUP_JSON_ENTRY]: [strToU8(json), { level: 6 }] };
	const manifest: ManifestEntry[] = [];
	media.forEach((m, i) => {
		const ext = /\.([A-Za-z0-9]{1,5})$/.exec(m.name)?.[1]?.toLowerCase() ?? 'bin';
		const file = `media/${String(i + 1).padStart(4, '0')}.${ext}`;
		manifest.push({ documentId: m.documentId, name: m.name, type: m.type, kind: m.kind, file });
		files[file] = [m.bytes, { level: 0 }];
	});
	files[MANIFEST] = [strToU8(JSON.stringify(manifest, null, 1)), { level: 6 }];
	return zipSync(files);
}

/** Whether these bytes are a zip (a backup with recordings) rather than backup JSON. */
export function isZip(bytes: Uint8Array): boolean {
	return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Read a backup zip: its JSON text and its recordings, checked; errors name the file and the entry. */
export function readBackupZip(bytes: Uint8Array, fileName: string): Result<{ json: string; media: BackupMedia[] }, string> {
	const files = unzipWithin(bytes, fileName, BACKUP_ZIP_LIMITS, {
		notAZip: (why) => `${fileName}: not a Gloss backup (neither backup JSON nor a readable zip: ${why})`
	});
	if (!files.ok) return { ok: false, errors: files.errors[0] };
	const jsonBytes = files.value[BACKUP_JSON_ENTRY];
	if (!jsonBytes) return { ok: false, errors: `${fileName}: a zip without ${BACKUP_JSON_ENTRY}, so not a Gloss backup` };
	let json: string;
	try {
		json = new TextDecoder('utf-8', { fatal: true }).decode(jsonBytes);
	} catch {
		return { ok: false, errors: `${fileName}: ${BACKUP_JSON_ENTRY} is not UTF-8 text` };
	}
	const media: BackupMedia[] = [];
	const raw = files.value[MANIFEST];
	if (raw) {
		let list: unknown;
		try {
			list = JSON.parse(strFromU8(raw));
		} catch (e) {
			return { ok: false, errors: `${fileName}: ${MANIFEST} is not valid JSON (${(e as Error).message})` };
		}
		if (!Array.isArray(list)) return { ok: false, errors: `${fileName}: ${MANIFEST} must be a list` };
		for (const [i, e] of list.entries()) {
			const at = `${fileName}: ${MANIFEST}[${i}]`;
			const o = (e ?? {}) as Partial<ManifestEntry>;
			if (typeof o.documentId !== 'string' || !o.documentId) return { ok: false, errors: `${at}.documentId: must be a document id` };
			if (typeof o.name !== 'string' || !o.name) return { ok: false, errors: `${at}.name: must be the recording's file name` };
			if (typeof o.file !== 'string' || !(o.file in files.value)) return { ok: false, errors: `${at}.file: ${JSON.stringify(o.file)} is not in the zip` };
			const data = files.value[o.file];
			const checked = checkMediaFile({ name: o.name, size: data.length, type: typeof o.type === 'string' ? o.type : '' });
			if (!checked.ok) return { ok: false, errors: `${at}: ${checked.errors}` };
			if (media.some((m) => m.documentId === o.documentId)) return { ok: false, errors: `${at}.documentId: a second recording for one document` };
			media.push({ documentId: o.documentId, name: o.name, type: checked.value.type, kind: checked.value.kind, bytes: data });
		}
	}
	return { ok: true, value: { json, media } };
}
