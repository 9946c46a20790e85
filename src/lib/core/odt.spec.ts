import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { odtContentText, readOdt } from './odt';

const content = (body: string) =>
	`<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:automatic-styles><style:style/></office:automatic-styles><office:body><office:text>${body}</office:text></office:body></office:document-content>`;

const makeOdt = (body: string) =>
	zipSync({ mimetype: strToU8('application/vnd.oasis.opendocument.text'), 'content.xml': strToU8(content(body)), 'META-INF/manifest.xml': strToU8('<manifest/>') });

describe('OpenDocument text', () => {
	it('reads paragraphs and headings in order, with spans, spaces, tabs and line breaks, and entities', () => {
		const xml = content(
			'<text:h text:outline-level="1">Interview C03 <text:span>(2004)</text:span></text:h>' +
				'<text:p>Interviewer: When<text:s text:c="2"/>did it <text:span text:style-name="T1">start</text:span>?</text:p>' +
				'<text:p/>' +
				'<text:list><text:list-item><text:p>R: In 2002 &amp; 2003,<text:line-break/>twice.</text:p></text:list-item></text:list>' +
				'<text:p>受访者：<text:tab/>是的。<office:annotation><text:p>a reviewer comment</text:p></office:annotation></text:p>' +
				'<text:p>Note<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>footnote</text:p></text:note-body></text:note> here &lt;b&gt;</text:p>'
		);
		expect(odtContentText(xml)).toBe('Interview C03 (2004)\nInterviewer: When  did it start?\nR: In 2002 & 2003, twice.\n受访者：\t是的。\nNote here <b>\n');
	});
	it('reads an .odt file through the zip limits, and refuses what is not one, naming the file', () => {
		expect(readOdt(makeOdt('<text:p>Cafe\u0301</text:p>'), 'a.odt')).toEqual({ ok: true, value: 'Café\n' });
		expect(readOdt(strToU8('hello'), 'b.odt')).toEqual({ ok: false, errors: expect.stringMatching(/^b\.odt: not an OpenDocument text/) });
		expect(readOdt(zipSync({ 'other.xml': strToU8('<x/>') }), 'c.odt')).toEqual({ ok: false, errors: 'c.odt: an OpenDocument file without content.xml (damaged?)' });
		expect(readOdt(makeOdt('<text:p> </text:p>'), 'd.odt')).toEqual({ ok: false, errors: 'd.odt: the document holds no text' });
	});
});
