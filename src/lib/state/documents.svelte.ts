/**
 * The Documents screen: documents, cases and segment counts (live), and the transcript import
 * with progress, cancel and a per-file report.
 */
import type { Attribute, AttributeType, Case, Result } from '../core/types';
import type { DocumentRow } from '../db/db';
import { scopeOf } from '../core/types';
import type { AttributeMapping } from '../core/cases';
import type { ParsedCsv } from '../core/csv';
import { documentAttributesCsv } from '../core/exports';
import {
	addAttribute,
	importDocumentAttributes,
	setDocumentValue
} from '../db/cases';
import { loadStudyData } from '../db/studies';
import { AttributeOwnerState } from './attribute-owner';
import { importSummary, readTranscript, type ImportOutcome, type Transcript } from '../core/import';
import {
	deleteDocument,
	findSameDocument,
	getDocumentText,
	importTranscript,
	moveDocumentToNewCase,
	renameDocument,
	setDocumentCase
} from '../db/documents';
import { segmentCounts, type SegmentCounts } from '../db/segments';
import type { PdfJs } from '../core/pdf';
import { Live } from './live.svelte';
import { listPage, type ListColumn, type ListPage, type SortDir } from '../core/listing';
import type { StudySession } from './session.svelte';

/** Read a .docx to raw text with mammoth's browser build, loaded only when first needed. */
export async function readDocxInBrowser(bytes: ArrayBuffer): Promise<string> {
	const mod = await import('mammoth');
	const mammoth = (mod as unknown as { default?: typeof mod }).default ?? mod;
	const res = await mammoth.extractRawText({ arrayBuffer: bytes });
	return res.value;
}

/**
 * Adobe's predefined CMaps, which PDFs with CJK fonts that are not embedded (Chinese documents from
 * Word often) need for their text to read at all. Each is a build asset of this origin, fetched
 * only when a PDF names it, so they work offline and under the CSP.
 */
const CMAPS = import.meta.glob('/node_modules/pdfjs-dist/cmaps/*.bcmap', { query: '?url', import: 'default' }) as Record<string, () => Promise<string>>;

class BundledCMapReader {
	constructor(_options: unknown) {}
	async fetch({ name }: { name: string }): Promise<{ cMapData: Uint8Array; isCompressed: boolean }> {
		const url = CMAPS[`/node_modules/pdfjs-dist/cmaps/${name}.bcmap`];
		if (!url) throw new Error(`no CMap named ${name}`);
		const res = await fetch(await url());
		if (!res.ok) throw new Error(`CMap ${name}: ${res.status}`);
		return { cMapData: new Uint8Array(await res.arrayBuffer()), isCompressed: true };
	}
}

/** pdfjs-dist's browser build, loaded only when a PDF is first imported; it parses in its own worker. */
export async function loadPdfJs(): Promise<PdfJs> {
	const [pdfjs, worker] = await Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]);
	pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
	return {
		getDocument: (src) =>
			pdfjs.getDocument({ ...src, CMapReaderFactory: BundledCMapReader, cMapPacked: true, useWorkerFetch: false }) as unknown as ReturnType<PdfJs['getDocument']>
	};
}

/** Documents shown per page: a 500-transcript study draws 50 rows, not 500. */
export const DOCUMENTS_PAGE_SIZE = 50;

/** The columns the Documents list sorts by. */
export type DocumentSort = 'name' | 'case' | 'paragraphs' | 'characters' | 'segments' | 'added';

export interface ImportProgress {
	done: number;
	total: number;
	current: string;
}


export class DocumentsState extends AttributeOwnerState {
	#documents: Live<DocumentRow[]>;
	#cases: Live<Case[]>;
	#attributes: Live<Attribute[]>;
	#segmentCounts: Live<SegmentCounts>;
	#progress = $state<ImportProgress | null>(null);
	#outcome = $state<ImportOutcome | null>(null);
	#cancelRequested = false;

	/** The list's filter words, sort column and direction, and page (filtering and sorting cover every document). */
	filter = $state('');
	sort = $state<DocumentSort | null>(null);
	dir = $state<SortDir>('asc');
	page = $state(0);

	constructor(session: StudySession) {
		super(session);
		const { db, studyId } = session;
		this.#documents = new Live(async () => {
			const docs = await db.documents.where('studyId').equals(studyId).toArray();
			return docs.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
		}, []);
		this.#cases = new Live(async () => {
			const cases = await db.cases.where('studyId').equals(studyId).toArray();
			return cases.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
		}, []);
		this.#attributes = new Live(async () => {
			const attrs = await db.attributes.where('studyId').equals(studyId).toArray();
			return attrs.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
		}, []);
		// Blind coding counts only the current coder's segments.
		this.#segmentCounts = new Live(
			(shown) => segmentCounts(db, studyId, 'documentId', shown),
			{ shown: new Map(), all: new Map() },
			() => session.shownCoderId
		);
	}

	#caseNames = $derived.by(() => new Map(this.#cases.current.map((c) => [c.id, c.name])));
	#columns: Record<DocumentSort, ListColumn<DocumentRow>> = {
		name: { value: (d) => d.name },
		case: { value: (d) => (d.caseId ? this.#caseNames.get(d.caseId) : undefined) },
		paragraphs: { value: (d) => d.paragraphCount },
		characters: { value: (d) => d.textLength },
		segments: { value: (d) => this.segmentCount(d.id) },
		added: { value: (d) => d.createdAt }
	};
	/** What the filter searches: the name, the file it came from, its case and its attribute values. */
	#searchText = (d: DocumentRow): string => {
		const parts: unknown[] = [d.name, d.sourceName ?? '', d.caseId ? (this.#caseNames.get(d.caseId) ?? '') : ''];
		for (const v of Object.values(d.attributes ?? {})) if (v !== null && v !== undefined) parts.push(v);
		return parts.join('\u0000');
	};

	/** The page of the filtered, sorted documents on screen. */
	shown: ListPage<DocumentRow> = $derived.by(() =>
		listPage(
			this.#documents.current,
			{ filter: this.filter, sort: this.sort, dir: this.dir, page: this.page, size: DOCUMENTS_PAGE_SIZE },
			this.#searchText,
			this.#columns
		)
	);

	/** Filter by words (back to the first page). */
	setFilter(text: string) {
		this.filter = text;
		this.page = 0;
	}
	/** Sort by a column: ascending first, descending on the second click, the list's own order on the third. */
	sortBy(col: DocumentSort) {
		if (this.sort !== col) {
			this.sort = col;
			this.dir = 'asc';
		} else if (this.dir === 'asc') this.dir = 'desc';
		else this.sort = null;
		this.page = 0;
	}
	goToPage(page: number) {
		this.page = Math.max(0, Math.min(page, this.shown.pages - 1));
	}
	/** Whether the segment counts are in (until then the Segments column shows none). */
	get countsLoaded(): boolean {
		return this.#segmentCounts.loaded;
	}

	/** The documents, without their texts (`text` reads one). */
	get documents(): DocumentRow[] {
		return this.#documents.current;
	}
	/** One document's text, read when asked (the preview). */
	text(documentId: string): Promise<string> {
		return getDocumentText(this.session.db, this.session.studyId, documentId);
	}
	get loaded(): boolean {
		return this.#documents.loaded;
	}
	get cases(): Case[] {
		return this.#cases.current;
	}
	/** The document's coded segments shown to this coder (blind coding: only theirs). */
	segmentCount(documentId: string): number {
		return this.#segmentCounts.current.shown.get(documentId) ?? 0;
	}
	/** Every coder's segments in the document (what deleting it deletes). */
	segmentCountAll(documentId: string): number {
		return this.#segmentCounts.current.all.get(documentId) ?? 0;
	}
	caseName(caseId: string | null): string | null {
		return this.#cases.current.find((c) => c.id === caseId)?.name ?? null;
	}

	/** Non-null while an import runs. */
	get progress(): ImportProgress | null {
		return this.#progress;
	}
	/** The report of the last import (cleared when a new one starts). */
	get outcome(): ImportOutcome | null {
		return this.#outcome;
	}
	clearOutcome(): void {
		this.#outcome = null;
	}

	/** Stop after the file being read now; files already imported stay. */
	cancelImport(): void {
		this.#cancelRequested = true;
	}

	/**
	 * Import transcripts one file at a time (each in its own transaction), so a bad file is
	 * skipped with its reason and a cancel keeps what is done. A file the study already holds
	 * (same name, same text) is held back; at the end `confirmCopies` is asked once, with their
	 * names, whether to add them as copies (without it, they are skipped).
	 */
	async importFiles(
		files: File[],
		confirmCopies: (names: string[]) => Promise<boolean> = async () => false,
		readDocx = readDocxInBrowser
	): Promise<ImportOutcome> {
		this.#cancelRequested = false;
		this.#outcome = null;
		const outcome: ImportOutcome = { imported: [], skipped: [], cancelled: 0 };
		const held: { file: File; t: Transcript; existing: string }[] = [];
		const total = files.length;
		for (let i = 0; i < files.length; i++) {
			if (this.#cancelRequested) {
				outcome.cancelled = files.length - i;
				break;
			}
			const f = files[i];
			this.#progress = { done: i, total, current: f.name };
			const t = await readTranscript(f, {
				docx: readDocx,
				pdf: loadPdfJs,
				onProgress: (page, pages) => (this.#progress = { done: i, total, current: `${f.name}, page ${page} of ${pages}` }),
				cancelled: () => this.#cancelRequested
			});
			if (!t.ok) {
				outcome.skipped.push(t.errors);
				continue;
			}
			const same = await findSameDocument(this.session.db, this.session.studyId, t.value);
			if (same) {
				held.push({ file: f, t: t.value, existing: same.name });
				continue;
			}
			await this.#store(f, t.value, outcome);
		}
		if (held.length) {
			this.#progress = null;
			const copies = await confirmCopies(held.map((h) => (h.existing === h.t.name ? h.file.name : `${h.file.name} (as “${h.existing}”)`)));
			for (const h of held) {
				if (copies) await this.#store(h.file, h.t, outcome);
				else outcome.skipped.push(`${h.file.name}: already imported as “${h.existing}” (same name and text); not added again`);
			}
		}
		this.#progress = null;
		this.#outcome = outcome;
		return outcome;
	}

	async #store(f: File, t: Transcript, outcome: ImportOutcome): Promise<void> {
		const r = await this.session.save(() => importTranscript(this.session.db, this.session.studyId, t));
		if (!r.ok) outcome.skipped.push(...r.errors.map((e) => (e.startsWith(f.name) ? e : `${f.name}: ${e}`)));
		else outcome.imported.push(r.value.document.name);
	}

	/** "Imported 12 transcripts; 1 skipped (why)"; without the reason when the list shows it. */
	summary(o: ImportOutcome, withReason = true): string {
		return importSummary(o, withReason);
	}

	rename(documentId: string, name: string): Promise<Result<DocumentRow>> {
		return this.session.save(() => renameDocument(this.session.db, this.session.studyId, documentId, name));
	}
	remove(documentId: string): Promise<Result<{ segments: number }>> {
		return this.session.save(() => deleteDocument(this.session.db, this.session.studyId, documentId));
	}
	setCase(documentId: string, caseId: string): Promise<Result<DocumentRow>> {
		return this.session.save(() => setDocumentCase(this.session.db, this.session.studyId, documentId, caseId));
	}
	newCaseFor(documentId: string, caseName?: string) {
		return this.session.save(() => moveDocumentToNewCase(this.session.db, this.session.studyId, documentId, caseName));
	}

	// ------------------------------------------------ document attributes (wave, date, interviewer…)

	/** The document attributes, in column order. */
	get attributes(): Attribute[] {
		return this.#attributes.current.filter((a) => scopeOf(a) === 'document');
	}
	/** Every attribute of the study, case attributes too (the CSV import checks names against them). */
	get allAttributes(): Attribute[] {
		return this.#attributes.current;
	}
	/** The distinct values of a category attribute, for suggestions. */
	valuesOf(attributeId: string): string[] {
		const set = new Set<string>();
		for (const d of this.#documents.current) {
			const v = d.attributes?.[attributeId];
			if (typeof v === 'string' && v) set.add(v);
		}
		return [...set].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
	}
	setValue(documentId: string, attributeId: string, raw: string) {
		return this.save((db, s) => setDocumentValue(db, s, documentId, attributeId, raw));
	}
	addAttribute(name: string, type: AttributeType) {
		return this.save((db, s) => addAttribute(db, s, name, type, 'document'));
	}
	importCsv(csv: ParsedCsv, mapping: AttributeMapping, fileName: string) {
		return this.save((db, s) => importDocumentAttributes(db, s, csv, mapping, fileName));
	}
	/** The document attributes as CSV (one row per document), with a BOM so Excel reads it as UTF-8. */
	async exportCsv(): Promise<string> {
		const data = await loadStudyData(this.session.db, this.session.studyId);
		if (!data) return '';
		return documentAttributesCsv(data, { bom: true });
	}
}
