// The production stack (temporal-docker/) cannot run here: no Docker engine. These tests read the
// compose file the way docker compose does (YAML with merge keys, then ${VAR} interpolation from
// .env) and check that every part the product needs is there and wired to the others.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, requireExternalServices } from '../lib/config';
import { householdSearchAttributes } from '../workflows/household/search-attributes';

const repoRoot = path.resolve(__dirname, '..');
const dockerDir = path.join(repoRoot, 'temporal-docker');
const composeText = fs.readFileSync(path.join(dockerDir, 'docker-compose.yml'), 'utf8');

/** The compose file as written, before interpolation. */
const raw: any = parse(composeText, { merge: true });

/** A complete .env, as an operator would write it. */
const sampleEnv: Record<string, string> = {
  TEMPORAL_DB_PASSWORD: 'temporal-db-secret',
  APRIL_DB_PASSWORD: '0123456789abcdef',
  PAYLOAD_CODEC_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  SMTP_URL: 'smtps://april:mail-secret@smtp.example.org:465',
  MAIL_FROM: 'APRIL <ne-pas-repondre@example.org>',
  PUBLIC_URL: 'https://april.example.org',
};

// docker compose syntax: $$ is a literal $; ${VAR}, ${VAR:-default}, ${VAR-default},
// ${VAR:?message}, ${VAR?message} and $VAR substitute.
const INTERPOLATION = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

interface Interpolation {
  name: string;
  required: boolean;
}

class MissingVariable extends Error {}

function interpolate(value: string, env: Record<string, string>): string {
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

function interpolationsIn(value: string): Interpolation[] {
  return [...value.matchAll(INTERPOLATION)]
    .filter((match) => match[0] !== '$$')
    .map((match) => ({ name: (match[1] ?? match[4]) as string, required: Boolean(match[2]?.endsWith('?')) }));
}

/** Every string of the parsed document (keys and values), comments excluded. */
function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([key, value]) => [key, ...strings(value)]);
  return [];
}

function interpolateTree(node: unknown, env: Record<string, string>): any {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolateTree(item, env));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [interpolate(key, env), interpolateTree(value, env)]));
  }
  return node;
}

const interpolations = strings(raw).flatMap(interpolationsIn);
const compose: any = interpolateTree(raw, sampleEnv);
const services: Record<string, any> = compose.services ?? {};

function service(name: string): any {
  const found = services[name];
  if (!found) throw new Error(`service ${name} is missing from docker-compose.yml`);
  return found;
}

function envOf(svc: any): Record<string, string> {
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

function imageOf(svc: any): { name: string; tag: string | undefined } {
  const image = String(svc.image ?? '');
  const withoutDigest = image.split('@')[0] as string;
  const colon = withoutDigest.lastIndexOf(':');
  if (colon <= withoutDigest.lastIndexOf('/')) return { name: withoutDigest, tag: undefined };
  return { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
}

function servicesWithImage(name: string): string[] {
  return Object.keys(services).filter((key) => imageOf(services[key]).name === name);
}

function onlyServiceWithImage(name: string): string {
  const found = servicesWithImage(name);
  expect(found).toHaveLength(1);
  return found[0] as string;
}

function dependsOn(svc: any): Record<string, { condition?: string }> {
  const deps = svc.depends_on ?? {};
  return Array.isArray(deps) ? Object.fromEntries(deps.map((dep: string) => [dep, {}])) : deps;
}

function hostPort(address: string): { host: string; port: number } {
  const match = /^([^:]+):(\d+)$/.exec(address);
  if (!match) throw new Error(`not host:port: ${address}`);
  return { host: match[1] as string, port: Number(match[2]) };
}

function publishedContainerPorts(svc: any): number[] {
  return (svc.ports ?? []).map((port: any) => {
    if (typeof port === 'object') return Number(port.target);
    return Number(String(port).split('/')[0]?.split(':').pop());
  });
}

function commandOf(svc: any): string[] {
  const part = (value: unknown): string[] =>
    value === undefined ? [] : Array.isArray(value) ? value.map(String) : String(value).split(/\s+/).filter(Boolean);
  return [...part(svc.entrypoint), ...part(svc.command)];
}

/** Host path of a container path, through the service's bind mounts (relative to the compose file). */
function hostPathOf(svc: any, containerPath: string): string | undefined {
  for (const volume of svc.volumes ?? []) {
    const [source, target] = typeof volume === 'string' ? volume.split(':') : [volume.source, volume.target];
    if (!source || !target || !/^[./]/.test(source)) continue;
    if (containerPath === target || containerPath.startsWith(`${target}/`)) {
      return path.join(path.resolve(dockerDir, source), containerPath.slice(target.length));
    }
  }
  return undefined;
}

function expectExecutableScript(file: string): void {
  expect(fs.existsSync(file)).toBe(true);
  const stat = fs.statSync(file);
  expect(stat.isFile()).toBe(true);
  expect(stat.mode & 0o111).toBe(0o111);
  expect(fs.readFileSync(file, 'utf8').startsWith('#!/bin/')).toBe(true);
}

function readDockerFile(relative: string): string {
  return fs.readFileSync(path.join(dockerDir, relative), 'utf8');
}

const postgres = 'postgresql';
const server = 'temporal';
const schemaJob = 'temporal-admin-tools';
const namespaceJob = 'temporal-create-namespace';
const ui = 'temporal-ui';
const migrate = 'april-migrate';
const worker = 'april-worker';
const api = 'april-api';
const oneShotJobs = [schemaJob, namespaceJob, migrate];
const appServices = [migrate, worker, api];

describe('temporal-docker/docker-compose.yml', () => {
  test('has every service the product needs, and no mail server (SMTP is external)', () => {
    expect(Object.keys(services).sort()).toEqual([api, migrate, worker, postgres, server, schemaJob, namespaceJob, ui].sort());
    expect(servicesWithImage('postgres')).toEqual([postgres]);
    expect(servicesWithImage('temporalio/server')).toEqual([server]);
    expect(servicesWithImage('temporalio/admin-tools').sort()).toEqual([schemaJob, namespaceJob].sort());
    expect(servicesWithImage('temporalio/ui')).toEqual([ui]);
  });

  test('pins every image to an exact version written in the file', () => {
    for (const [name, svc] of Object.entries(services)) {
      const { tag } = imageOf(svc);
      expect({ name, tag }).toEqual({ name, tag: expect.any(String) });
      expect({ name, tag: tag?.toLowerCase() }).not.toEqual({ name, tag: 'latest' });
      if (svc.build) continue;
      // Third-party images: major.minor[.patch], not a moving major tag, not chosen by .env.
      expect({ name, tag }).toEqual({ name, tag: expect.stringMatching(/^\d+\.\d+(\.\d+)?(-[A-Za-z0-9.-]+)?$/) });
      expect(String(raw.services[name].image)).not.toContain('$');
    }
    expect(imageOf(service(postgres)).tag).toMatch(/^16\.\d+/);
    expect(imageOf(service(server)).tag).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('admin-tools carries the same Temporal version as the server (its schema files are the server’s)', () => {
    const serverTag = imageOf(service(server)).tag as string;
    for (const job of [schemaJob, namespaceJob]) {
      const tag = imageOf(service(job)).tag as string;
      expect(tag === serverTag || tag.startsWith(`${serverTag}-`)).toBe(true);
    }
    expect(imageOf(service(schemaJob))).toEqual(imageOf(service(namespaceJob)));
  });

  test('postgresql is not published, keeps its data in a named volume and has a pg_isready healthcheck', () => {
    const pg = service(postgres);
    expect(pg.ports ?? []).toEqual([]);
    expect(pg.network_mode).toBeUndefined();
    const dataVolume = (pg.volumes as any[]).map(String).find((volume) => volume.split(':')[1] === '/var/lib/postgresql/data');
    const volumeName = dataVolume?.split(':')[0] as string;
    expect(volumeName).toMatch(/^[A-Za-z0-9][\w.-]*$/);
    expect(Object.keys(compose.volumes ?? {})).toContain(volumeName);
    expect(JSON.stringify(pg.healthcheck?.test)).toContain('pg_isready');
    expect(envOf(pg).POSTGRES_PASSWORD).toBe(sampleEnv.TEMPORAL_DB_PASSWORD);
  });

  test('the Temporal server uses the PostgreSQL service with the superuser’s credentials', () => {
    const env = envOf(service(server));
    const pgEnv = envOf(service(postgres));
    expect(env.DB).toBe('postgres12');
    expect(env.POSTGRES_SEEDS).toBe(onlyServiceWithImage('postgres'));
    expect(env.DB_PORT).toBe('5432');
    expect(env.POSTGRES_USER).toBe(pgEnv.POSTGRES_USER);
    expect(env.POSTGRES_PWD).toBe(pgEnv.POSTGRES_PASSWORD);
    expect(env.BIND_ON_IP).toBe('0.0.0.0');
    expect(service(server).healthcheck?.test).toBeDefined();
  });

  test('the server’s dynamic config file is mounted from temporal-docker/ and is valid YAML', () => {
    const svc = service(server);
    const configured = envOf(svc).DYNAMIC_CONFIG_FILE_PATH as string;
    const containerPath = configured.startsWith('/') ? configured : path.posix.join('/etc/temporal', configured);
    const hostFile = hostPathOf(svc, containerPath);
    expect(hostFile).toBe(path.join(dockerDir, 'dynamicconfig', 'production-sql.yaml'));
    const dynamicConfig = parse(fs.readFileSync(hostFile as string, 'utf8'));
    expect(dynamicConfig).toEqual(expect.any(Object));
    // Dev-only setting named by Temporal's own docs as "please don't turn this on in production".
    expect(dynamicConfig['system.forceSearchAttributesCacheRefreshOnRead']).toBeUndefined();
  });

  test('the schema job creates both Temporal databases with temporal-sql-tool --plugin postgres12', () => {
    const svc = service(schemaJob);
    const env = envOf(svc);
    const pgEnv = envOf(service(postgres));
    expect(env.POSTGRES_SEEDS).toBe(postgres);
    expect(env.POSTGRES_USER).toBe(pgEnv.POSTGRES_USER);
    // temporal-sql-tool reads its password from SQL_PASSWORD.
    expect(env.SQL_PASSWORD).toBe(pgEnv.POSTGRES_PASSWORD);
    expect(commandOf(svc)).toContain('/scripts/setup-schema.sh');
    const script = readDockerFile('scripts/setup-schema.sh');
    expect(script).toContain('temporal-sql-tool --plugin postgres12');
    expect(script).toMatch(/--db "\$database" create-database/);
    expect(script).toMatch(/--db "\$database" setup-schema -v 0\.0/);
    expect(script).toMatch(/--db "\$database" update-schema -d "\$versioned_dir"/);
    expect(script).toContain('/etc/temporal/schema/postgresql/v12');
    const databases = [...script.matchAll(/^setup_database (\S+) "\$\{SCHEMA_DIR\}\/(\w+)\/versioned"$/gm)].map((m) => [m[1], m[2]]);
    expect(databases).toEqual([
      ['temporal', 'temporal'],
      ['temporal_visibility', 'visibility'],
    ]);
  });

  test('the namespace job creates the app’s namespace and registers the workflow’s search attributes', () => {
    const svc = service(namespaceJob);
    const env = envOf(svc);
    expect(hostPort(env.TEMPORAL_ADDRESS as string)).toEqual({ host: server, port: 7233 });
    for (const app of [worker, api]) expect(env.NAMESPACE).toBe(envOf(service(app)).TEMPORAL_NAMESPACE);
    expect(commandOf(svc)).toContain('/scripts/create-namespace.sh');

    const script = readDockerFile('scripts/create-namespace.sh');
    expect(script).toMatch(/temporal operator namespace create -n "\$NAMESPACE"/);
    expect(script).toMatch(/temporal operator search-attribute create --name "\$1" --type "\$2" -n "\$NAMESPACE"/);
    const registered = [...script.matchAll(/^ensure_search_attribute (\w+) (\w+)$/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(registered.sort()).toEqual(['AprilEducator:Keyword', 'AprilLandlord:Keyword', 'AprilPhase:Keyword', 'AprilTrack:Keyword']);
    // The same list as the workflow upserts: a new attribute must be registered in production too.
    const declared = householdSearchAttributes.map((key) => `${key.name}:${key.type === 'KEYWORD' ? 'Keyword' : key.type}`);
    expect(registered.sort()).toEqual(declared.sort());
  });

  test('the UI points at the Temporal frontend and is published on 8080', () => {
    const svc = service(ui);
    expect(hostPort(envOf(svc).TEMPORAL_ADDRESS as string)).toEqual({ host: server, port: 7233 });
    expect(publishedContainerPorts(svc)).toContain(8080);
  });

  test('worker and API reach Temporal, PostgreSQL and SMTP with settings the app accepts', () => {
    for (const name of [worker, api]) {
      const env = envOf(service(name));
      expect(hostPort(env.TEMPORAL_ADDRESS as string)).toEqual({ host: onlyServiceWithImage('temporalio/server'), port: 7233 });
      const url = new URL(env.DATABASE_URL as string);
      expect(url.protocol).toBe('postgresql:');
      expect(url.hostname).toBe(onlyServiceWithImage('postgres'));
      expect(url.port).toBe('5432');
      expect(url.username).toBe('april');
      expect(url.password).toBe(sampleEnv.APRIL_DB_PASSWORD);
      expect(url.pathname).toBe('/april');
      expect(env).toMatchObject({
        NODE_ENV: 'production',
        TEMPORAL_NAMESPACE: 'default',
        SMTP_URL: sampleEnv.SMTP_URL,
        MAIL_FROM: sampleEnv.MAIL_FROM,
        PUBLIC_URL: sampleEnv.PUBLIC_URL,
        PAYLOAD_CODEC_KEYS: sampleEnv.PAYLOAD_CODEC_KEYS,
        PORT: '3000',
      });
      // The production entry points require all three external services.
      const config = loadConfig(env);
      expect(requireExternalServices(config)).toEqual({
        databaseUrl: env.DATABASE_URL,
        temporalAddress: env.TEMPORAL_ADDRESS,
        smtpUrl: env.SMTP_URL,
      });
    }
    const apiConfig = loadConfig(envOf(service(api)));
    // The app listens on loopback unless told otherwise: a published port needs 0.0.0.0.
    expect(apiConfig.host).toBe('0.0.0.0');
    expect(publishedContainerPorts(service(api))).toContain(apiConfig.port);
    expect(service(api).healthcheck?.test.join(' ')).toContain(`:${apiConfig.port}/health`);
  });

  test('the app database and role of DATABASE_URL are created by the PostgreSQL init script', () => {
    const pg = service(postgres);
    const initDir = hostPathOf(pg, '/docker-entrypoint-initdb.d') as string;
    expect(initDir).toBe(path.join(dockerDir, 'postgres-init'));
    const scripts = fs.readdirSync(initDir).filter((file) => /\.(sh|sql)$/.test(file));
    expect(scripts.length).toBeGreaterThan(0);
    const url = new URL(envOf(service(api)).DATABASE_URL as string);
    const sql = scripts.map((file) => fs.readFileSync(path.join(initDir, file), 'utf8')).join('\n');
    expect(sql).toMatch(new RegExp(`CREATE ROLE ${url.username} LOGIN PASSWORD :'(\\w+)'`));
    expect(sql).toMatch(new RegExp(`CREATE DATABASE ${url.pathname.slice(1)} OWNER ${url.username}`));
    for (const file of scripts.filter((f) => f.endsWith('.sh'))) expectExecutableScript(path.join(initDir, file));
    // The init script reads the same password the app connects with.
    expect(envOf(pg).APRIL_DB_PASSWORD).toBe(url.password);
  });

  test('migration job, worker and API run the one app image built from the repository root', () => {
    const images = new Set(appServices.map((name) => service(name).image));
    expect(images.size).toBe(1);
    for (const name of appServices) {
      const build = service(name).build;
      expect(path.resolve(dockerDir, build.context)).toBe(repoRoot);
      expect(fs.existsSync(path.join(repoRoot, build.dockerfile))).toBe(true);
    }
    expect(commandOf(service(migrate)).join(' ')).toMatch(/^npx (--no-install )?prisma migrate deploy$/);
    expect(envOf(service(migrate)).DATABASE_URL).toBe(envOf(service(worker)).DATABASE_URL);
    expect(commandOf(service(worker))).toEqual(['node', 'dist/workers/main.js']);
    expect(commandOf(service(api))).toEqual(['node', 'dist/api/main.js']);
    // tsc compiles <dir>/<file>.ts to dist/<dir>/<file>.js (rootDir ".", outDir "dist").
    for (const name of [worker, api]) {
      const compiled = commandOf(service(name))[1] as string;
      expect(fs.existsSync(path.join(repoRoot, compiled.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    }
  });

  test('depends_on waits for jobs to succeed and for long-running services to be healthy', () => {
    const isJob = (name: string) => service(name).restart === 'no';
    expect(Object.keys(services).filter(isJob).sort()).toEqual([...oneShotJobs].sort());
    for (const [name, svc] of Object.entries(services)) {
      for (const [dep, options] of Object.entries(dependsOn(svc))) {
        expect(Object.keys(services)).toContain(dep);
        const expected = isJob(dep) ? 'service_completed_successfully' : 'service_healthy';
        expect({ name, dep, condition: options.condition }).toEqual({ name, dep, condition: expected });
        if (expected === 'service_healthy') expect(service(dep).healthcheck).toBeDefined();
      }
    }
    const requires = (name: string) => Object.keys(dependsOn(service(name)));
    expect(requires(schemaJob)).toContain(postgres);
    expect(requires(server)).toContain(schemaJob);
    expect(requires(namespaceJob)).toContain(server);
    expect(requires(ui)).toContain(server);
    expect(requires(migrate)).toContain(postgres);
    for (const app of [worker, api]) expect(requires(app)).toEqual(expect.arrayContaining([migrate, namespaceJob]));
  });

  test('scripts the services run exist on disk and are executable', () => {
    const checked: string[] = [];
    for (const svc of Object.values(services)) {
      for (const token of commandOf(svc).filter((part) => part.endsWith('.sh'))) {
        const file = hostPathOf(svc, token);
        expect({ token, file }).toEqual({ token, file: expect.any(String) });
        expectExecutableScript(file as string);
        checked.push(path.relative(dockerDir, file as string));
      }
    }
    expect(new Set(checked)).toEqual(new Set(['scripts/setup-schema.sh', 'scripts/create-namespace.sh']));
  });

  test('secrets come from .env, never written in the file', () => {
    const secretKey = /PASSWORD|PWD|SECRET|_KEY$|^SMTP_URL$|^DATABASE_URL$/;
    let seen = 0;
    for (const svc of Object.values(raw.services as Record<string, any>)) {
      for (const [key, value] of Object.entries(envOf(svc))) {
        if (!secretKey.test(key)) continue;
        seen += 1;
        expect({ key, required: interpolationsIn(value).some((i) => i.required) }).toEqual({ key, required: true });
      }
    }
    expect(seen).toBeGreaterThanOrEqual(6);
  });

  test('env.example documents every variable the compose file interpolates, with no secret filled in', () => {
    const example = readDockerFile('env.example');
    const documented = new Map(
      [...example.matchAll(/^([A-Z_][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1] as string, (m[2] as string).trim()]),
    );
    const used = new Set(interpolations.map((i) => i.name));
    expect([...used].sort()).toEqual([...documented.keys()].sort());
    for (const { name, required } of interpolations) {
      if (required) expect({ name, value: documented.get(name) }).toEqual({ name, value: '' });
    }
  });

  test('docker compose refuses to start when a required variable is missing from .env', () => {
    const required = [...new Set(interpolations.filter((i) => i.required).map((i) => i.name))].sort();
    expect(required).toEqual(['APRIL_DB_PASSWORD', 'MAIL_FROM', 'PAYLOAD_CODEC_KEYS', 'PUBLIC_URL', 'SMTP_URL', 'TEMPORAL_DB_PASSWORD']);
    for (const name of required) {
      const { [name]: _omitted, ...incomplete } = sampleEnv;
      expect(() => interpolateTree(raw, incomplete)).toThrow(MissingVariable);
      expect(() => interpolateTree(raw, { ...incomplete, [name]: '' })).toThrow(name);
    }
  });
});

describe('temporal-docker/Dockerfile', () => {
  const dockerfile = readDockerFile('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const froms = instructions.filter((line) => /^FROM\s/i.test(line));

  test('builds from an exact Node 20 bookworm-slim tag in every stage', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^FROM node:20\.\d+\.\d+-bookworm-slim(\s+AS\s+\w+)?$/i);
  });

  test('installs from the lockfile, generates Prisma, compiles, prunes dev dependencies', () => {
    const runs = instructions.filter((line) => line.startsWith('RUN ')).join('\n');
    expect(runs).toMatch(/npm ci\b/);
    expect(runs).toMatch(/prisma generate/);
    expect(runs).toMatch(/npm run build/);
    expect(runs).toMatch(/npm prune --omit=dev/);
    expect(instructions.indexOf(instructions.find((l) => /npm ci\b/.test(l)) as string)).toBeLessThan(
      instructions.indexOf(instructions.find((l) => /npm run build/.test(l)) as string),
    );
  });

  test('the final stage runs as a non-root user and ships what the compose commands run', () => {
    const finalStage = instructions.slice(instructions.lastIndexOf(froms[froms.length - 1] as string));
    const user = finalStage.filter((line) => line.startsWith('USER ')).pop();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER\s+(root|0)(:|$)/);
    const copied = finalStage.filter((line) => line.startsWith('COPY ')).join('\n');
    for (const needed of ['/app/dist', '/app/node_modules', '/app/prisma ', '/app/prisma.config.ts', '/app/package.json']) {
      expect(copied).toContain(needed);
    }
  });

  test('its ignore file keeps secrets and local state out of the build context', () => {
    const ignored = readDockerFile('Dockerfile.dockerignore').split('\n').map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', 'data', 'dist', '**/.env', '.git']));
  });
});
