/**
 * PLACEHOLDER for the sync-engine's client API (branch sync-engine), written from the contract in
 * /work/sync-contract.md so the UI type-checks before the engine lands. The merge of sync-engine
 * replaces this file with theirs.
 */
import type { GlossDB } from '../db/db';
import type { Result } from '../core/types';
import type { JoinLink, Member, Role, StudySettings } from '../core/sync/protocol';

export type SyncStatus =
	| { kind: 'connecting' }
	| { kind: 'synced' }
	| { kind: 'syncing'; pending: number }
	| { kind: 'offline'; pending: number }
	| { kind: 'refused'; reason: string };

export interface SyncLink {
	studyId: string;
	server: string;
	token: string;
	member: Member;
	study: StudySettings;
}

export interface SyncProgress {
	/** What is happening, in words for the user. */
	step: string;
	done?: number;
	total?: number;
}

const notYet = <T>(): Result<T> => ({ ok: false, errors: ['Sharing is not built yet.'] });

export async function getSyncLink(_db: GlossDB, _studyId: string): Promise<SyncLink | undefined> {
	return undefined;
}
export async function shareStudy(
	_db: GlossDB,
	_studyId: string,
	_server: string,
	_shareToken: string,
	_opts?: { coderId?: string | null; onProgress?: (p: SyncProgress) => void }
): Promise<Result<SyncLink>> {
	return notYet();
}
export async function joinStudy(_db: GlossDB, _link: JoinLink, _onProgress?: (p: SyncProgress) => void): Promise<Result<{ studyId: string }>> {
	return notYet();
}
export async function createInvite(
	_db: GlossDB,
	_studyId: string,
	_input: { name: string; role: Role; coderName?: string }
): Promise<Result<{ member: Member; url: string }>> {
	return notYet();
}
export async function listMembers(_db: GlossDB, _studyId: string): Promise<Result<Member[]>> {
	return notYet();
}
export async function revokeMember(_db: GlossDB, _studyId: string, _memberId: string): Promise<Result<void>> {
	return notYet();
}
export async function setBlind(_db: GlossDB, _studyId: string, _blind: boolean): Promise<Result<StudySettings>> {
	return notYet();
}
export class StudySync {
	constructor(_db: GlossDB, _studyId: string) {}
	async start(): Promise<void> {}
	stop(): void {}
	subscribe(fn: (s: SyncStatus) => void): () => void {
		fn({ kind: 'connecting' });
		return () => {};
	}
}
