// Shared bits of the instruction module's HTTP adapters: the staff actor, sending a document
// for inline preview, sending an attestation PDF.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../shared/deps';
import { AppError } from '../../shared/errors';
import { requireStaff } from '../../shared/auth/guards';
import { openDocument } from '../documents/open-document';
import { findAttestation } from '../verification';
import { renderAttestationPdf } from './attestation-pdfs';
import type { StaffActor } from './casework-rules';
import { findStaffDossier, isUuid } from './staff-dossier';

export function staffActor(req: FastifyRequest): StaffActor {
  const user = requireStaff(req);
  return { id: user.id, role: user.role as StaffActor['role'] };
}

function asciiFallback(name: string): string {
  return name.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '') || 'document';
}

/** A pièce's file, inline (for <img>/<object> on the staff page) or as a download. Same préfecture and dossier, else 404. */
export async function sendPieceDocument(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, dossierId: string, documentId: string, download: boolean) {
  const user = requireStaff(req);
  const prefectureId = req.ctx.prefecture.id;
  const d = await findStaffDossier(deps.db, prefectureId, dossierId);
  if (!isUuid(documentId)) throw new AppError('not_found');
  const belongs = await deps.db.selectFrom('documents').select('id').where('id', '=', documentId).where('dossier_id', '=', d.id).where('prefecture_id', '=', prefectureId).executeTakeFirst();
  if (!belongs) throw new AppError('not_found');
  const doc = await openDocument(deps, { user, side: 'staff' }, { prefectureId, documentId });
  const name = `filename="${asciiFallback(doc.filename)}"; filename*=UTF-8''${encodeURIComponent(doc.filename)}`;
  return (
    reply
      .header('content-type', doc.mime)
      .header('content-length', String(doc.size))
      .header('content-disposition', `${download ? 'attachment' : 'inline'}; ${name}`)
      // Nothing in the file may run or load anything; only our own pages may frame it.
      .header('content-security-policy', "default-src 'none'; frame-ancestors 'self'")
      .header('cache-control', 'private, no-store')
      .send(doc.stream)
  );
}

/** An attestation of this dossier as a PDF; another dossier's or préfecture's → 404. */
export async function sendAttestationPdf(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, dossierId: string, attestationId: string) {
  if (!isUuid(attestationId) || !isUuid(dossierId)) throw new AppError('not_found');
  const a = await findAttestation(deps.db, req.ctx.prefecture.id, attestationId);
  if (!a || a.dossierId !== dossierId || a.kind === 'depot') throw new AppError('not_found');
  const pdf = await renderAttestationPdf(a, { prefectureName: req.ctx.prefecture.name, publicUrl: deps.config.publicUrl });
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="attestation-${a.kind}-${a.code}.pdf"`)
    .header('cache-control', 'private, no-store')
    .send(pdf);
}
