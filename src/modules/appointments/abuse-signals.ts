// Risk signals of a filing, read from the database over the last 24 hours: identities per
// network prefix, per device cookie and per account, disposable e-mail domain, account age,
// missing proof of work (at filing, or at the account's registration), earlier check-in mismatches of the same person. Recorded with the
// request (table appointment_risk_signals) in the filing transaction.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { isDisposableEmail, needsReview, THRESHOLDS } from './abuse';
import type { RiskKind } from './front-tables';

export interface FilingContext {
  prefectureId: string;
  userId: string | null;
  accountCreatedAt: Date | null;
  identityKey: string;
  email: string;
  ipPrefix: string | null;
  deviceHash: string | null;
  powVerified: boolean;
  now?: Date;
}

export interface RiskAssessment {
  signals: { kind: RiskKind; detail: Record<string, unknown> }[];
  review: boolean;
}

async function otherIdentities(db: Kysely<DB>, ctx: FilingContext, column: 'ip_prefix' | 'device_hash' | 'applicant_id', value: string, since: Date): Promise<number> {
  const col = column === 'applicant_id' ? sql.ref('r.applicant_id') : sql.ref(`m.${column}`);
  const res = await sql<{ n: number }>`
    select count(distinct r.identity_key)::int as n
    from appointment_requests r
    left join appointment_request_meta m on m.request_id = r.id
    where r.prefecture_id = ${ctx.prefectureId}::uuid and ${col} = ${value}
      and r.created_at > ${since}::timestamptz and r.identity_key <> ${ctx.identityKey}`.execute(db);
  return res.rows[0]?.n ?? 0;
}

export async function assessFiling(db: Kysely<DB>, ctx: FilingContext): Promise<RiskAssessment> {
  const now = ctx.now ?? new Date();
  const since = new Date(now.getTime() - 24 * 3_600_000);
  const signals: RiskAssessment['signals'] = [];
  if (ctx.ipPrefix) {
    const n = await otherIdentities(db, ctx, 'ip_prefix', ctx.ipPrefix, since);
    if (n >= THRESHOLDS.ipOtherIdentities) signals.push({ kind: 'ip_cluster', detail: { prefix: ctx.ipPrefix, others: n } });
  }
  if (ctx.deviceHash) {
    const n = await otherIdentities(db, ctx, 'device_hash', ctx.deviceHash, since);
    if (n >= THRESHOLDS.deviceOtherIdentities) signals.push({ kind: 'device_cluster', detail: { others: n } });
  }
  if (ctx.userId) {
    const n = await otherIdentities(db, ctx, 'applicant_id', ctx.userId, since);
    if (n >= THRESHOLDS.accountOtherIdentities) signals.push({ kind: 'account_cluster', detail: { others: n } });
  }
  if (isDisposableEmail(ctx.email)) signals.push({ kind: 'disposable_email', detail: {} });
  if (ctx.accountCreatedAt && now.getTime() - ctx.accountCreatedAt.getTime() < THRESHOLDS.newAccountHours * 3_600_000) {
    signals.push({ kind: 'new_account', detail: {} });
  }
  if (!ctx.powVerified) signals.push({ kind: 'no_pow', detail: {} });
  else if (ctx.userId) {
    // The account itself was created without proof of work (no JavaScript at registration).
    const account = await db.selectFrom('users').select('registered_with_pow').where('id', '=', ctx.userId).executeTakeFirst();
    if (account?.registered_with_pow === false) signals.push({ kind: 'no_pow', detail: { step: 'registration' } });
  }
  const mismatch = await db
    .selectFrom('appointment_risk_signals')
    .select('id')
    .where('prefecture_id', '=', ctx.prefectureId)
    .where('identity_key', '=', ctx.identityKey)
    .where('kind', '=', 'checkin_mismatch')
    .executeTakeFirst();
  if (mismatch) signals.push({ kind: 'previous_mismatch', detail: {} });
  return { signals, review: needsReview(signals.map((s) => s.kind)) };
}

export async function recordSignals(
  trx: Transaction<DB> | Kysely<DB>,
  base: { prefectureId: string; requestId?: string | null; appointmentId?: string | null; userId?: string | null; identityKey?: string | null },
  signals: RiskAssessment['signals'],
): Promise<void> {
  if (!signals.length) return;
  await trx
    .insertInto('appointment_risk_signals')
    .values(
      signals.map((s) => ({
        prefecture_id: base.prefectureId,
        request_id: base.requestId ?? null,
        appointment_id: base.appointmentId ?? null,
        user_id: base.userId ?? null,
        identity_key: base.identityKey ?? null,
        kind: s.kind,
        detail: JSON.stringify(s.detail),
      })),
    )
    .execute();
}
