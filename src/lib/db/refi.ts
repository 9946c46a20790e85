/** REFI-QDA import into the database: a project as a new study, a codebook into a study. */
import { codebookToCodes } from '../core/codebook';
import { newId } from '../core/ids';
import { parseQdc, parseQdpx, type RefiImport } from '../core/refi/import';
import type { Code, Id, Result, Study } from '../core/types';
import type { GlossDB } from './db';
import { restoreMedia } from './media';
import { roomFor, writeFailure } from './storage';
import { insertStudyData } from './studies';

export interface RefiProjectImported {
	study: Study;
	counts: { documents: number; codes: number; segments: number; cases: number; coders: number; memos: number; recordings: number };
	/** Things skipped or changed, each naming the file and element. */
	warnings: string[];
	/** What the importer decided (for example how it read the positions). */
	notes: string[];
}

/**
 * Import a `.qdpx` project's bytes as a new study, in one transaction. Nothing is written unless
 * the whole project was read and validated.
 */
export async function importRefiProject(db: GlossDB, bytes: Uint8Array, fileName: string): Promise<Result<RefiProjectImported>> {
	const parsed = parseQdpx(bytes, fileName, newId());
	if (!parsed.ok) return parsed;
	return storeRefiProject(db, parsed.value, fileName);
}

/**
 * Store a project already read (by `parseQdpx`, perhaps in a worker) as a new study, in one
 * transaction; then its recordings (as a backup's are restored: if they cannot be stored, the
 * study stays and a warning says so).
 */
export async function storeRefiProject(db: GlossDB, parsed: RefiImport, fileName: string): Promise<Result<RefiProjectImported>> {
	const { data, notes, media = [] } = parsed;
	const warnings = [...parsed.warnings];
	// The texts and about 200 characters a row for the rest, and the recordings.
	const chars =
		data.documents.reduce((n, d) => n + d.text.length, 0) +
		200 * (data.segments.length + data.codes.length + data.memos.length) +
		Math.ceil(media.reduce((n, m) => n + m.bytes.length, 0) / 2);
	const noRoom = await roomFor(chars, fileName);
	if (noRoom) return { ok: false, errors: [noRoom] };
	try {
		await insertStudyData(db, data);
	} catch (e) {
		return { ok: false, errors: [writeFailure(e, fileName)] };
	}
	let recordings = 0;
	if (media.length) {
		const m = await restoreMedia(db, data.study.id, media, fileName);
		if (m.ok) recordings = m.value.stored;
		else warnings.push(`${m.errors[0]} The study was imported without its recordings.`);
	}
	return {
		ok: true,
		value: {
			study: data.study,
			counts: {
				documents: data.documents.length,
				codes: data.codes.length,
				segments: data.segments.length,
				cases: data.cases.length,
				coders: data.coders.length,
				memos: data.memos.length,
				recordings
			},
			warnings,
			notes
		}
	};
}

/**
 * Import a `.qdc` codebook into an existing study: its codes go after the study's own. A clash
 * (same GUID, or a top-level name the study already uses) is an error and nothing is written.
 */
export async function importRefiCodebook(
	db: GlossDB,
	studyId: Id,
	text: string,
	fileName: string
): Promise<Result<{ codes: Code[]; warnings: string[] }>> {
	const parsed = parseQdc(text, fileName);
	if (!parsed.ok) return parsed;
	return db.transaction('rw', [db.studies, db.codes], async () => {
		if (!(await db.studies.get(studyId))) return { ok: false, errors: ['This study no longer exists'] } as const;
		const existing = await db.codes.where('studyId').equals(studyId).toArray();
		const r = codebookToCodes(parsed.value.codebook.codes, studyId, existing);
		if (!r.ok) return { ok: false, errors: r.errors.map((e) => `${fileName}: ${e}`) } as const;
		await db.codes.bulkAdd(r.value);
		return { ok: true, value: { codes: r.value, warnings: parsed.value.warnings } } as const;
	});
}
