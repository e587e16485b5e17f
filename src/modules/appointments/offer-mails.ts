// Offer mails of a draw, composed after the draw's commit by durable jobs (one per batch of
// appointments, queued in the draw's transaction). Each batch writes its mails and their
// sending jobs in one transaction; appointments no longer 'offered' (already confirmed,
// cancelled) get no mail.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { formatDateTime, type Locale } from '../../shared/i18n';
import { composeMail, MAIL_JOB } from '../../shared/mail/mail';

export const OFFER_MAILS_JOB = 'appointments.offer-mails';
export const OFFER_MAIL_BATCH = 1000;

export async function sendOfferMails(db: Kysely<DB>, publicUrl: string, drawId: string, batch: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await sql<{ id: string; prefecture_id: string; email: string; locale: Locale; starts_at: Date; confirm_by: Date; status: string; site: string }>`
      select a.id, a.prefecture_id, r.email, r.locale, s.starts_at, a.confirm_by, a.status, st.name as site
      from appointments a
      join appointment_requests r on r.id = a.request_id
      join slots s on s.id = a.slot_id
      join counters c on c.id = s.counter_id
      join sites st on st.id = c.site_id
      where a.draw_id = ${drawId}::uuid
      order by a.id
      offset ${batch * OFFER_MAIL_BATCH}::int limit ${OFFER_MAIL_BATCH}::int`.execute(trx);
    const mails = rows.rows
      .filter((a) => a.status === 'offered')
      .map((a) => {
        const content = composeMail({
          prefectureId: a.prefecture_id,
          to: a.email,
          locale: a.locale,
          template: 'appointments.mail_offer',
          params: { when: formatDateTime(a.locale, a.starts_at), site: a.site, confirm_by: formatDateTime(a.locale, a.confirm_by) },
          link: `${publicUrl}/rendez-vous/${a.id}`,
        });
        return { p: a.prefecture_id, to: a.email, locale: a.locale, subject: content.subject, text: content.text, html: content.html };
      });
    if (!mails.length) return 0;
    await sql`
      with m as (
        insert into mails (prefecture_id, to_address, locale, subject, text_body, html_body)
        select x.p, x."to", x.locale, x.subject, x.text, x.html
        from jsonb_to_recordset(${JSON.stringify(mails)}::jsonb) as x(p uuid, "to" text, locale text, subject text, text text, html text)
        returning id, prefecture_id)
      insert into jobs (kind, payload, prefecture_id) select ${MAIL_JOB}, jsonb_build_object('mailId', m.id), m.prefecture_id from m`.execute(trx);
    return mails.length;
  });
}
