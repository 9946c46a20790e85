#!/usr/bin/env node
/**
 * Serve a static build with the SPA fallback, as a static host would: `node scripts/serve-static.mjs DIR PORT`.
 * Any path that is not a file gets DIR/index.html (adapter-static's fallback), so /join and
 * /study/… open. Used by `npm run test:sync` for the build made with the sync servers' origins.
 */
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const [dirArg = 'build', portArg = '4186', host = '127.0.0.1'] = process.argv.slice(2);
const root = resolve(dirArg);
const types = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json',
	'.webmanifest': 'application/manifest+json',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.ico': 'image/x-icon',
	'.woff2': 'font/woff2',
	'.txt': 'text/plain; charset=utf-8',
	'.wasm': 'application/wasm'
};

async function file(p) {
	try {
		const s = await stat(p);
		return s.isFile() ? p : null;
	} catch {
		return null;
	}
}

createServer(async (req, res) => {
	const url = new URL(req.url ?? '/', 'http://x');
	let path;
	try {
		path = normalize(decodeURIComponent(url.pathname));
	} catch {
		res.writeHead(400).end();
		return;
	}
	const target = resolve(join(root, path));
	const found = target.startsWith(root) ? ((await file(target)) ?? (await file(join(target, 'index.html')))) : null;
	const p = found ?? join(root, 'index.html');
	try {
		const body = await readFile(p);
		res.writeHead(200, { 'content-type': types[extname(p)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
		res.end(body);
	} catch {
		res.writeHead(404).end('not found');
	}
}).listen(Number(portArg), host, () => console.log(`serving ${root} on http://${host}:${portArg}`));
