// The production compose file (temporal-docker/), continued from compose.unit.test.ts: the app's
// own services (migration job, worker, API), their settings, secrets and start order, and the
// Dockerfile they are built from.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, requireCaseloadListKey, requireExternalServices } from '../lib/config';
import {
  repoRoot, dockerDir, raw, sampleEnv, MissingVariable, interpolationsIn, interpolateTree, interpolations, services, service, envOf, onlyServiceWithImage, dependsOn, hostPort, publishedContainerPorts, commandOf, hostPathOf, expectExecutableScript, readDockerFile, postgres, server, schemaJob, namespaceJob, ui, migrate, worker, api, oneShotJobs, appServices,
} from './support/compose';

describe('temporal-docker/docker-compose.yml: the app’s services', () => {
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
    // The caseload lists' key: the API's (required by api/main.ts), not the worker's.
    expect(requireCaseloadListKey(apiConfig).id).toBe('c1');
    expect(envOf(service(worker)).CASELOAD_LIST_KEY).toBeUndefined();
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
    expect(required).toEqual(['APRIL_DB_PASSWORD', 'CASELOAD_LIST_KEY', 'GRAFANA_ADMIN_PASSWORD', 'MAIL_FROM', 'PAYLOAD_CODEC_KEYS', 'PUBLIC_URL', 'SMTP_URL', 'TEMPORAL_DB_PASSWORD']);
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
