import { describe, expect, it } from 'vitest';
import { checkMediaFile, markAt, MAX_MEDIA_BYTES, passageTimes } from './media';

describe('recordings', () => {
	it('accepts audio and video by extension or type, naming the kind', () => {
		expect(checkMediaFile({ name: 'Interview 3.MP3', size: 10 })).toEqual({ ok: true, value: { kind: 'audio', type: 'audio/mpeg' } });
		expect(checkMediaFile({ name: 'call.webm', size: 10, type: 'video/webm' })).toEqual({ ok: true, value: { kind: 'video', type: 'video/webm' } });
		expect(checkMediaFile({ name: 'voice.m4a', size: 10, type: 'audio/x-m4a' })).toEqual({ ok: true, value: { kind: 'audio', type: 'audio/x-m4a' } });
		expect(checkMediaFile({ name: 'memo.aac', size: 10, type: 'audio/aac' })).toEqual({ ok: true, value: { kind: 'audio', type: 'audio/aac' } });
	});
	it('refuses other files, empty ones and huge ones, naming the file', () => {
		expect(checkMediaFile({ name: 'notes.pdf', size: 10 })).toEqual({ ok: false, errors: expect.stringMatching(/^notes\.pdf: not an audio or video file/) });
		expect(checkMediaFile({ name: 'a.wav', size: 0 })).toEqual({ ok: false, errors: 'a.wav: the file is empty' });
		expect(checkMediaFile({ name: 'a.wav', size: MAX_MEDIA_BYTES + 1 })).toEqual({ ok: false, errors: expect.stringMatching(/^a\.wav: too large/) });
	});
	it('finds the paragraph being heard', () => {
		const times = [{ seconds: 0 }, { seconds: 5 }, { seconds: 12 }];
		expect(markAt([{ seconds: 3 }], 1)).toBe(-1);
		expect(markAt(times, 0)).toBe(0);
		expect(markAt(times, 4.99)).toBe(1); // within 50 ms counts as reached (seeking lands just before)
		expect(markAt(times, 11)).toBe(1);
		expect(markAt(times, 99)).toBe(2);
	});
	it('gives the stretch of recording that holds a passage', () => {
		const times = [
			{ offset: 0, seconds: 1 },
			{ offset: 20, seconds: 8 },
			{ offset: 50, seconds: 15 }
		];
		expect(passageTimes(times, 22, 40)).toEqual({ from: 8, to: 15 });
		expect(passageTimes(times, 5, 30)).toEqual({ from: 1, to: 15 });
		expect(passageTimes(times, 55, 60)).toEqual({ from: 15, to: null });
		expect(passageTimes([{ offset: 10, seconds: 1 }], 0, 5)).toBeNull();
	});
});
