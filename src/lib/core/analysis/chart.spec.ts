import { PALETTE } from '../codebook';
import { describe, expect, it } from 'vitest';
import {
	barChartLayout,
	estimateTextWidth,
	fitLabel,
	groupedBarLayout,
	heatInk,
	heatLevel,
	heatMapLayout,
	legendLayout,
	linearAxis,
	niceTicks,
	seriesColour,
	SERIES
} from './chart';

describe('niceTicks', () => {
	it('steps of 1, 2 or 5 × 10^k from 0 to a round top at or above the max', () => {
		expect(niceTicks(27, 5)).toEqual([0, 10, 20, 30]);
		expect(niceTicks(23, 5)).toEqual([0, 5, 10, 15, 20, 25]);
		expect(niceTicks(4, 5)).toEqual([0, 1, 2, 3, 4]);
		expect(niceTicks(9, 4)).toEqual([0, 5, 10]);
		expect(niceTicks(1000, 4)).toEqual([0, 500, 1000]);
		expect(niceTicks(1001, 4)).toEqual([0, 500, 1000, 1500]);
	});
	it('never steps below 1 (counts are whole numbers) and survives 0 or bad input', () => {
		expect(niceTicks(2, 10)).toEqual([0, 1, 2]);
		expect(niceTicks(0)).toEqual([0, 1]);
		expect(niceTicks(Number.NaN)).toEqual([0, 1]);
		expect(niceTicks(-3)).toEqual([0, 1]);
	});
});

describe('linearAxis', () => {
	it('maps 0 to 0 and the top tick to the width', () => {
		const a = linearAxis(27, 300, 5);
		expect(a.max).toBe(30);
		expect(a.scale(0)).toBe(0);
		expect(a.scale(30)).toBe(300);
		expect(a.scale(15)).toBe(150);
		expect(a.scale(-2)).toBe(0);
	});
});

describe('fitLabel', () => {
	it('keeps a label that fits and cuts one that does not, with an ellipsis', () => {
		expect(fitLabel('Short', 200, 12)).toBe('Short');
		const long = 'Energy and water conservation requirements';
		const cut = fitLabel(long, 100, 12);
		expect(cut.endsWith('…')).toBe(true);
		expect(cut.length).toBeLessThan(long.length);
		expect(estimateTextWidth(cut, 12)).toBeLessThanOrEqual(100);
		expect(long.startsWith(cut.slice(0, -1))).toBe(true);
	});
});

describe('barChartLayout', () => {
	const rows = [
		{ label: 'Economic motivations', value: 20, depth: 0 },
		{ label: 'Production cost reduction', value: 10, depth: 1 },
		{ label: 'Nothing', value: 0, depth: 1 }
	];
	const l = barChartLayout(rows, { width: 400, rowHeight: 20, fontSize: 12, top: 10, bottom: 30 });
	it('one bar per row, stacked by row height, widths proportional to the values', () => {
		// bars are 68 % of the row (14 px), centred: 3 px above each
		expect(l.bars.map((b) => b.y)).toEqual([13, 33, 53]);
		expect(l.bars[0].width).toBeCloseTo(l.axis.scale(20));
		expect(l.bars[1].width).toBeCloseTo(l.bars[0].width / 2);
		expect(l.bars[2].width).toBe(0);
		expect(l.height).toBe(10 + 3 * 20 + 30);
	});
	it('the plot fits inside the width with room for the values, labels right-aligned before it', () => {
		expect(l.plotX).toBeGreaterThan(0);
		expect(l.plotX + l.plotWidth).toBeLessThan(400);
		for (const b of l.bars) {
			expect(b.labelX).toBeLessThan(l.plotX);
			expect(b.valueX).toBeGreaterThanOrEqual(b.x + b.width);
		}
		expect(l.tickX[0]).toBe(l.plotX);
		expect(l.tickX[l.tickX.length - 1]).toBeCloseTo(l.plotX + l.plotWidth);
	});
	it('caps the label space and fits long labels into it', () => {
		const wide = barChartLayout([{ label: 'x'.repeat(200), value: 1 }], { width: 300, rowHeight: 18, fontSize: 12 });
		expect(wide.plotX).toBeLessThanOrEqual(300 * 0.45 + 7);
		expect(wide.bars[0].label.endsWith('…')).toBe(true);
	});
});

describe('groupedBarLayout', () => {
	it('one band per code with one bar per column, on a shared axis', () => {
		const l = groupedBarLayout(
			[
				{ label: 'A', values: [9, 12, 6] },
				{ label: 'B', values: [7, 7, 6] }
			],
			3,
			{ width: 500, rowHeight: 8, fontSize: 12, gap: 6, top: 0 }
		);
		expect(l.marks).toHaveLength(6);
		expect(l.rows[1].y - l.rows[0].y).toBe(3 * 8 + 6);
		const [a0, a1] = [l.marks[0], l.marks[1]];
		expect(a1.y - a0.y).toBe(8);
		expect(a1.width / a0.width).toBeCloseTo(12 / 9);
		expect(l.axis.max).toBeGreaterThanOrEqual(12);
	});
});

describe('heat map', () => {
	it('a square grid after the label space, labels fitted', () => {
		const l = heatMapLayout(['One', 'Two', 'A very long code name indeed, longer than the space'], { cell: 20, fontSize: 11, maxLabel: 120 });
		expect(l.rowSpace).toBeLessThanOrEqual(120);
		expect(l.gridX).toBe(l.rowSpace);
		expect(l.gridY).toBe(l.colSpace);
		expect(l.height).toBe(l.gridY + 3 * 20 + 4);
		expect(l.width).toBe(l.gridX + 3 * 20 + 4);
		expect(l.rowLabels[2].endsWith('…')).toBe(true);
		expect(l.colLabels).toEqual(l.rowLabels);
		for (const lab of l.rowLabels) expect(estimateTextWidth(lab, 11)).toBeLessThanOrEqual(l.rowSpace - 20);
	});
	it('rectangular: codes down, columns across, each with its own label space', () => {
		const l = heatMapLayout(['Economic motivations', 'Policy'], { cell: 16, fontSize: 10 }, ['C', 'N', 'S', '(missing)']);
		expect(l.width).toBe(l.rowSpace + 4 * 16 + 4);
		expect(l.height).toBe(l.colSpace + 2 * 16 + 4);
		expect(l.colSpace).toBeLessThan(l.rowSpace);
		expect(l.colLabels).toEqual(['C', 'N', 'S', '(missing)']);
	});
	it('levels: 0 for nothing, a visible floor for 1, 1 at the max', () => {
		expect(heatLevel(0, 10)).toBe(0);
		expect(heatLevel(3, 0)).toBe(0);
		expect(heatLevel(10, 10)).toBe(1);
		expect(heatLevel(1, 100)).toBeGreaterThan(0.12);
		expect(heatLevel(1, 100)).toBeLessThan(heatLevel(2, 100));
		expect(heatInk(heatLevel(10, 10))).toBe('light');
		expect(heatInk(heatLevel(1, 10))).toBe('dark');
	});
	it('series colours cycle', () => {
		expect(seriesColour(0)).toMatch(/^#[0-9a-f]{6}$/);
		expect(seriesColour(SERIES.length)).toBe(seriesColour(0));
	});
	it('series colours are never code colours (an attribute value must not look like a code)', () => {
		const codeColours = new Set(PALETTE.map((c) => c.toLowerCase()));
		for (const c of SERIES) expect(codeColours.has(c.toLowerCase())).toBe(false);
		expect(new Set(SERIES).size).toBe(SERIES.length);
	});
});

describe('legendLayout', () => {
	it('lays items left to right and wraps within the width', () => {
		const l = legendLayout(['City = C', 'City = N', 'City = S'], 1000, 11);
		expect(l.items.map((i) => i.y)).toEqual([l.items[0].y, l.items[0].y, l.items[0].y]);
		expect(l.items[0].x).toBe(0);
		expect(l.items[1].x).toBeGreaterThan(l.items[0].x);
		expect(l.height).toBe(Math.round(11 * 1.6));
		const narrow = legendLayout(['City = C / Sector = Chemicals', 'City = C / Sector = Textiles', 'City = N'], 200, 11);
		expect(narrow.items[1].x).toBe(0);
		expect(narrow.items[1].y).toBeGreaterThan(narrow.items[0].y);
		expect(narrow.height).toBeGreaterThan(l.height);
		for (const it of narrow.items) expect(it.x + estimateTextWidth(it.label, 11)).toBeLessThanOrEqual(200);
		expect(legendLayout([], 100, 11).height).toBe(0);
	});
});
