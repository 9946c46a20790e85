/**
 * Import a coder's backup into the master study (issue 5 §1). The pure merge is
 * `mergeStudy` (src/lib/core/merge.ts); this writes its result in ONE transaction: new rows are
 * added and changed rows (cases and documents whose missing attribute values were filled in) are updated.
 * Nothing in the master is deleted or overwritten otherwise, and nothing at all is written when
 * the file is invalid. Importing the same file twice adds nothing.
 */
import { parseBackupReport, type ReadBackup } from '../core/backup';
import { describeRepairs, type Repair } from '../core/integrity';
import { describeMerge, mergeStudy, type MergeReport } from '../core/merge';
import { nowIso } from '../core/ids';
import type { Id, Result, StudyData } from '../core/types';
import type { GlossDB } from './db';
import { putDocuments } from './documents';
import { loadStudyData } from './studies';

export interface MergeOutcome {
	report: MergeReport;
	/** describeMerge(report): one paragraph for the screen. */
	summary: string;
	/** The coders named in the incoming file (for "review Second coder's coding next"). */
	incomingCoders: string[];
	/** What the incoming file needed repaired before it could be merged (core/integrity.ts). */
	repairs: Repair[];
}

type Row = { id: Id };

function added<T extends Row>(before: readonly T[], after: readonly T[]): T[] {
	const ids = new Set(before.map((r) => r.id));
	return after.filter((r) => !ids.has(r.id));
}

/** Merge a backup file's text into the study `studyId`. */
export async function mergeBackupIntoStudy(db: GlossDB, studyId: Id, text: string, fileName: string): Promise<Result<MergeOutcome>> {
	const parsed = parseBackupReport(text, `incoming-${studyId}`, fileName);
	if (!parsed.ok) return parsed;
	return storeMerge(db, studyId, parsed.value, null, fileName);
}

/**
 * Write a merge of a backup already read and checked (in a worker: workers/backup.ts) into the
 * study, in one transaction. `planned` is the merge the worker made from the study as it was
 * (`master`: `masterJson(loadStudyData(…))` then); when the study changed since in any way, the
 * merge is made again here, inside the transaction, so nothing written meanwhile is lost.
 */
export async function storeMerge(
	db: GlossDB,
	studyId: Id,
	read: ReadBackup,
	planned: { plan: { data: StudyData; report: MergeReport }; master: string } | null,
	fileName: string
): Promise<Result<MergeOutcome>> {
	const parsed = { value: read };
	const incoming = read.data;
	try {
		return await db.transaction('rw', [db.studies, ...db.studyTables], async () => {
			const master: StudyData | null = await loadStudyData(db, studyId);
			if (!master) return { ok: false, errors: ['This study no longer exists'] } as const;
			const { data, report } = planned && planned.master === masterJson(master) ? planned.plan : mergeStudy(master, incoming);
			// codes: parents are added before children by mergeStudy; order does not matter to IndexedDB
			await db.attributes.bulkAdd(added(master.attributes, data.attributes));
			await db.cases.bulkAdd(added(master.cases, data.cases));
			const before = new Map(master.cases.map((c) => [c.id, JSON.stringify(c.attributes)] as const));
			const changed = data.cases.filter((c) => before.has(c.id) && before.get(c.id) !== JSON.stringify(c.attributes));
			const now = nowIso();
			if (changed.length) await db.cases.bulkPut(changed.map((c) => ({ ...c, updatedAt: now })));
			await putDocuments(db, added(master.documents, data.documents), 'add');
			const docBefore = new Map(master.documents.map((d) => [d.id, JSON.stringify(d.attributes ?? {})] as const));
			const docChanged = data.documents.filter((d) => docBefore.has(d.id) && docBefore.get(d.id) !== JSON.stringify(d.attributes ?? {}));
			if (docChanged.length) await putDocuments(db, docChanged.map((d) => ({ ...d, updatedAt: now })));
			await db.codes.bulkAdd(added(master.codes, data.codes));
			await db.coders.bulkAdd(added(master.coders, data.coders));
			await db.segments.bulkAdd(added(master.segments, data.segments));
			await db.memos.bulkAdd(added(master.memos, data.memos));
			if (!report.unchanged) await db.studies.update(studyId, { updatedAt: now });
			return {
				ok: true,
				value: {
					report,
					summary: describeMerge(report) + repairNote(fileName, parsed.value.repairs),
					incomingCoders: incoming.coders.map((c) => c.name),
					repairs: parsed.value.repairs
				}
			} as const;
		});
	} catch (e) {
		return { ok: false, errors: [`${fileName}: could not be merged (${(e as Error).message}); nothing was changed`] };
	}
}

/** The study as the merge saw it: the same text means the same rows, in the same order. */
export const masterJson = (master: StudyData): string => JSON.stringify(master);

/** " The file needed 2 repairs before merging: …" (empty when it needed none). */
function repairNote(fileName: string, repairs: readonly Repair[]): string {
	if (repairs.length === 0) return '';
	return ` ${fileName} needed ${repairs.length} repair${repairs.length === 1 ? '' : 's'} before merging: ${describeRepairs(repairs, 10).join('; ')}.`;
}
