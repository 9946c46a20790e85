/**
 * What the Cases and Documents tables share: their attributes are renamed, retyped, moved and
 * deleted the same way, and their CSV files read the same way. Each table's own writes (values,
 * import, export) stay in its state class, which extends this one.
 */
import { MAX_ATTRIBUTE_CSV_BYTES } from '../core/cases';
import { parseCsv, type ParsedCsv } from '../core/csv';
import { readTextFile } from '../core/text';
import type { AttributeType, Result } from '../core/types';
import { changeAttributeType, deleteAttribute, moveAttribute, renameAttribute } from '../db/cases';
import type { StudySession } from './session.svelte';

/** Read and parse an attributes CSV file (cases or documents) for the import dialog. */
export async function readAttributeCsv(file: File): Promise<Result<ParsedCsv>> {
	if (file.size === 0) return { ok: false, errors: [`${file.name}: the file is empty`] };
	if (file.size > MAX_ATTRIBUTE_CSV_BYTES)
		return {
			ok: false,
			errors: [`${file.name}: too large (${(file.size / 1048576).toFixed(1)} MB); an attributes file may be at most ${MAX_ATTRIBUTE_CSV_BYTES / 1048576} MB`]
		};
	const text = await readTextFile(file);
	if (!text.ok) return { ok: false, errors: [text.errors] };
	return parseCsv(text.value, file.name);
}

export abstract class AttributeOwnerState {
	readonly session: StudySession;

	constructor(session: StudySession) {
		this.session = session;
	}

	/** A write through the session: "Saving…", then "Saved" or the refusal. */
	protected save<T>(fn: (db: StudySession['db'], studyId: string) => Promise<Result<T>>): Promise<Result<T>> {
		return this.session.save(() => fn(this.session.db, this.session.studyId));
	}

	renameAttribute(attributeId: string, name: string) {
		return this.save((db, s) => renameAttribute(db, s, attributeId, name));
	}
	changeType(attributeId: string, type: AttributeType) {
		return this.save((db, s) => changeAttributeType(db, s, attributeId, type));
	}
	moveAttribute(attributeId: string, by: -1 | 1) {
		return this.save((db, s) => moveAttribute(db, s, attributeId, by));
	}
	deleteAttribute(attributeId: string) {
		return this.save((db, s) => deleteAttribute(db, s, attributeId));
	}

	/** Read and parse a CSV file for the import dialog. */
	readCsv(file: File): Promise<Result<ParsedCsv>> {
		return readAttributeCsv(file);
	}
}
