/**
 * Entry point of the `gloss` command (bundled by `npm run build:cli` to build-cli/gloss.mjs and
 * started by bin/gloss.js; tests run it with tsx). Binds `runCli` to Node's files and streams.
 */
import { runCli } from './run';
import { readFile } from './node-io';
import type { CliIo } from './study';

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
