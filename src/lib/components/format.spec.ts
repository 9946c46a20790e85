import { describe, expect, it } from 'vitest';
import { formatBytes, hasCjk, plural, relativeTime, safeFileName } from './format';

describe('display helpers', () => {
	it('counts with the right noun', () => {
		expect(plural(1, 'document')).toBe('1 document');
		expect(plural(0, 'case')).toBe('0 cases');
		expect(plural(1200, 'segment')).toBe('1,200 segments');
		expect(plural(2, 'memo', 'memos')).toBe('2 memos');
	});

	it('formats sizes', () => {
		expect(formatBytes(0)).toBe('0 B');
		expect(formatBytes(1536)).toBe('1.5 KB');
		expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB');
		expect(formatBytes(-1)).toBe('?');
	});

	it('says how long ago', () => {
		const now = new Date('2026-03-10T12:00:00Z');
		expect(relativeTime('2026-03-10T11:59:50Z', now)).toBe('just now');
		expect(relativeTime('2026-03-10T11:55:00Z', now)).toBe('5 minutes ago');
		expect(relativeTime('2026-03-10T09:00:00Z', now)).toBe('3 hours ago');
		expect(relativeTime('2026-03-09T10:00:00Z', now)).toBe('yesterday');
		expect(relativeTime('2026-03-06T12:00:00Z', now)).toBe('4 days ago');
		expect(relativeTime('not a date', now)).toBe('');
	});

	it('makes file names safe', () => {
		expect(safeFileName('Cleaner Production: Jiangsu / 2004?')).toBe('Cleaner-Production-Jiangsu-2004');
		expect(safeFileName('清洁生产 研究')).toBe('清洁生产-研究');
		expect(safeFileName('///')).toBe('study');
	});
});

describe('hasCjk', () => {
	it('finds Chinese, Japanese and Korean characters in a name', () => {
		expect(hasCjk('Enterprise N07 访谈')).toBe(true);
		expect(hasCjk('カタカナ')).toBe(true);
		expect(hasCjk('한국')).toBe(true);
		expect(hasCjk('Enterprise C01 — Zürich')).toBe(false);
	});
});
