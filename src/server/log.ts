/**
 * One log line per event: `<time> <instance> <event> key=value …`. Callers pass member ids,
 * roles, document names and reasons, never document content or tokens.
 */
export interface Logger {
	event(name: string, fields: Record<string, string | number | boolean | null | undefined>): void;
}

function fmt(v: string | number | boolean): string {
	const s = String(v);
	return /^[^\s"=]+$/.test(s) ? s : JSON.stringify(s);
}

export function makeLogger(instance: string, out: (line: string) => void = (l) => console.log(l)): Logger {
	return {
		event(name, fields) {
			const parts = [new Date().toISOString(), instance, name];
			for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) parts.push(`${k}=${fmt(v)}`);
			out(parts.join(' '));
		}
	};
}
