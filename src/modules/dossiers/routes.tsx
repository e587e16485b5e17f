// Dossiers: the applicant files a titre de séjour request online and follows it.
// Thin adapters: pages (guided filing without JavaScript) and /api/v1 JSON, same use cases.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../shared/deps';
import { AppError } from '../../shared/errors';
import { enqueueJob } from '../../shared/jobs/queue';
import { requireApplicant } from '../../shared/auth/guards';
import { formatDate } from '../../shared/i18n';
import { emptyForm, type FormState } from '../../shared/web/forms';
import { sendHtml } from '../../shared/web/render';
import { formValues } from '../../shared/validation';
import { uploadErrorFromQuery } from '../documents/upload-form';
import { renderDepotAttestation } from './attestation-pdf';
import { listDossierAttestations } from '../verification';
import { ensureCatalogueForAll, ensureCatalogueOnce } from './catalogue/ensure-catalogue';
import { dossierPieceList, getCategoryKind, getPieces, listCategories, pick, type CategoryKindDetail } from './catalogue/catalogue-queries';
import { dossierFiles, missingPieces } from './dossier-files';
import { findOwnDossier, listDossierEvents, listOwnDossiers, type DossierRow } from './dossier-queries';
import { parseIdentity } from './identity';
import { availableEvents } from './lifecycle';
import { nextSteps } from './next-steps';
import {
  CategoryQuestionPage,
  IdentityPage,
  KindQuestionPage,
  ListPage,
  PiecePage,
  ReviewPage,
  StatusPage,
  WithdrawPage,
  formatAmount,
} from './pages';
import { purgeStaleDrafts } from './purge-stale-drafts';
import { parisDay, renewalWindow } from './renewal-window';
import { resubmitDossier } from './resubmit-dossier';
import { identityValues, saveDossierIdentity } from './save-dossier-identity';
import { startDossier } from './start-dossier';
import { MissingPiecesError, submitDossier } from './submit-dossier';
import { REQUEST_KINDS, type RequestKind } from './tables';
import { withdrawDossier } from './withdraw-dossier';
import { registerAccountLink } from './account-link';
import { documentStorage } from '../documents/document-store';
import { countUnread, unreadByDossier } from '../documents/messages';

export const PURGE_JOB = 'dossiers.purge_drafts';

function isKind(v: unknown): v is RequestKind {
  return typeof v === 'string' && (REQUEST_KINDS as readonly string[]).includes(v);
}

function nextDayAt(now: Date, hourUtc: number): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, hourUtc));
  return d;
}

export async function dossiersRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const env = { db: deps.db, publicUrl: deps.config.publicUrl };
  registerAccountLink();

  // Daily purge of stale drafts: each run schedules the next (unique key per day).
  deps.jobs.register(PURGE_JOB, async () => {
    const now = new Date();
    const storage = documentStorage(deps.config);
    const res = await purgeStaleDrafts(
      {
        ...env,
        deleteStoredFiles: async (keys) => {
          for (const k of keys) await storage.delete(k).catch((err: unknown) => deps.log.error({ err }, 'stored file of a purged draft not removed'));
        },
      },
      now,
    );
    deps.log.info(res, 'stale drafts purged');
    const next = nextDayAt(now, 2);
    await enqueueJob(deps.db, { kind: PURGE_JOB, runAt: next, uniqueKey: `${PURGE_JOB}:${next.toISOString().slice(0, 10)}` });
  });
  app.addHook('onReady', async () => {
    await ensureCatalogueForAll(deps.db);
    const now = new Date();
    await enqueueJob(deps.db, { kind: PURGE_JOB, runAt: now, uniqueKey: `${PURGE_JOB}:${now.toISOString().slice(0, 10)}` });
  });
  // The catalogue is loaded on first use by a préfecture created after start.
  app.addHook('preHandler', async (req) => {
    if (req.ctx?.prefecture.id && (req.url.startsWith('/dossiers') || req.url.startsWith('/api/v1/dossiers') || req.url.startsWith('/api/v1/catalogue'))) {
      await ensureCatalogueOnce(deps.db, req.ctx.prefecture.id);
    }
  });

  const loadOwn = (req: FastifyRequest, id: string, forUpdate = false) => {
    const user = requireApplicant(req);
    return findOwnDossier(deps.db, req.ctx.prefecture.id, user.id, id, { forUpdate });
  };
  const offerOf = async (d: DossierRow): Promise<CategoryKindDetail> => {
    const offer = await getCategoryKind(deps.db, d.prefecture_id, d.category_code, d.request_kind);
    if (!offer) throw new AppError('conflict', 'dossiers.err_category_withdrawn');
    return offer;
  };
  const identityComplete = (d: DossierRow, prefectureCode: string): boolean => {
    try {
      parseIdentity(identityValues(d), { kind: d.request_kind, prefectureCode, today: parisDay(new Date()) });
      return true;
    } catch {
      return false;
    }
  };

  // ---------------------------------------------------------------- pages
  app.get('/dossiers', async (req, reply) => {
    const user = requireApplicant(req);
    const [dossiers, categories, unread] = await Promise.all([
      listOwnDossiers(deps.db, req.ctx.prefecture.id, user.id),
      listCategories(deps.db, req.ctx.prefecture.id),
      unreadByDossier(deps.db, req.ctx.prefecture.id, user.id),
    ]);
    const names = new Map(categories.map((c) => [c.code, pick(c.name, req.ctx.locale)]));
    return sendHtml(reply, <ListPage ctx={req.ctx} dossiers={dossiers} names={names} unread={unread} />);
  });

  app.get('/dossiers/nouveau', async (req, reply) => {
    requireApplicant(req);
    const kind = (req.query as Record<string, unknown>).demande;
    if (isKind(kind)) {
      const categories = await listCategories(deps.db, req.ctx.prefecture.id);
      return sendHtml(reply, <CategoryQuestionPage ctx={req.ctx} state={emptyForm()} kind={kind} categories={categories} />);
    }
    return sendHtml(reply, <KindQuestionPage ctx={req.ctx} state={emptyForm()} />);
  });

  app.post('/dossiers/nouveau', async (req, reply) => {
    const user = requireApplicant(req);
    const values = formValues(req.body);
    if (!isKind(values.kind)) {
      return sendHtml(reply, <KindQuestionPage ctx={req.ctx} state={{ values, errors: { kind: 'dossiers.err_choose_one' } }} />, 400);
    }
    if (values.category === undefined) return reply.redirect(`/dossiers/nouveau?demande=${values.kind}`, 303);
    try {
      const { id } = await startDossier(deps.db, {
        prefectureId: req.ctx.prefecture.id,
        applicant: { id: user.id, email: user.email },
        categoryCode: values.category,
        kind: values.kind,
      });
      return reply.redirect(`/dossiers/${id}/identite`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'validation') throw err;
      const categories = await listCategories(deps.db, req.ctx.prefecture.id);
      return sendHtml(
        reply,
        <CategoryQuestionPage ctx={req.ctx} state={{ values, errors: { category: 'dossiers.err_choose_one' } }} kind={values.kind} categories={categories} />,
        400,
      );
    }
  });

  app.get<{ Params: { id: string } }>('/dossiers/:id', async (req, reply) => {
    const d = await loadOwn(req, req.params.id);
    const offer = await offerOf(d);
    const [events, files, list] = await Promise.all([
      listDossierEvents(deps.db, d.prefecture_id, d.id),
      dossierFiles(deps.db, d.prefecture_id, d.id),
      dossierPieceList(deps.db, d, offer),
    ]);
    const pieces = list.map((p) => ({ ...p, name: pick(p.name, req.ctx.locale) }));
    const steps = nextSteps(d, {
      stampAmount: formatAmount(req.ctx.locale, offer.kind.stampCents),
      deadline: d.pieces_deadline ? formatDate(req.ctx.locale, d.pieces_deadline) : null,
    });
    const canWithdraw = availableEvents(d, { role: 'applicant', id: req.ctx.user?.id ?? null }).includes('withdraw');
    const unread = await countUnread(deps.db, d.prefecture_id, { dossierId: d.id }, 'applicant');
    const attestations = (await listDossierAttestations(deps.db, d.prefecture_id, d.id)).filter((a) => a.kind !== 'depot');
    return sendHtml(
      reply,
      <StatusPage
        attestations={attestations}
        ctx={req.ctx}
        dossier={d}
        categoryName={pick(offer.category.name, req.ctx.locale)}
        events={events}
        steps={steps}
        pieces={pieces}
        files={files}
        canWithdraw={canWithdraw}
        unread={unread}
      />,
    );
  });

  const identityWindow = (d: DossierRow, values: Record<string, string>) => {
    const exp = values.current_permit_expires_on;
    return d.request_kind === 'renewal' && exp && /^\d{4}-\d{2}-\d{2}$/.test(exp) ? renewalWindow(exp, parisDay(new Date())) : null;
  };

  app.get<{ Params: { id: string } }>('/dossiers/:id/identite', async (req, reply) => {
    const d = await loadOwn(req, req.params.id);
    if (d.state !== 'draft') return reply.redirect(`/dossiers/${d.id}`, 303);
    const values = identityValues(d);
    return sendHtml(reply, <IdentityPage ctx={req.ctx} dossier={d} state={emptyForm(values)} window={identityWindow(d, values)} />);
  });

  app.post<{ Params: { id: string } }>('/dossiers/:id/identite', async (req, reply) => {
    const user = requireApplicant(req);
    const values = formValues(req.body);
    try {
      await saveDossierIdentity(deps.db, {
        prefectureId: req.ctx.prefecture.id,
        prefectureCode: req.ctx.prefecture.code,
        applicantId: user.id,
        dossierId: req.params.id,
        values,
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'validation') throw err;
      const d = await loadOwn(req, req.params.id);
      const state: FormState = { values, errors: err.fields };
      return sendHtml(reply, <IdentityPage ctx={req.ctx} dossier={d} state={state} window={identityWindow(d, values)} />, 400);
    }
    const d = await loadOwn(req, req.params.id);
    const offer = await offerOf(d);
    const first = offer.pieces[0];
    return reply.redirect(first ? `/dossiers/${d.id}/pieces/${first.code}` : `/dossiers/${d.id}/recapitulatif`, 303);
  });

  app.get<{ Params: { id: string; pieceCode: string } }>('/dossiers/:id/pieces/:pieceCode', async (req, reply) => {
    const d = await loadOwn(req, req.params.id);
    const offer = await offerOf(d);
    const codes = [...offer.pieces.map((p) => p.code), ...d.requested_pieces.filter((c) => !offer.pieces.some((p) => p.code === c))];
    const index = codes.indexOf(req.params.pieceCode);
    if (index < 0) throw new AppError('not_found');
    const piece = offer.pieces.find((p) => p.code === req.params.pieceCode) ?? (await getPieces(deps.db, d.prefecture_id, [req.params.pieceCode]))[0];
    if (!piece) throw new AppError('not_found');
    const files = (await dossierFiles(deps.db, d.prefecture_id, d.id)).filter((f) => f.pieceCode === piece.code);
    const draft = d.state === 'draft';
    const editable = draft || (d.state === 'pieces_requested' && d.requested_pieces.includes(piece.code));
    const previous = draft ? (index > 0 ? `/dossiers/${d.id}/pieces/${codes[index - 1]}` : `/dossiers/${d.id}/identite`) : `/dossiers/${d.id}`;
    const next = draft ? (index < codes.length - 1 ? `/dossiers/${d.id}/pieces/${codes[index + 1]}` : `/dossiers/${d.id}/recapitulatif`) : `/dossiers/${d.id}`;
    return sendHtml(
      reply,
      <PiecePage
        ctx={req.ctx}
        dossier={d}
        piece={piece}
        files={files}
        editable={editable}
        previous={previous}
        next={next}
        uploadError={uploadErrorFromQuery(req.query)}
      />,
    );
  });

  const renderReview = async (req: FastifyRequest, reply: FastifyReply, d: DossierRow, state: FormState, status = 200) => {
    const offer = await offerOf(d);
    const files = await dossierFiles(deps.db, d.prefecture_id, d.id);
    return sendHtml(
      reply,
      <ReviewPage
        ctx={req.ctx}
        dossier={d}
        offer={offer}
        files={files}
        missing={missingPieces(offer.pieces, files)}
        state={state}
        identityComplete={identityComplete(d, req.ctx.prefecture.code)}
      />,
      status,
    );
  };

  app.get<{ Params: { id: string } }>('/dossiers/:id/recapitulatif', async (req, reply) => {
    const d = await loadOwn(req, req.params.id);
    if (d.state !== 'draft') return reply.redirect(`/dossiers/${d.id}`, 303);
    return renderReview(req, reply, d, emptyForm());
  });

  app.post<{ Params: { id: string } }>('/dossiers/:id/deposer', async (req, reply) => {
    const user = requireApplicant(req);
    const values = formValues(req.body);
    try {
      await submitDossier(env, {
        prefecture: req.ctx.prefecture,
        applicantId: user.id,
        dossierId: req.params.id,
        sworn: values.sworn === 'on',
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'validation') throw err;
      const d = await loadOwn(req, req.params.id);
      const state: FormState =
        err instanceof MissingPiecesError
          ? { values, errors: err.fields, formError: 'dossiers.err_missing_pieces' }
          : { values, errors: err.fields, formError: Object.keys(err.fields).length ? undefined : err.messageKey };
      return renderReview(req, reply, d, state, 400);
    }
    return reply.flash('dossiers.flash_submitted').redirect(`/dossiers/${req.params.id}`, 303);
  });

  app.post<{ Params: { id: string } }>('/dossiers/:id/renvoyer', async (req, reply) => {
    const user = requireApplicant(req);
    await resubmitDossier(env, { prefectureId: req.ctx.prefecture.id, applicantId: user.id, dossierId: req.params.id });
    return reply.flash('dossiers.flash_resubmitted').redirect(`/dossiers/${req.params.id}`, 303);
  });

  app.get<{ Params: { id: string } }>('/dossiers/:id/retrait', async (req, reply) => {
    const d = await loadOwn(req, req.params.id);
    if (!availableEvents(d, { role: 'applicant', id: req.ctx.user?.id ?? null }).includes('withdraw')) return reply.redirect(`/dossiers/${d.id}`, 303);
    return sendHtml(reply, <WithdrawPage ctx={req.ctx} dossier={d} />);
  });

  app.post<{ Params: { id: string } }>('/dossiers/:id/retrait', async (req, reply) => {
    const user = requireApplicant(req);
    if (formValues(req.body).confirm !== 'yes') return reply.redirect(`/dossiers/${req.params.id}/retrait`, 303);
    await withdrawDossier(env, { prefectureId: req.ctx.prefecture.id, applicantId: user.id, dossierId: req.params.id });
    return reply.flash('dossiers.flash_withdrawn').redirect(`/dossiers/${req.params.id}`, 303);
  });

  const sendAttestation = async (req: FastifyRequest, reply: FastifyReply, id: string) => {
    const d = await loadOwn(req, id);
    if (!d.number) throw new AppError('not_found');
    const offer = await offerOf(d);
    const pdf = await renderDepotAttestation(deps, d, offer);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="attestation-de-depot-${d.number}.pdf"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  };
  app.get<{ Params: { id: string } }>('/dossiers/:id/attestation-de-depot.pdf', async (req, reply) => sendAttestation(req, reply, req.params.id));

  // ---------------------------------------------------------------- API
  const localized = z.object({ fr: z.string(), en: z.string(), ar: z.string() });
  const kindEnum = z.enum(['first', 'renewal', 'change_of_status']);
  const stateEnum = z.enum([
    'draft',
    'submitted',
    'under_review',
    'pieces_requested',
    'resubmitted',
    'decided_favourable',
    'decided_unfavourable',
    'closed',
    'withdrawn',
    'card_in_production',
    'card_ready',
    'handed_over',
  ]);
  const idParams = z.object({ id: z.string() });
  const dossierSummary = z.object({
    id: z.string(),
    number: z.string().nullable(),
    state: stateEnum,
    category: z.string(),
    kind: kindEnum,
    lateRenewal: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    submittedAt: z.string().nullable(),
  });
  const summary = (d: DossierRow) => ({
    id: d.id,
    number: d.number,
    state: d.state,
    category: d.category_code,
    kind: d.request_kind,
    lateRenewal: d.late_renewal,
    createdAt: d.created_at.toISOString(),
    updatedAt: d.updated_at.toISOString(),
    submittedAt: d.submitted_at ? new Date(d.submitted_at).toISOString() : null,
  });
  const identitySchema = z.object({
    surname: z.string().nullable(),
    givenNames: z.string().nullable(),
    birthDate: z.string().nullable(),
    birthPlace: z.string().nullable(),
    nationality: z.string().nullable(),
    agdrefNumber: z.string().nullable(),
    currentPermitNumber: z.string().nullable(),
    currentPermitExpiresOn: z.string().nullable(),
    addressLine: z.string().nullable(),
    postalCode: z.string().nullable(),
    city: z.string().nullable(),
    phone: z.string().nullable(),
    ephotoCode: z.string().nullable(),
    lateReason: z.string().nullable(),
  });
  const detail = async (d: DossierRow, locale: 'fr' | 'en' | 'ar') => {
    const offer = await offerOf(d);
    const [events, files, all] = await Promise.all([
      listDossierEvents(deps.db, d.prefecture_id, d.id),
      dossierFiles(deps.db, d.prefecture_id, d.id),
      dossierPieceList(deps.db, d, offer),
    ]);
    const missing = missingPieces(all, files);
    return {
      ...summary(d),
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
        ephotoCode: d.ephoto_code,
        lateReason: d.late_reason,
      },
      pieces: all.map((p) => ({
        code: p.code,
        mandatory: p.mandatory,
        files: files.filter((f) => f.pieceCode === p.code).map((f) => ({ id: f.id, filename: f.filename, size: f.size, mime: f.mime, scanStatus: f.scanStatus })),
        missing: missing.includes(p.code),
      })),
      requestedPieces: d.requested_pieces,
      piecesDeadline: d.pieces_deadline,
      stampCents: offer.kind.stampCents,
      timeline: events.map((e) => ({ event: e.event, state: e.to_state, at: e.created_at.toISOString() })),
      nextSteps: nextSteps(d, {
        stampAmount: formatAmount(locale, offer.kind.stampCents),
        deadline: d.pieces_deadline ? formatDate(locale, d.pieces_deadline) : null,
      }).map((s) => ({ code: s.key.replace(/^dossiers\.next\./, ''), ...(s.params ? { params: s.params } : {}) })),
    };
  };
  const dossierDetail = dossierSummary.extend({
    identity: identitySchema,
    pieces: z.array(
      z.object({
        code: z.string(),
        mandatory: z.boolean(),
        missing: z.boolean(),
        files: z.array(z.object({ id: z.string(), filename: z.string(), size: z.number(), mime: z.string(), scanStatus: z.string() })),
      }),
    ),
    requestedPieces: z.array(z.string()),
    piecesDeadline: z.string().nullable(),
    stampCents: z.number().int(),
    timeline: z.array(z.object({ event: z.string(), state: stateEnum, at: z.string() })),
    nextSteps: z.array(z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() })),
  });

  api.get(
    '/api/v1/catalogue',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Permit categories, request kinds, pièces and fiscal stamp amounts of this préfecture',
        response: {
          200: z.object({
            categories: z.array(
              z.object({
                code: z.string(),
                family: z.string(),
                name: localized,
                whoFor: localized,
                kinds: z.array(
                  z.object({
                    kind: kindEnum,
                    whoFor: localized,
                    stampCents: z.number().int(),
                    pieces: z.array(
                      z.object({
                        code: z.string(),
                        name: localized,
                        description: localized,
                        mandatory: z.boolean(),
                        formats: z.array(z.enum(['pdf', 'jpeg', 'png'])),
                        maxAgeMonths: z.number().int().nullable(),
                      }),
                    ),
                  }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const categories = await listCategories(deps.db, req.ctx.prefecture.id);
      const out = [];
      for (const c of categories) {
        const kinds = [];
        for (const k of c.kinds) {
          const d = await getCategoryKind(deps.db, req.ctx.prefecture.id, c.code, k.kind);
          kinds.push({ ...k, pieces: d?.pieces ?? [] });
        }
        out.push({ ...c, kinds });
      }
      return { categories: out };
    },
  );

  api.get(
    '/api/v1/dossiers',
    { schema: { tags: ['dossiers'], summary: 'My dossiers', security: [{ bearer: [] }], response: { 200: z.object({ dossiers: z.array(dossierSummary.extend({ unreadMessages: z.number().int().describe('Messages from the préfecture not yet read') })) }) } } },
    async (req) => {
      const user = requireApplicant(req);
      const [dossiers, unread] = await Promise.all([
        listOwnDossiers(deps.db, req.ctx.prefecture.id, user.id),
        unreadByDossier(deps.db, req.ctx.prefecture.id, user.id),
      ]);
      return { dossiers: dossiers.map((d) => ({ ...summary(d), unreadMessages: unread.get(d.id) ?? 0 })) };
    },
  );

  api.post(
    '/api/v1/dossiers',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Start a draft dossier for a category and request kind',
        security: [{ bearer: [] }],
        body: z.object({ category: z.string().max(60), kind: kindEnum }),
        response: { 201: dossierDetail },
      },
    },
    async (req, reply) => {
      const user = requireApplicant(req);
      const { id } = await startDossier(deps.db, {
        prefectureId: req.ctx.prefecture.id,
        applicant: { id: user.id, email: user.email },
        categoryCode: req.body.category,
        kind: req.body.kind,
      });
      const d = await loadOwn(req, id);
      return reply.status(201).send(await detail(d, req.ctx.locale));
    },
  );

  api.get(
    '/api/v1/dossiers/:id',
    { schema: { tags: ['dossiers'], summary: 'One of my dossiers, with its pièces and timeline', security: [{ bearer: [] }], params: idParams, response: { 200: dossierDetail } } },
    async (req) => detail(await loadOwn(req, req.params.id), req.ctx.locale),
  );

  api.put(
    '/api/v1/dossiers/:id/identity',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Save the identity step of a draft (names exactly as on the passport)',
        security: [{ bearer: [] }],
        params: idParams,
        body: z.object({
          surname: z.string().max(200),
          givenNames: z.string().max(200),
          birthDate: z.string().max(10),
          birthPlace: z.string().max(200),
          nationality: z.string().max(100),
          agdrefNumber: z.string().max(20).optional(),
          currentPermitNumber: z.string().max(60).optional(),
          currentPermitExpiresOn: z.string().max(10).optional(),
          addressLine: z.string().max(250),
          postalCode: z.string().max(10),
          city: z.string().max(150),
          phone: z.string().max(30),
          ephotoCode: z.string().max(60),
          lateReason: z.string().max(2000).optional(),
        }),
        response: { 200: dossierDetail },
      },
    },
    async (req) => {
      const user = requireApplicant(req);
      const b = req.body;
      await saveDossierIdentity(deps.db, {
        prefectureId: req.ctx.prefecture.id,
        prefectureCode: req.ctx.prefecture.code,
        applicantId: user.id,
        dossierId: req.params.id,
        values: {
          surname: b.surname,
          given_names: b.givenNames,
          birth_date: b.birthDate,
          birth_place: b.birthPlace,
          nationality: b.nationality,
          agdref_number: b.agdrefNumber,
          current_permit_number: b.currentPermitNumber,
          current_permit_expires_on: b.currentPermitExpiresOn,
          address_line: b.addressLine,
          postal_code: b.postalCode,
          city: b.city,
          phone: b.phone,
          ephoto_code: b.ephotoCode,
          late_reason: b.lateReason,
        },
      });
      return detail(await loadOwn(req, req.params.id), req.ctx.locale);
    },
  );

  api.post(
    '/api/v1/dossiers/:id/submit',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'File the dossier (sworn statement required); refused while a mandatory pièce has no file',
        security: [{ bearer: [] }],
        params: idParams,
        body: z.object({ sworn: z.boolean() }),
        response: { 200: dossierDetail },
      },
    },
    async (req) => {
      const user = requireApplicant(req);
      await submitDossier(env, { prefecture: req.ctx.prefecture, applicantId: user.id, dossierId: req.params.id, sworn: req.body.sworn });
      return detail(await loadOwn(req, req.params.id), req.ctx.locale);
    },
  );

  api.post(
    '/api/v1/dossiers/:id/resubmit',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Answer a request for pièces once their files are added; refused while a requested pièce has no new file',
        security: [{ bearer: [] }],
        params: idParams,
        response: { 200: dossierDetail },
      },
    },
    async (req) => {
      const user = requireApplicant(req);
      await resubmitDossier(env, { prefectureId: req.ctx.prefecture.id, applicantId: user.id, dossierId: req.params.id });
      return detail(await loadOwn(req, req.params.id), req.ctx.locale);
    },
  );

  api.post(
    '/api/v1/dossiers/:id/withdraw',
    { schema: { tags: ['dossiers'], summary: 'Withdraw a filed request', security: [{ bearer: [] }], params: idParams, response: { 200: dossierDetail } } },
    async (req) => {
      const user = requireApplicant(req);
      await withdrawDossier(env, { prefectureId: req.ctx.prefecture.id, applicantId: user.id, dossierId: req.params.id });
      return detail(await loadOwn(req, req.params.id), req.ctx.locale);
    },
  );

  api.get(
    '/api/v1/dossiers/:id/attestation-de-depot.pdf',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'The attestation de dépôt (PDF) of a filed dossier',
        security: [{ bearer: [] }],
        params: idParams,
        produces: ['application/pdf'],
      },
    },
    async (req, reply) => sendAttestation(req, reply, req.params.id),
  );
}
