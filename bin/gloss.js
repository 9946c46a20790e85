#!/usr/bin/env node
// The `gloss` command: starts the bundle built by `npm run build` (build-cli/gloss.mjs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../build-cli/gloss.mjs', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
	process.stderr.write(
		'gloss: the command is not built yet (build-cli/gloss.mjs is missing).\n' +
			'Run `npm run build` (or `npm run build:cli`) in the Gloss folder first.\n'
	);
	process.exit(2);
}
await import(bundle.href);
