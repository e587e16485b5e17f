// The message thread of a dossier: reading it (and marking the other side's messages read),
// and counting unread messages for either side.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { DocumentMime } from './sniff';
import type { ScanStatus, ThreadSide } from './tables';

export interface ThreadAttachment {
  id: string;
  filename: string;
  size: number;
  mime: DocumentMime;
  scanStatus: ScanStatus;
}

export interface ThreadMessage {
  id: string;
  authorRole: ThreadSide;
  body: string;
  createdAt: Date;
  readByApplicantAt: Date | null;
  readByStaffAt: Date | null;
  attachments: ThreadAttachment[];
}

/** The thread, oldest first, with attachments. The caller has checked access to the dossier. */
export async function listMessages(db: Kysely<DB>, prefectureId: string, dossierId: string): Promise<ThreadMessage[]> {
  const messages = await db
    .selectFrom('dossier_messages')
    .select(['id', 'author_role', 'body', 'created_at', 'read_by_applicant_at', 'read_by_staff_at'])
    .where('prefecture_id', '=', prefectureId)
    .where('dossier_id', '=', dossierId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const files = messages.length
    ? await db
        .selectFrom('documents')
        .select(['id', 'message_id', 'filename', 'size', 'mime', 'scan_status'])
        .where('prefecture_id', '=', prefectureId)
        .where('dossier_id', '=', dossierId)
        .where('message_id', 'is not', null)
        .orderBy('created_at')
        .execute()
    : [];
  return messages.map((m) => ({
    id: m.id,
    authorRole: m.author_role,
    body: m.body,
    createdAt: m.created_at,
    readByApplicantAt: m.read_by_applicant_at,
    readByStaffAt: m.read_by_staff_at,
    attachments: files
      .filter((f) => f.message_id === m.id)
      .map((f) => ({ id: f.id, filename: f.filename, size: f.size, mime: f.mime, scanStatus: f.scan_status })),
  }));
}

/** Marks the other side's messages as read by `side`. */
export async function markThreadRead(db: Kysely<DB>, prefectureId: string, dossierId: string, side: ThreadSide): Promise<void> {
  const column = side === 'applicant' ? 'read_by_applicant_at' : 'read_by_staff_at';
  await db
    .updateTable('dossier_messages')
    .set({ [column]: sql`now()` })
    .where('prefecture_id', '=', prefectureId)
    .where('dossier_id', '=', dossierId)
    .where(column, 'is', null)
    .execute();
}

/**
 * Messages not yet read by `side` (the applicant: messages from the préfecture; the staff:
 * messages from applicants), for one dossier, one applicant's dossiers, or the whole préfecture.
 */
export async function countUnread(
  db: Kysely<DB>,
  prefectureId: string,
  scope: { dossierId?: string; applicantId?: string },
  side: ThreadSide,
): Promise<number> {
  const column = side === 'applicant' ? 'm.read_by_applicant_at' : 'm.read_by_staff_at';
  let q = db
    .selectFrom('dossier_messages as m')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('m.prefecture_id', '=', prefectureId)
    .where(column, 'is', null);
  if (scope.dossierId) q = q.where('m.dossier_id', '=', scope.dossierId);
  if (scope.applicantId) {
    const applicantId = scope.applicantId;
    q = q.where('m.dossier_id', 'in', (eb) =>
      eb.selectFrom('dossiers').select('id').where('prefecture_id', '=', prefectureId).where('applicant_id', '=', applicantId),
    );
  }
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Unread messages from the préfecture, per dossier of one applicant (a dossier without any is absent). */
export async function unreadByDossier(db: Kysely<DB>, prefectureId: string, applicantId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('dossier_messages as m')
    .select(['m.dossier_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('m.prefecture_id', '=', prefectureId)
    .where('m.read_by_applicant_at', 'is', null)
    .where('m.dossier_id', 'in', (eb) => eb.selectFrom('dossiers').select('id').where('prefecture_id', '=', prefectureId).where('applicant_id', '=', applicantId))
    .groupBy('m.dossier_id')
    .execute();
  return new Map(rows.map((r) => [r.dossier_id, Number(r.n)]));
}
