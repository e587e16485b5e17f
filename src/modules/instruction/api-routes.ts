// /api/v1/instruction: the casework operations for API clients (bearer token of a staff
// account verified with TOTP), zod-validated, tag 'instruction' in /api/openapi.json.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../shared/deps';
import { parseInput } from '../../shared/validation';
import { addNote } from './add-note';
import { reassignDossier, releaseDossier, takeDossier } from './assign-dossier';
import { handOverCard, markCardReady } from './card-steps';
import { completeDossier } from './complete-dossier';
import { CLOSE_REASONS, closeDossier, decideFavourable, decideUnfavourable } from './decide-dossier';
import { sendAttestationPdf, sendPieceDocument, staffActor } from './http';
import { loadCasework, type Casework } from './load-casework';
import { defaultDeadline, requestPieces } from './request-pieces';
import { reviewPiece } from './review-piece';
import { REJECTION_REASONS } from './tables';

const TAG = ['instruction'];
const security = [{ bearer: [] }];
const idParams = z.object({ id: z.string() });
const ok = z.object({ state: z.string() });

const casework = z.object({
  id: z.string(),
  number: z.string().nullable(),
  state: z.string(),
  category: z.string(),
  kind: z.string(),
  lateRenewal: z.boolean(),
  submittedAt: z.string().nullable(),
  assignedTo: z.string().nullable(),
  siteCode: z.string().nullable(),
  complete: z.boolean(),
  deadlinePassed: z.boolean(),
  requestedPieces: z.array(z.string()),
  piecesDeadline: z.string().nullable(),
  stampCents: z.number().nullable(),
  identity: z.record(z.string(), z.string().nullable()),
  pieces: z.array(
    z.object({
      code: z.string(),
      mandatory: z.boolean(),
      requested: z.boolean(),
      status: z.enum(['accepted', 'rejected', 'to_review', 'missing']),
      review: z.object({ status: z.enum(['accepted', 'rejected']), reason: z.string().nullable(), reasonText: z.string().nullable(), reviewedAt: z.string() }).nullable(),
      files: z.array(z.object({ id: z.string(), filename: z.string(), mime: z.string(), size: z.number(), scanStatus: z.string(), createdAt: z.string() })),
    }),
  ),
  attestations: z.array(z.object({ id: z.string(), kind: z.string(), code: z.string(), status: z.string(), validFrom: z.string(), validUntil: z.string().nullable() })),
  notes: z.array(z.object({ id: z.string(), body: z.string(), author: z.string().nullable(), createdAt: z.string() })),
  history: z.array(z.object({ action: z.string(), actorRole: z.string(), actorId: z.string().nullable(), stateBefore: z.string().nullable(), stateAfter: z.string().nullable(), at: z.string() })),
});

function toJson(cw: Casework): z.infer<typeof casework> {
  const d = cw.dossier;
  return {
    id: d.id,
    number: d.number,
    state: d.state,
    category: d.category_code,
    kind: d.request_kind,
    lateRenewal: d.late_renewal,
    submittedAt: d.submitted_at ? new Date(d.submitted_at).toISOString() : null,
    assignedTo: d.assigned_to,
    siteCode: cw.site?.code ?? null,
    complete: cw.complete,
    deadlinePassed: cw.deadlinePassed,
    requestedPieces: d.requested_pieces,
    piecesDeadline: d.pieces_deadline,
    stampCents: cw.stampCents,
    identity: {
      surname: d.surname,
      givenNames: d.given_names,
      birthDate: d.birth_date,
      birthPlace: d.birth_place,
      nationality: d.nationality,
      agdrefNumber: d.agdref_number,
      currentPermitNumber: d.current_permit_number,
      currentPermitExpiresOn: d.current_permit_expires_on,
      addressLine: d.address_line,
      postalCode: d.postal_code,
      city: d.city,
      phone: d.phone,
      email: d.applicant_email,
    },
    pieces: cw.pieces.map((p) => ({
      code: p.code,
      mandatory: p.mandatory,
      requested: p.requested,
      status: p.status,
      review: p.review ? { status: p.review.status, reason: p.review.reason, reasonText: p.review.reasonText, reviewedAt: p.review.reviewedAt.toISOString() } : null,
      files: p.files.map((f) => ({ id: f.id, filename: f.filename, mime: f.mime, size: f.size, scanStatus: f.scanStatus, createdAt: f.createdAt.toISOString() })),
    })),
    attestations: cw.attestations.map((a) => ({ id: a.id, kind: a.kind, code: a.code, status: a.status, validFrom: a.validFrom.toISOString(), validUntil: a.validUntil?.toISOString() ?? null })),
    notes: cw.notes.map((n) => ({ id: n.id, body: n.body, author: n.author, createdAt: n.createdAt.toISOString() })),
    history: cw.history.map((h) => ({ action: h.action, actorRole: h.actorRole, actorId: h.actorId, stateBefore: h.stateBefore, stateAfter: h.stateAfter, at: h.createdAt.toISOString() })),
  };
}

const reviewBody = z.object({ decision: z.enum(['accepted', 'rejected']), reason: z.enum(REJECTION_REASONS as [string, ...string[]]).optional(), reasonText: z.string().max(1000).optional() });
const requestBody = z.object({ pieces: z.array(z.string().max(60)).min(1).max(50), deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe('YYYY-MM-DD; default: one month from today') });
const reassignBody = z.object({ agentId: z.string() });
const motiveBody = z.object({ motive: z.string().min(1).max(4000) });
const closeBody = z.object({ reason: z.enum(CLOSE_REASONS), text: z.string().max(1000).optional() });
const noteBody = z.object({ body: z.string().min(1).max(5000) });

export async function instructionApiRoutes(app: FastifyInstance, deps: AppDeps) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const env = { db: deps.db, publicUrl: deps.config.publicUrl };
  const P = '/api/v1/instruction/dossiers/:id';

  const state = async (prefectureId: string, id: string) => ({ state: (await loadCasework(deps.db, prefectureId, id)).dossier.state });

  api.get(P, { schema: { tags: TAG, summary: 'A dossier as the back-office sees it: identity, pièces and reviews, attestations, notes, audit history', security, params: idParams, response: { 200: casework } } }, async (req) => {
    staffActor(req);
    return toJson(await loadCasework(deps.db, req.ctx.prefecture.id, req.params.id));
  });

  // Each operation: the staff actor, the use case, then the dossier's state.
  const op = <B extends z.ZodType | undefined>(
    path: string,
    summary: string,
    body: B,
    run: (input: { prefectureId: string; dossierId: string; actor: ReturnType<typeof staffActor> }, body: B extends z.ZodType ? z.output<B> : undefined, params: Record<string, string>) => Promise<unknown>,
    params: z.ZodObject = idParams,
  ) => {
    api.post(`${P}${path}`, { schema: { tags: TAG, summary, security, params, ...(body ? { body } : {}), response: { 200: ok } } }, async (req) => {
      const actor = staffActor(req);
      const parsed = (body ? parseInput(body, req.body) : undefined) as B extends z.ZodType ? z.output<B> : undefined;
      const p = req.params as Record<string, string> & { id: string };
      await run({ prefectureId: req.ctx.prefecture.id, dossierId: p.id, actor }, parsed, p);
      return state(req.ctx.prefecture.id, p.id);
    });
  };

  op('/take', 'Take the dossier from the common queue (starts the review of a new one); 409 when someone holds it', undefined, (i) => takeDossier(env, i));
  op('/release', 'Put the dossier back in the common queue', undefined, (i) => releaseDossier(env, i));
  op('/reassign', 'Hand the dossier to another agent of the préfecture (supervisors and admins)', reassignBody, (i, b) => reassignDossier(env, { ...i, toUserId: b.agentId }));
  op(
    '/pieces/:pieceCode/review',
    'Accept a pièce, or reject it with a reason (other: text required)',
    reviewBody,
    (i, b, p) => reviewPiece(env, { ...i, pieceCode: p.pieceCode ?? '', decision: b.decision, reason: b.reason, reasonText: b.reasonText }),
    z.object({ id: z.string(), pieceCode: z.string() }),
  );
  op('/request-pieces', 'Ask the applicant for pièces, with a deadline (default one month)', requestBody, (i, b) => requestPieces(env, { ...i, pieces: b.pieces, deadline: b.deadline ?? defaultDeadline(new Date()) }));
  op('/complete', 'Mark the dossier complete (every pièce accepted); issues the attestation de prolongation d’instruction when due', undefined, (i) => completeDossier(env, i));
  op('/decision/favourable', 'Favourable decision: attestation de décision favorable, card production ordered', undefined, (i) => decideFavourable(env, i));
  op('/decision/unfavourable', 'Unfavourable decision with its motive (the applicant is told the routes of appeal)', motiveBody, (i, b) => decideUnfavourable(env, { ...i, motive: b.motive }));
  op('/close', 'Close without follow-up (withdrawal, unanswered request for pièces, other)', closeBody, (i, b) => closeDossier(env, { ...i, reason: b.reason, text: b.text }));
  op('/card-ready', 'The card has arrived: the applicant is invited to book the hand-over', undefined, (i) => markCardReady(env, i));
  op('/hand-over', 'The card was handed over at the counter: closes the dossier', undefined, (i) => handOverCard(env, i));
  op('/notes', 'Add a private note (staff only)', noteBody, (i, b) => addNote(env, { ...i, body: b.body }));

  api.get(
    `${P}/attestations/:attestationId`,
    { schema: { tags: TAG, summary: 'An attestation of the dossier as PDF', security, params: z.object({ id: z.string(), attestationId: z.string() }) } },
    async (req, reply) => {
      staffActor(req);
      return sendAttestationPdf(deps, req, reply, req.params.id, req.params.attestationId);
    },
  );
  api.get(
    `${P}/documents/:documentId`,
    { schema: { tags: TAG, summary: 'A pièce’s file (inline)', security, params: z.object({ id: z.string(), documentId: z.string() }) } },
    async (req, reply) => sendPieceDocument(deps, req, reply, req.params.id, req.params.documentId, false),
  );
}
