import type { AddressInfo } from 'node:net';
import express from 'express';
import { securityHeaders } from '../api/http-hygiene';

/** The security headers (helmet): the same policy as the hand-written headers they replace. */
async function headersOf(https: boolean): Promise<Headers> {
  const app = express();
  app.use(securityHeaders({ https }));
  app.get('/', (_req, res) => { res.send('ok'); });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    return (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)).headers;
  } finally {
    server.close();
  }
}

test('the content policy, framing, sniffing, referrer, cross-origin and permissions headers', async () => {
  const headers = await headersOf(false);
  expect(headers.get('content-security-policy')?.split(';')).toEqual([
    "default-src 'self'", "img-src 'self' data:", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
  ]);
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('referrer-policy')).toBe('same-origin');
  expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
  expect(headers.get('cross-origin-resource-policy')).toBe('same-origin');
  expect(headers.get('permissions-policy')).toBe('camera=(), microphone=(), geolocation=()');
  expect(headers.get('strict-transport-security')).toBeNull();
});

test('HSTS over HTTPS only', async () => {
  expect((await headersOf(true)).get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
});
