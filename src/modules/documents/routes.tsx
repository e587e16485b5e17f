// Documents and messages: thin adapters for pages and /api/v1. @fastify/multipart is
// registered here, inside this plugin only, so other modules keep their own body parsing.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../shared/deps';
import { AppError } from '../../shared/errors';
import { requireStaff, requireUser } from '../../shared/auth/guards';
import { parseInput } from '../../shared/validation';
import { Layout } from '../../shared/web/layout';
import { sendHtml } from '../../shared/web/render';
import { emptyForm, ErrorSummary, type FormState } from '../../shared/web/forms';
import { deleteDocument } from './delete-document';
import { findDossier, type Actor } from './dossier-access';
import { listDossierDocuments } from './list-dossier-documents';
import { MessageForm, MessageThread } from './message-thread';
import { listMessages, markThreadRead } from './messages';
import { openDocument, type OpenedDocument } from './open-document';
import { discardFiles, MAX_FILES_PER_REQUEST, type ReceivedFile } from './receive-files';
import { SCAN_JOB } from './record-documents';
import { UploadRefusal } from './refusal';
import { scanDocument } from './scan-document';
import { ATTACHMENT_FIELD, MESSAGE_FIELD, receiveMessageForm, sendMessage } from './send-message';
import { documentStorage } from './document-store';
import { uploadDisplay, uploadFieldId } from './upload-form';
import { uploadPieceDocuments } from './upload-piece-documents';

/** The applicant who owns the dossier, or a staff member (TOTP-verified) of the préfecture. */
export function actorOf(req: FastifyRequest): Actor {
  const user = requireUser(req);
  if (user.role === 'applicant') return { user, side: 'applicant' };
  return { user: requireStaff(req), side: 'staff' };
}

function asciiFallback(name: string): string {
  return name.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '') || 'document';
}

function sendDocument(reply: FastifyReply, doc: OpenedDocument): FastifyReply {
  return reply
    .header('content-type', doc.mime)
    .header('content-length', String(doc.size))
    .header('content-disposition', `attachment; filename="${asciiFallback(doc.filename)}"; filename*=UTF-8''${encodeURIComponent(doc.filename)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .send(doc.stream);
}

/** After a refusal the rest of the request body may be unread: close rather than reuse the connection. */
function closeIfUnread(req: FastifyRequest, reply: FastifyReply): void {
  if (!req.raw.complete) reply.header('connection', 'close');
}

const documentOut = z.object({
  id: z.string(),
  pieceCode: z.string(),
  filename: z.string(),
  size: z.number(),
  mime: z.string(),
  scanStatus: z.enum(['pending', 'clean', 'infected', 'not_scanned']),
  createdAt: z.string(),
});
const messageOut = z.object({
  id: z.string(),
  authorRole: z.enum(['applicant', 'staff']),
  body: z.string(),
  createdAt: z.string(),
  readByApplicantAt: z.string().nullable(),
  readByStaffAt: z.string().nullable(),
  attachments: z.array(z.object({ id: z.string(), filename: z.string(), size: z.number(), mime: z.string(), scanStatus: z.string() })),
});
const dossierParams = z.object({ id: z.string() });

export async function documentsRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const { config } = deps;
  uploadDisplay.maxFileMb = Math.round(config.uploads.maxFileBytes / (1024 * 1024));
  await app.register(multipart, {
    limits: { fileSize: config.uploads.maxFileBytes + 1, files: MAX_FILES_PER_REQUEST, fieldSize: 64 * 1024 },
  });
  deps.jobs.register(SCAN_JOB, (job) => scanDocument(deps, job));
  const api = app.withTypeProvider<ZodTypeProvider>();

  // Pages -----------------------------------------------------------------------------------
  app.post<{ Params: { dossierId: string; pieceCode: string } }>('/dossiers/:dossierId/pieces/:pieceCode/documents', async (req, reply) => {
    const actor = actorOf(req);
    const { dossierId, pieceCode } = req.params;
    const back = `/dossiers/${encodeURIComponent(dossierId)}/pieces/${encodeURIComponent(pieceCode)}`;
    try {
      await uploadPieceDocuments(deps, req, actor, { prefectureId: req.ctx.prefecture.id, dossierId, pieceCode });
    } catch (err) {
      if (!(err instanceof UploadRefusal)) throw err;
      req.log.info({ reason: err.reason, dossierId }, 'upload refused');
      closeIfUnread(req, reply);
      return reply.redirect(`${back}?erreur=${err.reason}#${uploadFieldId(pieceCode)}`, 303);
    }
    return reply.flash('documents.uploaded').redirect(back, 303);
  });

  app.post<{ Params: { dossierId: string; documentId: string } }>('/dossiers/:dossierId/documents/:documentId/supprimer', async (req, reply) => {
    const actor = actorOf(req);
    const done = await deleteDocument(deps, actor, {
      prefectureId: req.ctx.prefecture.id,
      documentId: req.params.documentId,
      dossierId: req.params.dossierId,
    });
    return reply.flash('documents.deleted').redirect(`/dossiers/${done.dossierId}/pieces/${done.pieceCode}`, 303);
  });

  app.get<{ Params: { id: string } }>('/documents/:id', async (req, reply) => {
    const doc = await openDocument(deps, actorOf(req), { prefectureId: req.ctx.prefecture.id, documentId: req.params.id });
    return sendDocument(reply, doc);
  });

  async function threadPage(req: FastifyRequest, reply: FastifyReply, dossierId: string, state: FormState, status = 200) {
    const actor = actorOf(req);
    if (actor.side !== 'applicant') throw new AppError('not_found');
    const prefectureId = req.ctx.prefecture.id;
    const dossier = await findDossier(deps.db, prefectureId, dossierId, actor);
    const messages = await listMessages(deps.db, prefectureId, dossier.id);
    if (status === 200) await markThreadRead(deps.db, prefectureId, dossier.id, 'applicant');
    // The form posts with ?_csrf=…: keep it out of the links of a re-rendered page.
    const ctx = { ...req.ctx, path: `/dossiers/${dossier.id}/messages` };
    const { t } = ctx;
    const hasErrors = Object.keys(state.errors).length > 0 || !!state.formError;
    return sendHtml(
      reply,
      <Layout ctx={ctx} title={t('documents.messages_title')} hasErrors={hasErrors}>
        <p>
          <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={`/dossiers/${dossier.id}`}>
            {t('documents.back_to_dossier')}
          </a>
        </p>
        <h1>{t('documents.messages_title')}</h1>
        <p>{t('documents.messages_intro')}</p>
        <ErrorSummary
          ctx={ctx}
          state={{ ...state, errors: Object.fromEntries(Object.entries(state.errors).filter(([k]) => k !== ATTACHMENT_FIELD)) }}
          labels={{ [MESSAGE_FIELD]: t('documents.message_label') }}
        />
        <MessageThread ctx={ctx} messages={messages} viewer="applicant" />
        <MessageForm ctx={ctx} dossierId={dossier.id} state={state} />
      </Layout>,
      status,
    );
  }

  app.get<{ Params: { id: string } }>('/dossiers/:id/messages', async (req, reply) => threadPage(req, reply, req.params.id, emptyForm()));

  app.post<{ Params: { id: string } }>('/dossiers/:id/messages', async (req, reply) => {
    const actor = actorOf(req);
    const prefectureId = req.ctx.prefecture.id;
    let files: ReceivedFile[] = [];
    let body = '';
    try {
      ({ body, files } = await receiveMessageForm(deps, req, actor, { prefectureId, dossierId: req.params.id }));
      await sendMessage(deps, actor, { prefectureId, dossierId: req.params.id, body, files });
    } catch (err) {
      await discardFiles(documentStorage(config), files);
      if (err instanceof UploadRefusal) {
        closeIfUnread(req, reply);
        body = (err as UploadRefusal & { typedMessage?: string }).typedMessage ?? body;
        if (actor.side !== 'applicant') throw err;
        return threadPage(
          req,
          reply,
          req.params.id,
          { values: { [MESSAGE_FIELD]: body }, errors: { [ATTACHMENT_FIELD]: err.reason }, formError: err.messageKey, formErrorParams: err.params },
          err.status,
        );
      }
      if (err instanceof AppError && err.code === 'validation' && Object.keys(err.fields).length) {
        if (actor.side !== 'applicant') throw err;
        return threadPage(req, reply, req.params.id, { values: { [MESSAGE_FIELD]: body }, errors: err.fields }, 400);
      }
      throw err;
    }
    const target = actor.side === 'applicant' ? `/dossiers/${req.params.id}/messages` : `/agent/dossiers/${req.params.id}#messages`;
    return reply.flash('documents.message_sent').redirect(target, 303);
  });

  // API -------------------------------------------------------------------------------------
  api.post(
    '/api/v1/dossiers/:id/pieces/:pieceCode/documents',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Add files to a pièce (multipart/form-data, field "fichiers", PDF/JPEG/PNG)',
        security: [{ bearer: [] }],
        params: z.object({ id: z.string(), pieceCode: z.string() }),
        response: { 201: z.object({ documents: z.array(documentOut) }) },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const prefectureId = req.ctx.prefecture.id;
      let ids: string[];
      try {
        ids = await uploadPieceDocuments(deps, req, actor, { prefectureId, dossierId: req.params.id, pieceCode: req.params.pieceCode });
      } catch (err) {
        if (err instanceof UploadRefusal) closeIfUnread(req, reply);
        throw err;
      }
      const all = await listDossierDocuments(deps.db, prefectureId, req.params.id);
      const documents = all.filter((d) => ids.includes(d.id)).map((d) => ({ ...d, createdAt: d.createdAt.toISOString() }));
      return reply.status(201).send({ documents });
    },
  );

  api.get(
    '/api/v1/dossiers/:id/documents',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Files of the dossier’s pièces',
        security: [{ bearer: [] }],
        params: dossierParams,
        response: { 200: z.object({ documents: z.array(documentOut) }) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const dossier = await findDossier(deps.db, req.ctx.prefecture.id, req.params.id, actor);
      const docs = await listDossierDocuments(deps.db, req.ctx.prefecture.id, dossier.id);
      return { documents: docs.map((d) => ({ ...d, createdAt: d.createdAt.toISOString() })) };
    },
  );

  api.delete(
    '/api/v1/documents/:id',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Delete a pièce’s file (while the dossier is editable)',
        security: [{ bearer: [] }],
        params: z.object({ id: z.string() }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await deleteDocument(deps, actorOf(req), { prefectureId: req.ctx.prefecture.id, documentId: req.params.id });
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/api/v1/documents/:id/content',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'The file’s bytes (never served when found infected or not yet scanned)',
        security: [{ bearer: [] }],
        params: z.object({ id: z.string() }),
      },
    },
    async (req, reply) => {
      const doc = await openDocument(deps, actorOf(req), { prefectureId: req.ctx.prefecture.id, documentId: req.params.id });
      return sendDocument(reply, doc);
    },
  );

  api.get(
    '/api/v1/dossiers/:id/messages',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'The dossier’s message thread; marks the other side’s messages read',
        security: [{ bearer: [] }],
        params: dossierParams,
        response: { 200: z.object({ messages: z.array(messageOut) }) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const prefectureId = req.ctx.prefecture.id;
      const dossier = await findDossier(deps.db, prefectureId, req.params.id, actor);
      const messages = await listMessages(deps.db, prefectureId, dossier.id);
      await markThreadRead(deps.db, prefectureId, dossier.id, actor.side);
      return {
        messages: messages.map((m) => ({
          ...m,
          createdAt: m.createdAt.toISOString(),
          readByApplicantAt: m.readByApplicantAt?.toISOString() ?? null,
          readByStaffAt: m.readByStaffAt?.toISOString() ?? null,
        })),
      };
    },
  );

  api.post(
    '/api/v1/dossiers/:id/messages',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Write in the thread: JSON {"message": "…"} or multipart (field "message", files "pieces_jointes")',
        security: [{ bearer: [] }],
        params: dossierParams,
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const prefectureId = req.ctx.prefecture.id;
      let files: ReceivedFile[] = [];
      let body: string;
      try {
        if (req.isMultipart()) {
          ({ body, files } = await receiveMessageForm(deps, req, actor, { prefectureId, dossierId: req.params.id }));
        } else {
          body = parseInput(z.object({ [MESSAGE_FIELD]: z.string('errors.required') }), req.body)[MESSAGE_FIELD] as string;
        }
        const id = await sendMessage(deps, actor, { prefectureId, dossierId: req.params.id, body, files });
        return reply.status(201).send({ id });
      } catch (err) {
        await discardFiles(documentStorage(config), files);
        if (err instanceof UploadRefusal) closeIfUnread(req, reply);
        throw err;
      }
    },
  );
}
