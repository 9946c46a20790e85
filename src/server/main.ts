/** Entry point of `npm run server` (see cli.ts for the commands and flags). */
import { parseArgs, runAdmin, serve, UsageError, type Io } from './cli';

const io: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };

async function main(): Promise<void> {
	let parsed;
	try {
		parsed = parseArgs(process.argv.slice(2));
	} catch (e) {
		if (e instanceof UsageError) {
			console.error(`gloss server: ${e.message}`);
			process.exit(2);
		}
		throw e;
	}
	if (parsed.command !== 'serve') process.exit(await runAdmin(parsed.command, parsed.flags, io));
	let running;
	try {
		running = await serve(parsed.flags, io);
	} catch (e) {
		console.error(`gloss server: ${(e as Error).message}`);
		process.exit(1);
	}
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		try {
			await running.stop();
		} finally {
			process.exit(0);
		}
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
}

await main();
