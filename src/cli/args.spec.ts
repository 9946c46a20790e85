import { describe, expect, it } from 'vitest';
import { type OptionSpec, parseArgs } from './args';
import { findCommand } from './commands';
import { formatTextTable } from './format';

const specs: OptionSpec[] = [
	{ name: 'format', choices: ['table', 'csv', 'json'], help: '' },
	{ name: 'by', repeatable: true, help: '' },
	{ name: 'bom', flag: true, help: '' }
];

describe('parseArgs', () => {
	it('reads positionals, --name value, --name=value, flags and repeats', () => {
		const r = parseArgs(['f.json', '--by', 'City', '--by=Sector', '--format', 'CSV', '--bom'], specs);
		expect(r).toEqual({
			ok: true,
			value: {
				positionals: ['f.json'],
				options: new Map([
					['by', ['City', 'Sector']],
					['format', ['csv']],
					['bom', ['true']]
				])
			}
		});
	});

	it('names unknown options, missing values, bad choices and repeats', () => {
		expect(parseArgs(['--colour', 'red'], specs)).toEqual({ ok: false, errors: ['unknown option --colour'] });
		expect(parseArgs(['-x'], specs)).toEqual({ ok: false, errors: ['unknown option -x'] });
		expect(parseArgs(['--by'], specs)).toEqual({ ok: false, errors: ['--by needs a value'] });
		expect(parseArgs(['--format', 'xml'], specs)).toEqual({
			ok: false,
			errors: ['--format: expected one of table, csv, json, found "xml"']
		});
		expect(parseArgs(['--format', 'csv', '--format', 'json'], specs)).toEqual({ ok: false, errors: ['--format given more than once'] });
		expect(parseArgs(['--bom=yes'], specs)).toEqual({ ok: false, errors: ['--bom takes no value'] });
	});
});

describe('findCommand', () => {
	it('matches one- and two-word commands', () => {
		expect(findCommand(['export', 'matrix', 'f'])?.command.name).toBe('export matrix');
		expect(findCommand(['crosstab', 'f', '--by', 'x'])?.rest).toEqual(['f', '--by', 'x']);
		expect(findCommand(['export', 'codes'])).toBeNull();
		expect(findCommand(['nope'])).toBeNull();
	});
});

describe('formatTextTable', () => {
	it('aligns columns, numbers to the right, and keeps each row on one line', () => {
		expect(
			formatTextTable({
				header: ['code', 'n'],
				rows: [
					['A > B', 12],
					['line\nbreak', 3]
				]
			})
		).toBe('code         n\n----------  --\nA > B       12\nline break   3\n');
	});
});
