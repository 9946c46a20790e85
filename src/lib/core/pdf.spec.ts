import { describe, expect, it } from 'vitest';
import { checkPages, pageAt, pdfTextFromItems, readPdf, type PdfJs } from './pdf';
import { paragraphs } from './text';
import { makePdf } from '../../../tests/fixtures/pdf/make-pdf';

const pdfjs = (await import('pdfjs-dist/legacy/build/pdf.mjs')) as unknown as PdfJs;

describe('text PDFs', () => {
	const interview = makePdf([
		[
			'Interviewer: When did the Cleaner Production audit start?',
			'Manager Zhang: In 2002, when the EPB asked us to take part in the provincial',
			'programme. We already had a renovation plan for the dye house, so the audit',
			'came at the right time.',
			'',
			'Our consultants came from the provincial centre twice a month and we re-',
			'viewed each option together.'
		],
		['Interviewer: And after the audit?', 'Manager Zhang: We carried on with a second audit on our own initiative.']
	]);

	it('reads the text layer in reading order, joins wrapped lines into paragraphs, and keeps page starts', async () => {
		const r = await readPdf(pdfjs, interview, 'Zhang 2004.pdf');
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.value.text).toBe(
			'Interviewer: When did the Cleaner Production audit start?\n' +
				'Manager Zhang: In 2002, when the EPB asked us to take part in the provincial programme. We already had a renovation plan for the dye house, so the audit came at the right time.\n' +
				'Our consultants came from the provincial centre twice a month and we reviewed each option together.\n' +
				'Interviewer: And after the audit?\n' +
				'Manager Zhang: We carried on with a second audit on our own initiative.\n'
		);
		const p2 = r.value.text.indexOf('Interviewer: And after');
		expect(r.value.pages).toEqual([0, p2]);
		expect(pageAt(r.value.pages, 0)).toBe(1);
		expect(pageAt(r.value.pages, p2 - 1)).toBe(1);
		expect(pageAt(r.value.pages, p2)).toBe(2);
		expect(pageAt(r.value.pages, r.value.text.length)).toBe(2);
		expect(paragraphs(r.value.text).map((p) => p.speaker)).toEqual(['Interviewer', 'Manager Zhang', null, 'Interviewer', 'Manager Zhang']);
		expect(checkPages(r.value.pages, r.value.text.length)).toEqual([]);
	});

	it('refuses a scan without a text layer, a damaged file and a non-PDF, naming the file', async () => {
		const scan = await readPdf(pdfjs, makePdf([[], []], { scanned: true }), 'scan.pdf');
		expect(scan).toEqual({ ok: false, errors: expect.stringMatching(/^scan\.pdf: the PDF has no text layer \(a scanned document\?\)/) });
		const cut = interview.slice(0, 300);
		const damaged = await readPdf(pdfjs, cut, 'cut.pdf');
		expect(damaged.ok || damaged.errors).toMatch(/^cut\.pdf: /);
		expect(await readPdf(pdfjs, new TextEncoder().encode('hello'), 'notes.pdf')).toEqual({
			ok: false,
			errors: 'notes.pdf: not a PDF file (the file is damaged or has the wrong extension)'
		});
	});

	it('reads Chinese text set in a font that is not embedded, given Adobe\'s CMaps (without them it has no text)', async () => {
		const bytes = makePdf([['受访者：我们在二〇〇二年开始审核。', '问：为什么？']], { cjk: true });
		const withMaps: PdfJs = {
			getDocument: (src) => pdfjs.getDocument({ ...src, cMapUrl: 'node_modules/pdfjs-dist/cmaps/', cMapPacked: true } as typeof src)
		};
		expect(await readPdf(withMaps, bytes, 'C03.pdf')).toEqual({ ok: true, value: { text: '受访者：我们在二〇〇二年开始审核。\n问：为什么？\n', pages: [0] } });
		expect(await readPdf(pdfjs, bytes, 'C03.pdf')).toEqual({ ok: false, errors: expect.stringContaining('no text layer') });
	});

	it('joins CJK lines without a space and splits runs on one line with a space where they stand apart', () => {
		const item = (str: string, x: number, y: number, width: number, hasEOL = false) => ({ str, transform: [10, 0, 0, 10, x, y], width, height: 10, hasEOL });
		const out = pdfTextFromItems([
			[item('受访者：我们在二〇〇二年开始', 72, 700, 140, true), item('审核。', 72, 688, 30, true), item('Word', 72, 660, 20), item('apart', 96, 660, 25)]
		]);
		expect(out.text).toBe('受访者：我们在二〇〇二年开始审核。\nWord apart\n');
	});

	it('checks stored page starts', () => {
		expect(checkPages([0, 5, 5, 9], 10)).toEqual([]);
		expect(checkPages([1, 12, 3], 10)).toEqual(['[0]: the first page must start at 0', '[1]: must be a whole number from 0 to 10', '[2]: must not come before the previous page\'s start']);
		expect(checkPages('x', 10)).toEqual(['must be a list of page start offsets']);
	});
});
