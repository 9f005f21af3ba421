import { timingSafeEqual } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import express, { Router, type RequestHandler } from 'express';
import { z } from '../../lib/zod-fr';
import { ENCRYPTED_ENCODING } from '../../lib/payload-codec';
import { AppError } from '../errors';
import { parseBody } from '../validation';

/**
 * Temporal's remote codec protocol (POST /codec/decode and /codec/encode, payloads as base64), so
 * that an operator's Temporal web UI can show decrypted payloads. Mounted only when an access token
 * is configured; until accounts exist (people issue) that token stands for the admin role.
 */
export interface CodecEndpointOptions {
  codec: PayloadCodec;
  token: string;
  /** Origin of the Temporal web UI allowed to call from the browser (CORS). */
  uiOrigin?: string;
  /**
   * /decode refuses (400) a payload that is not encrypted by our codec, instead of passing it
   * through: in production every payload is encrypted, so a plain one is not ours to echo back.
   * Set in production (lib/runtime.ts, NODE_ENV=production); off for `npm start` and the tests.
   */
  refuseUnencrypted?: boolean;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64 attendu');
const payloadsBody = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })).max(1000),
});

type JsonPayload = z.infer<typeof payloadsBody>['payloads'][number];

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: p.data === undefined ? undefined : Buffer.from(p.data, 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  ...(p.data != null && { data: Buffer.from(p.data).toString('base64') }),
});

export function codecRouter(options: CodecEndpointOptions): Router {
  const router = Router();
  const expected = Buffer.from(`Bearer ${options.token}`);

  const cors: RequestHandler = (req, res, next) => {
    if (options.uiOrigin && req.header('origin') === options.uiOrigin) {
      res.setHeader('Access-Control-Allow-Origin', options.uiOrigin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };

  const authorise: RequestHandler = (req, _res, next) => {
    const given = Buffer.from(req.header('authorization') ?? '');
    if (given.length === 0) return next(new AppError(401, 'unauthenticated', 'Jeton d\'accès requis.'));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return next(new AppError(403, 'forbidden', 'Jeton d\'accès refusé.'));
    }
    next();
  };

  const isEncrypted = (payload: JsonPayload) => {
    const encoding = payload.metadata?.encoding;
    return encoding !== undefined && Buffer.from(encoding, 'base64').toString() === ENCRYPTED_ENCODING;
  };

  router.use(cors);
  // Mounted before the API's own parsers and sign-in: it checks its token itself, then (only for
  // the holder of the token) reads up to 4 MB of JSON. Nothing of the body is read before the check.
  const json = express.json({ limit: '4mb' });
  for (const direction of ['decode', 'encode'] as const) {
    router.post(`/${direction}`, authorise, json, async (req, res) => {
      const { payloads } = parseBody(payloadsBody, req.body);
      if (direction === 'decode' && options.refuseUnencrypted && !payloads.every(isEncrypted)) {
        throw new AppError(400, 'unencrypted_payload', 'Ces données ne sont pas chiffrées par APRIL : elles ne sont pas déchiffrées ici.');
      }
      try {
        const result = await options.codec[direction](payloads.map(fromJson));
        res.json({ payloads: result.map(toJson) });
      } catch (error) {
        throw new AppError(400, 'codec_error', `Impossible de traiter ces données : ${(error as Error).message}`);
      }
    });
  }
  return router;
}
