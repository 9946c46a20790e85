import { describe, expect, it } from 'vitest';
import { BANDS, bandOf, percent } from './bands';

describe('Landis & Koch bands', () => {
	it('reads each printed boundary into its band', () => {
		const name = (v: number) => bandOf(v).name;
		expect(name(-0.091)).toBe('poor');
		expect(name(0)).toBe('slight');
		expect(name(0.2)).toBe('slight');
		expect(name(0.204)).toBe('slight'); // 0.20 as printed
		expect(name(0.21)).toBe('fair');
		expect(name(0.4)).toBe('fair');
		expect(name(0.41)).toBe('moderate');
		expect(name(0.6)).toBe('moderate');
		expect(name(0.61)).toBe('substantial');
		expect(name(0.8)).toBe('substantial');
		expect(name(0.81)).toBe('almost perfect');
		expect(name(1)).toBe('almost perfect');
		expect(new Set(BANDS.map((b) => b.colour)).size).toBe(6);
	});

	it('prints a share as a percentage with one decimal', () => {
		expect(percent(0.8333333)).toBe('83.3%');
		expect(percent(1)).toBe('100.0%');
		expect(percent(0)).toBe('0.0%');
	});
});
