// Private notes: staff-only remarks on a dossier, never shown to the applicant.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { auditCasework } from './audit-casework';
import type { StaffActor } from './casework-rules';
import { findStaffDossier } from './staff-dossier';

export const NOTE_MAX = 5000;

export async function addNote(deps: { db: Kysely<DB> }, input: { prefectureId: string; dossierId: string; actor: StaffActor; body: string | undefined }): Promise<string> {
  const body = (input.body ?? '').replace(/\r\n/g, '\n').trim();
  if (!body) throw new AppError('validation', 'errors.validation', { note: 'instruction.err_note_required' });
  if (body.length > NOTE_MAX) throw new AppError('validation', 'errors.validation', { note: 'instruction.err_text_too_long' });
  return deps.db.transaction().execute(async (trx) => {
    const d = await findStaffDossier(trx, input.prefectureId, input.dossierId);
    const row = await trx
      .insertInto('dossier_notes')
      .values({ prefecture_id: input.prefectureId, dossier_id: d.id, author_id: input.actor.id, body })
      .returning('id')
      .executeTakeFirstOrThrow();
    await auditCasework(trx, { prefectureId: input.prefectureId, dossierId: d.id, actor: input.actor, action: 'note_added', stateBefore: d.state, stateAfter: d.state, details: { noteId: row.id } });
    return row.id;
  });
}

export async function listNotes(db: Kysely<DB>, prefectureId: string, dossierId: string) {
  return db
    .selectFrom('dossier_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_id')
    .select(['n.id', 'n.body', 'n.created_at', 'u.display_name', 'u.email'])
    .where('n.prefecture_id', '=', prefectureId)
    .where('n.dossier_id', '=', dossierId)
    .orderBy('n.created_at')
    .orderBy('n.id')
    .execute();
}
