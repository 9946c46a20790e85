/**
 * Paragraph heights for windowing: measured once a paragraph has been rendered, estimated from
 * its character count otherwise. Positions are prefix sums, rebuilt lazily (a few tens of
 * thousands of numbers: well under a millisecond), from the first changed paragraph on.
 */
export class HeightMap {
	readonly h: Float64Array;
	readonly measured: Uint8Array;
	#top: Float64Array;
	/** Tops from this paragraph on are stale (a measured height changed: rebuilt from there only). */
	#dirty = 0;
	/** Characters per line and line height, calibrated from measured paragraphs. */
	cpl = 75;
	lineH = 26.4;
	/** Height of a paragraph beyond its body lines (padding), and a speaker label's line. */
	gap = 12;
	turnExtra = 30;

	constructor(
		private readonly bodyLen: ArrayLike<number>,
		private readonly turn: ArrayLike<number>
	) {
		const n = bodyLen.length;
		this.h = new Float64Array(n);
		this.measured = new Uint8Array(n);
		this.#top = new Float64Array(n + 1);
		this.reestimate();
	}

	get length(): number {
		return this.h.length;
	}

	estimate(i: number): number {
		const lines = Math.max(1, Math.ceil(this.bodyLen[i] / this.cpl));
		return lines * this.lineH + this.gap + (this.turn[i] ? this.turnExtra : 0);
	}

	/** Estimate every paragraph not measured yet. */
	reestimate() {
		for (let i = 0; i < this.h.length; i++) if (!this.measured[i]) this.h[i] = this.estimate(i);
		this.#dirty = 0;
	}

	/** Forget measurements (the width changed). */
	forget() {
		this.measured.fill(0);
		this.reestimate();
	}

	set(i: number, height: number): boolean {
		this.measured[i] = 1;
		if (Math.abs(this.h[i] - height) < 0.01) return false;
		this.h[i] = height;
		this.#dirty = Math.min(this.#dirty, i);
		return true;
	}

	#build() {
		const n = this.h.length;
		if (this.#dirty > n) return;
		const t = this.#top;
		let y = t[this.#dirty];
		for (let i = this.#dirty; i < n; i++) {
			t[i] = y;
			y += this.h[i];
		}
		t[n] = y;
		this.#dirty = Infinity;
	}

	/** The top of paragraph i (i = length: the total height). */
	top(i: number): number {
		this.#build();
		return this.#top[Math.max(0, Math.min(this.h.length, i))];
	}

	total(): number {
		return this.top(this.h.length);
	}

	/** The paragraph at height y (clamped). */
	indexAt(y: number): number {
		this.#build();
		const t = this.#top;
		let lo = 0;
		let hi = this.h.length - 1;
		let ans = 0;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			if (t[mid] <= y) {
				ans = mid;
				lo = mid + 1;
			} else hi = mid - 1;
		}
		return ans;
	}
}
