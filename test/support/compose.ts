// The production compose file read the way docker compose reads it (YAML with merge keys, then
// ${VAR} interpolation from .env), and helpers to ask it about its services (compose*.unit.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const dockerDir = path.join(repoRoot, 'temporal-docker');
export const composeText = fs.readFileSync(path.join(dockerDir, 'docker-compose.yml'), 'utf8');

/** The compose file as written, before interpolation. */
export const raw: any = parse(composeText, { merge: true });

/** A complete .env, as an operator would write it. */
export const sampleEnv: Record<string, string> = {
  TEMPORAL_DB_PASSWORD: 'temporal-db-secret',
  APRIL_DB_PASSWORD: '0123456789abcdef',
  PAYLOAD_CODEC_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  CASELOAD_LIST_KEY: `c1:${Buffer.alloc(32, 8).toString('base64')}`,
  SMTP_URL: 'smtps://april:mail-secret@smtp.example.org:465',
  MAIL_FROM: 'APRIL <ne-pas-repondre@example.org>',
  PUBLIC_URL: 'https://april.example.org',
  GRAFANA_ADMIN_PASSWORD: 'grafana-admin-secret',
};

// docker compose syntax: $$ is a literal $; ${VAR}, ${VAR:-default}, ${VAR-default},
// ${VAR:?message}, ${VAR?message} and $VAR substitute.
export const INTERPOLATION = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export interface Interpolation {
  name: string;
  required: boolean;
}

export class MissingVariable extends Error {}

export function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(INTERPOLATION, (match, braced?: string, operator?: string, argument?: string, bare?: string) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare) as string;
    const current = env[name];
    const unset = operator?.startsWith(':') ? !current : current === undefined;
    if (!unset) return current as string;
    if (operator?.endsWith('?')) throw new MissingVariable(`${name}: ${argument ?? ''}`);
    if (operator?.endsWith('-')) return argument ?? '';
    return '';
  });
}

export function interpolationsIn(value: string): Interpolation[] {
  return [...value.matchAll(INTERPOLATION)]
    .filter((match) => match[0] !== '$$')
    .map((match) => ({ name: (match[1] ?? match[4]) as string, required: Boolean(match[2]?.endsWith('?')) }));
}

/** Every string of the parsed document (keys and values), comments excluded. */
export function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([key, value]) => [key, ...strings(value)]);
  return [];
}

export function interpolateTree(node: unknown, env: Record<string, string>): any {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolateTree(item, env));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [interpolate(key, env), interpolateTree(value, env)]));
  }
  return node;
}

export const interpolations = strings(raw).flatMap(interpolationsIn);
export const compose: any = interpolateTree(raw, sampleEnv);
export const services: Record<string, any> = compose.services ?? {};

export function service(name: string): any {
  const found = services[name];
  if (!found) throw new Error(`service ${name} is missing from docker-compose.yml`);
  return found;
}

export function envOf(svc: any): Record<string, string> {
  const environment = svc.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry: string) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value)]));
}

export function imageOf(svc: any): { name: string; tag: string | undefined } {
  const image = String(svc.image ?? '');
  const withoutDigest = image.split('@')[0] as string;
  const colon = withoutDigest.lastIndexOf(':');
  if (colon <= withoutDigest.lastIndexOf('/')) return { name: withoutDigest, tag: undefined };
  return { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
}

export function servicesWithImage(name: string): string[] {
  return Object.keys(services).filter((key) => imageOf(services[key]).name === name);
}

export function onlyServiceWithImage(name: string): string {
  const found = servicesWithImage(name);
  expect(found).toHaveLength(1);
  return found[0] as string;
}

export function dependsOn(svc: any): Record<string, { condition?: string }> {
  const deps = svc.depends_on ?? {};
  return Array.isArray(deps) ? Object.fromEntries(deps.map((dep: string) => [dep, {}])) : deps;
}

export function hostPort(address: string): { host: string; port: number } {
  const match = /^([^:]+):(\d+)$/.exec(address);
  if (!match) throw new Error(`not host:port: ${address}`);
  return { host: match[1] as string, port: Number(match[2]) };
}

export function publishedContainerPorts(svc: any): number[] {
  return (svc.ports ?? []).map((port: any) => {
    if (typeof port === 'object') return Number(port.target);
    return Number(String(port).split('/')[0]?.split(':').pop());
  });
}

export function commandOf(svc: any): string[] {
  const part = (value: unknown): string[] =>
    value === undefined ? [] : Array.isArray(value) ? value.map(String) : String(value).split(/\s+/).filter(Boolean);
  return [...part(svc.entrypoint), ...part(svc.command)];
}

/** Host path of a container path, through the service's bind mounts (relative to the compose file). */
export function hostPathOf(svc: any, containerPath: string): string | undefined {
  for (const volume of svc.volumes ?? []) {
    const [source, target] = typeof volume === 'string' ? volume.split(':') : [volume.source, volume.target];
    if (!source || !target || !/^[./]/.test(source)) continue;
    if (containerPath === target || containerPath.startsWith(`${target}/`)) {
      return path.join(path.resolve(dockerDir, source), containerPath.slice(target.length));
    }
  }
  return undefined;
}

export function expectExecutableScript(file: string): void {
  expect(fs.existsSync(file)).toBe(true);
  const stat = fs.statSync(file);
  expect(stat.isFile()).toBe(true);
  expect(stat.mode & 0o111).toBe(0o111);
  expect(fs.readFileSync(file, 'utf8').startsWith('#!/bin/')).toBe(true);
}

export function readDockerFile(relative: string): string {
  return fs.readFileSync(path.join(dockerDir, relative), 'utf8');
}

export const postgres = 'postgresql';
export const server = 'temporal';
export const schemaJob = 'temporal-admin-tools';
export const namespaceJob = 'temporal-create-namespace';
export const ui = 'temporal-ui';
export const migrate = 'april-migrate';
export const worker = 'april-worker';
export const api = 'april-api';
export const prometheus = 'prometheus';
export const grafana = 'grafana';
export const oneShotJobs = [schemaJob, namespaceJob, migrate];
export const appServices = [migrate, worker, api];
