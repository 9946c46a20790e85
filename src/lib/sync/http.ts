/** Calls to the sync server's HTTP API (core/sync/protocol.ts `API`), answered as `Result`s. */
import { httpBase } from '../core/sync/protocol';
import type { Result } from '../core/types';

export async function apiCall<T>(server: string, path: string, token: string, method = 'GET', body?: unknown): Promise<Result<T>> {
	const base = httpBase(server);
	let res: Response;
	try {
		res = await fetch(base + path, {
			method,
			headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
	} catch (e) {
		return { ok: false, errors: [`The sync server at ${base} cannot be reached (${e instanceof Error ? e.message : String(e)}).`] };
	}
	let json: unknown = null;
	try {
		const text = await res.text();
		json = text ? JSON.parse(text) : null;
	} catch {
		json = null;
	}
	if (!res.ok) {
		const reason = json && typeof json === 'object' && typeof (json as { error?: unknown }).error === 'string' ? (json as { error: string }).error : `HTTP ${res.status}`;
		return { ok: false, errors: [`The sync server refused: ${reason}.`] };
	}
	return { ok: true, value: json as T };
}
