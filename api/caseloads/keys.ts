import { createHmac } from 'node:crypto';
import type { KeyMaterial } from '../../domain/caseload/normalise';
import type { CaseloadListKey } from '../../lib/config';

/**
 * HMAC-SHA-256 of a canonical form (domain/caseload/normalise.ts) with the deployment's caseload
 * key, in hex: the only trace of a caseload line APRIL keeps (docs/privacy/caseload-lists.md).
 * Without the key, a key hex cannot be recomputed from a guessed name and address.
 */
export function caseloadKey(key: CaseloadListKey, material: KeyMaterial): string {
  return createHmac('sha256', key.secret).update(material, 'utf8').digest('hex');
}
