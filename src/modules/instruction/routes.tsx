// Instruction: the casework on one dossier in the back-office. Thin adapters: pages under
// /agent/dossiers/:id (plain forms, PRG, errors re-rendered with a 4xx) and the same use
// cases under /api/v1/instruction (api-routes.ts). Also the applicant's download of the
// attestations this module issues, and the durable renewal job of prolongations.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../shared/deps';
import { AppError } from '../../shared/errors';
import { requireApplicant } from '../../shared/auth/guards';
import { formValues } from '../../shared/validation';
import { sendHtml } from '../../shared/web/render';
import { findOwnDossier } from '../dossiers/dossier-queries';
import { addNote } from './add-note';
import { instructionApiRoutes } from './api-routes';
import { listAssignableStaff, reassignDossier, releaseDossier, takeDossier } from './assign-dossier';
import { handOverCard, markCardReady } from './card-steps';
import type { StaffActor } from './casework-rules';
import { completeDossier } from './complete-dossier';
import { closeDossier, decideFavourable, decideUnfavourable } from './decide-dossier';
import { sendAttestationPdf, sendPieceDocument, staffActor } from './http';
import { loadCasework } from './load-casework';
import { CaseworkPage, type PageForm } from './pages';
import { renewProlongation, RENEW_PROLONGATION_JOB } from './prolongation';
import { defaultDeadline, requestPieces } from './request-pieces';
import { reviewPiece } from './review-piece';

type Params = { Params: { id: string } };

/** Checkbox lists arrive as a string (one ticked) or an array (several). */
export function listField(body: unknown, name: string): string[] {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export async function instructionRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const env = { db: deps.db, publicUrl: deps.config.publicUrl };
  deps.jobs.register(RENEW_PROLONGATION_JOB, async (job) => {
    await renewProlongation(env, job.payload);
  });

  async function render(req: FastifyRequest, reply: FastifyReply, id: string, actor: StaffActor, form: PageForm | null = null, status = 200) {
    const cw = await loadCasework(deps.db, req.ctx.prefecture.id, id);
    const staff = actor.role === 'agent' ? [] : await listAssignableStaff(deps.db, req.ctx.prefecture.id);
    // A re-rendered form page: keep ?_csrf=… (multipart forms) out of the page's own links.
    const ctx = { ...req.ctx, path: `/agent/dossiers/${cw.dossier.id}` };
    return sendHtml(reply, <CaseworkPage ctx={ctx} cw={cw} actor={actor} staff={staff} defaultDeadline={defaultDeadline(new Date())} form={form} />, status);
  }

  /** Runs a casework action from a form; field errors re-render the page with them (400). */
  function action(path: string, name: PageForm['name'] | null, run: (req: FastifyRequest<Params & { Params: Record<string, string> }>, actor: StaffActor) => Promise<unknown>, flash: string, anchor = '') {
    app.post<{ Params: Record<string, string> & { id: string } }>(`/agent/dossiers/:id${path}`, async (req, reply) => {
      const actor = staffActor(req);
      try {
        await run(req, actor);
      } catch (err) {
        if (name && err instanceof AppError && err.code === 'validation' && Object.keys(err.fields).length) {
          const values = formValues(req.body);
          const pieces = listField(req.body, 'pieces');
          if (name === 'request') values.pieces = pieces.join(',');
          const form: PageForm = { name, state: { values, errors: err.fields } };
          if (req.params.pieceCode) form.piece = req.params.pieceCode;
          return render(req, reply, req.params.id, actor, form, 400);
        }
        throw err;
      }
      return reply.flash(flash).redirect(`/agent/dossiers/${req.params.id}${anchor}`, 303);
    });
  }

  app.get<Params>('/agent/dossiers/:id', async (req, reply) => render(req, reply, req.params.id, staffActor(req)));

  app.get<{ Params: { id: string; documentId: string }; Querystring: { telecharger?: string } }>('/agent/dossiers/:id/documents/:documentId', async (req, reply) =>
    sendPieceDocument(deps, req, reply, req.params.id, req.params.documentId, req.query.telecharger === '1'),
  );

  app.get<{ Params: { id: string; attestationId: string } }>('/agent/dossiers/:id/attestations/:attestationId', async (req, reply) => {
    staffActor(req);
    return sendAttestationPdf(deps, req, reply, req.params.id, req.params.attestationId);
  });

  // The applicant downloads the attestations of their own dossier (links in the e-mails).
  app.get<{ Params: { id: string; attestationId: string } }>('/dossiers/:id/attestations/:attestationId', async (req, reply) => {
    const user = requireApplicant(req);
    const d = await findOwnDossier(deps.db, req.ctx.prefecture.id, user.id, req.params.id);
    return sendAttestationPdf(deps, req, reply, d.id, req.params.attestationId);
  });

  const base = (req: FastifyRequest<{ Params: { id: string } }>, actor: StaffActor) => ({ prefectureId: req.ctx.prefecture.id, dossierId: req.params.id, actor });

  action('/prendre', null, (req, actor) => takeDossier(env, base(req, actor)), 'instruction.flash_taken');
  action('/liberer', null, (req, actor) => releaseDossier(env, base(req, actor)), 'instruction.flash_released');
  action('/reaffecter', 'reassign', (req, actor) => reassignDossier(env, { ...base(req, actor), toUserId: formValues(req.body).agent ?? '' }), 'instruction.flash_reassigned');
  action(
    '/pieces/:pieceCode/revue',
    'review',
    (req, actor) => {
      const v = formValues(req.body);
      return reviewPiece(env, { ...base(req, actor), pieceCode: req.params.pieceCode ?? '', decision: v.decision, reason: v.reason, reasonText: v.reason_text });
    },
    'instruction.flash_reviewed',
    '#pieces',
  );
  action(
    '/demande-de-pieces',
    'request',
    (req, actor) => requestPieces(env, { ...base(req, actor), pieces: listField(req.body, 'pieces'), deadline: formValues(req.body).deadline }),
    'instruction.flash_requested',
  );
  action('/complet', null, (req, actor) => completeDossier(env, base(req, actor)), 'instruction.flash_complete');
  action('/decision-favorable', null, (req, actor) => decideFavourable(env, base(req, actor)), 'instruction.flash_decided');
  action('/decision-defavorable', 'unfavourable', (req, actor) => decideUnfavourable(env, { ...base(req, actor), motive: formValues(req.body).motive }), 'instruction.flash_decided');
  action(
    '/classer',
    'close',
    (req, actor) => {
      const v = formValues(req.body);
      return closeDossier(env, { ...base(req, actor), reason: v.close_reason, text: v.close_text });
    },
    'instruction.flash_closed',
  );
  action('/titre-pret', null, (req, actor) => markCardReady(env, base(req, actor)), 'instruction.flash_card_ready');
  action('/remise', null, (req, actor) => handOverCard(env, base(req, actor)), 'instruction.flash_handed_over');
  action('/notes', 'note', (req, actor) => addNote(env, { ...base(req, actor), body: formValues(req.body).note }), 'instruction.flash_note', '#notes');

  await instructionApiRoutes(app, deps);
}
