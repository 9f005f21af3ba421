import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { AesGcmPayloadCodec, generateCodecKey, parseCodecKeys } from '../lib/payload-codec';

const keyA = { id: 'a', key: randomBytes(32) };
const keyB = { id: 'b', key: randomBytes(32) };
const codecA = new AesGcmPayloadCodec({ keys: [keyA], activeKeyId: 'a' });

const bytes = (text: string) => Buffer.from(text);
const text = (value: Uint8Array | null | undefined) => Buffer.from(value ?? []).toString();
const meta = (payload: Payload, name: string) => text(payload.metadata?.[name]);

// Compared as plain strings so that Buffer vs Uint8Array or protobuf defaults cannot hide a difference.
const normalise = (payload: Payload) => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('hex')])),
  data: Buffer.from(payload.data ?? []).toString('hex'),
});

const jsonPayload: Payload = {
  metadata: { encoding: bytes('json/plain') },
  data: bytes(JSON.stringify({ name: 'Mme Dupont', address: '12 rue de Vesle, Reims' })),
};
const samples: Payload[] = [
  jsonPayload,
  { metadata: { encoding: bytes('binary/null') } },
  { metadata: { encoding: bytes('binary/plain'), 'x-custom': bytes('valeur') }, data: Buffer.from([0, 1, 2, 255]) },
];

describe('AesGcmPayloadCodec', () => {
  test('round trip keeps every payload, data and metadata', async () => {
    const encoded = await codecA.encode(samples);
    expect(encoded).toHaveLength(samples.length);
    const decoded = await codecA.decode(encoded);
    expect(decoded.map(normalise)).toEqual(samples.map(normalise));
  });

  test('encoded payloads carry the wire format and no plaintext', async () => {
    const [encoded] = await codecA.encode([jsonPayload]);
    if (!encoded) throw new Error('no payload');
    expect(meta(encoded, 'encoding')).toBe('binary/encrypted');
    expect(meta(encoded, 'encryption-key-id')).toBe('a');
    expect(Object.keys(encoded.metadata ?? {}).sort()).toEqual(['encoding', 'encryption-key-id']);
    const data = Buffer.from(encoded.data ?? []);
    expect(data.includes('Mme Dupont')).toBe(false);
    expect(data.includes('json/plain')).toBe(false);
    // iv (12) + tag (16) around a ciphertext as long as the serialised payload.
    expect(data.length).toBeGreaterThan(12 + 16 + Buffer.from(jsonPayload.data ?? []).length);
  });

  test('a fresh IV each time: the same payload never encodes the same way', async () => {
    const [first] = await codecA.encode([jsonPayload]);
    const [second] = await codecA.encode([jsonPayload]);
    expect(Buffer.from(first?.data ?? []).equals(Buffer.from(second?.data ?? []))).toBe(false);
    expect(Buffer.from(first?.data ?? []).subarray(0, 12).equals(Buffer.from(second?.data ?? []).subarray(0, 12))).toBe(false);
  });

  test.each([
    ['the IV', 0],
    ['the ciphertext', 20],
    ['the auth tag', -1],
  ])('altering one byte of %s makes decode throw', async (_where, offset) => {
    const [encoded] = await codecA.encode([jsonPayload]);
    const data = Buffer.from(encoded?.data ?? []);
    const index = offset < 0 ? data.length + offset : offset;
    data[index] = (data[index] as number) ^ 0x01;
    await expect(codecA.decode([{ ...encoded, data }])).rejects.toThrow();
  });

  test('truncated data makes decode throw', async () => {
    const [encoded] = await codecA.encode([jsonPayload]);
    await expect(codecA.decode([{ ...encoded, data: Buffer.alloc(10) }])).rejects.toThrow(/tronqué/);
  });

  test('an unknown key id is named in the error, the key material is not', async () => {
    const [encoded] = await new AesGcmPayloadCodec({ keys: [keyB], activeKeyId: 'b' }).encode([jsonPayload]);
    const error = await codecA.decode(encoded ? [encoded] : []).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain('« b »');
    expect(error?.message).not.toContain(keyB.key.toString('base64'));
  });

  test('rotation: old payloads still decode, new ones use the new active key', async () => {
    const [old] = await codecA.encode([jsonPayload]);
    const rotated = new AesGcmPayloadCodec({ keys: [keyB, keyA], activeKeyId: 'b' });
    const [decoded] = await rotated.decode(old ? [old] : []);
    expect(normalise(decoded as Payload)).toEqual(normalise(jsonPayload));

    const [fresh] = await rotated.encode([jsonPayload]);
    expect(meta(fresh as Payload, 'encryption-key-id')).toBe('b');
    // Only B can read it: the old codec does not know that key.
    await expect(codecA.decode([fresh as Payload])).rejects.toThrow(/« b »/);
    const [back] = await new AesGcmPayloadCodec({ keys: [keyB], activeKeyId: 'b' }).decode([fresh as Payload]);
    expect(normalise(back as Payload)).toEqual(normalise(jsonPayload));
  });

  test('payloads written before encryption pass through unchanged', async () => {
    const plain: Payload[] = [jsonPayload, { data: bytes('sans métadonnées') }];
    const decoded = await codecA.decode(plain);
    expect(decoded[0]).toBe(plain[0]);
    expect(decoded[1]).toBe(plain[1]);
  });

  test('constructor rejects wrong key length, empty or duplicate ids, missing active key', () => {
    expect(() => new AesGcmPayloadCodec({ keys: [{ id: 'a', key: randomBytes(16) }], activeKeyId: 'a' })).toThrow(/32 octets/);
    expect(() => new AesGcmPayloadCodec({ keys: [{ id: '', key: randomBytes(32) }], activeKeyId: '' })).toThrow(/vide/);
    expect(() => new AesGcmPayloadCodec({ keys: [keyA, { ...keyB, id: 'a' }], activeKeyId: 'a' })).toThrow(/deux fois/);
    expect(() => new AesGcmPayloadCodec({ keys: [keyA], activeKeyId: 'z' })).toThrow(/« z »/);
    expect(() => new AesGcmPayloadCodec({ keys: [], activeKeyId: 'a' })).toThrow();
  });
});

describe('parseCodecKeys', () => {
  const b64A = keyA.key.toString('base64');
  const b64B = keyB.key.toString('base64');

  test('one key is the active key', () => {
    const parsed = parseCodecKeys(`k1:${b64A}`);
    expect(parsed.activeKeyId).toBe('k1');
    expect(parsed.keys).toHaveLength(1);
    expect(parsed.keys[0]?.key.equals(keyA.key)).toBe(true);
  });

  test('several keys: the first encrypts, the others stay for decryption', async () => {
    const parsed = parseCodecKeys(` new:${b64B} , old:${b64A}`);
    expect(parsed.activeKeyId).toBe('new');
    expect(parsed.keys.map((k) => k.id)).toEqual(['new', 'old']);
    expect(parsed.keys[1]?.key.equals(keyA.key)).toBe(true);
    const [encoded] = await new AesGcmPayloadCodec(parsed).encode([jsonPayload]);
    expect(meta(encoded as Payload, 'encryption-key-id')).toBe('new');
  });

  test.each([
    ['empty', '', /au moins une clé/],
    ['blank', '   ', /au moins une clé/],
    ['no separator', b64A, /entrée n° 1 doit avoir la forme id:cléBase64/],
    ['empty id', `:${b64A}`, /entrée n° 1/],
    ['trailing comma', `k1:${b64A},`, /entrée n° 2/],
    ['bad base64', 'k1:pas*du*base64!', /« k1 » n'est pas du base64 valide/],
    ['empty key', 'k1:', /« k1 » n'est pas du base64 valide/],
    ['wrong length', `k1:${randomBytes(16).toString('base64')}`, /PAYLOAD_CODEC_KEYS : la clé « k1 » doit faire 32 octets \(base64\)/],
    ['duplicate id', `k1:${b64A},k1:${b64B}`, /« k1 » est déclarée deux fois/],
  ])('%s is rejected with a clear message', (_case, spec, message) => {
    expect(() => parseCodecKeys(spec)).toThrow(message);
  });

  test('error messages never contain key material', () => {
    const shortKey = randomBytes(16).toString('base64');
    expect(() => parseCodecKeys(`k1:${shortKey}`)).toThrow(expect.objectContaining({ message: expect.not.stringContaining(shortKey) }));
  });
});

test('generateCodecKey gives distinct 32-byte base64 keys that parseCodecKeys accepts', () => {
  const first = generateCodecKey();
  expect(Buffer.from(first, 'base64')).toHaveLength(32);
  expect(generateCodecKey()).not.toBe(first);
  expect(parseCodecKeys(`k:${first}`).keys[0]?.key.toString('base64')).toBe(first);
});
