/**
 * Argument parsing for the `gloss` command. Pure: argv in, a Result out.
 *
 * Options are `--name value`, `--name=value`, or `--flag`. Each command declares its options;
 * anything else is an error naming the option, so a typo never silently changes a table.
 */
import type { Result } from '../lib/core/types';

export interface OptionSpec {
	name: string;
	/** A flag takes no value. */
	flag?: boolean;
	/** May be given more than once (values collected in order). */
	repeatable?: boolean;
	/** Allowed values (checked case-insensitively; the canonical spelling is kept). */
	choices?: readonly string[];
	/** Shown in the help, e.g. `NAME`. */
	valueName?: string;
	help: string;
}

export interface ParsedArgs {
	positionals: string[];
	/** Values by option name; flags hold `['true']`. */
	options: Map<string, string[]>;
}

export function parseArgs(argv: string[], specs: OptionSpec[]): Result<ParsedArgs> {
	const byName = new Map(specs.map((s) => [s.name, s]));
	const options = new Map<string, string[]>();
	const positionals: string[] = [];
	const errors: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--') {
			positionals.push(...argv.slice(i + 1));
			break;
		}
		if (!a.startsWith('-') || a === '-') {
			positionals.push(a);
			continue;
		}
		const eq = a.indexOf('=');
		const name = (eq >= 0 ? a.slice(0, eq) : a).replace(/^--?/, '');
		const spec = byName.get(name);
		if (!spec || !a.startsWith('--')) {
			errors.push(`unknown option ${eq >= 0 ? a.slice(0, eq) : a}`);
			continue;
		}
		let value: string;
		if (spec.flag) {
			if (eq >= 0) {
				errors.push(`--${name} takes no value`);
				continue;
			}
			value = 'true';
		} else if (eq >= 0) value = a.slice(eq + 1);
		else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
		else {
			errors.push(`--${name} needs a value${spec.valueName ? ` (${spec.valueName})` : ''}`);
			continue;
		}
		if (spec.choices) {
			const hit = spec.choices.find((c) => c.toLowerCase() === value.toLowerCase());
			if (!hit) {
				errors.push(`--${name}: expected one of ${spec.choices.join(', ')}, found ${JSON.stringify(value)}`);
				continue;
			}
			value = hit;
		}
		const prev = options.get(name);
		if (prev && !spec.repeatable) {
			errors.push(`--${name} given more than once`);
			continue;
		}
		options.set(name, [...(prev ?? []), value]);
	}
	if (errors.length) return { ok: false, errors };
	return { ok: true, value: { positionals, options } };
}

/** The one value of an option, or the fallback. */
export const optionValue = (p: ParsedArgs, name: string, fallback: string): string => p.options.get(name)?.[0] ?? fallback;
export const optionValues = (p: ParsedArgs, name: string): string[] => p.options.get(name) ?? [];
export const hasFlag = (p: ParsedArgs, name: string): boolean => p.options.has(name);
