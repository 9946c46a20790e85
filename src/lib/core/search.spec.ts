import { describe, expect, it } from 'vitest';
import type { Code } from './types';
import { compileSearch, expandHit, expandHits, inContext, searchCodes, searchCorpus, searchMemos, searchText, type HitScope } from './search';

const find = (text: string, query: string, mode: 'text' | 'word' | 'regex') => {
	const re = compileSearch({ query, mode });
	if (!re.ok) throw new Error(re.errors);
	return searchText(text, re.value).map((h) => text.slice(h.start, h.end));
};

describe('corpus search', () => {
	const t = 'Cost matters. The costs were high; COST-cutting helped. Accost nobody.';
	it('is case-insensitive by default', () => {
		expect(find(t, 'cost', 'text')).toEqual(['Cost', 'cost', 'COST', 'cost']);
	});
	it('matches whole words only in word mode', () => {
		expect(find(t, 'cost', 'word')).toEqual(['Cost', 'COST']);
	});
	it('takes regular expressions and reports a bad one clearly', () => {
		expect(find(t, 'costs?\\b', 'regex')).toEqual(['Cost', 'costs', 'COST', 'cost']);
		const bad = compileSearch({ query: '(unclosed', mode: 'regex' });
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.errors).toMatch(/Not a valid regular expression/);
	});
	it('skips empty regex matches instead of looping', () => {
		expect(find('abc', 'x*', 'regex')).toEqual([]);
	});
	it('refuses an empty query', () => {
		expect(compileSearch({ query: '  ', mode: 'text' }).ok).toBe(false);
	});
	it('escapes special characters in plain text mode', () => {
		expect(find('a (b) a.b axb', 'a.b', 'text')).toEqual(['a.b']);
	});
	it('finds CJK text, where whole word means whole characters', () => {
		const c = '我们的企业开始清洁生产审核，清洁生产很重要。';
		expect(find(c, '清洁生产', 'text')).toHaveLength(2);
		expect(find(c, '清洁生产', 'word')).toHaveLength(2);
		expect(find('我们做CP审核，不是CPA', 'CP', 'word')).toEqual(['CP']);
	});
	it('searches across documents, in order, and reports when the limit cuts it short', () => {
		const docs = [
			{ id: 'a', text: 'cost and cost' },
			{ id: 'b', text: 'no match' },
			{ id: 'c', text: 'cost' }
		];
		const r = searchCorpus(docs, { query: 'cost', mode: 'word' });
		expect(r.ok && r.value.hits.map((h) => [h.documentId, h.start])).toEqual([
			['a', 0],
			['a', 9],
			['c', 0]
		]);
		const lim = searchCorpus(docs, { query: 'cost', mode: 'word' }, 2);
		expect(lim.ok && lim.value.truncated).toBe(true);
		expect(lim.ok && lim.value.hits).toHaveLength(2);
	});
	it('normalises the query to NFC so it matches stored text', () => {
		expect(find('café noir', 'cafe\u0301', 'word')).toEqual(['café']);
	});
});

describe('results in context', () => {
	it('cuts at white space, stops at paragraph breaks and marks the cuts', () => {
		const text = 'First paragraph here.\nThe quick brown fox jumps over the lazy dog and runs far away.\nNext.';
		const s = text.indexOf('fox');
		const c = inContext(text, s, s + 3, 12);
		expect(c.match).toBe('fox');
		expect(c.before).toBe('…brown ');
		expect(c.after).toBe(' jumps over…');
		const wide = inContext(text, s, s + 3, 200);
		expect(wide.before).toBe('The quick brown ');
		expect(wide.after).toBe(' jumps over the lazy dog and runs far away.');
	});
});

describe('fuzzy search of codes and memos', () => {
	const code = (id: string, name: string, definition = ''): Code => ({
		id, studyId: 's', parentId: null, name, definition, inclusion: '', exclusion: '', example: '', colour: '#000000', order: 0, createdAt: '', updatedAt: ''
	});
	const entries = [
		{ code: code('1', 'Motivation'), path: 'Drivers / Motivation' },
		{ code: code('2', 'Financial support', 'money from the city'), path: 'Policy / Financial support' },
		{ code: code('3', 'Training'), path: 'Policy / Training' }
	];
	it('tolerates typos', () => {
		expect(searchCodes(entries, 'motivaton')[0].code.id).toBe('1');
		expect(searchCodes(entries, 'finacial')[0].code.id).toBe('2');
	});
	it('searches definitions and paths', () => {
		expect(searchCodes(entries, 'money').map((e) => e.code.id)).toContain('2');
		expect(searchCodes(entries, 'policy').map((e) => e.code.id).sort()).toEqual(['2', '3']);
	});
	it('puts recent codes first when nothing is typed', () => {
		expect(searchCodes(entries, '', ['3', '2']).map((e) => e.code.id)).toEqual(['3', '2', '1']);
	});
	it('finds memos by title or text', () => {
		const memos = [
			{ where: 'Study', title: 'Early thoughts', text: 'Enterprises respond to fines' },
			{ where: 'Code: Cost', title: 'Cost', text: 'Includes savings' }
		];
		expect(searchMemos(memos, 'fines')[0].title).toBe('Early thoughts');
		expect(searchMemos(memos, 'savngs')[0].title).toBe('Cost');
	});
});

describe('what a hit codes: hit, sentence, paragraph or speaker turn', () => {
	const text = [
		'Interviewer: Why did you start? Was it the audit.',
		'R: Costs went up. We saved 3.5 tonnes of coal! Then the bureau came… It was "hard." Really',
		'And a second paragraph of the same turn.',
		'Interviewer: Thanks.',
		'受访者：我们开始清洁生产审核。后来，“清洁生产很重要！”真的吗？是的'
	].join('\n');
	const at = (q: string, nth = 0) => {
		let i = -1;
		for (let k = 0; k <= nth; k++) i = text.indexOf(q, i + 1);
		return { start: i, end: i + q.length };
	};
	const grow = (q: string, scope: HitScope, nth = 0) => {
		const s = expandHit(text, at(q, nth), scope);
		return text.slice(s.start, s.end);
	};

	it('keeps the hit as it is', () => {
		expect(grow('saved', 'hit')).toBe('saved');
	});
	it('grows to the sentence, not splitting at a decimal point, keeping closing quotes, never taking the speaker label', () => {
		expect(grow('Why', 'sentence')).toBe('Why did you start?');
		expect(grow('audit', 'sentence')).toBe('Was it the audit.');
		expect(grow('Costs', 'sentence')).toBe('Costs went up.');
		expect(grow('coal', 'sentence')).toBe('We saved 3.5 tonnes of coal!');
		expect(grow('bureau', 'sentence')).toBe('Then the bureau came…');
		expect(grow('hard', 'sentence')).toBe('It was "hard."');
		expect(grow('Really', 'sentence')).toBe('Really');
		// A hit over two sentences covers both.
		expect(grow('up. We', 'sentence')).toBe('Costs went up. We saved 3.5 tonnes of coal!');
	});
	it('ends CJK sentences at 。！？ with no space after them', () => {
		expect(grow('审核', 'sentence')).toBe('我们开始清洁生产审核。');
		expect(grow('清洁生产', 'sentence', 1)).toBe('后来，“清洁生产很重要！”');
		expect(grow('真的', 'sentence')).toBe('真的吗？');
		expect(grow('是的', 'sentence')).toBe('是的');
	});
	it('grows to the paragraph after the speaker label, and to the whole speaker turn', () => {
		expect(grow('coal', 'paragraph')).toBe('Costs went up. We saved 3.5 tonnes of coal! Then the bureau came… It was "hard." Really');
		expect(grow('second', 'turn')).toBe(
			'Costs went up. We saved 3.5 tonnes of coal! Then the bureau came… It was "hard." Really\nAnd a second paragraph of the same turn.'
		);
		expect(grow('Thanks', 'turn')).toBe('Thanks.');
	});
	it('codes a span once for several hits in it, in document order', () => {
		const docs = new Map([['d', text]]);
		const hits = [at('Costs'), at('up'), at('coal')].map((h) => ({ documentId: 'd', ...h }));
		const spans = expandHits(docs, hits, 'sentence');
		expect(spans.map((s) => [text.slice(s.start, s.end), s.hits])).toEqual([
			['Costs went up.', 2],
			['We saved 3.5 tonnes of coal!', 1]
		]);
		expect(expandHits(docs, hits, 'turn')).toHaveLength(1);
	});
});
