import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The operations listener: `/metrics` (and, for the worker, `/health/live` and `/health/ready`) on
 * an address of its own, loopback by default, apart from the API's public port; with METRICS_TOKEN
 * set, `/metrics` asks for it as a bearer token (docs/design/runtime.md, "Metrics").
 */
export interface OpsListenerOptions {
  host: string;
  port: number;
  token?: string;
  metrics: () => Promise<{ contentType: string; body: string }>;
  /** Extra GET routes (path → status and JSON body), for the worker's probes. */
  probes?: Record<string, () => Promise<{ status: number; body: unknown }>>;
}

function tokenMatches(req: IncomingMessage, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startOpsListener(options: OpsListenerOptions): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'Méthode non permise' });
    if (path === '/metrics') {
      if (options.token && !tokenMatches(req, options.token)) {
        res.writeHead(401, { 'www-authenticate': 'Bearer' });
        return res.end();
      }
      const { contentType, body } = await options.metrics();
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      return res.end(body);
    }
    const probe = options.probes?.[path];
    if (probe) {
      const { status, body } = await probe();
      return json(status, body);
    }
    return json(404, { error: 'Introuvable' });
  };
  const server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`# erreur : ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
