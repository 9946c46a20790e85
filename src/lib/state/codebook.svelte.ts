/**
 * The Codebook screen: the study's codes as a tree with segment counts (live), the selected
 * code, and the editing commands (each one transaction in src/lib/db/codes.ts).
 */
import {
	MAX_CODEBOOK_BYTES,
	buildTree,
	codebookCsv,
	codesToCodebookJson,
	descendants,
	walk,
	type CodeFields,
	type CodeNode,
	type MoveDirection
} from '../core/codebook';
import { uniqueName } from '../core/import';
import { newId, nowIso } from '../core/ids';
import { readTextFile } from '../core/text';
import type { Code, Id, Memo, Result } from '../core/types';
import { saveMemo, segmentCounts, type SegmentCounts } from '../db/segments';
import { importRefiCodebook } from '../db/refi';
import {
	addChildCode,
	addSiblingCode,
	deleteCodeWithSegments,
	deleteImpact,
	importCodebook,
	mergeCodeInto,
	moveCodeStep,
	moveCodeTo,
	updateCodeFields,
	setCodeFavourite
} from '../db/codes';
import { Live } from './live.svelte';
import type { StudySession } from './session.svelte';

export interface TreeRow {
	code: Code;
	depth: number;
	path: string[];
	hasChildren: boolean;
}

export class CodebookState {
	readonly session: StudySession;
	#codes: Live<Code[]>;
	#counts: Live<SegmentCounts>;
	#memos: Live<Memo[]>;
	selectedId = $state<Id | null>(null);
	collapsed = $state<Set<Id>>(new Set());

	constructor(session: StudySession) {
		this.session = session;
		const { db, studyId } = session;
		this.#codes = new Live(() => db.codes.where('studyId').equals(studyId).toArray(), []);
		// Blind coding counts only the current coder's segments.
		this.#counts = new Live(
			(shown) => segmentCounts(db, studyId, 'codeId', shown),
			{ shown: new Map(), all: new Map() },
			() => session.shownCoderId
		);
		this.#memos = new Live(
			() => db.memos.where('studyId').equals(studyId).filter((m) => m.targetType === 'code').toArray(),
			[]
		);
		this.tree = $derived(buildTree(this.#codes.current));
		this.all = $derived.by(() => {
			const kids = new Set(this.#codes.current.map((c) => c.parentId).filter((p): p is Id => p !== null));
			return walk(this.tree).map((w) => ({ ...w, hasChildren: kids.has(w.code.id) }));
		});
		this.rows = $derived.by(() => {
			const out: TreeRow[] = [];
			let hideBelow: number | null = null;
			for (const r of this.all) {
				if (hideBelow !== null && r.depth > hideBelow) continue;
				hideBelow = null;
				out.push(r);
				if (r.hasChildren && this.collapsed.has(r.code.id)) hideBelow = r.depth;
			}
			return out;
		});
		this.selected = $derived(this.#codes.current.find((c) => c.id === this.selectedId) ?? null);
	}

	get codes(): Code[] {
		return this.#codes.current;
	}
	get loaded(): boolean {
		return this.#codes.loaded;
	}
	/** The codes as a tree in display order. */
	tree: CodeNode[];
	/** Every code in display order with depth and path. */
	all: TreeRow[];
	/** The rows shown: codes under a collapsed code are hidden. */
	rows: TreeRow[];
	selected: Code | null;

	/** Segments coded with this code itself (blind coding: the current coder's only). */
	count(id: Id): number {
		return this.#counts.current.shown.get(id) ?? 0;
	}
	/** Every coder's segments coded with this code itself (what a merge or delete changes). */
	countAll(id: Id): number {
		return this.#counts.current.all.get(id) ?? 0;
	}
	/** Segments coded with this code or any code below it. */
	countWithSubcodes(id: Id): number {
		return [id, ...descendants(this.codes, id)].reduce((n, c) => n + this.count(c), 0);
	}

	/** The memo on a code (one per code), if any. */
	memoFor(id: Id): Memo | undefined {
		return this.#memos.current.find((m) => m.targetId === id);
	}

	/** Write the memo on a code; an empty memo is removed. */
	writeMemo(id: Id, text: string): Promise<Result<null>> {
		const old = this.memoFor(id);
		const now = nowIso();
		const memo: Memo = old
			? { ...old, text, updatedAt: now }
			: {
					id: newId(),
					studyId: this.session.studyId,
					targetType: 'code',
					targetId: id,
					title: '',
					text,
					coderId: this.session.currentCoderId,
					createdAt: now,
					updatedAt: now
				};
		return this.session.save(() =>
			saveMemo(this.session.db, memo, { nameOf: (_k, cid) => this.codes.find((c) => c.id === cid)?.name })
		);
	}

	toggle(id: Id): void {
		const next = new Set(this.collapsed);
		if (next.has(id)) next.delete(id);
		else next.add(id);
		this.collapsed = next;
	}
	expand(id: Id): void {
		if (!this.collapsed.has(id)) return;
		this.toggle(id);
	}

	#newName(parentId: Id | null): string {
		return uniqueName(
			'New code',
			this.codes.filter((c) => c.parentId === parentId).map((c) => c.name)
		);
	}

	#run<T>(fn: (db: StudySession['db'], studyId: Id) => Promise<Result<T>>): Promise<Result<T>> {
		return this.session.save(() => fn(this.session.db, this.session.studyId));
	}

	/** Add a child (or, with parentId null, a top-level code) named "New code", and select it. */
	async addChild(parentId: Id | null, fields?: CodeFields): Promise<Result<Code>> {
		const r = await this.#run((db, s) => addChildCode(db, s, parentId, fields ?? { name: this.#newName(parentId) }));
		if (!r.ok) return r;
		if (parentId) this.expand(parentId);
		this.selectedId = r.value.code.id;
		return { ok: true, value: r.value.code };
	}
	async addSibling(siblingId: Id, fields?: CodeFields): Promise<Result<Code>> {
		const sib = this.codes.find((c) => c.id === siblingId);
		const r = await this.#run((db, s) => addSiblingCode(db, s, siblingId, fields ?? { name: this.#newName(sib?.parentId ?? null) }));
		if (!r.ok) return r;
		this.selectedId = r.value.code.id;
		return { ok: true, value: r.value.code };
	}
	update(id: Id, patch: Partial<CodeFields>) {
		return this.#run((db, s) => updateCodeFields(db, s, id, patch));
	}
	/** Number key 1–9 for a code (null: none); the code that had it loses it. */
	setFavourite(id: Id, key: number | null) {
		return this.#run((db, s) => setCodeFavourite(db, s, id, key));
	}
	moveBy(id: Id, direction: MoveDirection) {
		return this.#run((db, s) => moveCodeStep(db, s, id, direction));
	}
	moveTo(id: Id, parentId: Id | null, index: number) {
		return this.#run((db, s) => moveCodeTo(db, s, id, parentId, index));
	}
	impact(id: Id) {
		return deleteImpact(this.session.db, this.session.studyId, id);
	}
	async remove(id: Id) {
		const code = this.codes.find((c) => c.id === id);
		const r = await this.#run((db, s) => deleteCodeWithSegments(db, s, id));
		if (r.ok && this.selectedId === id) this.selectedId = code?.parentId ?? null;
		return r;
	}
	async merge(sourceId: Id, targetId: Id) {
		const r = await this.#run((db, s) => mergeCodeInto(db, s, sourceId, targetId));
		if (r.ok) this.selectedId = targetId;
		return r;
	}

	/** Import a codebook file (Gloss JSON or CSV, or a REFI-QDA .qdc); refused whole with every problem's path when anything is wrong. */
	async importFile(file: File): Promise<Result<Code[]>> {
		if (file.size === 0) return { ok: false, errors: [`${file.name}: the file is empty`] };
		if (file.size > MAX_CODEBOOK_BYTES)
			return {
				ok: false,
				errors: [`${file.name}: the file is too large (${(file.size / 1048576).toFixed(1)} MB); a codebook file may be at most ${MAX_CODEBOOK_BYTES / 1048576} MB`]
			};
		const read = await readTextFile(file);
		if (!read.ok) return { ok: false, errors: [read.errors] };
		const text = read.value;
		if (/\.qdc$/i.test(file.name)) {
			// A REFI-QDA codebook (NVivo, ATLAS.ti, MAXQDA…): its codes go after the study's own.
			const r = await this.#run((db, s) => importRefiCodebook(db, s, text, file.name));
			return r.ok ? { ok: true, value: r.value.codes } : r;
		}
		return this.#run((db, s) => importCodebook(db, s, text, file.name));
	}

	exportJson(): string {
		return codesToCodebookJson(this.codes, this.session.study?.name ?? 'Codebook');
	}
	exportCsv(): string {
		return codebookCsv(this.codes, { bom: true });
	}
}
