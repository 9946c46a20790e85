/**
 * Entry point of the `gloss` command (bundled by `npm run build:cli` to build-cli/gloss.mjs and
 * started by bin/gloss.js; tests run it with tsx). Binds `runCli` to Node's files and streams.
 */
import { readFileSync, statSync } from 'node:fs';
import { MAX_BACKUP_BYTES } from '../lib/core/backup';
import type { Result } from '../lib/core/types';
import { runCli } from './run';
import type { CliIo } from './study';

function readFile(path: string): Result<string, string> {
	try {
		const st = statSync(path);
		if (st.isDirectory()) return { ok: false, errors: `${path}: is a folder, not a .gloss.json file` };
		if (st.size > MAX_BACKUP_BYTES)
			return { ok: false, errors: `${path}: too large (${Math.round(st.size / 1e6)} MB; a backup may be at most ${MAX_BACKUP_BYTES / 1024 / 1024} MB)` };
		return { ok: true, value: readFileSync(path, 'utf8') };
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return { ok: false, errors: `${path}: no such file` };
		if (code === 'EACCES') return { ok: false, errors: `${path}: permission denied` };
		return { ok: false, errors: `${path}: cannot be read (${(e as Error).message})` };
	}
}

// Piping into `head` closes stdout early: stop quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
	if (e.code === 'EPIPE') process.exit(0);
	throw e;
});

const io: CliIo = {
	readFile,
	stdout: (t) => void process.stdout.write(t),
	stderr: (t) => void process.stderr.write(t)
};

try {
	process.exitCode = runCli(process.argv.slice(2), io);
} catch (e) {
	process.stderr.write(`gloss: internal error: ${(e as Error).stack ?? String(e)}\n`);
	process.exitCode = 1;
}
