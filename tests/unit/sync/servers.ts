/**
 * The sync server the engine's node tests and benches talk to: by default a small in-process
 * stand-in with the same contract (mini-server.ts: Hocuspocus, `accessFor`, the HTTP API, memory),
 * which starts in milliseconds; with `GLOSS_SYNC_TEST_SERVER=real`, the real one (src/server,
 * PGlite in a temporary folder; its first start runs initdb, 2–25 s on this machine).
 * Both can be stopped and started again on the same port with the same stored documents.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgliteSql } from '../../../src/server/drivers';
import { startServer, type SyncServer } from '../../../src/server/server';
import { Store } from '../../../src/server/store';
import { MiniStore, startMiniServer } from './mini-server';

export interface TestServer {
	url: string;
	/** Log lines (the real server's), to check what was asked for and refused. */
	logs: string[];
	adminToken(): Promise<string>;
	stop(): Promise<void>;
	start(): Promise<void>;
	/** Stop for good and remove its data. */
	dispose(): Promise<void>;
}

export const REAL_SERVER = process.env.GLOSS_SYNC_TEST_SERVER === 'real';

export async function testServer(port: number): Promise<TestServer> {
	if (!REAL_SERVER) {
		const store = new MiniStore();
		let s: Awaited<ReturnType<typeof startMiniServer>> | null = await startMiniServer(port, store);
		return {
			url: s.url,
			logs: store.log,
			adminToken: async () => store.adminToken(),
			async stop() {
				await s?.stop();
				s = null;
			},
			async start() {
				s = await startMiniServer(port, store);
			},
			async dispose() {
				await s?.stop();
				s = null;
			}
		};
	}
	const dir = mkdtempSync(join(tmpdir(), 'gloss-engine-spec-'));
	const logs: string[] = [];
	let store: Store | null = null;
	let server: SyncServer | null = null;
	const start = async () => {
		store = new Store(await pgliteSql(dir));
		await store.init();
		server = await startServer({ store, port, name: `engine-spec-${port}`, log: (l) => logs.push(l), debounce: 50 });
	};
	const stop = async () => {
		await server?.close();
		await store?.close();
		server = null;
		store = null;
	};
	await start();
	return {
		url: `ws://127.0.0.1:${port}`,
		logs,
		adminToken: () => store!.createShareToken('engine test'),
		stop,
		start,
		async dispose() {
			await stop();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
