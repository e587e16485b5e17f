// Pure hash-chain logic of the audit log: canonical JSON (keys sorted, no whitespace, the
// same bytes for the same content whatever the key order) and the row hash
// sha256(prev_hash || canonical JSON of the row's content).
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The content of an audit row that its hash covers (everything but id, prev_hash and hash). */
export interface AuditContent {
  prefectureId: string;
  seq: number;
  entityType: string;
  entityId: string;
  actorId: string | null;
  actorRole: string;
  action: string;
  stateBefore: string | null;
  stateAfter: string | null;
  details: Record<string, JsonValue>;
  /** ISO 8601 with milliseconds, UTC (Date.prototype.toISOString). */
  createdAt: string;
}

/** Canonical JSON: object keys sorted by code unit, no whitespace, numbers as JSON.stringify writes them. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as JsonValue)}`).join(',')}}`;
}

/** Plain JSON data out of anything JSON.stringify accepts (Dates become ISO strings, undefined keys vanish). */
export function toJsonData(value: unknown): Record<string, JsonValue> {
  const data: unknown = JSON.parse(JSON.stringify(value ?? {}));
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new TypeError('audit details must be an object');
  return data as Record<string, JsonValue>;
}

export function contentJson(c: AuditContent): string {
  return canonicalJson({
    prefecture_id: c.prefectureId,
    seq: c.seq,
    entity_type: c.entityType,
    entity_id: c.entityId,
    actor_id: c.actorId,
    actor_role: c.actorRole,
    action: c.action,
    state_before: c.stateBefore,
    state_after: c.stateAfter,
    details: c.details,
    created_at: c.createdAt,
  });
}

export function rowHash(prevHash: string, content: AuditContent): string {
  return createHash('sha256').update(prevHash, 'utf8').update(contentJson(content), 'utf8').digest('hex');
}
