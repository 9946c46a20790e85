import { describe, expect, it } from 'vitest';
import { normaliseColour, normaliseGuid, guidFor } from './guid';
import { attr, escapeAttr, escapeText, kid, kids, parseXml, XmlError, XmlWriter } from './xml';

describe('XML writing', () => {
	it('escapes text and attributes and drops characters XML cannot hold', () => {
		expect(escapeText('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
		expect(escapeAttr('say "hi"\nnext\tcol')).toBe('say &quot;hi&quot;&#10;next&#9;col');
		expect(escapeText('bell\u0007 \uD800 ok')).toBe('bell  ok');
	});
	it('round-trips awkward values through the parser', () => {
		const w = new XmlWriter();
		const name = 'A & B <"quoted"> \'single\'\nline 2 😀';
		const body = '  leading space\r\nCRLF & ]]> </Description>';
		w.start('Root', { name, skip: undefined }).textElement('Description', body).empty('Empty', { n: 3 }).end();
		const root = parseXml(w.toString());
		expect(root.attrs.name).toBe(name);
		expect(root.attrs.skip).toBeUndefined();
		expect(kid(root, 'Description')?.text).toBe(body);
		expect(kid(root, 'Empty')?.attrs.n).toBe('3');
	});
	it('refuses to close what is not open', () => {
		expect(() => new XmlWriter().end()).toThrow();
		expect(() => new XmlWriter().start('a').toString()).toThrow(/unclosed/);
	});
});

describe('XML parsing', () => {
	it('reads elements, attributes, entities, CDATA, comments, PIs and a DOCTYPE', () => {
		const src = `\uFEFF<?xml version="1.0"?>
<!DOCTYPE x [ <!ELEMENT x ANY> ]>
<!-- a comment -->
<p:Root xmlns:p="urn:x" p:a='1' b="&lt;&#65;&#x42;&amp;&quot;">
  <Child>one<![CDATA[ <two> & ]]>three<?pi stuff?><!-- c --></Child>
  <Child/>
</p:Root>`;
		const r = parseXml(src);
		expect(r.name).toBe('p:Root');
		expect(r.local).toBe('Root');
		expect(attr(r, 'a')).toBe('1');
		expect(r.attrs.b).toBe('<AB&"');
		expect(kids(r, 'Child')).toHaveLength(2);
		expect(kids(r, 'Child')[0].text).toBe('one <two> & three');
		expect(kids(r, 'Child')[1].line).toBe(6);
	});
	it('normalises literal whitespace in attributes but keeps character references', () => {
		expect(parseXml('<a v="x\ny&#10;z"/>').attrs.v).toBe('x y\nz');
	});
	it('reports malformed input with the line and the element path', () => {
		const bad = (s: string) => {
			try {
				parseXml(s);
			} catch (e) {
				expect(e).toBeInstanceOf(XmlError);
				return `${(e as XmlError).line}: ${(e as Error).message}`;
			}
			return 'parsed';
		};
		expect(bad('<a>\n<b>\n</a>')).toMatch(/^3: closing tag <\/a> does not match <b> \(in \/a\/b\)/);
		expect(bad('<a>&nope;</a>')).toMatch(/unknown entity &nope;/);
		expect(bad('<a><b></b>')).toMatch(/unclosed element <a>/);
		expect(bad('<a x=1/>')).toMatch(/must be quoted/);
		expect(bad('<a/><b/>')).toMatch(/second root/);
		expect(bad('')).toMatch(/no root element/);
		expect(bad('<a><!-- x </a>')).toMatch(/unclosed comment/);
	});
});

describe('GUIDs and colours', () => {
	it('accepts braces and either case, rejects the rest', () => {
		expect(normaliseGuid('{1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294}')).toBe('1ff58b12-6f6f-4b0c-8be5-bbdc91f55294');
		expect(normaliseGuid('1ff58b12-6f6f-4b0c-8be5-bbdc91f55294')).toBe('1ff58b12-6f6f-4b0c-8be5-bbdc91f55294');
		expect(normaliseGuid('{1ff58b12-6f6f-4b0c-8be5-bbdc91f55294')).toBeNull();
		expect(normaliseGuid('not-a-guid')).toBeNull();
		expect(normaliseGuid(undefined)).toBeNull();
	});
	it('makes a stable GUID for an id that is not one', () => {
		expect(guidFor('cb0c0de0-0000-4000-8000-000000000100')).toBe('cb0c0de0-0000-4000-8000-000000000100');
		const g = guidFor('code-1');
		expect(g).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(guidFor('code-1')).toBe(g);
		expect(guidFor('code-2')).not.toBe(g);
	});
	it('reads colours in every form tools write', () => {
		expect(normaliseColour('#46AA00')).toBe('#46aa00');
		expect(normaliseColour('#F0a')).toBe('#ff00aa');
		expect(normaliseColour('46AA00')).toBe('#46aa00');
		expect(normaliseColour('#46AA0080')).toBe('#46aa00');
		expect(normaliseColour('#FF46AA00')).toBe('#46aa00');
		expect(normaliseColour('rgb(70, 170, 0)')).toBe('#46aa00');
		expect(normaliseColour('70,170,0')).toBe('#46aa00');
		expect(normaliseColour('rgba(70,170,0,0.5)')).toBe('#46aa00');
		expect(normaliseColour('300,0,0')).toBeNull();
		expect(normaliseColour('green')).toBeNull();
		expect(normaliseColour(undefined)).toBeNull();
	});
});
