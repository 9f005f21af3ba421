import path from 'node:path';
import { ConfigError, loadConfig, requireExternalServices } from '../lib/config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  test('with nothing set, every service is embedded, on documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      trustProxy: [],
      dataDir: path.resolve('data'),
      database: { url: undefined, embeddedPort: 54329 },
      temporal: { address: undefined, namespace: 'default', taskQueue: 'april-households', embeddedPort: 7233, embeddedUiPort: 8233 },
      mail: { smtpUrl: undefined, embeddedSmtpPort: 1025, embeddedWebPort: 1080 },
    });
  });

  test('a present setting points the product at that external service', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://u:p@db.internal:5432/april',
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'april-prod',
      SMTP_URL: 'smtps://user:pass@mail.example.org:465',
      PORT: '8080',
      PAYLOAD_CODEC_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
    });
    expect(config.database.url).toBe('postgresql://u:p@db.internal:5432/april');
    expect(config.temporal).toMatchObject({ address: 'temporal:7233', namespace: 'april-prod' });
    expect(config.mail.smtpUrl).toBe('smtps://user:pass@mail.example.org:465');
    expect(config.port).toBe(8080);
    expect(requireExternalServices(config)).toEqual({
      databaseUrl: 'postgresql://u:p@db.internal:5432/april',
      temporalAddress: 'temporal:7233',
      smtpUrl: 'smtps://user:pass@mail.example.org:465',
    });
  });

  test('the worker keeps 1000 workflows in memory unless told otherwise', () => {
    expect(loadConfig({}).temporal.maxCachedWorkflows).toBe(1000);
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '250' }).temporal.maxCachedWorkflows).toBe(250);
  });

  test('TRUST_PROXY: a comma list of addresses, subnets or Express names; anything else stops start-up', () => {
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.5, 172.16.0.0/12 ,::1,fd00::/8, loopback' }).trustProxy).toEqual(['10.0.0.5', '172.16.0.0/12', '::1', 'fd00::/8', 'loopback']);
    for (const bad of ['proxy.internal', '10.0.0.0/33', '10.0.0.1/8/2', 'true']) {
      expect(problemsOf({ TRUST_PROXY: bad })).toEqual([expect.stringMatching(/^TRUST_PROXY : doit être une liste/)]);
    }
  });

  test('an empty variable counts as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({ port: 3000, database: { url: undefined } });
  });

  test.each([
    ['PORT', 'abc', /^PORT : /],
    ['PORT', '70000', /^PORT : /],
    ['DATABASE_URL', 'mysql://x@y/z', /^DATABASE_URL : doit être une URL \(postgres:\/\/ ou postgresql:\/\/\.\.\.\)/],
    ['DATABASE_URL', 'not a url', /^DATABASE_URL : /],
    ['TEMPORAL_ADDRESS', 'http://temporal:7233', /^TEMPORAL_ADDRESS : doit être de la forme hôte:port/],
    ['SMTP_URL', 'mail.example.org', /^SMTP_URL : /],
    ['LOG_LEVEL', 'verbose', /^LOG_LEVEL : /],
    ['NODE_ENV', 'staging', /^NODE_ENV : /],
    ['WORKER_MAX_CACHED_WORKFLOWS', '1', /^WORKER_MAX_CACHED_WORKFLOWS : /],
    ['WORKER_MAX_CACHED_WORKFLOWS', 'beaucoup', /^WORKER_MAX_CACHED_WORKFLOWS : /],
    ['PAYLOAD_CODEC_KEYS', `k1:${Buffer.alloc(16).toString('base64')}`, /^PAYLOAD_CODEC_KEYS : .*32 octets/],
    ['PAYLOAD_CODEC_KEYS', 'k1', /^PAYLOAD_CODEC_KEYS : /],
  ])('a bad %s (%s) stops start-up with a message naming it', (name, value, message) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test('several bad settings are all reported at once', () => {
    expect(problemsOf({ PORT: '0', SMTP_URL: 'x' }).map((p) => p.split(' ')[0])).toEqual(['PORT', 'SMTP_URL']);
  });

  test('production processes require the three external services and name the missing ones', () => {
    expect(() => requireExternalServices(loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233' }))).toThrow(
      expect.objectContaining({
        problems: [
          'DATABASE_URL : obligatoire hors du mode embarqué (npm start)',
          'SMTP_URL : obligatoire hors du mode embarqué (npm start)',
          'PAYLOAD_CODEC_KEYS : obligatoire hors du mode embarqué (npm start)',
        ],
      }),
    );
  });
});
