/**
 * A study's sharing: its link to a sync server (who this browser is there: role, member, blind
 * coding) and the live sync status, for the study's lifetime.
 *
 * Created once per study by the study layout (StudyShell), beside the StudySession, and handed
 * down as a context (`getSyncState()`). When the study has a sync link it starts the engine's
 * `StudySync` and stops it when the study closes; it tells the session who codes here
 * (`session.setMember`), so a coder member codes as their coder and a viewer reads only.
 *
 *   const sync = getSyncState();
 *   sync.shared                 // the study has a sync link
 *   sync.status                 // SyncStatus from the engine, null for a local study
 *   statusLabel(sync.status)    // "Synced", "Syncing 3 changes", "Offline · 2 waiting", "Refused: why"
 *
 * The sync engine (Yjs, the Hocuspocus provider: `$lib/sync`) is loaded only when it is needed (a
 * shared study open, or sharing asked for), so a local study's pages never evaluate it.
 */
import { getContext, setContext, untrack } from 'svelte';
import type { Result } from '../core/types';
import type { Member, Role, StudySettings } from '../core/sync/protocol';
import type { SyncLink, SyncProgress, SyncStatus } from '../sync';
import { studyCounts, type StudyCounts } from '../db/studies';
import { getLink } from '../db/sync';
import { Live } from './live.svelte';
import type { StudySession } from './session.svelte';

/** One line per role, as the invitation dialog explains them. */
export const ROLE_HELP: Record<Role, string> = {
	supervisor: 'Reads everything, edits the codebook and settles disagreements.',
	coder: 'Codes as themselves; sees the others’ coding unless blind coding is on.',
	viewer: 'Reads everything; cannot code or edit.'
};

/** What the header says about a shared study's sync. */
export function statusLabel(s: SyncStatus | null): string {
	if (!s) return '';
	switch (s.kind) {
		case 'connecting':
			return 'Connecting…';
		case 'synced':
			return 'Synced';
		case 'syncing':
			return s.pending > 0 ? `Syncing ${s.pending} ${s.pending === 1 ? 'change' : 'changes'}` : 'Syncing…';
		case 'offline':
			return `Offline · ${s.pending} waiting`;
		case 'refused':
			return `Refused: ${refusalWords(s.reason)}`;
	}
}

/** A server's or the engine's refusal, in a few plain words for the header. */
export function refusalWords(reason: string): string {
	const r = reason
		.replace(/^The sync server refused( this study)?:\s*/i, '')
		.replace(/\.$/, '')
		.trim();
	if (/^revoked$/i.test(r)) return 'your access was revoked';
	if (/^unknown token$/i.test(r)) return 'the server does not know your invitation';
	if (/^read-only/i.test(r)) return 'read-only, your change was undone';
	return r;
}

/** A failed share, invitation or join, said so the person knows what to do. */
export function explainError(err: string, server?: string): string {
	if (/cannot be reached/.test(err)) return `The sync server ${server ?? ''} does not answer. Check the address, and that you are online.`.replace('  ', ' ');
	if (/unknown share token/.test(err)) return 'The server does not know this share token. Check it, or ask the server’s administrator for a new one.';
	if (/share token was already used/.test(err)) return 'This share token was already used. Ask the server’s administrator for a new one.';
	if (/already shared on this server/.test(err)) return 'This study is already shared on this server.';
	if (/refused: revoked/.test(err)) return 'Your access to this study was revoked.';
	return err;
}

/** The sync engine's module, loaded once on first use. */
let engine: Promise<typeof import('../sync')> | null = null;
function loadEngine(): Promise<typeof import('../sync')> {
	engine ??= import('../sync').catch((e: unknown) => {
		engine = null;
		throw e;
	});
	return engine;
}
const failed = (e: unknown): { ok: false; errors: string[] } => ({ ok: false, errors: [e instanceof Error ? e.message : String(e)] });

export class SyncState {
	readonly session: StudySession;
	#link: Live<SyncLink | null | undefined, number>;
	/** Bumped after this window changes the link (share, blind), so it is read again. */
	#version = $state(0);
	#status = $state<SyncStatus | null>(null);
	/** Sharing uploads now: the engine starts once the upload is done, not beside it. */
	#sharing = $state(false);

	/** The Sharing panel (members, invitations) is open. */
	panelOpen = $state(false);
	/** The Share dialog is open. */
	shareOpen = $state(false);

	members = $state<Member[]>([]);
	membersError = $state<string | null>(null);
	membersLoading = $state(false);

	constructor(session: StudySession) {
		this.session = session;
		const { db, studyId } = session;
		this.#link = new Live(async () => (await getLink(db, studyId)) ?? null, undefined, () => this.#version);

		// The engine runs while the study is shared and open (not restarted when the link's settings change).
		const shared = $derived(!!this.#link.current && !this.#sharing);
		$effect(() => {
			if (!shared) {
				this.#status = null;
				return;
			}
			let live = true;
			let stop: (() => void) | null = null;
			const refuse = (e: unknown) => {
				if (live) this.#status = { kind: 'refused', reason: e instanceof Error ? e.message : String(e) };
			};
			loadEngine().then(({ StudySync }) => {
				if (!live) return;
				const sync = new StudySync(db, studyId);
				const off = sync.subscribe((s) => {
					if (live) this.#status = s;
				});
				sync.start().catch(refuse);
				stop = () => {
					off();
					sync.stop();
				};
			}, refuse);
			return () => {
				live = false;
				stop?.();
			};
		});

		// The membership decides who codes here.
		$effect(() => {
			const link = this.#link.current;
			session.setMember(link ? { role: link.member.role, coderId: link.member.coderId } : null);
			// a coder in a blind study sees only their own coding, on every screen
			if (link?.study.blind && link.member.role === 'coder') untrack(() => !session.blind && (session.blind = true));
		});
	}

	/** The sync link; undefined while loading, null for a local study. */
	get link(): SyncLink | null | undefined {
		return this.#link.current;
	}
	get shared(): boolean {
		return !!this.#link.current;
	}
	get status(): SyncStatus | null {
		return this.#status;
	}
	get label(): string {
		return statusLabel(this.#status);
	}
	get member(): Member | null {
		return this.#link.current?.member ?? null;
	}
	get role(): Role | null {
		return this.member?.role ?? null;
	}
	get settings(): StudySettings | null {
		return this.#link.current?.study ?? null;
	}
	get blind(): boolean {
		return this.settings?.blind ?? false;
	}
	get isSupervisor(): boolean {
		return this.role === 'supervisor';
	}

	/** What sharing would upload, counted now. */
	uploadCounts(): Promise<StudyCounts> {
		return studyCounts(this.session.db, this.session.studyId);
	}

	/** Share this local study to a server with an admin-issued token; the supervisor codes as `coderId`. */
	async share(server: string, token: string, coderId: string | null, onProgress?: (p: SyncProgress) => void): Promise<Result<SyncLink>> {
		this.#sharing = true;
		const r = await loadEngine()
			.then(({ shareStudy }) => shareStudy(this.session.db, this.session.studyId, server, token, { coderId, onProgress }), failed)
			.finally(() => (this.#sharing = false));
		this.#version++;
		return r.ok ? r : { ok: false, errors: r.errors.map((e) => explainError(e, server)) };
	}

	async loadMembers(): Promise<void> {
		this.membersLoading = true;
		const r = await loadEngine().then(({ listMembers }) => listMembers(this.session.db, this.session.studyId), failed);
		this.membersLoading = false;
		if (r.ok) {
			this.members = r.value;
			this.membersError = null;
		} else this.membersError = r.errors.join(' ');
	}

	/** A new invitation; its link carries a secret token and is shown once. */
	async invite(name: string, role: Role): Promise<Result<{ member: Member; url: string }>> {
		const r = await loadEngine().then(
			({ createInvite }) => createInvite(this.session.db, this.session.studyId, { name, role, coderName: role === 'coder' ? name : undefined }),
			failed
		);
		if (r.ok) await this.loadMembers();
		return r.ok ? r : { ok: false, errors: r.errors.map((e) => explainError(e, this.link?.server)) };
	}

	async revoke(memberId: string): Promise<Result<void>> {
		const r = await loadEngine().then(({ revokeMember }) => revokeMember(this.session.db, this.session.studyId, memberId), failed);
		if (r.ok) await this.loadMembers();
		return r;
	}

	async setBlind(on: boolean): Promise<Result<StudySettings>> {
		const r = await loadEngine().then(({ setBlind }) => setBlind(this.session.db, this.session.studyId, on), failed);
		this.#version++;
		return r;
	}
}

const KEY = Symbol('gloss-sync');

/** Create the study's sync state and provide it below (call during the study layout's init). */
export function createSyncState(session: StudySession): SyncState {
	return setContext(KEY, new SyncState(session));
}

/** The open study's sync state. Only inside the study layout. */
export function getSyncState(): SyncState {
	const s = getContext<SyncState | undefined>(KEY);
	if (!s) throw new Error('getSyncState() called outside a study (no SyncState in context)');
	return s;
}
