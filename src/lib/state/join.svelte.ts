/**
 * Joining a shared study from an invitation link (`/join#server=…&study=…&token=…`): read the
 * fragment, ask the server who the token is (`/api/me`: study name and role), then join through
 * the engine. Made by the /join page during its initialisation.
 */
import { API, httpBase, parseJoinFragment, type JoinLink, type WhoAmI } from '../core/sync/protocol';
import type { GlossDB } from '../db/db';
import { getSyncLink, joinStudy, type SyncProgress } from '../sync';

export type JoinPhase = 'checking' | 'ready' | 'joining' | 'joined' | 'failed';

/** What the server's refusal of a token means to the person who opened the link. */
export function refusalMessage(reason: string): string {
	const r = reason.toLowerCase();
	if (r.includes('revoked')) return 'This invitation was revoked. Ask your supervisor for a new link.';
	if (r.includes('unknown')) return 'The sync server does not know this invitation. Check that you copied the whole link, or ask for a new one.';
	return `The sync server refused this invitation: ${reason}`;
}

export function unreachableMessage(server: string): string {
	return `The sync server ${server} does not answer. Check that you are online, or ask your supervisor whether the server is running.`;
}

export class JoinState {
	readonly db: GlossDB;
	readonly link: JoinLink | null;
	phase = $state<JoinPhase>('checking');
	error = $state<string | null>(null);
	who = $state<WhoAmI | null>(null);
	/** The study is already in this browser through this link. */
	already = $state(false);
	progress = $state<SyncProgress | null>(null);
	studyId = $state<string | null>(null);

	constructor(db: GlossDB, fragment: string) {
		this.db = db;
		const parsed = parseJoinFragment(fragment);
		if ('error' in parsed) {
			this.link = null;
			this.phase = 'failed';
			this.error = `${parsed.error} Open the whole link you were sent.`;
		} else this.link = parsed;
	}

	/** Ask the server who this invitation is for. */
	async check(): Promise<void> {
		const link = this.link;
		if (!link) return;
		this.phase = 'checking';
		let res: Response;
		try {
			res = await fetch(httpBase(link.server) + API.me, { headers: { Authorization: `Bearer ${link.token}` }, cache: 'no-store' });
		} catch {
			this.fail(unreachableMessage(link.server));
			return;
		}
		let body: unknown = null;
		try {
			body = await res.json();
		} catch {
			/* not JSON: said below */
		}
		if (!res.ok) {
			const reason = body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : `HTTP ${res.status}`;
			this.fail(res.status === 401 || res.status === 403 ? refusalMessage(reason) : `The sync server answered with an error: ${reason}`);
			return;
		}
		const who = body as WhoAmI;
		if (!who?.member || !who?.study || typeof who.study.name !== 'string') {
			this.fail(`${link.server} did not answer as a Gloss sync server.`);
			return;
		}
		this.who = who;
		const existing = await getSyncLink(this.db, who.study.studyId).catch(() => undefined);
		this.already = !!existing && existing.token === link.token;
		if (this.already) this.studyId = who.study.studyId;
		this.phase = 'ready';
	}

	/** Join: the study lands in this browser. Returns the study id, or null (see `error`). */
	async join(): Promise<string | null> {
		const link = this.link;
		if (!link) return null;
		this.phase = 'joining';
		this.error = null;
		this.progress = { step: 'Connecting to the sync server' };
		const r = await joinStudy(this.db, link, (p) => (this.progress = p)).catch((e: unknown) => ({
			ok: false as const,
			errors: [e instanceof Error ? e.message : String(e)]
		}));
		this.progress = null;
		if (!r.ok) {
			this.phase = 'ready';
			this.error = r.errors.join(' ');
			return null;
		}
		this.phase = 'joined';
		this.studyId = r.value.studyId;
		return r.value.studyId;
	}

	private fail(msg: string) {
		this.phase = 'failed';
		this.error = msg;
	}
}
