import type { Client } from '@temporalio/client';
import express from 'express';
import { EMBEDDED_CASELOAD_LIST_KEY, type CaseloadListKey } from '../lib/config';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { Mailer } from '../lib/mailer';
import { defaultProgrammePolicy, type ProgrammePolicy } from '../domain/programme/policy';
import { authenticate, csrfProtection, sameOriginOnly } from './auth/middleware';
import { codecRouter, type CodecEndpointOptions } from './codec/router';
import { createApiContext } from './context';
import { errorHandler, notFoundRoute, requestId } from './errors';
import { trace, type Tracer } from '@opentelemetry/api';
import { arrearsImportsMount } from './imports';
import { mountRoutes } from './http/route';
import { requestLog, securityHeaders, traceRequests } from './http-hygiene';
import { assetsRouter } from './pages/assets';
import { pageErrorHandler } from './pages/errors';
import { pagesRouter } from './pages/router';
import { CASELOAD_FORM_PATH, readCaseloadForm } from './pages/routes/caseloads';
import { routeGroups } from './routes';
import type { Lifecycle } from './health/router';
import { createRegistry, httpMetrics, registerProgrammeMetrics } from '../lib/metrics';
import type { SignInLimitStore } from './auth/rate-limit';

export interface AppDeps {
  db: Db;
  temporal: Client;
  namespace: string;
  taskQueue: string;
  logger: Logger;
  clock?: () => Date;
  /** Deployment policy for new households (default: the programme's rhythm). */
  policy?: ProgrammePolicy;
  /** SMTP, for a failed mail sent again from the mail log (absent: that action answers 503). */
  mailer?: Mailer;
  /** Where people reach the product (links in mails); default http://localhost:3000. */
  publicUrl?: string;
  /** Reverse proxies whose X-Forwarded-For gives the client address (TRUST_PROXY); default none. */
  trustProxy?: string[];
  /** Remote codec endpoint for the Temporal web UI; absent = not mounted. */
  codecEndpoint?: CodecEndpointOptions;
  /** Failed sign-ins of one e-mail from one address before the first lock (default 5; the other limits follow: api/auth/sessions.ts). */
  signInAttempts?: number;
  /** The app's PostgreSQL (a pg pool, same DATABASE_URL) for the sign-in limits, shared by every API process; absent: per process. */
  rateLimits?: SignInLimitStore;
  /** The partners' caseload lists' HMAC key (CASELOAD_LIST_KEY); default the embedded one (lib/config.ts). */
  caseloadListKey?: CaseloadListKey;
  /** The tracer of each request's span (lib/tracing.ts); default OpenTelemetry's global one (a no-op unless tracing is on). */
  tracer?: Tracer;
  /** The Schedules the programme metrics describe (default: the product's, lib/schedules.ts). */
  scheduleIds?: readonly string[];
}

export function createApp(deps: AppDeps) {
  const clock = deps.clock ?? (() => new Date());
  const policy = deps.policy ?? defaultProgrammePolicy;
  const publicUrl = deps.publicUrl ?? 'http://localhost:3000';
  // One sessions service for the API and the sign-in page: one rate limit whichever door is used.
  const caseloadListKey = deps.caseloadListKey ?? EMBEDDED_CASELOAD_LIST_KEY;
  const ctx = createApiContext({ ...deps, clock, policy, publicUrl, caseloadListKey, secureCookies: publicUrl.startsWith('https:') });
  const { households, process } = ctx;
  const lifecycle: Lifecycle = { stopping: false };
  const routes = routeGroups(ctx, lifecycle);
  // Served by the operations listener (lib/metrics/listener.ts), never on this app's port.
  const metrics = createRegistry();
  registerProgrammeMetrics(metrics, { db: deps.db, temporal: deps.temporal, namespace: deps.namespace, scheduleIds: deps.scheduleIds, clock });

  const app = express();
  app.disable('x-powered-by');
  // req.ip is what the sign-in limits key on: X-Forwarded-For is believed only from the configured
  // proxies (TRUST_PROXY), so that no client can pick its own address; none by default.
  app.set('trust proxy', deps.trustProxy?.length ? deps.trustProxy : false);
  app.use(requestId);
  app.use(traceRequests(deps.tracer ?? trace.getTracer('april')));
  app.use(httpMetrics(metrics));
  app.use(securityHeaders({ https: publicUrl.startsWith('https:') }));
  app.use(requestLog(deps.logger));
  app.use(mountRoutes(routes.health)); // public, before authenticate: a probe needs no session lookup
  // Off unless configured: then the path is simply unknown, not a sign-in question.
  if (deps.codecEndpoint) app.use('/codec', codecRouter(deps.codecEndpoint));
  else app.use('/codec', notFoundRoute);

  // The pages' stylesheet, script and images: public, no session lookup.
  app.use(assetsRouter());
  // Unsafe requests from another site's pages are refused before their body is read, sign-in
  // included (health and the codec endpoint, mounted above, are for machines).
  app.use(sameOriginOnly(publicUrl));

  app.use(express.json({ limit: '100kb' }));
  // The pages' forms (urlencoded); parsed before the CSRF check, which reads their `_csrf` field.
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  app.use(authenticate(deps.db, clock));
  app.use(arrearsImportsMount(routes.imports)); // before csrfProtection: reads the upload form's multipart body for it (api/imports/index.ts)
  app.post(CASELOAD_FORM_PATH, readCaseloadForm); // the same for the partners' caseload form, in memory only (docs/privacy/caseload-lists.md)
  app.use(csrfProtection);
  app.use(mountRoutes(routes.api));
  app.use(pagesRouter(ctx));
  app.use(notFoundRoute);
  app.use(pageErrorHandler(deps.logger));
  app.use(errorHandler(deps.logger));
  return { app, households, process, metrics, lifecycle };
}
