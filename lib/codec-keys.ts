import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from './config';
import { AesGcmPayloadCodec, generateCodecKey, parseCodecKeys } from './payload-codec';

/**
 * The payload codec every client and worker uses. Production names its keys (PAYLOAD_CODEC_KEYS);
 * the embedded default keeps one generated key beside its data, so `npm start` encrypts too and a
 * second start can still read the first one's histories. Losing that file loses those histories.
 */
export function payloadCodecFor(config: AppConfig): AesGcmPayloadCodec {
  if (config.payloadCodecKeys) return new AesGcmPayloadCodec(parseCodecKeys(config.payloadCodecKeys));
  const file = path.join(config.dataDir, 'payload-codec.keys');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, `local:${generateCodecKey()}\n`, { mode: 0o600, flag: 'wx' });
  }
  return new AesGcmPayloadCodec(parseCodecKeys(fs.readFileSync(file, 'utf8').trim()));
}
