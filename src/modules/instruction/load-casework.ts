// Everything the staff dossier page (and the API) shows about one dossier: identity, pièces
// with files and reviews, the history read from the audit log, the message thread, private
// notes, attestations, holder and instructing site, and the query-time "deadline passed" flag.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { listAudit, type AuditRecord } from '../audit/list-audit';
import { listMessages, type ThreadMessage } from '../documents/messages';
import type { DossierRow } from '../dossiers/dossier-queries';
import { parisDay } from '../dossiers/renewal-window';
import type { LocalizedText } from '../dossiers/tables';
import { listDossierAttestations, type Attestation } from '../verification';
import { listNotes } from './add-note';
import { deadlinePassed } from './casework-rules';
import { loadDossierPieces, type CaseworkPiece } from './dossier-pieces';
import { findStaffDossier } from './staff-dossier';

export interface Casework {
  dossier: DossierRow;
  categoryName: LocalizedText | null;
  stampCents: number | null;
  pieces: CaseworkPiece[];
  history: (AuditRecord & { actorName: string | null })[];
  messages: ThreadMessage[];
  notes: { id: string; body: string; createdAt: Date; author: string | null }[];
  attestations: Attestation[];
  assignee: { id: string; name: string } | null;
  site: { code: string; name: string } | null;
  complete: boolean;
  deadlinePassed: boolean;
}

export async function loadCasework(db: Kysely<DB>, prefectureId: string, dossierId: string, now = new Date()): Promise<Casework> {
  const dossier = await findStaffDossier(db, prefectureId, dossierId);
  const [{ pieces, stampCents, categoryName }, audit, messages, notes, attestations, completion] = await Promise.all([
    loadDossierPieces(db, dossier),
    listAudit(db, prefectureId, 'dossier', dossier.id),
    listMessages(db, prefectureId, dossier.id),
    listNotes(db, prefectureId, dossier.id),
    listDossierAttestations(db, prefectureId, dossier.id, now),
    db.selectFrom('dossier_completions').select('completed_at').where('dossier_id', '=', dossier.id).where('prefecture_id', '=', prefectureId).executeTakeFirst(),
  ]);
  const userIds = [...new Set([...audit.map((a) => a.actorId), dossier.assigned_to].filter((x): x is string => !!x))];
  const users = userIds.length
    ? await db.selectFrom('users').select(['id', 'display_name', 'email', 'role']).where('prefecture_id', '=', prefectureId).where('id', 'in', userIds).execute()
    : [];
  const nameOf = (id: string | null) => {
    const u = users.find((x) => x.id === id);
    if (!u) return null;
    return u.role === 'applicant' ? null : u.display_name || u.email;
  };
  const site = dossier.site_id ? await db.selectFrom('sites').select(['code', 'name']).where('id', '=', dossier.site_id).where('prefecture_id', '=', prefectureId).executeTakeFirst() : undefined;
  return {
    dossier,
    categoryName,
    stampCents,
    pieces,
    history: audit.map((a) => ({ ...a, actorName: nameOf(a.actorId) })),
    messages,
    notes: notes.map((n) => ({ id: n.id, body: n.body, createdAt: new Date(n.created_at), author: n.display_name || n.email || null })),
    attestations,
    assignee: dossier.assigned_to ? { id: dossier.assigned_to, name: nameOf(dossier.assigned_to) ?? '' } : null,
    site: site ?? null,
    complete: !!completion,
    deadlinePassed: deadlinePassed(dossier, parisDay(now)),
  };
}
