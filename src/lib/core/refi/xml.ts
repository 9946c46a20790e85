/**
 * A small XML writer and a small, forgiving XML parser for REFI-QDA files. Pure: no DOM.
 *
 * The parser handles elements, attributes (single or double quoted), text, the five predefined
 * entities and numeric character references, CDATA sections, comments, processing instructions
 * and a DOCTYPE (skipped, without internal entity definitions). Namespace prefixes are kept in
 * `name`; `local` is the name without its prefix. Errors name the line and the element path.
 */

export interface XmlElement {
	/** The qualified name as written (`Code`, `xsi:schemaLocation` for attributes...). */
	name: string;
	/** The name without a namespace prefix. */
	local: string;
	attrs: Record<string, string>;
	children: XmlElement[];
	/** The element's own character data (text and CDATA directly inside it), concatenated. */
	text: string;
	/** 1-based line of the start tag. */
	line: number;
}

// ---------------------------------------------------------------- writing

/** Characters XML 1.0 does not allow at all (C0 controls other than tab, LF, CR; lone surrogates; FFFE/FFFF). */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escape character data. Characters XML cannot carry are dropped. */
export function escapeText(s: string): string {
	return s.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Escape an attribute value (double quoted). Tabs and line breaks are kept as character references. */
export function escapeAttr(s: string): string {
	return escapeText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** Builds indented XML text. Attribute values that are undefined or null are left out. */
export class XmlWriter {
	#out: string[] = ['<?xml version="1.0" encoding="utf-8"?>\n'];
	#stack: string[] = [];
	#open = false;

	#closeStart() {
		if (this.#open) {
			this.#out.push('>\n');
			this.#open = false;
		}
	}

	#attrs(attrs: Record<string, string | number | boolean | null | undefined>): string {
		let s = '';
		for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) s += ` ${k}="${escapeAttr(String(v))}"`;
		return s;
	}

	start(name: string, attrs: Record<string, string | number | boolean | null | undefined> = {}): this {
		this.#closeStart();
		this.#out.push(`${'  '.repeat(this.#stack.length)}<${name}${this.#attrs(attrs)}`);
		this.#stack.push(name);
		this.#open = true;
		return this;
	}

	end(): this {
		const name = this.#stack.pop();
		if (name === undefined) throw new Error('XmlWriter: end() without start()');
		if (this.#open) {
			this.#out.push(' />\n');
			this.#open = false;
		} else this.#out.push(`${'  '.repeat(this.#stack.length)}</${name}>\n`);
		return this;
	}

	/** An empty element. */
	empty(name: string, attrs: Record<string, string | number | boolean | null | undefined> = {}): this {
		return this.start(name, attrs).end();
	}

	/** An element holding only text (written exactly: no indentation is added inside it). */
	textElement(name: string, text: string, attrs: Record<string, string | number | boolean | null | undefined> = {}): this {
		this.#closeStart();
		this.#out.push(`${'  '.repeat(this.#stack.length)}<${name}${this.#attrs(attrs)}>${escapeText(text)}</${name}>\n`);
		return this;
	}

	toString(): string {
		if (this.#stack.length) throw new Error(`XmlWriter: unclosed element <${this.#stack[this.#stack.length - 1]}>`);
		return this.#out.join('');
	}
}

// ---------------------------------------------------------------- parsing

const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;
const NAME_CHAR = /[A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]/;

export class XmlError extends Error {
	constructor(
		message: string,
		readonly line: number
	) {
		super(message);
	}
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string, line: () => number): string {
	if (s.indexOf('&') < 0) return s;
	return s.replace(/&([^;&\s]{0,32});/g, (m, body: string) => {
		if (body[0] === '#') {
			const n = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
			if (!Number.isFinite(n) || n < 0 || n > 0x10ffff) throw new XmlError(`bad character reference ${m}`, line());
			return String.fromCodePoint(n);
		}
		const e = ENTITIES[body];
		if (e === undefined) throw new XmlError(`unknown entity ${m}`, line());
		return e;
	});
}

const localName = (n: string) => {
	const i = n.indexOf(':');
	return i < 0 ? n : n.slice(i + 1);
};

/**
 * Parse an XML document and return its root element. Throws `XmlError` (with a line number and
 * the path of open elements) on malformed input; callers turn that into a Result.
 */
export function parseXml(src: string): XmlElement {
	const s = src.charCodeAt(0) === 0xfeff ? src.slice(1) : src;
	let i = 0;
	// Line numbers are computed lazily (only for elements and errors).
	let lineAt = 0;
	let lineNo = 1;
	const line = () => {
		for (; lineAt < i && lineAt < s.length; lineAt++) if (s.charCodeAt(lineAt) === 10) lineNo++;
		return lineNo;
	};
	const stack: XmlElement[] = [];
	let root: XmlElement | null = null;
	const path = () => '/' + stack.map((e) => e.name).join('/');
	const fail = (msg: string): never => {
		throw new XmlError(stack.length ? `${msg} (in ${path()})` : msg, line());
	};

	const readName = (): string => {
		const start = i;
		if (!NAME_START.test(s[i] ?? '')) fail(`expected a name at "${s.slice(i, i + 20)}"`);
		i++;
		while (i < s.length && NAME_CHAR.test(s[i])) i++;
		return s.slice(start, i);
	};
	const skipWs = () => {
		while (i < s.length) {
			const c = s.charCodeAt(i);
			if (c === 32 || c === 9 || c === 10 || c === 13) i++;
			else break;
		}
	};

	while (i < s.length) {
		const lt = s.indexOf('<', i);
		if (lt < 0) {
			const rest = s.slice(i);
			if (stack.length) stack[stack.length - 1].text += decodeEntities(rest, line);
			else if (rest.trim()) fail('text after the root element');
			i = s.length;
			break;
		}
		if (lt > i) {
			const chunk = s.slice(i, lt);
			if (stack.length) stack[stack.length - 1].text += decodeEntities(chunk, line);
			else if (chunk.trim()) {
				i = lt;
				fail(root ? 'text after the root element' : 'text before the root element');
			}
		}
		i = lt;
		if (s.startsWith('<!--', i)) {
			const end = s.indexOf('-->', i + 4);
			if (end < 0) fail('unclosed comment');
			i = end + 3;
		} else if (s.startsWith('<![CDATA[', i)) {
			const end = s.indexOf(']]>', i + 9);
			if (end < 0) fail('unclosed CDATA section');
			if (!stack.length) fail('CDATA outside the root element');
			stack[stack.length - 1].text += s.slice(i + 9, end);
			i = end + 3;
		} else if (s.startsWith('<?', i)) {
			const end = s.indexOf('?>', i + 2);
			if (end < 0) fail('unclosed processing instruction');
			i = end + 2;
		} else if (s.startsWith('<!DOCTYPE', i) || s.startsWith('<!doctype', i)) {
			// Skip, allowing one level of [...] internal subset.
			let depth = 0;
			for (i += 9; i < s.length; i++) {
				const c = s[i];
				if (c === '[') depth++;
				else if (c === ']') depth--;
				else if (c === '>' && depth <= 0) break;
			}
			if (i >= s.length) fail('unclosed DOCTYPE');
			i++;
		} else if (s[i + 1] === '/') {
			i += 2;
			const name = readName();
			skipWs();
			if (s[i] !== '>') fail(`expected ">" to close </${name}>`);
			i++;
			const top = stack.pop();
			if (!top) fail(`closing tag </${name}> without an opening tag`);
			else if (top.name !== name) {
				stack.push(top);
				fail(`closing tag </${name}> does not match <${top.name}>`);
			}
		} else {
			i++;
			const el: XmlElement = { name: '', local: '', attrs: {}, children: [], text: '', line: line() };
			el.name = readName();
			el.local = localName(el.name);
			for (;;) {
				skipWs();
				if (i >= s.length) fail(`unclosed start tag <${el.name}>`);
				if (s[i] === '>' || (s[i] === '/' && s[i + 1] === '>')) break;
				const an = readName();
				skipWs();
				if (s[i] !== '=') fail(`attribute ${an} of <${el.name}> has no value`);
				i++;
				skipWs();
				const q = s[i];
				if (q !== '"' && q !== "'") fail(`attribute ${an} of <${el.name}>: value must be quoted`);
				const end = s.indexOf(q, i + 1);
				if (end < 0) fail(`attribute ${an} of <${el.name}>: unclosed value`);
				const raw = s.slice(i + 1, end);
				if (raw.includes('<')) fail(`attribute ${an} of <${el.name}>: "<" in a value`);
				// Attribute value normalisation: literal whitespace characters become spaces.
				el.attrs[an] = decodeEntities(raw.replace(/[\t\n\r]/g, ' '), line);
				i = end + 1;
			}
			if (stack.length) stack[stack.length - 1].children.push(el);
			else if (root) fail(`a second root element <${el.name}>`);
			else root = el;
			if (s[i] === '/') i += 2;
			else {
				i++;
				stack.push(el);
			}
		}
	}
	if (stack.length) fail(`unclosed element <${stack[stack.length - 1].name}>`);
	if (!root) throw new XmlError('no root element', 1);
	return root;
}

/** Children with this local name (namespace prefixes ignored). */
export const kids = (el: XmlElement, local: string): XmlElement[] => el.children.filter((c) => c.local === local);
/** The first child with this local name. */
export const kid = (el: XmlElement, local: string): XmlElement | undefined => el.children.find((c) => c.local === local);
/** Attribute by local name (prefix ignored), case-sensitive. */
export function attr(el: XmlElement, local: string): string | undefined {
	if (el.attrs[local] !== undefined) return el.attrs[local];
	for (const [k, v] of Object.entries(el.attrs)) if (localName(k) === local && !k.startsWith('xmlns')) return v;
	return undefined;
}
