/**
 * `runCli`: the whole `gloss` command as a function of argv and an io object, returning the
 * exit code (0 done, 2 bad argument or bad file). main.ts binds it to Node.
 */
import { type OptionSpec, parseArgs, hasFlag } from './args';
import { COMMANDS, COMMON_OPTIONS, type Command, findCommand } from './commands';
import type { OutputFormat } from './format';
import { type CliIo, loadStudy, resolveFilter } from './study';

export const EXIT_OK = 0;
export const EXIT_USAGE = 2;

function optionHelp(specs: OptionSpec[]): string {
	const rows = specs.map((s) => [`--${s.name}${s.flag ? '' : ` ${s.valueName ?? 'VALUE'}`}`, s.help]);
	const w = Math.max(...rows.map((r) => r[0].length));
	return rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`).join('\n');
}

export function mainHelp(commands: Command[] = COMMANDS): string {
	const w = Math.max(...commands.map((c) => c.name.length));
	return [
		'gloss: analyse a Gloss study backup (.gloss.json) from the command line.',
		'',
		'Usage: gloss <command> FILE [options]',
		'',
		'Commands:',
		...commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
		'',
		'Options for every command:',
		optionHelp(COMMON_OPTIONS),
		'',
		'Run `gloss <command> --help` for a command’s own options.',
		'Exit codes: 0 done, 2 bad argument or bad file (or, with --strict, a file that needed repairs).',
		''
	].join('\n');
}

export function commandHelp(c: Command): string {
	return [
		`gloss ${c.name}: ${c.summary}`,
		'',
		`Usage: gloss ${c.name} ${c.usage}`,
		'',
		'Options:',
		optionHelp([...c.options, ...COMMON_OPTIONS]),
		''
	].join('\n');
}

export function runCli(argv: string[], io: CliIo, commands: Command[] = COMMANDS): number {
	const fail = (errors: string[], hint?: string) => {
		io.stderr(errors.map((e) => `gloss: ${e}\n`).join('') + (hint ? `${hint}\n` : ''));
		return EXIT_USAGE;
	};
	if (argv.length === 0) {
		io.stderr(mainHelp(commands));
		return EXIT_USAGE;
	}
	if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
		const sub = argv[0] === 'help' ? findCommand(argv.slice(1), commands) : null;
		io.stdout(sub ? commandHelp(sub.command) : mainHelp(commands));
		return EXIT_OK;
	}
	const found = findCommand(argv, commands);
	if (!found) {
		const known = commands.map((c) => c.name).join(', ');
		return fail([`unknown command ${JSON.stringify(argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' '))}; the commands are: ${known}`], 'Run `gloss --help` for usage.');
	}
	const { command, rest } = found;
	const parsed = parseArgs(rest, [...command.options, ...COMMON_OPTIONS]);
	if (!parsed.ok) return fail(parsed.errors, `Run \`gloss ${command.name} --help\` for usage.`);
	const args = parsed.value;
	if (hasFlag(args, 'help')) {
		io.stdout(commandHelp(command));
		return EXIT_OK;
	}
	if (args.positionals.length !== 1)
		return fail(
			[args.positionals.length === 0 ? 'no FILE given (a .gloss.json study backup)' : `expected one FILE, found ${args.positionals.length}: ${args.positionals.join(' ')}`],
			`Usage: gloss ${command.name} ${command.usage}`
		);
	const study = loadStudy(io, args.positionals[0]);
	if (!study.ok) return fail(study.errors);
	const { data, repairs } = study.value;
	if (repairs.length) {
		const file = args.positionals[0];
		io.stderr(
			`gloss: ${file}: ${repairs.length} repair${repairs.length === 1 ? '' : 's'} made while reading (as the app makes on restore):\n` +
				repairs.map((r) => `gloss: ${file}: ${r.message}\n`).join('')
		);
		if (hasFlag(args, 'strict')) return fail([`${file}: --strict: the file needed repairs; nothing was computed`]);
	}
	const filter = resolveFilter(data, {
		coders: args.options.get('coder') ?? [],
		documents: args.options.get('document') ?? [],
		where: args.options.get('where') ?? []
	});
	if (!filter.ok) return fail(filter.errors);
	const format = (args.options.get('format')?.[0] ?? command.defaultFormat ?? 'table') as OutputFormat;
	const out = command.run({ args, data, filter: filter.value, format, bom: hasFlag(args, 'bom') });
	if (!out.ok) return fail(out.errors, `Run \`gloss ${command.name} --help\` for usage.`);
	io.stdout(out.value);
	return EXIT_OK;
}
