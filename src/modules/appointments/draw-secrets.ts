// Keys of the draw: seeds are sealed at rest until revealed; pseudonymous ids use a key
// derived from SECRET_KEY (never published).
import { createHmac } from 'node:crypto';
import { SecretBox } from '../../shared/security/secret-box';

export function drawSeedBox(secretKey: string): SecretBox {
  return new SecretBox(secretKey, 'draw-seed-v1');
}

export function pseudonymKey(secretKey: string): string {
  return createHmac('sha256', secretKey).update('appointments-pseudonym-v1').digest('hex');
}
