// Assignment: an agent takes a dossier from the common queue (taking a new one starts its
// review), releases it, or a supervisor (or admin) hands it to another agent of the same
// préfecture. Concurrency is settled by the database: the update applies only while the
// dossier is unheld (or held by the one releasing it), so of two agents taking the same
// dossier at once exactly one wins; the other gets a conflict and nothing changes.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../shared/errors';
import { transition } from '../dossiers/lifecycle';
import { auditCasework } from './audit-casework';
import { mayReassign, OPEN_STATES, type StaffActor } from './casework-rules';
import { findStaffDossier, isUuid } from './staff-dossier';

interface Deps {
  db: Kysely<DB>;
  publicUrl: string;
}

export async function takeDossier(deps: Deps, input: { prefectureId: string; dossierId: string; actor: StaffActor; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  await deps.db.transaction().execute(async (trx) => {
    const before = await findStaffDossier(trx, input.prefectureId, input.dossierId);
    if (!OPEN_STATES.includes(before.state)) throw new AppError('conflict', 'instruction.err_not_open');
    const taken = await trx
      .updateTable('dossiers')
      .set({ assigned_to: input.actor.id, assigned_at: now })
      .where('id', '=', before.id)
      .where('prefecture_id', '=', input.prefectureId)
      .where('assigned_to', 'is', null)
      .where('state', 'in', [...OPEN_STATES])
      .returning(['id', 'prefecture_id', 'applicant_id', 'applicant_email', 'state'])
      .executeTakeFirst();
    if (!taken) throw new AppError('conflict', 'instruction.err_already_assigned');
    await auditCasework(trx, {
      prefectureId: input.prefectureId,
      dossierId: taken.id,
      actor: input.actor,
      action: 'take',
      stateBefore: taken.state,
      stateAfter: taken.state,
      details: { assignedTo: input.actor.id },
      at: now,
    });
    if (taken.state === 'submitted') {
      await transition(trx, taken, 'start_review', input.actor, { publicUrl: deps.publicUrl, now });
    }
  });
}

export async function releaseDossier(deps: Deps, input: { prefectureId: string; dossierId: string; actor: StaffActor }): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const d = await findStaffDossier(trx, input.prefectureId, input.dossierId);
    let q = trx.updateTable('dossiers').set({ assigned_to: null, assigned_at: null }).where('id', '=', d.id).where('prefecture_id', '=', input.prefectureId);
    // An agent releases only their own; a supervisor may put any held dossier back in the queue.
    q = mayReassign(input.actor) ? q.where('assigned_to', 'is not', null) : q.where('assigned_to', '=', input.actor.id);
    const done = await q.returning(['assigned_to']).executeTakeFirst();
    if (!done) throw new AppError('conflict', 'instruction.err_not_holder');
    await auditCasework(trx, {
      prefectureId: input.prefectureId,
      dossierId: d.id,
      actor: input.actor,
      action: 'release',
      stateBefore: d.state,
      stateAfter: d.state,
      details: { previouslyAssignedTo: d.assigned_to },
    });
  });
}

export async function reassignDossier(deps: Deps, input: { prefectureId: string; dossierId: string; actor: StaffActor; toUserId: string; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  await deps.db.transaction().execute(async (trx) => {
    // The dossier first: another préfecture's answers 404 whatever the role.
    const d = await findStaffDossier(trx, input.prefectureId, input.dossierId, { forUpdate: true });
    if (!mayReassign(input.actor)) throw new AppError('forbidden', 'instruction.err_reassign_forbidden');
    if (!OPEN_STATES.includes(d.state)) throw new AppError('conflict', 'instruction.err_not_open');
    const target = isUuid(input.toUserId)
      ? await trx
          .selectFrom('users')
          .select(['id'])
          .where('id', '=', input.toUserId)
          .where('prefecture_id', '=', input.prefectureId)
          .where('role', 'in', ['agent', 'supervisor'])
          .executeTakeFirst()
      : undefined;
    if (!target) throw new AppError('validation', 'errors.validation', { agent: 'instruction.err_agent_unknown' });
    await trx.updateTable('dossiers').set({ assigned_to: target.id, assigned_at: now }).where('id', '=', d.id).where('prefecture_id', '=', input.prefectureId).execute();
    await auditCasework(trx, {
      prefectureId: input.prefectureId,
      dossierId: d.id,
      actor: input.actor,
      action: 'reassign',
      stateBefore: d.state,
      stateAfter: d.state,
      details: { from: d.assigned_to, to: target.id },
      at: now,
    });
  });
}

/** The agents (and supervisors) of the préfecture a dossier can be handed to. */
export async function listAssignableStaff(db: Kysely<DB>, prefectureId: string): Promise<{ id: string; name: string }[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'email'])
    .where('prefecture_id', '=', prefectureId)
    .where('role', 'in', ['agent', 'supervisor'])
    .orderBy('display_name')
    .orderBy('email')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name || r.email }));
}
