/** When the database is unreachable, the server refuses with a reason and answers the API with 500. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { API, docName } from '../lib/core/sync/protocol';
import { startServer, type SyncServer } from './server';
import { Store, type Sql } from './store';
import { api, connectDoc, studySocket } from './testkit';

const PORT = Number(process.env.SYNC_SPEC_PORT_2 ?? 1242);
const down: Sql = {
	query: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
	transaction: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
	close: async () => {}
};
let server: SyncServer;
const logs: string[] = [];

beforeAll(async () => {
	server = await startServer({ store: new Store(down), port: PORT, name: 'down', log: (l) => logs.push(l) });
});
afterAll(() => server.close());

it('refuses connections with a reason and logs the storage error when the database is down', async () => {
	const c = connectDoc(studySocket(server.url, 's'), docName({ kind: 'shared', studyId: 's' }), 'A'.repeat(43));
	expect(await c.ready).toEqual({ ok: false, reason: 'the server cannot reach its storage; try again later' });
	c.close();
	expect(logs.some((l) => l.includes('error doc=gloss/s/shared reason="storage: connect ECONNREFUSED'))).toBe(true);
	expect(await api(server.httpUrl, API.me, { token: 'x' })).toEqual({ status: 500, body: { error: 'internal error' } });
});
