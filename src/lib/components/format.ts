/** Small display helpers shared by components. Pure. */

/** One formatter for every count: `toLocaleString` makes a new one per call (tables label thousands of cells). */
const COUNT = new Intl.NumberFormat('en');

/** A count with thousands separators, "12,345" (as `n.toLocaleString('en')`). */
export function count(n: number): string {
	return COUNT.format(n);
}

/** "1 document", "3 documents". */
export function plural(n: number, one: string, many = `${one}s`): string {
	return `${COUNT.format(n)} ${n === 1 ? one : many}`;
}

export { formatBytes } from '../core/size';

/** "just now", "5 minutes ago", "yesterday", else a date. */
export function relativeTime(iso: string, now: Date = new Date()): string {
	const t = new Date(iso);
	if (Number.isNaN(t.getTime())) return '';
	const s = Math.round((now.getTime() - t.getTime()) / 1000);
	if (s < 45) return 'just now';
	const m = Math.round(s / 60);
	if (m < 60) return `${plural(m, 'minute')} ago`;
	const h = Math.round(m / 60);
	if (h < 24) return `${plural(h, 'hour')} ago`;
	const d = Math.round(h / 24);
	if (d === 1) return 'yesterday';
	if (d < 7) return `${d} days ago`;
	return t.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** Trigger a download of text as a file. */
export function downloadText(text: string, fileName: string, type = 'text/plain;charset=utf-8'): void {
	downloadBlob(new Blob([text], { type }), fileName);
}

/** Offer a Blob (a zip, say) as a download named `fileName`. */
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

/** A file-name-safe version of a study or code name. */
export function safeFileName(name: string): string {
	return (
		name
			.normalize('NFC')
			.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-')
			.replace(/\s+/g, '-')
			.replace(/-+/g, '-')
			.replace(/^-|-$/g, '')
			.slice(0, 80) || 'study'
	);
}

const CJK_CHAR = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Bopomofo}]/u;

/** Whether a name holds Chinese, Japanese or Korean characters (set vertically, they stay upright). */
export function hasCjk(s: string): boolean {
	return CJK_CHAR.test(s);
}
