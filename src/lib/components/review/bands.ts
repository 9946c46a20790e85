/**
 * Landis & Koch (1977) bands for reading kappa-type coefficients, and their colours.
 * Landis, J. R. & Koch, G. G. (1977). The measurement of observer agreement for categorical
 * data. Biometrics 33(1):159–174. A common reading, not a rule.
 * Colours: ColorBrewer RdYlBu (colour-blind safe), red = poor to blue = almost perfect.
 */
export interface Band {
	name: string;
	/** Lower bound (inclusive, except the first), upper bound inclusive. */
	range: string;
	colour: string;
}

export const BANDS: readonly Band[] = [
	{ name: 'poor', range: '< 0', colour: '#d73027' },
	{ name: 'slight', range: '0–0.20', colour: '#f46d43' },
	{ name: 'fair', range: '0.21–0.40', colour: '#fdae61' },
	{ name: 'moderate', range: '0.41–0.60', colour: '#e6c84a' },
	{ name: 'substantial', range: '0.61–0.80', colour: '#74add1' },
	{ name: 'almost perfect', range: '0.81–1', colour: '#4575b4' }
];

/** The band of a kappa/alpha value (values are rounded to 2 decimals first, as the bands are printed). */
export function bandOf(value: number): Band {
	const v = Math.round(value * 100) / 100;
	if (v < 0) return BANDS[0];
	if (v <= 0.2) return BANDS[1];
	if (v <= 0.4) return BANDS[2];
	if (v <= 0.6) return BANDS[3];
	if (v <= 0.8) return BANDS[4];
	return BANDS[5];
}

/** A share 0–1 as a percentage with one decimal: "83.3%". */
export function percent(value: number): string {
	return `${(value * 100).toFixed(1)}%`;
}
