/**
 * Reading a backup from Node's file system for the `gloss` command (main.ts), kept apart from
 * main.ts so tests can run `runCli` in-process with the real file reading.
 */
import { readFileSync, statSync } from 'node:fs';
import { MAX_BACKUP_BYTES } from '../lib/core/backup';
import { decodeBytes } from '../lib/core/text';
import type { Result } from '../lib/core/types';
import { runCli } from './run';
import type { CliIo } from './study';

export function readFile(path: string): Result<string, string> {
	try {
		const st = statSync(path);
		if (st.isDirectory()) return { ok: false, errors: `${path}: is a folder, not a .gloss.json file` };
		if (st.size > MAX_BACKUP_BYTES)
			return { ok: false, errors: `${path}: too large (${Math.round(st.size / 1e6)} MB; a backup may be at most ${MAX_BACKUP_BYTES / 1024 / 1024} MB)` };
		// The app's one decoder: UTF-8 or UTF-16 (with or without a BOM); anything else refused.
		const text = decodeBytes(new Uint8Array(readFileSync(path)), path);
		return text.ok ? { ok: true, value: text.value.text } : text;
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return { ok: false, errors: `${path}: no such file` };
		if (code === 'EACCES') return { ok: false, errors: `${path}: permission denied` };
		return { ok: false, errors: `${path}: cannot be read (${(e as Error).message})` };
	}
}

/**
 * The whole command in-process, as main.ts runs it (an exception is an internal error, exit 1),
 * with stdout and stderr captured instead of written.
 */
export function runCaptured(argv: string[]): { code: number; stdout: string; stderr: string } {
	let stdout = '';
	let stderr = '';
	const io: CliIo = { readFile, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) };
	let code: number;
	try {
		code = runCli(argv, io);
	} catch (e) {
		stderr += `gloss: internal error: ${(e as Error).stack ?? String(e)}\n`;
		code = 1;
	}
	return { code, stdout, stderr };
}
