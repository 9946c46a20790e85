/**
 * Reading a study for the `gloss` command and turning names given on the command line
 * (coders, attributes, documents) into ids. Pure apart from `io.readFile`.
 */
import { parseBackupReport, type ReadBackup } from '../lib/core/backup';
import type { AnalysisFilter } from '../lib/core/analysis/filter';
import type { Attribute, AttributeValue, Id, Result, StudyData } from '../lib/core/types';

export interface CliIo {
	/** The file's text, or an error message naming the file. */
	readFile(path: string): Result<string, string>;
	stdout(text: string): void;
	stderr(text: string): void;
}

/**
 * Read a backup as the app restores it: what cannot be placed is repaired (core/integrity.ts)
 * and listed in `repairs`. Refused only when the file is not a Gloss backup or cannot be read.
 */
export function loadStudy(io: CliIo, path: string): Result<ReadBackup> {
	const text = io.readFile(path);
	if (!text.ok) return { ok: false, errors: [text.errors] };
	return parseBackupReport(text.value, 'cli', path);
}

const norm = (s: string) => s.trim().toLowerCase();
const list = (xs: string[]) => (xs.length ? xs.map((x) => JSON.stringify(x)).join(', ') : '(none)');

/** Coder names (exact, else case-insensitive) to ids. */
export function resolveCoders(data: StudyData, names: string[]): Result<Id[]> {
	const ids: Id[] = [];
	const errors: string[] = [];
	for (const n of names) {
		const hit = data.coders.find((c) => c.name === n) ?? data.coders.find((c) => norm(c.name) === norm(n));
		if (hit) ids.push(hit.id);
		else errors.push(`--coder: no coder is called ${JSON.stringify(n)}; the coders are ${list(data.coders.map((c) => c.name))}`);
	}
	return errors.length ? { ok: false, errors } : { ok: true, value: ids };
}

/**
 * An attribute by name, case-insensitively: a case attribute (City) or a document attribute
 * (Wave). `case:NAME` or `document:NAME` names one level only.
 */
export function resolveAttribute(data: StudyData, name: string, option = '--by'): Result<Attribute> {
	const m = /^(case|document):(.*)$/i.exec(name);
	const level = m ? (m[1].toLowerCase() as 'case' | 'document') : null;
	const bare = m ? m[2].trim() : name;
	const pool = level ? data.attributes.filter((a) => (a.scope ?? 'case') === level) : data.attributes;
	const hit = pool.find((a) => a.name === bare) ?? pool.find((a) => norm(a.name) === norm(bare));
	if (hit) return { ok: true, value: hit };
	return {
		ok: false,
		errors: [
			`${option}: no ${level ? `${level} ` : ''}attribute is called ${JSON.stringify(bare)}; the attributes are ${list(
				[...data.attributes].sort((x, y) => x.order - y.order).map((a) => (a.scope === 'document' ? `${a.name} (document)` : a.name))
			)}`
		]
	};
}

/** Document names (exact, else case-insensitive) to ids. */
export function resolveDocuments(data: StudyData, names: string[]): Result<Id[]> {
	const ids: Id[] = [];
	const errors: string[] = [];
	for (const n of names) {
		const hit = data.documents.find((d) => d.name === n) ?? data.documents.find((d) => norm(d.name) === norm(n));
		if (hit) ids.push(hit.id);
		else errors.push(`--document: no document is called ${JSON.stringify(n)}`);
	}
	return errors.length ? { ok: false, errors } : { ok: true, value: ids };
}

/**
 * `--where City=C` (repeatable; several values of one attribute are OR'd, different attributes
 * AND'd). `--where City=` selects cases with no value.
 */
export function resolveWhere(data: StudyData, exprs: string[]): Result<Record<Id, AttributeValue[]>> {
	const out: Record<Id, AttributeValue[]> = {};
	const errors: string[] = [];
	for (const e of exprs) {
		const eq = e.indexOf('=');
		if (eq <= 0) {
			errors.push(`--where: expected ATTRIBUTE=VALUE, found ${JSON.stringify(e)}`);
			continue;
		}
		const a = resolveAttribute(data, e.slice(0, eq).trim(), '--where');
		if (!a.ok) {
			errors.push(...a.errors);
			continue;
		}
		const raw = e.slice(eq + 1).trim();
		(out[a.value.id] ??= []).push(raw === '' ? null : raw);
	}
	return errors.length ? { ok: false, errors } : { ok: true, value: out };
}

export interface CommonFilterArgs {
	coders: string[];
	documents: string[];
	where: string[];
}

export function resolveFilter(data: StudyData, a: CommonFilterArgs): Result<AnalysisFilter> {
	const c = resolveCoders(data, a.coders);
	const d = resolveDocuments(data, a.documents);
	const w = resolveWhere(data, a.where);
	const errors = [...(c.ok ? [] : c.errors), ...(d.ok ? [] : d.errors), ...(w.ok ? [] : w.errors)];
	if (errors.length || !c.ok || !d.ok || !w.ok) return { ok: false, errors };
	return { ok: true, value: { coderIds: c.value, documentIds: d.value, attributes: w.value } };
}
