// Drafts untouched for 3 months are deleted, after an e-mail warning sent 2 weeks before.
// Run daily (job 'dossiers.purge_drafts'); `now` is a parameter so tests choose the day.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { isLocale } from '../../shared/i18n';
import { queueMail } from '../../shared/mail/mail';

export const DRAFT_LIFETIME_MONTHS = 3;
export const WARNING_DAYS_BEFORE = 14;

function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

const DAY = 24 * 3600 * 1000;

export interface PurgeDeps {
  db: Kysely<DB>;
  publicUrl: string;
  /** Removes the stored files of deleted drafts (their rows go with the dossier). */
  deleteStoredFiles?: (storageKeys: string[]) => Promise<void>;
}

export async function purgeStaleDrafts(deps: PurgeDeps, now: Date): Promise<{ warned: number; deleted: number }> {
  // A draft last touched at T is deleted at T + 3 months, warned at T + 3 months - 14 days.
  const deleteBefore = monthsBefore(now, DRAFT_LIFETIME_MONTHS);
  const warnBefore = monthsBefore(new Date(now.getTime() + WARNING_DAYS_BEFORE * DAY), DRAFT_LIFETIME_MONTHS);
  const warnedBy = new Date(now.getTime() - WARNING_DAYS_BEFORE * DAY);
  let warned = 0;

  const toWarn = await deps.db
    .selectFrom('dossiers as d')
    .innerJoin('users as u', 'u.id', 'd.applicant_id')
    .select(['d.id', 'd.prefecture_id', 'd.updated_at', 'u.email', 'u.locale'])
    .where('d.state', '=', 'draft')
    .where('d.purge_warned_at', 'is', null)
    .where('d.updated_at', '<', warnBefore)
    .execute();
  for (const d of toWarn) {
    await deps.db.transaction().execute(async (trx) => {
      const marked = await trx
        .updateTable('dossiers')
        .set({ purge_warned_at: now })
        .where('id', '=', d.id)
        .where('state', '=', 'draft')
        .where('purge_warned_at', 'is', null)
        .where('updated_at', '<', warnBefore)
        .returning('id')
        .executeTakeFirst();
      if (!marked) return;
      await queueMail(trx, {
        prefectureId: d.prefecture_id,
        to: d.email,
        locale: isLocale(d.locale) ? d.locale : 'fr',
        template: 'dossiers.mail_draft_purge_warning',
        params: { days: WARNING_DAYS_BEFORE },
        link: `${deps.publicUrl.replace(/\/$/, '')}/dossiers/${d.id}`,
      });
      warned++;
    });
  }

  // Deleted only once warned at least 14 days ago, so nobody loses a draft unwarned. One
  // statement deletes the drafts and names their files: the documents it reads are those of the
  // drafts it deleted (its snapshot, before the cascade), so a draft touched meanwhile keeps its
  // files. The files themselves are removed after the commit.
  const rows = await deps.db
    .with('gone', (db) =>
      db
        .deleteFrom('dossiers')
        .where('state', '=', 'draft')
        .where('updated_at', '<', deleteBefore)
        .where('purge_warned_at', 'is not', null)
        .where('purge_warned_at', '<=', warnedBy)
        .returning(['id', 'prefecture_id']),
    )
    .selectFrom('gone')
    .leftJoin('documents', (join) => join.onRef('documents.dossier_id', '=', 'gone.id').onRef('documents.prefecture_id', '=', 'gone.prefecture_id'))
    .select(['gone.id', 'documents.storage_key'])
    .execute();
  const deleted = new Set(rows.map((r) => r.id)).size;
  const keys = rows.flatMap((r) => (r.storage_key ? [r.storage_key] : []));
  if (keys.length && deps.deleteStoredFiles) await deps.deleteStoredFiles(keys);
  return { warned, deleted };
}
