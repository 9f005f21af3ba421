import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
// Transitive dependency of @temporalio/common (same pinned version); it owns the Payload wire schema.
import { temporal } from '@temporalio/proto';

/**
 * Encrypts every payload before it reaches the Temporal server, so that histories (and the UI,
 * and any backup of Temporal's database) hold no personal data of the households in clear.
 *
 * Wire format of an encrypted payload:
 *   metadata.encoding          = "binary/encrypted"
 *   metadata.encryption-key-id = id of the key used (lets older keys keep decrypting after rotation)
 *   data                       = IV (12 bytes) || ciphertext || GCM auth tag (16 bytes)
 * The plaintext is the whole original Payload, protobuf-encoded, so its metadata is hidden too.
 */

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface CodecKey {
  id: string;
  key: Buffer;
}

export interface AesGcmPayloadCodecOptions {
  keys: CodecKey[];
  /** The key new payloads are encrypted with; the others only decrypt. */
  activeKeyId: string;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys = new Map<string, Buffer>();
  private readonly activeKeyId: string;

  constructor({ keys, activeKeyId }: AesGcmPayloadCodecOptions) {
    for (const { id, key } of keys) {
      if (!id) throw new Error('Codec de payloads : un identifiant de clé est vide');
      if (this.keys.has(id)) throw new Error(`Codec de payloads : la clé « ${id} » est déclarée deux fois`);
      if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
        throw new Error(`Codec de payloads : la clé « ${id} » doit faire ${KEY_BYTES} octets`);
      }
      // Copied so that a caller reusing or zeroing its buffer cannot change our keys.
      this.keys.set(id, Buffer.from(key));
    }
    if (!this.keys.has(activeKeyId)) {
      throw new Error(`Codec de payloads : la clé active « ${activeKeyId} » ne fait pas partie des clés`);
    }
    this.activeKeyId = activeKeyId;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private encrypt(payload: Payload): Payload {
    const key = this.keys.get(this.activeKeyId) as Buffer;
    // A GCM IV must never repeat under one key; random 96-bit IVs are safe far beyond our volumes.
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv);
    const plaintext = temporal.api.common.v1.Payload.encode(payload).finish();
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      metadata: {
        encoding: Buffer.from(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: Buffer.from(this.activeKeyId),
      },
      data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.encoding;
    // Histories written before encryption was switched on must stay replayable.
    if (!encoding || Buffer.from(encoding).toString() !== ENCRYPTED_ENCODING) return payload;

    const rawKeyId = payload.metadata?.[KEY_ID_METADATA];
    if (!rawKeyId) throw new Error(`Payload chiffré sans métadonnée « ${KEY_ID_METADATA} »`);
    const keyId = Buffer.from(rawKeyId).toString();
    const key = this.keys.get(keyId);
    // Name the id only: it tells the operator which retired key is missing from the configuration.
    if (!key) throw new Error(`Payload chiffré avec une clé inconnue « ${keyId} » : ajoutez-la à PAYLOAD_CODEC_KEYS`);

    const data = Buffer.from(payload.data ?? []);
    if (data.length < IV_BYTES + TAG_BYTES) throw new Error('Payload chiffré tronqué');
    const decipher = createDecipheriv(ALGORITHM, key, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    // final() throws when the tag does not match: altered data is never handed to the workflow.
    const plaintext = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    return temporal.api.common.v1.Payload.decode(plaintext);
  }
}

const SPEC_NAME = 'PAYLOAD_CODEC_KEYS';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Parses `id1:base64key1,id2:base64key2`. The first key encrypts; the others are retired keys kept
 * so that histories written with them stay readable. Messages never echo key material.
 */
export function parseCodecKeys(spec: string): AesGcmPayloadCodecOptions {
  if (!spec.trim()) throw new Error(`${SPEC_NAME} : au moins une clé est requise (format id:cléBase64,id2:cléBase64)`);
  const entries = spec.split(',').map((entry) => entry.trim());
  const keys: CodecKey[] = [];
  entries.forEach((entry, index) => {
    const separator = entry.indexOf(':');
    const id = separator < 0 ? '' : entry.slice(0, separator).trim();
    if (separator < 0 || !id) {
      throw new Error(`${SPEC_NAME} : l'entrée n° ${index + 1} doit avoir la forme id:cléBase64`);
    }
    const encoded = entry.slice(separator + 1).trim();
    // Buffer.from(..., 'base64') silently skips invalid characters, so check the alphabet first.
    if (!encoded || !BASE64.test(encoded)) throw new Error(`${SPEC_NAME} : la clé « ${id} » n'est pas du base64 valide`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`${SPEC_NAME} : la clé « ${id} » doit faire ${KEY_BYTES} octets (base64)`);
    if (keys.some((known) => known.id === id)) throw new Error(`${SPEC_NAME} : la clé « ${id} » est déclarée deux fois`);
    keys.push({ id, key });
  });
  return { keys, activeKeyId: (keys[0] as CodecKey).id };
}

/** A fresh key for PAYLOAD_CODEC_KEYS. */
export function generateCodecKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}
