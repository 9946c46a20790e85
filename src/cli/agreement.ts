/**
 * `gloss agreement FILE --coders A,B [--unit presence|segment|character|unitized] [--threshold 0.9]
 *  [--format table|csv|json]`: inter-coder agreement per code and pooled (`(all)`), as on the
 * Review screen. The formulas and conventions are in docs/agreement.md.
 *
 * Coders come from `--coders A,B` and/or the common `--coder NAME` (repeatable); at least two.
 * `--document NAME` (repeatable) and `--where ATTR=VALUE` choose the documents; by default the
 * core compares the documents every chosen coder coded, and says so in a note.
 */
import {
	AGREEMENT_UNITS,
	CHARACTER_POOLINGS,
	POOLING_LABEL,
	agreementCsv,
	agreementTable,
	tryAgreementReport,
	type AgreementUnit,
	type CharacterPooling
} from '../lib/core/agreement';
import type { AnalysisFilter } from '../lib/core/analysis/filter';
import type { Id, Result, StudyData } from '../lib/core/types';
import { hasFlag, optionValue, optionValues } from './args';
import type { Command } from './commands';
import { resolveCoders } from './study';

/** `0.9`, `90` or `90%` as a share in (0, 1]; an error message otherwise. */
export function parseThreshold(raw: string): Result<number> {
	const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(raw);
	const bad: Result<number> = { ok: false, errors: [`--threshold: expected a share such as 0.9 or a percentage such as 90%, found ${JSON.stringify(raw)}`] };
	if (!m) return bad;
	let v = Number(m[1]);
	if (m[2] === '%' || v > 1) v /= 100;
	if (!(v > 0 && v <= 1)) return { ok: false, errors: [`--threshold: must be above 0 and at most 1 (100%), found ${JSON.stringify(raw)}`] };
	return { ok: true, value: v };
}

/**
 * The documents passing the --document and --where filters, or undefined for the core's default.
 * With --where only, the documents every chosen coder coded are kept (the core's default rule),
 * so a transcript a coder never opened does not count as "not coded" by them.
 */
function selectedDocuments(data: StudyData, filter: AnalysisFilter, coderIds: Id[]): Result<Id[] | undefined> {
	const docIds = filter.documentIds?.length ? new Set(filter.documentIds) : null;
	const attrs = Object.entries(filter.attributes ?? {}).filter(([, v]) => v.length > 0);
	if (!docIds && !attrs.length) return { ok: true, value: undefined };
	const caseById = new Map(data.cases.map((c) => [c.id, c] as const));
	const docAttr = new Set(data.attributes.filter((a) => a.scope === 'document').map((a) => a.id));
	const ids = data.documents
		.filter((d) => !docIds || docIds.has(d.id))
		.filter((d) => {
			if (!attrs.length) return true;
			const c = d.caseId ? caseById.get(d.caseId) : undefined;
			if (!c && attrs.some(([attrId]) => !docAttr.has(attrId))) return false;
			return attrs.every(([attrId, vals]) =>
				vals.some((want) => {
					// a document attribute (Wave) is the document's own value; a case attribute its case's
					const have = docAttr.has(attrId) ? d.attributes?.[attrId] : c?.attributes[attrId];
					return want === null ? have === null || have === undefined || have === '' : have !== null && have !== undefined && String(have) === String(want);
				})
			);
		})
		.map((d) => d.id);
	if (!ids.length) return { ok: false, errors: ['--document/--where: no document matches'] };
	if (docIds) return { ok: true, value: ids };
	const codedBy = new Map<Id, Set<Id>>();
	for (const s of data.segments)
		if (s.end > s.start && coderIds.includes(s.coderId)) codedBy.set(s.documentId, (codedBy.get(s.documentId) ?? new Set()).add(s.coderId));
	const byAll = ids.filter((id) => codedBy.get(id)?.size === coderIds.length);
	return { ok: true, value: byAll.length ? byAll : ids };
}

export const AGREEMENT_COMMAND: Command = {
	name: 'agreement',
	summary: 'inter-coder agreement per code and pooled (presence, segment, character or unitized)',
	usage: 'FILE --coders A,B [--unit presence|segment|character|unitized] [--threshold 0.9] [--pooling pooled|mean|weighted] [--rollup] [--by-document]',
	options: [
		{ name: 'coders', repeatable: true, valueName: 'A,B', help: 'the coders to compare, by name, comma-separated (or give --coder twice)' },
		{ name: 'unit', choices: AGREEMENT_UNITS, valueName: 'UNIT', help: 'presence (default), segment, character or unitized' },
		{ name: 'threshold', valueName: 'SHARE', help: 'segment unit: overlap share for a match, 0.9 or 90% (default 0.9)' },
		{
			name: 'pooling',
			choices: CHARACTER_POOLINGS,
			valueName: 'HOW',
			help: 'character unit, rows over several documents: pooled (default; all characters in one table), mean (the mean of the per-document figures) or weighted (that mean weighted by document length)'
		},
		{ name: 'rollup', flag: true, help: 'count descendants’ coding for parent codes' },
		{ name: 'by-document', flag: true, help: 'also one block of rows per document (adds a document column)' }
	],
	run({ args, data, filter, format, bom }) {
		const errors: string[] = [];
		const names = optionValues(args, 'coders')
			.flatMap((v) => v.split(','))
			.map((s) => s.trim())
			.filter(Boolean);
		const fromCoders = resolveCoders(data, names);
		if (!fromCoders.ok) errors.push(...fromCoders.errors.map((e) => e.replace(/^--coder:/, '--coders:')));
		const coderIds = [...new Set([...(fromCoders.ok ? fromCoders.value : []), ...(filter.coderIds ?? [])])];
		if (fromCoders.ok && coderIds.length < 2)
			errors.push(
				`--coders: name at least two coders to compare (e.g. --coders "${data.coders[0]?.name ?? 'A'},${data.coders[1]?.name ?? 'B'}"); the coders are ${data.coders.map((c) => JSON.stringify(c.name)).join(', ') || '(none)'}`
			);
		let threshold: number | undefined;
		if (args.options.has('threshold')) {
			const t = parseThreshold(optionValue(args, 'threshold', ''));
			if (t.ok) threshold = t.value;
			else errors.push(...t.errors);
		}
		const unit = optionValue(args, 'unit', 'presence') as AgreementUnit;
		const pooling = optionValue(args, 'pooling', 'pooled') as CharacterPooling;
		if (args.options.has('pooling') && unit !== 'character')
			errors.push(`--pooling: only for --unit character (it says how the per-document character figures are combined); the unit is ${unit}`);
		const docs = selectedDocuments(data, filter, coderIds);
		if (!docs.ok) errors.push(...docs.errors);
		if (errors.length || !docs.ok) return { ok: false, errors };
		const byDocument = hasFlag(args, 'by-document');
		const r = tryAgreementReport(data, {
			coderIds,
			unit,
			threshold,
			documentIds: docs.value,
			includeDescendants: hasFlag(args, 'rollup'),
			byDocument,
			pooling
		});
		if (!r.ok) return r;
		const report = r.value;
		const rows = byDocument ? [...report.rows, ...report.documentRows] : report.rows;
		if (format === 'csv') return { ok: true, value: agreementCsv(rows, { bom, withDocument: byDocument }) };
		if (format === 'json') return { ok: true, value: JSON.stringify(report, null, 2) + '\n' };
		const notes = [...report.notes];
		if (unit === 'character')
			notes.push(`rows over several documents: ${POOLING_LABEL[pooling]}${byDocument ? '; the rows per document are NVivo’s per-source figures' : ''}.`);
		const noteText = notes.length ? '\n' + notes.map((n) => `note: ${n}`).join('\n') + '\n' : '';
		return { ok: true, value: agreementTable(rows) + noteText };
	}
};
