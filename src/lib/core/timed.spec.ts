import { describe, expect, it } from 'vitest';
import { checkTimes, findTimestamps, formatTime, parseSrt, parseVtt } from './timed';
import { paragraphs } from './text';

const ok = <T>(r: { ok: true; value: T } | { ok: false; errors: unknown }): T => {
	if (!r.ok) throw new Error(String(r.errors));
	return r.value;
};

describe('WebVTT', () => {
	const zoom = [
		'\uFEFFWEBVTT',
		'',
		'1',
		'00:00:01.000 --> 00:00:04.000 align:start position:10%',
		'<v Li Wei>We started the audit in <b>2002</b> &amp; finished</v>',
		'',
		'2',
		'00:00:04.500 --> 00:00:06.000',
		'<v Li Wei>a year later.</v>',
		'',
		'NOTE a comment that is dropped',
		'',
		'3',
		'00:00:07.250 --> 00:00:09.000',
		'Interviewer: Why <c.yellow>then</c>?',
		'',
		'4',
		'01:02:03.000 --> 01:02:05.000',
		'<v Li Wei>Because the EPB asked.'
	].join('\r\n');

	it('voice tags and Name: prefixes become turns; one speaker\'s cues merge and keep the first start', () => {
		const r = ok(parseVtt(zoom, 'zoom.vtt'));
		expect(r.text).toBe(
			'Li Wei: We started the audit in 2002 & finished a year later.\nInterviewer: Why then?\nLi Wei: Because the EPB asked.\n'
		);
		expect(r.times).toEqual([
			{ offset: 0, seconds: 1 },
			{ offset: r.text.indexOf('Interviewer'), seconds: 7.25 },
			{ offset: r.text.lastIndexOf('Li Wei'), seconds: 3723 }
		]);
	});

	it('marks fall on paragraph starts, and paragraphs read speakers as for any transcript', () => {
		const r = ok(parseVtt(zoom, 'zoom.vtt'));
		const ps = paragraphs(r.text);
		expect(ps.map((p) => p.start)).toEqual(r.times.map((t) => t.offset));
		expect(ps.map((p) => p.speaker)).toEqual(['Li Wei', 'Interviewer', 'Li Wei']);
		expect(checkTimes(r.times, r.text.length, r.text)).toEqual([]);
	});

	it('CJK cues join without a space; text is NFC', () => {
		const r = ok(parseVtt('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n受访者：我们在二〇〇二年\n\n00:00:02.000 --> 00:00:03.000\n受访者：开始审核。\n\n00:00:04.000 --> 00:00:05.000\nCafe\u0301 owner: oui\n', 'cjk.vtt'));
		expect(r.text).toBe('受访者: 我们在二〇〇二年开始审核。\nCafé owner: oui\n');
	});

	it('cues with no speaker join into sentences, and a long pause starts a new paragraph', () => {
		const r = ok(parseVtt('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nwe went\n\n00:00:02.100 --> 00:00:03.000\nto the plant.\n\n00:00:03.100 --> 00:00:04.000\nThen nothing\n\n00:00:10.000 --> 00:00:11.000\nhappened.\n', 'plain.vtt'));
		expect(r.text).toBe('we went to the plant.\nThen nothing\nhappened.\n');
		expect(r.times.map((t) => t.seconds)).toEqual([1, 3.1, 10]);
	});

	it('script in a cue stays text', () => {
		const r = ok(parseVtt('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA: &lt;img src=x onerror=alert(1)&gt;\n', 'x.vtt'));
		expect(r.text).toBe('A: <img src=x onerror=alert(1)>\n');
	});

	it('refuses what is not WebVTT, naming the file', () => {
		expect(parseVtt('hello', 'notes.vtt')).toEqual({ ok: false, errors: expect.stringMatching(/^notes\.vtt: not a WebVTT file/) });
		expect(parseVtt('WEBVTT\n\nno timings here\n', 'empty.vtt')).toEqual({ ok: false, errors: expect.stringMatching(/^empty\.vtt: no cues/) });
	});
});

describe('SRT', () => {
	const srt = '1\r\n00:00:01,000 --> 00:00:02,500\r\nSpeaker 1: Good <i>morning</i>.\r\n\r\n2\r\n00:00:02,600 --> 00:00:04,000\r\nSpeaker 1: Shall we start?\r\n\r\n3\r\n00:01:00,5 --> 00:01:02,000\r\nSpeaker 2: Yes.\r\nLet us.\r\n';
	it('reads blocks, CRLF and styling, by the same rules as WebVTT', () => {
		const r = ok(parseSrt(srt, 'otter.srt'));
		expect(r.text).toBe('Speaker 1: Good morning. Shall we start?\nSpeaker 2: Yes. Let us.\n');
		expect(r.times).toEqual([
			{ offset: 0, seconds: 1 },
			{ offset: r.text.indexOf('Speaker 2'), seconds: 60.5 }
		]);
	});
	it('refuses a file with no timings, naming the file and what it found', () => {
		const r = parseSrt('just some text\n\nmore', 'x.srt');
		expect(r).toEqual({ ok: false, errors: expect.stringContaining('x.srt: not an SRT subtitle file') });
		expect(r.ok || r.errors).toContain('just some text');
	});
});

describe('timestamps in text transcripts', () => {
	it('finds [hh:mm:ss], (mm:ss) and a time after the speaker label, at line starts only', () => {
		const text = '[00:12:34] Interviewer: When?\nR: (12:40) In 2002.\nNo time here [00:13:00]\nInterviewer: [1:02:03.5] And?\n';
		expect(findTimestamps(text)).toEqual([
			{ offset: 0, seconds: 754 },
			{ offset: text.indexOf('R:'), seconds: 760 },
			{ offset: text.lastIndexOf('Interviewer'), seconds: 3723.5 }
		]);
	});
	it('one stamp, or an impossible time, is not a timed transcript', () => {
		expect(findTimestamps('[00:01:02] only one\nand text\n')).toEqual([]);
		expect(findTimestamps('[00:61:00] a\n[00:01:99] b\n')).toEqual([]);
	});
});

describe('formatTime and checkTimes', () => {
	it('formats', () => {
		expect(formatTime(0)).toBe('0:00');
		expect(formatTime(754.9)).toBe('12:34');
		expect(formatTime(3723)).toBe('1:02:03');
	});
	it('checks stored marks', () => {
		const text = 'a\nb\n';
		expect(checkTimes([{ offset: 0, seconds: 0 }, { offset: 2, seconds: 1.5 }], text.length, text)).toEqual([]);
		expect(checkTimes('x', 4)).toEqual(['must be a list of { offset, seconds }']);
		expect(checkTimes([{ offset: 1, seconds: -1 }, { offset: 0, seconds: 1 }, { offset: 9, seconds: NaN }], text.length, text)).toEqual([
			'[0].offset: must be the start of a line',
			'[0].seconds: must be a number of seconds, not negative',
			'[1].offset: must be after the previous mark\'s',
			'[2].offset: must be a whole number from 0 to 4',
			'[2].seconds: must be a number of seconds, not negative'
		]);
	});
});
