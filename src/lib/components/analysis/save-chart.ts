/**
 * Save a chart drawn as SVG: serialise it with its computed colours and fonts inlined (so it
 * looks the same outside the app, in either colour scheme), or draw it on a canvas for PNG.
 */

const STYLE_PROPS = [
	'fill',
	'fill-opacity',
	'stroke',
	'stroke-width',
	'stroke-opacity',
	'stroke-dasharray',
	'opacity',
	'font-family',
	'font-size',
	'font-weight',
	'font-style',
	'text-anchor',
	'dominant-baseline'
];

/** The SVG as a standalone file: explicit size, inlined styles, a background, no app classes. */
export function serialiseSvg(svg: SVGSVGElement, background: string): { text: string; width: number; height: number } {
	const vb = svg.viewBox.baseVal;
	const width = Math.ceil(vb && vb.width ? vb.width : svg.clientWidth);
	const height = Math.ceil(vb && vb.height ? vb.height : svg.clientHeight);
	const clone = svg.cloneNode(true) as SVGSVGElement;
	const src = [svg, ...Array.from(svg.querySelectorAll('*'))];
	const dst = [clone, ...Array.from(clone.querySelectorAll('*'))];
	// Inline each element's computed style, keeping only what differs from its parent's (the
	// root keeps everything), so the file stays small.
	const computed = new Map<Element, string[]>();
	src.forEach((el, i) => {
		const cs = getComputedStyle(el);
		const values = STYLE_PROPS.map((p) => cs.getPropertyValue(p));
		computed.set(el, values);
		const parent = el === svg ? undefined : computed.get(el.parentElement as Element);
		const style = STYLE_PROPS.flatMap((p, k) => (parent && parent[k] === values[k] ? [] : [`${p}:${values[k]}`])).join(';');
		const d = dst[i];
		if (style) d.setAttribute('style', style);
		else d.removeAttribute('style');
		d.removeAttribute('class');
		d.removeAttribute('tabindex');
		d.removeAttribute('role');
	});
	// Svelte's empty comment anchors are of no use in a file.
	const walker = document.createTreeWalker(clone, NodeFilter.SHOW_COMMENT);
	const comments: Node[] = [];
	while (walker.nextNode()) comments.push(walker.currentNode);
	for (const c of comments) c.parentNode?.removeChild(c);
	clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
	clone.setAttribute('width', String(width));
	clone.setAttribute('height', String(height));
	const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
	bg.setAttribute('x', String(vb?.x ?? 0));
	bg.setAttribute('y', String(vb?.y ?? 0));
	bg.setAttribute('width', String(width));
	bg.setAttribute('height', String(height));
	bg.setAttribute('fill', background);
	clone.insertBefore(bg, clone.firstChild);
	const text = '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
	return { text, width, height };
}

/** Draw serialised SVG on a canvas at `scale` × and return it as a PNG blob. */
export function svgToPng(text: string, width: number, height: number, scale = 2): Promise<Blob> {
	return new Promise((resolve, reject) => {
		const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml;charset=utf-8' }));
		const img = new Image();
		img.onload = () => {
			try {
				const canvas = document.createElement('canvas');
				canvas.width = Math.ceil(width * scale);
				canvas.height = Math.ceil(height * scale);
				const ctx = canvas.getContext('2d');
				if (!ctx) throw new Error('This browser cannot draw on a canvas.');
				ctx.scale(scale, scale);
				ctx.drawImage(img, 0, 0, width, height);
				canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The PNG could not be made.'))), 'image/png');
			} catch (e) {
				reject(e instanceof Error ? e : new Error(String(e)));
			} finally {
				URL.revokeObjectURL(url);
			}
		};
		img.onerror = () => {
			URL.revokeObjectURL(url);
			reject(new Error('The chart could not be drawn as an image.'));
		};
		img.src = url;
	});
}

export function downloadBlob(blob: Blob, fileName: string): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = fileName;
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}
