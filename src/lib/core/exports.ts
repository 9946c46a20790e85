/**
 * CSV exports of a study: coded segments, the code × case matrix, any analysis table, and the
 * case attributes. RFC 4180, UTF-8 (optional BOM), formula cells neutralised (see csv.ts).
 * Column orders are documented in docs/csv-formats.md. The codebook CSV lives in codebook.ts.
 */
import { type AnalysisFilter, applyFilter } from './analysis/filter';
import { codeCaseMatrix, type MatrixOptions } from './analysis/matrix';
import { type AnalysisIndex, indexOf } from './analysis/model';
import { type Table, matrixTable } from './analysis/tables';
import { type Cell, type CsvOptions, csvField, toCsv } from './csv';
import type { StudyData } from './types';
import { scopeOf } from './types';
import { pageAt } from './pdf';

export const SEGMENT_COLUMNS_BEFORE = ['study', 'document', 'case'] as const;
export const SEGMENT_COLUMNS_AFTER = ['code_id', 'code', 'coder', 'start', 'end', 'text', 'memo', 'created', 'updated'] as const;

/** The case attributes, in column order. */
function sortedAttributes(data: StudyData) {
	return [...data.attributes].filter((a) => scopeOf(a) === 'case').sort((a, b) => a.order - b.order || (a.name < b.name ? -1 : 1));
}
/** The document attributes, in column order. */
function sortedDocumentAttributes(data: StudyData) {
	return [...data.attributes].filter((a) => scopeOf(a) === 'document').sort((a, b) => a.order - b.order || (a.name < b.name ? -1 : 1));
}

/** Whether any document has pages (a PDF): then the segment exports give a `page` column after `end`. */
export function hasPages(data: StudyData): boolean {
	return data.documents.some((d) => (d.pages?.length ?? 0) > 0);
}

/** The segment's own columns: `page` after `end` when a document has pages. */
function segmentColumns(data: StudyData): string[] {
	const cols: string[] = [...SEGMENT_COLUMNS_AFTER];
	if (hasPages(data)) cols.splice(cols.indexOf('end') + 1, 0, 'page');
	return cols;
}

/**
 * The header of `segmentsCsv`: study, document, case, one column per case attribute, one per
 * document attribute, then the segment's columns.
 */
export function segmentsHeader(data: StudyData): string[] {
	return [
		...SEGMENT_COLUMNS_BEFORE,
		...sortedAttributes(data).map((a) => a.name),
		...sortedDocumentAttributes(data).map((a) => a.name),
		...segmentColumns(data)
	];
}

/** The passing segment positions of document d, by start, end, codebook order, coder, id. */
function docPositions(ix: AnalysisIndex, segPass: Uint8Array, d: number): number[] {
	const { segs, segCode, segCoder } = ix;
	const pos: number[] = [];
	for (let p = ix.docSegStart[d]; p < ix.docSegStart[d + 1]; p++) if (segPass[p]) pos.push(p);
	pos.sort(
		(a, b) =>
			segs[a].start - segs[b].start ||
			segs[a].end - segs[b].end ||
			segCode[a] - segCode[b] ||
			segCoder[a] - segCoder[b] ||
			(segs[a].id < segs[b].id ? -1 : 1)
	);
	return pos;
}

/**
 * The rows of the coded-segments export: one per segment passing the filter, in document order
 * (documents grouped by case), then by start, end, codebook order and coder name.
 */
export function segmentsRows(data: StudyData, filter: AnalysisFilter = {}): Cell[][] {
	const ix = indexOf(data);
	const f = applyFilter(ix, filter);
	const attrs = sortedAttributes(data);
	const docAttrs = sortedDocumentAttributes(data);
	const studyName = data.study.name;
	const rows: Cell[][] = [];
	const { segs, segCode, segCoder } = ix;
	const paged = hasPages(data);
	for (let d = 0; d < ix.docs.length; d++) {
		const doc = ix.docs[d];
		const c = ix.docCase[d];
		const kase = c >= 0 ? ix.cases[c] : null;
		const prefix: Cell[] = [studyName, doc.name, kase ? kase.name : null];
		for (const a of attrs) prefix.push(kase ? (kase.attributes[a.id] ?? null) : null);
		for (const a of docAttrs) prefix.push(doc.attributes?.[a.id] ?? null);
		for (const p of docPositions(ix, f.segPass, d)) {
			const s = segs[p];
			const row = prefix.slice();
			row.push(
				s.codeId,
				ix.paths[segCode[p]],
				ix.coders[segCoder[p]].name,
				s.start,
				s.end,
				...(paged ? [pageAt(doc.pages, s.start)] : []),
				doc.text.slice(s.start, s.end),
				s.memo,
				s.createdAt,
				s.updatedAt
			);
			rows.push(row);
		}
	}
	return rows;
}

/**
 * (a) Coded segments, one row per segment (the rows of `segmentsRows`). Written line by line
 * with `csvField` (same quoting as toCsv) so that 100,000 segments take well under a second.
 */
export function segmentsCsv(data: StudyData, filter: AnalysisFilter = {}, opts: CsvOptions = {}): string {
	return segmentsCsvParts(data, filter, opts).join('');
}

/** Rows per piece of `segmentsCsvParts`. */
const CSV_PART_ROWS = 4096;

/**
 * `segmentsCsv`'s text in pieces of a few thousand rows (joined, exactly that text): a worker makes
 * a Blob of them, so 100,000 segments never become one 40 MB string (with the BOM, a two-byte one).
 */
export function segmentsCsvParts(data: StudyData, filter: AnalysisFilter = {}, opts: CsvOptions = {}): string[] {
	const ix = indexOf(data);
	const f = applyFilter(ix, filter);
	const attrs = sortedAttributes(data);
	const docAttrs = sortedDocumentAttributes(data);
	const parts: string[] = opts.bom ? ['\ufeff'] : [];
	let lines: string[] = [segmentsHeader(data).map(csvField).join(',')];
	const study = csvField(data.study.name);
	const coderNames = ix.coders.map((c) => csvField(c.name));
	const paths = ix.paths.map(csvField);
	const { segs, segCode, segCoder } = ix;
	const paged = hasPages(data);
	for (let d = 0; d < ix.docs.length; d++) {
		const doc = ix.docs[d];
		const c = ix.docCase[d];
		const kase = c >= 0 ? ix.cases[c] : null;
		let prefix = study + ',' + csvField(doc.name) + ',' + csvField(kase ? kase.name : null);
		for (const a of attrs) prefix += ',' + csvField(kase ? (kase.attributes[a.id] ?? null) : null);
		for (const a of docAttrs) prefix += ',' + csvField(doc.attributes?.[a.id] ?? null);
		for (const p of docPositions(ix, f.segPass, d)) {
			const s = segs[p];
			lines.push(
				[
					prefix,
					csvField(s.codeId),
					paths[segCode[p]],
					coderNames[segCoder[p]],
					s.start,
					paged ? s.end + ',' + csvField(pageAt(doc.pages, s.start)) : s.end,
					csvField(doc.text.slice(s.start, s.end)),
					csvField(s.memo),
					csvField(s.createdAt),
					csvField(s.updatedAt)
				].join(',')
			);
			if (lines.length === CSV_PART_ROWS) {
				parts.push(lines.join('\r\n') + '\r\n');
				lines = [];
			}
		}
	}
	if (lines.length) parts.push(lines.join('\r\n') + '\r\n');
	return parts;
}

export interface MatrixCsvOptions extends CsvOptions, MatrixOptions {
	/** 0/1 instead of segment counts. */
	binary?: boolean;
}

/** (b) The code × case matrix, wide: `case`, the attributes, then one column per code path. */
export function matrixCsv(data: StudyData, filter: AnalysisFilter = {}, opts: MatrixCsvOptions = {}): string {
	const m = codeCaseMatrix(data, filter, { includeDescendants: opts.includeDescendants });
	const t = matrixTable(m, data.attributes, { binary: opts.binary });
	return toCsv(t.header, t.rows, opts);
}

/** (c) Any table as shown (see analysis/tables.ts: frequencyTable, crosstabTable, cooccurrenceTable). */
export function tableCsv(table: Table, opts: CsvOptions = {}): string {
	return toCsv(table.header, table.rows, opts);
}

/** The cases screen: `case`, then one column per attribute (attribute order). Cases by name. */
/** The document attributes as CSV: one row per document (in document order), its name, then one column per document attribute. */
export function documentAttributesCsv(data: StudyData, opts: CsvOptions = {}): string {
	const attrs = sortedDocumentAttributes(data);
	const docs = [...data.documents].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
	return toCsv(
		['document', ...attrs.map((a) => a.name)],
		docs.map((d) => [d.name, ...attrs.map((a) => d.attributes?.[a.id] ?? null)]),
		opts
	);
}

/** The case attributes as CSV: one row per case, its name, then one column per case attribute. */
export function attributesCsv(data: StudyData, opts: CsvOptions = {}): string {
	const ix = indexOf(data);
	const attrs = sortedAttributes(data);
	return toCsv(
		['case', ...attrs.map((a) => a.name)],
		ix.cases.map((c) => [c.name, ...attrs.map((a) => c.attributes[a.id] ?? null)]),
		opts
	);
}
