// Nominative convocation token, printed as a QR code on the convocation and typed or scanned at
// the counter. Signed with Ed25519; the key pair is derived deterministically from SECRET_KEY
// (HKDF-SHA256 → 32-byte seed → PKCS#8 DER private key), so every instance signs and verifies
// alike and no key file has to be shared.
//
// Layout (30 bytes, then the 64-byte signature; base64url → 126 characters, a small QR):
//   version (1) | appointment id (16, the UUID's bytes) | person digest (8) | slot start (5, minutes since epoch)
// The person digest is the first 8 bytes of SHA-256 over the request's normalised identity key
// (names + birth date): a token stops matching if the booked identity changes. Reuse is refused
// by the check-in (database state), not here: verify() only says the token is genuine.
import { createHash, createPrivateKey, createPublicKey, hkdfSync, sign, verify, type KeyObject } from 'node:crypto';

const VERSION = 1;
const BODY_BYTES = 30;
const SIG_BYTES = 64;
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface ConvocationClaims {
  appointmentId: string;
  /** 16 hex characters: personDigest(identityKey). */
  personDigest: string;
  /** Slot start, to the minute. */
  slotStartsAt: Date;
}

export interface ConvocationKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const cache = new Map<string, ConvocationKeys>();

/** The Ed25519 key pair of this deployment, derived from SECRET_KEY. */
export function convocationKeys(secretKey: string): ConvocationKeys {
  let keys = cache.get(secretKey);
  if (!keys) {
    const seed = Buffer.from(hkdfSync('sha256', secretKey, 'sejour-convocation', 'ed25519-seed-v1', 32));
    const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    keys = { privateKey, publicKey: createPublicKey(privateKey) };
    cache.set(secretKey, keys);
  }
  return keys;
}

/** Digest of the booked person (normalised identity key: names + birth date). */
export function personDigest(identityKey: string): string {
  return createHash('sha256').update(`convocation|${identityKey}`).digest('hex').slice(0, 16);
}

function uuidBytes(id: string): Buffer {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error('not a UUID');
  return Buffer.from(hex, 'hex');
}

function bytesUuid(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function signConvocation(secretKey: string, claims: ConvocationClaims): string {
  const body = Buffer.alloc(BODY_BYTES);
  body.writeUInt8(VERSION, 0);
  uuidBytes(claims.appointmentId).copy(body, 1);
  Buffer.from(claims.personDigest, 'hex').copy(body, 17, 0, 8);
  body.writeUIntBE(Math.floor(claims.slotStartsAt.getTime() / 60_000), 25, 5);
  const signature = sign(null, body, convocationKeys(secretKey).privateKey);
  return Buffer.concat([body, signature]).toString('base64url');
}

/** The claims of a genuine token, or null (malformed, other version, forged or altered). */
export function verifyConvocation(secretKey: string, token: string): ConvocationClaims | null {
  const cleaned = token.trim();
  if (!/^[A-Za-z0-9_-]{100,200}$/.test(cleaned)) return null;
  const raw = Buffer.from(cleaned, 'base64url');
  if (raw.length !== BODY_BYTES + SIG_BYTES) return null;
  const body = raw.subarray(0, BODY_BYTES);
  const signature = raw.subarray(BODY_BYTES);
  if (body.readUInt8(0) !== VERSION) return null;
  let ok: boolean;
  try {
    ok = verify(null, body, convocationKeys(secretKey).publicKey, signature);
  } catch {
    ok = false;
  }
  if (!ok) return null;
  return {
    appointmentId: bytesUuid(body.subarray(1, 17)),
    personDigest: body.subarray(17, 25).toString('hex'),
    slotStartsAt: new Date(body.readUIntBE(25, 5) * 60_000),
  };
}
