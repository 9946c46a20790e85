/**
 * Zip files within limits (REFI-QDA projects, Word .docx). A zip says in its directory how large
 * each entry unpacks; a zip bomb says it truthfully (712 KB that unpacks to 200 MB) or lies. Every
 * entry is checked against the limits BEFORE anything is inflated, and an entry is never inflated
 * past the size its directory declares, so memory stays bounded either way.
 */
import { unzipSync } from 'fflate';
import type { Result } from './types';

export interface ZipLimits {
	/** At most this many entries (files and folders). */
	maxEntries: number;
	/** At most this many bytes unpacked, all entries together. */
	maxUnpackedBytes: number;
}

const MB = 1024 * 1024;
/** A REFI-QDA project: texts, and sometimes pictures, audio or PDFs that Gloss skips. */
export const QDPX_LIMITS: ZipLimits = { maxEntries: 20_000, maxUnpackedBytes: 512 * MB };
/** A Word document: its XML parts and images. */
export const DOCX_LIMITS: ZipLimits = { maxEntries: 5_000, maxUnpackedBytes: 256 * MB };

class LimitExceeded extends Error {}

const size = (bytes: number) => (bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${Math.ceil(bytes / 1024)} KB`);

export interface UnzipOptions {
	/** false: unpack nothing, only check (for .docx, which mammoth reads itself). Default true. */
	inflate?: boolean;
	/** The message when the bytes are not a zip at all, given the reader's reason. */
	notAZip?: (why: string) => string;
}

/** The entries of a zip, checked against the limits, then unpacked; or an error naming the file. */
export function unzipWithin(bytes: Uint8Array, fileName: string, limits: ZipLimits, opts: UnzipOptions = {}): Result<Record<string, Uint8Array>> {
	const inflate = opts.inflate ?? true;
	let entries = 0;
	let total = 0;
	try {
		const files = unzipSync(bytes, {
			filter: (f) => {
				entries++;
				total += f.originalSize;
				if (entries > limits.maxEntries)
					throw new LimitExceeded(`${fileName}: holds more than ${limits.maxEntries.toLocaleString('en')} files; Gloss reads at most that many`);
				if (total > limits.maxUnpackedBytes)
					throw new LimitExceeded(
						`${fileName}: unpacks to more than ${size(limits.maxUnpackedBytes)} (${size(bytes.length)} packed; "${f.name}" passes the limit), so it is not read`
					);
				return inflate;
			}
		});
		return { ok: true, value: files };
	} catch (e) {
		if (e instanceof LimitExceeded) return { ok: false, errors: [e.message] };
		const why = (e as Error).message;
		return { ok: false, errors: [opts.notAZip ? opts.notAZip(why) : `${fileName}: not a readable zip file (${why})`] };
	}
}
