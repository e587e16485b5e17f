// Use case: a message in a dossier's thread, from the applicant or from the préfecture, with
// optional attachments (same checks as pièces). When the préfecture writes, the applicant gets
// an e-mail that says a message is waiting — never the message itself.
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../shared/deps';
import { AppError } from '../../shared/errors';
import { queueMail } from '../../shared/mail/mail';
import { documentStorage } from './document-store';
import { findDossier, type Actor } from './dossier-access';
import { discardFiles, receiveFiles, type ReceivedFile } from './receive-files';
import { auditDocuments } from './audit-documents';
import { dossierUsedBytes, recordDocuments } from './record-documents';

export const MESSAGE_FIELD = 'message';
export const ATTACHMENT_FIELD = 'pieces_jointes';
export const MESSAGE_MAX_CHARS = 5000;

export function messageError(body: string): string | null {
  const text = body.trim();
  if (!text) return 'documents.message_required';
  if ([...body].length > MESSAGE_MAX_CHARS) return 'documents.message_too_long';
  return null;
}

/** Reads a multipart message form (text + files); the files are stored, not yet recorded. */
export async function receiveMessageForm(
  deps: AppDeps,
  req: FastifyRequest,
  actor: Actor,
  input: { prefectureId: string; dossierId: string },
): Promise<{ body: string; files: ReceivedFile[] }> {
  const dossier = await findDossier(deps.db, input.prefectureId, input.dossierId, actor);
  const used = await dossierUsedBytes(deps.db, dossier.id);
  const fields: Record<string, string> = {};
  try {
    const { files } = await receiveFiles(req, documentStorage(deps.config), {
      maxFileBytes: deps.config.uploads.maxFileBytes,
      remainingBytes: deps.config.uploads.maxDossierBytes - used,
      fileField: ATTACHMENT_FIELD,
      fields,
    });
    return { body: (fields[MESSAGE_FIELD] ?? '').replace(/\r\n/g, '\n'), files };
  } catch (err) {
    // Keep what the person typed, to show it again with the reason.
    if (err instanceof AppError) Object.assign(err, { typedMessage: fields[MESSAGE_FIELD] ?? '' });
    throw err;
  }
}

export async function sendMessage(
  deps: AppDeps,
  actor: Actor,
  input: { prefectureId: string; dossierId: string; body: string; files?: ReceivedFile[] },
): Promise<string> {
  const files = input.files ?? [];
  const storage = documentStorage(deps.config);
  try {
    const problem = messageError(input.body);
    if (problem) throw new AppError('validation', 'errors.validation', { [MESSAGE_FIELD]: problem });
    return await deps.db.transaction().execute(async (trx) => {
      const dossier = await findDossier(trx, input.prefectureId, input.dossierId, actor, { forUpdate: true });
      const now = new Date();
      const message = await trx
        .insertInto('dossier_messages')
        .values({
          prefecture_id: input.prefectureId,
          dossier_id: dossier.id,
          author_id: actor.user.id,
          author_role: actor.side,
          body: input.body,
          read_by_applicant_at: actor.side === 'applicant' ? now : null,
          read_by_staff_at: actor.side === 'staff' ? now : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const attachmentIds = files.length
        ? await recordDocuments(trx, {
          prefectureId: input.prefectureId,
          dossierId: dossier.id,
          dossierState: dossier.state,
          actor,
          files,
          maxDossierBytes: deps.config.uploads.maxDossierBytes,
          scanning: deps.config.uploads.clamdUrl !== null,
          messageId: message.id,
        })
        : [];
      await auditDocuments(trx, { prefectureId: input.prefectureId, dossierId: dossier.id, dossierState: dossier.state, actor, action: 'message_sent', details: { messageId: message.id, side: actor.side, attachmentIds } });
      if (actor.side === 'staff') {
        const applicant = dossier.applicant_id
          ? await trx.selectFrom('users').select(['email', 'locale']).where('id', '=', dossier.applicant_id).executeTakeFirst()
          : undefined;
        await queueMail(trx, {
          prefectureId: input.prefectureId,
          to: applicant?.email ?? dossier.applicant_email,
          locale: applicant?.locale ?? 'fr',
          template: 'documents.mail_new_message',
          params: { number: dossier.number ?? '' },
          link: `${deps.config.publicUrl}/dossiers/${dossier.id}/messages`,
        });
      }
      return message.id;
    });
  } catch (err) {
    await discardFiles(storage, files);
    throw err;
  }
}
