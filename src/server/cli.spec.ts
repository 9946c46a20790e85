import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './cli';

const bad = (argv: string[]) => {
	try {
		parseArgs(argv);
	} catch (e) {
		expect(e).toBeInstanceOf(UsageError);
		return (e as Error).message;
	}
	throw new Error(`accepted ${argv.join(' ')}`);
};

describe('server command line', () => {
	it('reads the server flags and the admin subcommands', () => {
		expect(parseArgs([])).toEqual({ command: 'serve', flags: {} });
		expect(parseArgs(['--host', '0.0.0.0', '--port=1240', '--postgres', 'postgres://u@h/db', '--redis', 'redis://h:6391', '--name', 'a'])).toEqual({
			command: 'serve',
			flags: { host: '0.0.0.0', port: '1240', postgres: 'postgres://u@h/db', redis: 'redis://h:6391', name: 'a' }
		});
		expect(parseArgs(['invite', '--study', 's', '--role', 'coder', '--name', 'Alice', '--coder', 'c1', '--app', 'https://app'])).toEqual({
			command: 'invite',
			flags: { study: 's', role: 'coder', name: 'Alice', coder: 'c1', app: 'https://app' }
		});
		expect(parseArgs(['admin-token', '--label', 'for Ana', '--data', '/d']).flags).toEqual({ label: 'for Ana', data: '/d' });
	});

	it('refuses bad flags with one line', () => {
		expect(bad(['--prot', '1'])).toBe('unknown flag --prot for the server');
		expect(bad(['--port', 'x'])).toBe('--port must be a number, got "x"');
		expect(bad(['--port'])).toBe('--port needs a value');
		expect(bad(['--data', 'd', '--postgres', 'postgres://x'])).toBe('give --data or --postgres, not both');
		expect(bad(['--redis', 'http://x'])).toBe('--redis: expected redis://host:port, got http://x');
		expect(bad(['frobnicate'])).toContain('unknown command "frobnicate"');
		expect(bad(['invite', '--study', 's', '--name', 'A'])).toBe('invite needs --role');
		expect(bad(['invite', '--study', 's', '--name', 'A', '--role', 'boss'])).toBe('--role must be one of supervisor, coder, viewer');
		expect(bad(['invite', '--study', 's', '--name', 'A', '--role', 'coder'])).toBe('a coder needs --coder ID (the coder record they code as)');
		expect(bad(['revoke', '--study', 's'])).toBe('revoke needs --member');
		expect(bad(['members', '--study', 's', '--label', 'x'])).toBe('unknown flag --label for members');
	});

	it('exits 2 with one line on bad flags', () => {
		const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--bogus'], { encoding: 'utf8' });
		expect(r.status).toBe(2);
		expect(r.stderr.trim().split('\n')).toEqual(['gloss server: unknown flag --bogus for the server']);
	});
});
