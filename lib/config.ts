import { isIP } from 'node:net';
import path from 'node:path';
import { parseCodecKeys } from './payload-codec';
import { z } from './zod-fr';

/**
 * The one place that reads the environment. Parsed once at start; a bad setting stops start-up
 * with a message naming the variable. An external service is used when its variable is present,
 * the embedded one otherwise.
 */
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .min(1, 'ne doit pas être vide')
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `doit être une URL (${protocols.map((p) => p.replace(':', '://')).join(' ou ')}...)`)
    .optional();

const port = z.coerce.number().int().min(1).max(65535);
const anyPort = z.coerce.number().int().min(0).max(65535);

/** One entry of TRUST_PROXY: an address, a subnet (address/prefix), or one of Express's names. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: port.default(3000),
  // Loopback by default: the embedded product is for one machine. Containers set 0.0.0.0.
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PUBLIC_URL: optionalUrl(['http:', 'https:']),
  DATA_DIR: z.string().min(1).default('data'),
  // The reverse proxies whose X-Forwarded-For is believed (Express's 'trust proxy'): comma list of
  // addresses, subnets or loopback/linklocal/uniquelocal. Unset: none, the client is the socket's
  // peer (otherwise anyone could choose the address the sign-in limits key on).
  TRUST_PROXY: z
    .string()
    .trim()
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
    .refine((entries) => entries.every(isProxyEntry), 'doit être une liste d\'adresses ou de sous-réseaux séparés par des virgules (10.0.0.0/8,::1, loopback…)')
    .optional(),

  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  EMBEDDED_POSTGRES_PORT: port.default(54329),

  TEMPORAL_ADDRESS: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'doit être de la forme hôte:port (par exemple 127.0.0.1:7233)')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().trim().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().trim().min(1).default('april-households'),
  // Households kept in the worker's memory between their steps (about 0.65 MiB each, measured by
  // bench:scale); the others are replayed from their history when they next wake, which for a
  // household that moves once a week costs less than holding it. Bounds the worker's RSS.
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2).max(100_000).default(1000),
  TEMPORAL_CLI_PATH: z.string().trim().min(1).optional(),
  EMBEDDED_TEMPORAL_PORT: port.default(7233),
  EMBEDDED_TEMPORAL_UI_PORT: port.default(8233),

  SMTP_URL: optionalUrl(['smtp:', 'smtps:']),
  // Token the Temporal web UI presents to the codec endpoint; unset = endpoint not served.
  CODEC_ENDPOINT_TOKEN: z.string().trim().min(32, 'au moins 32 caractères').optional(),
  TEMPORAL_UI_ORIGIN: optionalUrl(['http:', 'https:']),
  // id:base64key[,id:base64key…], first = active. Embedded default: a key generated under DATA_DIR.
  PAYLOAD_CODEC_KEYS: z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      try {
        parseCodecKeys(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^PAYLOAD_CODEC_KEYS : /, '') });
      }
    })
    .optional(),
  // The caseload lists' HMAC key, id:base64key (32 bytes or more): docs/privacy/caseload-lists.md.
  // One key: rotating it (a new id) makes every list stale until its organisation uploads it again.
  CASELOAD_LIST_KEY: z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      try {
        parseCaseloadListKey(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    })
    .optional(),
  MAIL_FROM: z.string().trim().min(3).default('APRIL <ne-pas-repondre@april.localhost>'),
  // Traces (lib/tracing.ts), by the OpenTelemetry conventions' variables: unset = no traces.
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(['http:', 'https:']),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl(['http:', 'https:']),
  EMBEDDED_SMTP_PORT: port.default(1025),
  EMBEDDED_MAIL_WEB_PORT: port.default(1080),

  // Operations (docs/design/runtime.md, "Metrics and probes"): the API's /metrics and the worker's
  // /metrics and probes listen apart from the public port, on loopback unless told otherwise.
  METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  // 0: a free port chosen by the system (tests, benchmarks running several processes).
  METRICS_PORT: anyPort.default(9464),
  WORKER_METRICS_PORT: anyPort.default(9465),
  // The Temporal SDK's own exporter, always on loopback: the worker's /metrics serves its lines.
  // 0: not exported.
  TEMPORAL_METRICS_PORT: anyPort.default(9466),
  // Set: /metrics asks for it as a bearer token (Prometheus's `authorization` setting).
  METRICS_TOKEN: z.string().trim().min(32, 'au moins 32 caractères').optional(),
  // On SIGTERM: the API drains its requests, the worker lets its activities finish, this long at most.
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(25),
});

export type Env = z.infer<typeof envSchema>;

export interface AppConfig {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  port: number;
  host: string;
  publicUrl: string;
  /** Proxies trusted for X-Forwarded-For (TRUST_PROXY); empty: none. */
  trustProxy: string[];
  dataDir: string;
  database: { url?: string; embeddedPort: number };
  temporal: {
    address?: string;
    namespace: string;
    taskQueue: string;
    maxCachedWorkflows: number;
    cliPath?: string;
    embeddedPort: number;
    embeddedUiPort: number;
  };
  mail: { smtpUrl?: string; from: string; embeddedSmtpPort: number; embeddedWebPort: number };
  payloadCodecKeys?: string;
  /** The caseload lists' HMAC key (CASELOAD_LIST_KEY); absent: the embedded default, refused in production. */
  caseloadListKey?: CaseloadListKey;
  codecEndpoint: { token?: string; uiOrigin?: string };
  /** Where spans are exported over OTLP/HTTP (lib/tracing.ts); absent: tracing off. */
  tracesUrl?: string;
  metrics: { host: string; apiPort: number; workerPort: number; temporalPort: number; token?: string };
  /** Bound of the graceful stop on SIGTERM (API drain, worker's activities in flight). */
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration invalide :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Where spans go, by the OpenTelemetry conventions: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as it is,
 * or `OTEL_EXPORTER_OTLP_ENDPOINT` followed by `/v1/traces`; neither: tracing off (lib/tracing.ts).
 */
export function tracesUrlFrom(env: Pick<Env, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'>): string | undefined {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  return base ? `${base}/v1/traces` : undefined;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable means "not set": shells and compose files often export VAR= by accident.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')} : ${issue.message}`));
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    trustProxy: env.TRUST_PROXY ?? [],
    dataDir: path.resolve(env.DATA_DIR),
    database: { url: env.DATABASE_URL, embeddedPort: env.EMBEDDED_POSTGRES_PORT },
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
      cliPath: env.TEMPORAL_CLI_PATH,
      embeddedPort: env.EMBEDDED_TEMPORAL_PORT,
      embeddedUiPort: env.EMBEDDED_TEMPORAL_UI_PORT,
    },
    mail: {
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM,
      embeddedSmtpPort: env.EMBEDDED_SMTP_PORT,
      embeddedWebPort: env.EMBEDDED_MAIL_WEB_PORT,
    },
    payloadCodecKeys: env.PAYLOAD_CODEC_KEYS,
    tracesUrl: tracesUrlFrom(env),
    caseloadListKey: env.CASELOAD_LIST_KEY === undefined ? undefined : parseCaseloadListKey(env.CASELOAD_LIST_KEY),
    codecEndpoint: { token: env.CODEC_ENDPOINT_TOKEN, uiOrigin: env.TEMPORAL_UI_ORIGIN && new URL(env.TEMPORAL_UI_ORIGIN).origin },
    metrics: { host: env.METRICS_HOST, apiPort: env.METRICS_PORT, workerPort: env.WORKER_METRICS_PORT, temporalPort: env.TEMPORAL_METRICS_PORT, token: env.METRICS_TOKEN },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_SECONDS * 1000,
  };
}

/** The key caseload lines and households are reduced with, and its id, stored beside each list. */
export interface CaseloadListKey {
  id: string;
  secret: Buffer;
}

const CASELOAD_KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** `id:base64key`, the key at least 32 bytes. */
export function parseCaseloadListKey(spec: string): CaseloadListKey {
  const separator = spec.indexOf(':');
  const id = separator < 0 ? '' : spec.slice(0, separator).trim();
  if (!CASELOAD_KEY_ID.test(id)) throw new Error('doit avoir la forme id:cléBase64 (id : lettres, chiffres, - ou _, 32 au plus)');
  const encoded = spec.slice(separator + 1).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new Error(`la clé « ${id} » n'est pas du base64 valide`);
  const secret = Buffer.from(encoded, 'base64');
  if (secret.length < 32) throw new Error(`la clé « ${id} » doit faire au moins 32 octets (openssl rand -base64 32)`);
  return { id, secret };
}

/**
 * The embedded product's key (`npm start`, the tests): public, so lists keyed with it are no better
 * protected than the database they sit in. Production names its own key (requireCaseloadListKey).
 */
export const EMBEDDED_CASELOAD_LIST_KEY: CaseloadListKey = {
  id: 'embedded',
  secret: Buffer.from('APRIL embedded caseload list key: development only, never in production', 'utf8'),
};

const MISSING_CASELOAD_KEY = 'CASELOAD_LIST_KEY : obligatoire hors du mode embarqué (npm start), de la forme id:$(openssl rand -base64 32)';

/** The API's key: CASELOAD_LIST_KEY, or the embedded one (never with NODE_ENV=production). */
export function caseloadListKeyFor(config: AppConfig): CaseloadListKey {
  if (config.caseloadListKey) return config.caseloadListKey;
  if (config.env === 'production') throw new ConfigError([MISSING_CASELOAD_KEY]);
  return EMBEDDED_CASELOAD_LIST_KEY;
}

/** The production API process (api/main.ts) runs on its deployment's key, never the embedded one. */
export function requireCaseloadListKey(config: AppConfig): CaseloadListKey {
  if (!config.caseloadListKey) throw new ConfigError([MISSING_CASELOAD_KEY]);
  return config.caseloadListKey;
}

/** Settings every running part needs once the embedded services (if any) have started. */
export interface ResolvedServices {
  databaseUrl: string;
  temporalAddress: string;
  smtpUrl: string;
}

/** Production processes (api/main.ts, workers/main.ts) run no embedded service: all three URLs are required. */
export function requireExternalServices(config: AppConfig): ResolvedServices {
  const { url: databaseUrl } = config.database;
  const { address: temporalAddress } = config.temporal;
  const { smtpUrl } = config.mail;
  const missing = [
    ['DATABASE_URL', databaseUrl],
    ['TEMPORAL_ADDRESS', temporalAddress],
    ['SMTP_URL', smtpUrl],
    ['PAYLOAD_CODEC_KEYS', config.payloadCodecKeys],
  ].filter(([, value]) => !value).map(([name]) => `${name} : obligatoire hors du mode embarqué (npm start)`);
  if (!databaseUrl || !temporalAddress || !smtpUrl || !config.payloadCodecKeys) throw new ConfigError(missing);
  return { databaseUrl, temporalAddress, smtpUrl };
}
