// webvtt-parser ships no types: the part Gloss uses (src/lib/core/timed.ts).
declare module 'webvtt-parser' {
	export class WebVTTParser {
		constructor(entities?: Record<string, string>);
		parse(input: string, mode?: 'metadata' | 'chapters'): { cues: unknown[]; errors: { message: string; line: number }[] };
	}
	const webvtt: { WebVTTParser: typeof WebVTTParser };
	export default webvtt;
}
