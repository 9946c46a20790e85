import { describe, expect, it } from 'vitest';
import { accessFor, coderMembersOf, docName, httpBase, joinLink, newToken, parseDocName, parseJoinFragment, TOKEN_PATTERN, type DocRef, type MemberAccess } from './protocol';

describe('sync document names', () => {
	const refs: DocRef[] = [
		{ kind: 'shared', studyId: 's1' },
		{ kind: 'consensus', studyId: 's1' },
		{ kind: 'coder', studyId: 's1', coderId: 'c/1 é' },
		{ kind: 'text', studyId: 'a b', documentId: 'd%1' }
	];
	it('round-trip, with ids that hold slashes and spaces', () => {
		for (const r of refs) expect(parseDocName(docName(r))).toEqual(r);
		expect(docName(refs[2])).toBe('gloss/s1/coder/c%2F1%20%C3%A9');
	});
	it('refuse names that are not Gloss documents', () => {
		for (const n of ['', 'gloss', 'gloss/s1', 'gloss/s1/other', 'x/s1/shared', 'gloss//shared', 'gloss/s1/coder/', 'gloss/%E0/shared', 'gloss/s1/shared/x'])
			expect(parseDocName(n), n).toBeNull();
	});
});

describe('access per document', () => {
	const m = (role: MemberAccess['role'], coderId: string | null = null, revoked = false): MemberAccess => ({ studyId: 's', role, coderId, revoked });
	const shared: DocRef = { kind: 'shared', studyId: 's' };
	const mine: DocRef = { kind: 'coder', studyId: 's', coderId: 'a' };
	const theirs: DocRef = { kind: 'coder', studyId: 's', coderId: 'b' };
	const consensus: DocRef = { kind: 'consensus', studyId: 's' };
	const open = { blind: false };
	const blind = { blind: true };
	it('coder', () => {
		expect(accessFor(m('coder', 'a'), open, shared)).toBe('write');
		expect(accessFor(m('coder', 'a'), open, mine)).toBe('write');
		expect(accessFor(m('coder', 'a'), open, theirs)).toBe('read');
		expect(accessFor(m('coder', 'a'), blind, theirs)).toBe('none');
		expect(accessFor(m('coder', 'a'), blind, consensus)).toBe('none');
		expect(accessFor(m('coder', 'a'), open, consensus)).toBe('read');
	});
	it('supervisor and viewer', () => {
		expect(accessFor(m('supervisor'), blind, theirs)).toBe('read');
		expect(accessFor(m('supervisor'), blind, consensus)).toBe('write');
		expect(accessFor(m('supervisor', 'a'), open, mine)).toBe('write');
		expect(accessFor(m('viewer'), blind, theirs)).toBe('read');
		expect(accessFor(m('viewer'), open, shared)).toBe('read');
	});
	it('a supervisor writes the coding of coders no other member codes as (the study\'s coding from before it was shared)', () => {
		const members = [
			{ id: 'sup', studyId: 's', name: 'S', role: 'supervisor' as const, coderId: 'a', revoked: false, createdAt: '' },
			{ id: 'm1', studyId: 's', name: 'B', role: 'coder' as const, coderId: 'b', revoked: false, createdAt: '' },
			{ id: 'm2', studyId: 's', name: 'C', role: 'coder' as const, coderId: 'c', revoked: true, createdAt: '' }
		];
		const coderMembers = coderMembersOf(members, { id: 'sup' });
		expect([...coderMembers]).toEqual(['b']);
		const study = { blind: false, coderMembers };
		expect(accessFor(m('supervisor', 'a'), study, theirs)).toBe('read');
		expect(accessFor(m('supervisor', 'a'), study, { kind: 'coder', studyId: 's', coderId: 'imported' })).toBe('write');
		expect(accessFor(m('supervisor', 'a'), study, { kind: 'coder', studyId: 's', coderId: 'c' })).toBe('write');
		expect(accessFor(m('coder', 'b'), study, { kind: 'coder', studyId: 's', coderId: 'imported' })).toBe('read');
	});
	it('revoked members and other studies get nothing', () => {
		expect(accessFor(m('supervisor', null, true), open, shared)).toBe('none');
		expect(accessFor(m('supervisor'), open, { kind: 'shared', studyId: 'other' })).toBe('none');
	});
});

describe('tokens and invitation links', () => {
	it('tokens are 256-bit base64url and differ', () => {
		const a = newToken();
		expect(a).toMatch(TOKEN_PATTERN);
		expect(newToken()).not.toBe(a);
	});
	it('links carry the secret in the fragment and parse back', () => {
		const token = newToken();
		const url = joinLink('http://localhost:4173/', { server: 'ws://127.0.0.1:1234', studyId: 'é 1', token });
		expect(url.startsWith('http://localhost:4173/join#')).toBe(true);
		expect(parseJoinFragment(new URL(url).hash)).toEqual({ server: 'ws://127.0.0.1:1234', studyId: 'é 1', token });
	});
	it('bad links say what is wrong', () => {
		expect(parseJoinFragment('#server=http://x&study=s&token=' + newToken())).toEqual({ error: expect.stringContaining('sync server') });
		expect(parseJoinFragment('#server=ws://x&token=' + newToken())).toEqual({ error: expect.stringContaining('no study') });
		expect(parseJoinFragment('#server=ws://x&study=s&token=short')).toEqual({ error: expect.stringContaining('token') });
	});
	it('http base of a ws server', () => {
		expect(httpBase('wss://sync.example.org/')).toBe('https://sync.example.org');
		expect(httpBase('ws://127.0.0.1:1234')).toBe('http://127.0.0.1:1234');
	});
});
