// The production stack (temporal-docker/) cannot run here: no Docker engine. These tests read the
// compose file the way docker compose does (test/support/compose.ts) and check that every part the
// product needs is there and wired to the others: here the Temporal side, the app's services and
// Dockerfile in compose-app.unit.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { householdSearchAttributes } from '../workflows/household/search-attributes';
import {
  dockerDir, raw, sampleEnv, compose, services, service, envOf, imageOf, servicesWithImage, onlyServiceWithImage, hostPort, publishedContainerPorts, commandOf, hostPathOf, readDockerFile, postgres, server, schemaJob, namespaceJob, ui, migrate, worker, api, prometheus, grafana,
} from './support/compose';

describe('temporal-docker/docker-compose.yml', () => {
  test('has every service the product needs, and no mail server (SMTP is external)', () => {
    expect(Object.keys(services).sort()).toEqual([api, migrate, worker, postgres, server, schemaJob, namespaceJob, ui, prometheus, grafana].sort());
    expect(servicesWithImage('prom/prometheus')).toEqual([prometheus]);
    expect(servicesWithImage('grafana/grafana')).toEqual([grafana]);
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
      expect({ name, tag }).toEqual({ name, tag: expect.stringMatching(/^v?\d+\.\d+(\.\d+)?(-[A-Za-z0-9.-]+)?$/) });
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

});
