import { describe, expect, it } from 'vitest';
import { explainError, refusalWords, statusLabel } from './sync.svelte';

describe('the header’s sync status words', () => {
	it('says each state in plain words', () => {
		expect(statusLabel(null)).toBe('');
		expect(statusLabel({ kind: 'connecting' })).toBe('Connecting…');
		expect(statusLabel({ kind: 'synced' })).toBe('Synced');
		expect(statusLabel({ kind: 'syncing', pending: 1 })).toBe('Syncing 1 change');
		expect(statusLabel({ kind: 'syncing', pending: 3 })).toBe('Syncing 3 changes');
		expect(statusLabel({ kind: 'syncing', pending: 0 })).toBe('Syncing…');
		expect(statusLabel({ kind: 'offline', pending: 2 })).toBe('Offline · 2 waiting');
		expect(statusLabel({ kind: 'refused', reason: "blind study: another coder's coding" })).toBe("Refused: blind study: another coder's coding");
	});
	it('says why a refusal happened without the engine’s preamble', () => {
		expect(refusalWords('The sync server refused this study: revoked')).toBe('your access was revoked');
		expect(refusalWords('The sync server refused: revoked.')).toBe('your access was revoked');
		expect(refusalWords('The sync server refused: unknown token.')).toBe('the server does not know your invitation');
		expect(refusalWords('Read-only: your role (viewer) cannot change this study; the change was undone.')).toBe('read-only, your change was undone');
	});
	it('explains a failed share so the supervisor knows what to do', () => {
		expect(explainError('The sync server refused: unknown share token.')).toMatch(/does not know this share token/);
		expect(explainError('The sync server refused: this share token was already used.')).toMatch(/already used/);
		expect(explainError('The sync server at http://h:1 cannot be reached (Failed to fetch).', 'ws://h:1')).toBe(
			'The sync server ws://h:1 does not answer. Check the address, and that you are online.'
		);
		expect(explainError('something else')).toBe('something else');
	});
});
