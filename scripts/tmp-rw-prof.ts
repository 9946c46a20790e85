import { fullScaleStudy } from './fullscale';
import { reviewDisagreements, tryAgreementReport } from '../src/lib/core/agreement';
const data = fullScaleStudy();
console.log('codes', data.codes.length, 'coders', data.coders.map((c) => c.name), 'docs', data.documents.length);
const [a, b] = [data.coders[0].id, data.coders[1].id];
for (const unit of ['presence', 'character', 'segment'] as const) {
	let t = performance.now();
	const r = tryAgreementReport(data, { coderIds: [a, b], unit, threshold: 0.9, byDocument: unit === 'character' });
	const t1 = performance.now();
	const p = reviewDisagreements(data, a, b, 0.9, { codeIds: r.ok ? r.value.codeIds : [], documentIds: r.ok ? r.value.documentIds : [] });
	const t2 = performance.now();
	const msg = structuredClone(p);
	const t3 = performance.now();
	const js = JSON.stringify(p).length;
	console.log(unit, 'report', (t1 - t).toFixed(0), 'dis', (t2 - t1).toFixed(0), 'clone', (t3 - t2).toFixed(0), 'json MB', (js / 1e6).toFixed(1), p.length, msg.length);
}
