/**
 * The `gloss` subcommands, as a table. To add one (e.g. `gloss agreement`), append a `Command`
 * to `COMMANDS`: its name (one or two words), a summary and usage for the help, its own options
 * (the common ones below are added for you), and `run`, which returns the text to print or
 * errors (exit code 2). `run` gets the parsed arguments and the loaded study.
 */
import { cooccurrence } from '../lib/core/analysis/cooccurrence';
import { crosstab, type CountUnit } from '../lib/core/analysis/crosstab';
import { attributeTest, crosstabTests, summaryLines } from '../lib/core/analysis/crosstab-tests';
import type { Adjustment } from '../lib/core/analysis/stats';
import type { AnalysisFilter } from '../lib/core/analysis/filter';
import { frequencies, type FrequencySort } from '../lib/core/analysis/frequencies';
import { codeCaseMatrix } from '../lib/core/analysis/matrix';
import { type CrosstabShow, cooccurrenceTable, crosstabTable, frequencyTable, matrixTable } from '../lib/core/analysis/tables';
import { codebookCsv, codesToCodebookJson } from '../lib/core/codebook';
import { type Cell, parseCsv } from '../lib/core/csv';
import { segmentsCsv, segmentsHeader, segmentsRows } from '../lib/core/exports';
import type { Result, StudyData } from '../lib/core/types';
import { type OptionSpec, type ParsedArgs, hasFlag, optionValue, optionValues } from './args';
import { OUTPUT_FORMATS, type OutputFormat, formatOutput, formatTextTable, tableObjects } from './format';
import { resolveAttribute } from './study';
import { AGREEMENT_COMMAND } from './agreement';

export interface CommandInput {
	args: ParsedArgs;
	data: StudyData;
	filter: AnalysisFilter;
	format: OutputFormat;
	bom: boolean;
}

export interface Command {
	/** One or two words: `frequencies`, `export segments`. */
	name: string;
	summary: string;
	/** What follows the name in the usage line. */
	usage: string;
	options: OptionSpec[];
	/** The default output format when --format is not given. */
	defaultFormat?: OutputFormat;
	run(input: CommandInput): Result<string>;
}

/** Options every command takes. */
export const COMMON_OPTIONS: OptionSpec[] = [
	{ name: 'format', choices: OUTPUT_FORMATS, valueName: 'table|csv|json', help: 'output format (default: table)' },
	{ name: 'coder', repeatable: true, valueName: 'NAME', help: 'only this coder’s segments (repeatable)' },
	{ name: 'document', repeatable: true, valueName: 'NAME', help: 'only this document (repeatable)' },
	{
		name: 'where',
		repeatable: true,
		valueName: 'ATTR=VALUE',
		help: 'only cases with this attribute value (repeatable; empty VALUE = no value)'
	},
	{ name: 'bom', flag: true, help: 'start CSV output with a byte-order mark (for Excel)' },
	{ name: 'strict', flag: true, help: 'exit 2 if the file needed any repair (repairs are always listed on stderr)' },
	{ name: 'help', flag: true, help: 'show help for the command' }
];

const NO_ROLLUP: OptionSpec = { name: 'no-rollup', flag: true, help: 'do not count descendants’ segments for parent codes' };

export const COMMANDS: Command[] = [
	{
		name: 'frequencies',
		summary: 'segments, documents and cases per code, with % of cases',
		usage: 'FILE [--sort codebook|segments|documents|cases] [--per-coder] [--no-rollup]',
		options: [
			{ name: 'sort', choices: ['codebook', 'segments', 'documents', 'cases'], valueName: 'ORDER', help: 'row order (default: codebook)' },
			{ name: 'per-coder', flag: true, help: 'add segments/documents/cases/percent_cases columns per coder' },
			NO_ROLLUP
		],
		run({ args, data, filter, format, bom }) {
			const r = frequencies(data, filter, {
				sort: optionValue(args, 'sort', 'codebook') as FrequencySort,
				includeDescendants: !hasFlag(args, 'no-rollup')
			});
			return { ok: true, value: formatOutput(format, frequencyTable(r, { perCoder: hasFlag(args, 'per-coder') }), r, { bom }) };
		}
	},
	{
		name: 'crosstab',
		summary: 'codes × values of one attribute, or of two nested',
		usage: 'FILE --by ATTRIBUTE [--by ATTRIBUTE] [--count cases|segments|documents] [--percent row|column] [--tests [--adjust holm|bh]] [--no-rollup]',
		options: [
			{ name: 'tests', flag: true, help: 'per code: test of cited / not cited × value (Fisher’s exact when any expected count < 5, else chi-square), p, Cramér’s V' },
			{ name: 'yates', flag: true, help: 'with --tests: Yates’ correction for 2 × 2 tables (an attribute with two values) led by the chi-square' },
			{ name: 'adjust', choices: ['none', 'holm', 'bh'], valueName: 'holm|bh', help: 'with --tests: adjust p over the codes (Holm or Benjamini–Hochberg; default none)' },
			{ name: 'by', repeatable: true, valueName: 'ATTRIBUTE', help: 'attribute for the columns, by name (once, or twice to nest)' },
			{ name: 'count', choices: ['cases', 'segments', 'documents'], valueName: 'UNIT', help: 'what a cell counts (default: cases)' },
			{ name: 'percent', choices: ['row', 'column'], valueName: 'row|column', help: 'show row or column percentages instead of counts' },
			NO_ROLLUP
		],
		run({ args, data, filter, format, bom }) {
			const names = optionValues(args, 'by');
			if (names.length === 0) return { ok: false, errors: ['--by ATTRIBUTE is required (e.g. --by City)'] };
			if (names.length > 2) return { ok: false, errors: ['--by: at most two attributes (nested columns)'] };
			const errors: string[] = [];
			const by: string[] = [];
			for (const n of names) {
				const a = resolveAttribute(data, n);
				if (a.ok) by.push(a.value.id);
				else errors.push(...a.errors);
			}
			if (by.length === 2 && by[0] === by[1]) errors.push('--by: the two attributes must differ');
			const withTests = hasFlag(args, 'tests');
			if (args.options.has('adjust') && !withTests) errors.push('--adjust needs --tests');
			if (hasFlag(args, 'yates') && !withTests) errors.push('--yates needs --tests');
			if (withTests && optionValue(args, 'count', 'cases') === 'segments')
				errors.push('--tests needs --count cases or documents: a segment count has no “not cited”');
			if (errors.length) return { ok: false, errors };
			const r = crosstab(data, filter, {
				by,
				count: optionValue(args, 'count', 'cases') as CountUnit,
				includeDescendants: !hasFlag(args, 'no-rollup')
			});
			const pct = args.options.get('percent')?.[0];
			const show: CrosstabShow = pct === 'row' ? 'rowPercent' : pct === 'column' ? 'columnPercent' : 'count';
			// At the document level (a document attribute such as Wave) a terminal table says how cases count.
			const levelNote =
				r.level === 'document' && r.count === 'cases'
					? `Counted at the document level: a case counts once under each ${r.by.filter((b) => b.scope === 'document').map((b) => b.name).join(' and ')} of the documents in which it cites the code.\n`
					: '';
			if (!withTests) return { ok: true, value: formatOutput(format, crosstabTable(r, { show }), r, { bom }) + (format === 'table' ? levelNote : '') };
			const tests = crosstabTests(r, { adjust: optionValue(args, 'adjust', 'none') as Adjustment, yates: hasFlag(args, 'yates') });
			const table = crosstabTable(r, { show, tests });
			// Nested: also the two attributes against each other (r × c over the cases).
			const nestedTest = by.length === 2 ? attributeTest(data, filter, by[0], by[1]) : null;
			if (format === 'table') {
				// A terminal: p and V rounded, and the plain-language lines below the table.
				const round = (v: Cell, d: number): Cell => (typeof v === 'number' ? Number(v.toPrecision(d)) : v);
				const ip = table.header.indexOf('p');
				const shown = { header: table.header.slice(0, -1), rows: table.rows.map((row) => row.slice(0, -1).map((v, i) => (i >= ip - 2 ? round(v, 4) : v))) };
				const lines = [...summaryLines(tests), ...(nestedTest ? [nestedTest.sentence] : [])];
				return { ok: true, value: formatTextTable(shown) + '\n' + lines.join('\n') + '\n' + levelNote };
			}
			return { ok: true, value: formatOutput(format, table, { ...r, tests, ...(nestedTest ? { attributeTest: nestedTest } : {}) }, { bom }) };
		}
	},
	{
		name: 'cooccurrence',
		summary: 'code × code: overlapping passages, or documents or cases with both',
		usage: 'FILE [--mode overlap|documents|cases] [--rollup]',
		options: [
			{ name: 'mode', choices: ['overlap', 'documents', 'cases'], valueName: 'MODE', help: 'what a cell counts (default: overlap)' },
			{ name: 'rollup', flag: true, help: 'count descendants’ segments for parent codes' }
		],
		run({ args, data, filter, format, bom }) {
			const r = cooccurrence(data, filter, {
				mode: optionValue(args, 'mode', 'overlap') as 'overlap' | 'documents' | 'cases',
				includeDescendants: hasFlag(args, 'rollup')
			});
			return { ok: true, value: formatOutput(format, cooccurrenceTable(r), r, { bom }) };
		}
	},
	{
		name: 'export segments',
		summary: 'every coded segment, one row each (CSV by default)',
		usage: 'FILE [--format csv|json|table]',
		options: [],
		defaultFormat: 'csv',
		run({ data, filter, format, bom }) {
			if (format === 'csv') return { ok: true, value: segmentsCsv(data, filter, { bom }) };
			const table = { header: segmentsHeader(data), rows: segmentsRows(data, filter) };
			return { ok: true, value: format === 'json' ? JSON.stringify(tableObjects(table), null, 2) + '\n' : formatTextTable(table) };
		}
	},
	{
		name: 'export matrix',
		summary: 'the code × case matrix, one row per case (CSV by default)',
		usage: 'FILE [--binary] [--no-rollup]',
		options: [{ name: 'binary', flag: true, help: '1 when the case has the code, else 0 (default: segment counts)' }, NO_ROLLUP],
		defaultFormat: 'csv',
		run({ args, data, filter, format, bom }) {
			const m = codeCaseMatrix(data, filter, { includeDescendants: !hasFlag(args, 'no-rollup') });
			return { ok: true, value: formatOutput(format, matrixTable(m, data.attributes, { binary: hasFlag(args, 'binary') }), m, { bom }) };
		}
	},
	{
		name: 'export codebook',
		summary: 'the codebook: CSV (one row per code) or Gloss codebook JSON',
		usage: 'FILE [--format csv|json|table]',
		options: [],
		defaultFormat: 'csv',
		run({ data, format, bom }) {
			if (format === 'json') return { ok: true, value: codesToCodebookJson(data.codes, data.study.name, data.study.description) };
			const text = codebookCsv(data.codes, { bom });
			if (format === 'csv') return { ok: true, value: text };
			const t = parseCsv(text);
			return t.ok ? { ok: true, value: formatTextTable(t.value) } : { ok: false, errors: t.errors };
		}
	},
	AGREEMENT_COMMAND
];

/** The command named by the first one or two words of argv, and the rest of argv. */
export function findCommand(argv: string[], commands: Command[] = COMMANDS): { command: Command; rest: string[] } | null {
	for (const c of [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length)) {
		const words = c.name.split(' ');
		if (words.every((w, i) => argv[i] === w)) return { command: c, rest: argv.slice(words.length) };
	}
	return null;
}
