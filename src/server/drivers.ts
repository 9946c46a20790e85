/** The two SQL drivers behind `Store`: PGlite in a data folder, and PostgreSQL through `pg`. */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Sql } from './store';

type Rows = { rows: Record<string, unknown>[] };

/** The embedded default: PGlite keeps a whole PostgreSQL in one folder. One process at a time. */
export async function pgliteSql(dataDir: string, opts: { template?: Blob } = {}): Promise<Sql & { dump(): Promise<Blob> }> {
	const { PGlite } = await import('@electric-sql/pglite');
	const dir = resolve(dataDir, 'pg');
	const fresh = !existsSync(dir);
	mkdirSync(dir, { recursive: true });
	// A new folder may start from a dump (tests: skips initdb, which takes seconds).
	const db = await PGlite.create({ dataDir: dir, loadDataDir: fresh ? opts.template : undefined });
	// PGlite runs one statement at a time; a transaction holds it until it ends.
	return {
		async query<T>(text: string, params?: unknown[]) {
			const r = (await db.query(text, params)) as Rows;
			return r.rows as T[];
		},
		transaction(fn) {
			return db.transaction((tx) =>
				fn({
					async query<T>(text: string, params?: unknown[]) {
						const r = (await tx.query(text, params)) as Rows;
						return r.rows as T[];
					}
				})
			);
		},
		close: () => db.close(),
		dump: () => db.dumpDataDir('none')
	};
}

/** Scale-out: a PostgreSQL server that several Gloss sync servers share. */
export async function postgresSql(url: string): Promise<Sql> {
	const pg = (await import('pg')).default;
	const pool = new pg.Pool({ connectionString: url, max: 10 });
	// Fail now, with the reason, rather than on the first connection.
	const c = await pool.connect();
	c.release();
	const conv = (r: Record<string, unknown>[]) =>
		r.map((row) => {
			for (const k in row) if (Buffer.isBuffer(row[k])) row[k] = new Uint8Array(row[k] as Buffer);
			return row;
		});
	return {
		async query<T>(text: string, params?: unknown[]) {
			const r = await pool.query(text, params as unknown[]);
			return conv(r.rows) as T[];
		},
		async transaction(fn) {
			const client = await pool.connect();
			try {
				await client.query('BEGIN');
				const out = await fn({
					async query<T>(text: string, params?: unknown[]) {
						const r = await client.query(text, params as unknown[]);
						return conv(r.rows) as T[];
					}
				});
				await client.query('COMMIT');
				return out;
			} catch (e) {
				await client.query('ROLLBACK').catch(() => {});
				throw e;
			} finally {
				client.release();
			}
		},
		close: () => pool.end()
	};
}

export function makeDataDir(dir: string): string {
	const d = resolve(dir);
	mkdirSync(d, { recursive: true });
	return d;
}
