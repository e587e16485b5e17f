// Mail: written to the outbox table in the caller's transaction, sent by a durable job after
// commit (nothing is sent for a change that rolled back, nothing is lost if SMTP is down).
// Without SMTP_URL, mails stay readable at /dev/outbox (development only).
import nodemailer, { type Transporter } from 'nodemailer';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { translator, type Locale } from '../i18n';
import { enqueueJob, type JobRunner } from '../jobs/queue';

export const MAIL_JOB = 'mail.send';

export interface MailMessage {
  prefectureId: string | null;
  to: string;
  locale: Locale;
  /** i18n key prefix: `<template>.subject` and `<template>.body` are used. */
  template: string;
  params?: Record<string, string | number>;
  /** A link shown as a button in the HTML version and as text in the plain version. */
  link?: string;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function composeMail(msg: MailMessage): { subject: string; text: string; html: string } {
  const t = translator(msg.locale);
  const params = { ...msg.params, ...(msg.link ? { link: msg.link } : {}) };
  const subject = t(`${msg.template}.subject`, params);
  const body = t(`${msg.template}.body`, params);
  const signature = t('common.mail_signature');
  const text = `${body}\n\n${msg.link ? `${msg.link}\n\n` : ''}${signature}\n`;
  const dir = msg.locale === 'ar' ? 'rtl' : 'ltr';
  const paragraphs = body
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
  const html = `<!DOCTYPE html><html lang="${msg.locale}" dir="${dir}"><body>${paragraphs}${
    msg.link ? `<p><a href="${escapeHtml(msg.link)}">${escapeHtml(msg.link)}</a></p>` : ''
  }<p>${escapeHtml(signature)}</p></body></html>`;
  return { subject, text, html };
}

/** Writes the mail and its sending job in the given transaction. */
export async function queueMail(db: Kysely<DB> | Transaction<DB>, msg: MailMessage): Promise<string> {
  const content = composeMail(msg);
  const row = await db
    .insertInto('mails')
    .values({
      prefecture_id: msg.prefectureId,
      to_address: msg.to,
      locale: msg.locale,
      subject: content.subject,
      text_body: content.text,
      html_body: content.html,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await enqueueJob(db, { kind: MAIL_JOB, payload: { mailId: row.id }, prefectureId: msg.prefectureId });
  return row.id;
}

export function registerMailJob(runner: JobRunner, db: Kysely<DB>, smtpUrl: string | null, from: string): { close(): void } {
  const transport: Transporter | null = smtpUrl ? nodemailer.createTransport(smtpUrl) : null;
  runner.register(MAIL_JOB, async (job) => {
    const mailId = String(job.payload.mailId);
    const mail = await db.selectFrom('mails').selectAll().where('id', '=', mailId).executeTakeFirst();
    if (!mail || mail.status !== 'pending') return;
    if (transport) {
      try {
        await transport.sendMail({
          from,
          to: mail.to_address,
          subject: mail.subject,
          text: mail.text_body,
          html: mail.html_body,
          headers: { 'Content-Language': mail.locale },
        });
      } catch (err) {
        await db
          .updateTable('mails')
          .set({ attempts: mail.attempts + 1, last_error: err instanceof Error ? err.message.slice(0, 500) : 'send failed' })
          .where('id', '=', mailId)
          .execute();
        throw err;
      }
    }
    await db
      .updateTable('mails')
      .set({ status: transport ? 'sent' : 'outbox', attempts: mail.attempts + 1, last_error: null, delivered_at: new Date() })
      .where('id', '=', mailId)
      .execute();
  });
  return { close: () => transport?.close() };
}
