/**
 * Layout math for the analysis charts (SVG), pure: scales, ticks, label fitting, bar and heat-map
 * geometry. The components only draw what these return. All sizes are in CSS pixels.
 */

/** Average glyph width as a share of the font size for the UI font (a safe over-estimate). */
const GLYPH = 0.6;

export const estimateTextWidth = (text: string, fontSize: number): number => text.length * fontSize * GLYPH;

/** Cut a label to fit `maxWidth`, ending in "…"; the whole label when it fits. */
export function fitLabel(text: string, maxWidth: number, fontSize: number): string {
	if (estimateTextWidth(text, fontSize) <= maxWidth) return text;
	const n = Math.max(1, Math.floor(maxWidth / (fontSize * GLYPH)) - 1);
	return text.slice(0, n).trimEnd() + '…';
}

/** A round step for counts: 1, 2 or 5 × 10^k, never below 1. */
function niceStep(max: number, target: number): number {
	const raw = max / Math.max(1, target);
	if (raw <= 1) return 1;
	const p = 10 ** Math.floor(Math.log10(raw));
	const m = raw / p;
	const f = m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10;
	return f * p;
}

/** Integer axis ticks from 0 to a round maximum at or above `max` (at least [0, 1]). */
export function niceTicks(max: number, target = 5): number[] {
	const m = Number.isFinite(max) && max > 0 ? max : 1;
	const step = niceStep(m, target);
	const top = Math.ceil(m / step) * step;
	const ticks: number[] = [];
	for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v));
	return ticks;
}

export interface Axis {
	ticks: number[];
	/** The value at the right end of the axis. */
	max: number;
	/** x (from the plot's left edge) of a value. */
	scale: (v: number) => number;
}

export function linearAxis(max: number, width: number, target = 5): Axis {
	const ticks = niceTicks(max, target);
	const top = ticks[ticks.length - 1];
	return { ticks, max: top, scale: (v: number) => (Math.max(0, v) / top) * width };
}

export interface ChartFont {
	/** Font size of labels and values. */
	fontSize: number;
}

export interface BarInput {
	label: string;
	value: number;
	/** Indent level of the label (code hierarchy). */
	depth?: number;
}

export interface BarChartOptions extends ChartFont {
	width: number;
	rowHeight: number;
	/** Space for the labels; default: the widest label, at most 45 % of the width. */
	labelWidth?: number;
	/** Indent per depth level. */
	indent?: number;
	/** Space above the plot (for the axis title) and below it (tick labels). */
	top?: number;
	bottom?: number;
}

export interface BarMark {
	index: number;
	/** Label as drawn (fitted), and its x (right-aligned at `labelRight`). */
	label: string;
	labelX: number;
	y: number;
	height: number;
	x: number;
	width: number;
	value: number;
	/** Where the value text starts: just after the bar end. */
	valueX: number;
}

export interface BarChartLayout {
	width: number;
	height: number;
	plotX: number;
	plotY: number;
	plotWidth: number;
	plotHeight: number;
	axis: Axis;
	/** x of each tick, absolute. */
	tickX: number[];
	bars: BarMark[];
}

const VALUE_ROOM = 4; // characters kept free right of the longest bar for its value

/** A horizontal bar chart: one row per input, labels left (indented by depth), values at the bar ends. */
export function barChartLayout(rows: BarInput[], o: BarChartOptions): BarChartLayout {
	const indent = o.indent ?? 10;
	const top = o.top ?? 6;
	const bottom = o.bottom ?? o.fontSize * 2.4;
	const widest = rows.reduce((w, r) => Math.max(w, estimateTextWidth(r.label, o.fontSize) + (r.depth ?? 0) * indent), 0);
	const labelWidth = Math.round(o.labelWidth ?? Math.min(widest + 8, o.width * 0.45));
	const plotX = labelWidth + 6;
	const valueRoom = VALUE_ROOM * o.fontSize * GLYPH;
	const plotWidth = Math.max(40, o.width - plotX - valueRoom);
	const plotHeight = rows.length * o.rowHeight;
	const max = rows.reduce((m, r) => Math.max(m, r.value), 0);
	const axis = linearAxis(max, plotWidth, Math.max(2, Math.min(6, Math.floor(plotWidth / 60))));
	const barH = Math.max(4, Math.round(o.rowHeight * 0.68));
	const bars = rows.map((r, i): BarMark => {
		const w = axis.scale(r.value);
		const y = top + i * o.rowHeight + (o.rowHeight - barH) / 2;
		const d = r.depth ?? 0;
		return {
			index: i,
			label: fitLabel(r.label, labelWidth - d * indent - 4, o.fontSize),
			labelX: labelWidth,
			y,
			height: barH,
			x: plotX,
			width: w,
			value: r.value,
			valueX: plotX + w + 3
		};
	});
	return {
		width: o.width,
		height: top + plotHeight + bottom,
		plotX,
		plotY: top,
		plotWidth,
		plotHeight,
		axis,
		tickX: axis.ticks.map((t) => plotX + axis.scale(t)),
		bars
	};
}

export interface GroupedInput {
	label: string;
	values: number[];
	depth?: number;
}

export interface GroupedMark {
	row: number;
	series: number;
	x: number;
	y: number;
	width: number;
	height: number;
	value: number;
}

export interface GroupedBarLayout extends Omit<BarChartLayout, 'bars'> {
	rows: { label: string; labelX: number; y: number; height: number; depth: number }[];
	marks: GroupedMark[];
}

/**
 * Grouped horizontal bars (a cross-tab): one band per code, one thin bar per column inside it.
 * `rowHeight` is the height of one bar; a band is `series × rowHeight` plus a gap.
 */
export function groupedBarLayout(rows: GroupedInput[], series: number, o: BarChartOptions & { gap?: number }): GroupedBarLayout {
	const indent = o.indent ?? 10;
	const top = o.top ?? 6;
	const bottom = o.bottom ?? o.fontSize * 2.4;
	const gap = o.gap ?? Math.max(4, Math.round(o.rowHeight * 0.8));
	const n = Math.max(1, series);
	const band = n * o.rowHeight + gap;
	const widest = rows.reduce((w, r) => Math.max(w, estimateTextWidth(r.label, o.fontSize) + (r.depth ?? 0) * indent), 0);
	const labelWidth = Math.round(o.labelWidth ?? Math.min(widest + 8, o.width * 0.42));
	const plotX = labelWidth + 6;
	const valueRoom = VALUE_ROOM * o.fontSize * GLYPH;
	const plotWidth = Math.max(40, o.width - plotX - valueRoom);
	const max = rows.reduce((m, r) => r.values.reduce((mm, v) => Math.max(mm, v), m), 0);
	const axis = linearAxis(max, plotWidth, Math.max(2, Math.min(6, Math.floor(plotWidth / 60))));
	const marks: GroupedMark[] = [];
	const out = rows.map((r, i) => {
		const y0 = top + i * band + gap / 2;
		for (let s = 0; s < n; s++) {
			const v = r.values[s] ?? 0;
			marks.push({ row: i, series: s, x: plotX, y: y0 + s * o.rowHeight + 0.5, width: axis.scale(v), height: o.rowHeight - 1, value: v });
		}
		const d = r.depth ?? 0;
		return { label: fitLabel(r.label, labelWidth - d * indent - 4, o.fontSize), labelX: labelWidth, y: y0, height: n * o.rowHeight, depth: d };
	});
	const plotHeight = rows.length * band;
	return {
		width: o.width,
		height: top + plotHeight + bottom,
		plotX,
		plotY: top,
		plotWidth,
		plotHeight,
		axis,
		tickX: axis.ticks.map((t) => plotX + axis.scale(t)),
		rows: out,
		marks
	};
}

export interface HeatMapOptions extends ChartFont {
	cell: number;
	/** Most room for a label (rows on the left, columns upright on top); default fits the labels, at most 220. */
	maxLabel?: number;
}

export interface HeatMapLayout {
	width: number;
	height: number;
	/** Top-left of the grid. */
	gridX: number;
	gridY: number;
	cell: number;
	/** Labels as drawn, fitted to their space. */
	rowLabels: string[];
	colLabels: string[];
	/** Space left of the grid for the row labels, and above it for the (upright) column labels. */
	rowSpace: number;
	colSpace: number;
}

/**
 * A heat map of rows × columns of square cells: row labels on the left (right-aligned), column
 * labels set upright (rotated -90°) above the grid. Without `colLabels` it is square (co-occurrence).
 */
export function heatMapLayout(rowLabels: string[], o: HeatMapOptions, colLabels: string[] = rowLabels): HeatMapLayout {
	const maxLabel = o.maxLabel ?? 220;
	const space = (labels: string[]) =>
		Math.round(Math.min(maxLabel, labels.reduce((w, l) => Math.max(w, estimateTextWidth(l, o.fontSize)), 0) + 20));
	const rowSpace = space(rowLabels);
	const colSpace = space(colLabels);
	const fit = (labels: string[], room: number) => labels.map((l) => fitLabel(l, room - 20, o.fontSize));
	return {
		width: rowSpace + colLabels.length * o.cell + 4,
		height: colSpace + rowLabels.length * o.cell + 4,
		gridX: rowSpace,
		gridY: colSpace,
		cell: o.cell,
		rowLabels: fit(rowLabels, rowSpace),
		colLabels: fit(colLabels, colSpace),
		rowSpace,
		colSpace
	};
}

/**
 * Heat intensity 0–1 for a count: 0 for 0, otherwise a square-root scale between a visible
 * floor (0.12) and 1 at `max`, so small counts stay visible next to large ones.
 */
export function heatLevel(value: number, max: number): number {
	if (!(value > 0) || !(max > 0)) return 0;
	const t = Math.sqrt(Math.min(value, max) / max);
	return 0.12 + 0.88 * t;
}

/** Text on a heat cell: dark ink on light cells, light ink on dark ones. */
export const heatInk = (level: number): 'dark' | 'light' => (level > 0.55 ? 'light' : 'dark');

/**
 * Series colours for the columns of a cross-tab (attribute values): Paul Tol's colour-blind-safe
 * "muted" scheme. Deliberately not the codes' palette (Okabe–Ito, Tableau 10, see
 * core/codebook.ts PALETTE), so a value (City = N) never wears the colour of a code.
 */
export const SERIES: readonly string[] = [
	'#44aa99',
	'#882255',
	'#ddcc77',
	'#332288',
	'#cc6677',
	'#88ccee',
	'#117733',
	'#aa4499',
	'#999933'
];
export const seriesColour = (i: number): string => SERIES[((i % SERIES.length) + SERIES.length) % SERIES.length];

export interface LegendItem {
	label: string;
	x: number;
	y: number;
}

/**
 * A legend drawn inside the SVG (so a saved chart keeps it): swatch and label per item, left to
 * right, wrapping onto a new line when the width is used up. `y` is the centre of each line.
 */
export function legendLayout(labels: string[], width: number, fontSize: number): { items: LegendItem[]; height: number } {
	const swatch = fontSize;
	const gap = 4;
	const spacing = fontSize * 1.3;
	const lineH = Math.round(fontSize * 1.6);
	const items: LegendItem[] = [];
	let x = 0;
	let line = 0;
	for (const raw of labels) {
		const label = fitLabel(raw, Math.max(40, width - swatch - gap), fontSize);
		const w = swatch + gap + estimateTextWidth(label, fontSize);
		if (x > 0 && x + w > width) {
			x = 0;
			line++;
		}
		items.push({ label, x, y: line * lineH + lineH / 2 });
		x += w + spacing;
	}
	return { items, height: labels.length ? (line + 1) * lineH : 0 };
}
