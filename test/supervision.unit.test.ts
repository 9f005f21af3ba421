// Supervision in temporal-docker/ (Prometheus, its alert rules, Grafana and the APRIL dashboard):
// every metric a rule or a panel names is one the API or the worker exposes, and the files are
// wired to the services that read them. promtool cannot run here: rules are read as YAML and
// their PromQL through a small tokenizer (test/support/promql.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { parse } from 'yaml';
import type { Db } from '../lib/db';
import { loadConfig } from '../lib/config';
import { createRegistry, httpMetrics, registerProgrammeMetrics, registerWorkerMetrics, TEMPORAL_SDK_METRICS } from '../lib/metrics';
import { dockerDir, service, envOf, hostPathOf, hostPort, publishedContainerPorts, readDockerFile, api, worker, server, prometheus, grafana } from './support/compose';
import { metricNamesIn } from './support/promql';

/** Every metric name the product registers (API and worker), as Prometheus stores them. */
function knownMetricNames(): Set<string> {
  const registry = createRegistry();
  httpMetrics(registry);
  // Never collected here: the gauges only declare their names.
  registerProgrammeMetrics(registry, { db: {} as Db, temporal: {} as Client, namespace: 'default' });
  registerWorkerMetrics(registry, () => ({}));
  const names = new Set<string>(['up']); // Prometheus's own, per scraped target
  const add = (name: string, histogram: boolean) => {
    names.add(name);
    if (histogram) for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
  };
  for (const metric of registry.getMetricsAsArray()) add(metric.name, ['histogram', 'summary'].includes(String(metric.type)));
  for (const name of TEMPORAL_SDK_METRICS) add(name, name.endsWith('_latency'));
  return names;
}

const known = knownMetricNames();
const rulesFile = path.join(dockerDir, 'prometheus', 'rules', 'april-alerts.yml');
const rules: { alert: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[] =
  parse(fs.readFileSync(rulesFile, 'utf8')).groups.flatMap((group: { rules: unknown[] }) => group.rules);
const dashboard = JSON.parse(readDockerFile('grafana/dashboards/april.json'));
const panelExprs: { title: string; expr: string }[] = dashboard.panels.flatMap((panel: any) =>
  (panel.targets ?? []).map((target: any) => ({ title: panel.title, expr: target.expr })));

describe('the PromQL tokenizer', () => {
  test('finds metric names, not functions, keywords, labels, strings or ranges', () => {
    expect(metricNamesIn('sum by (queue, job) (rate(april_http_requests_total{route="/x", status=~"5.."}[5m])) / on (job) group_left up > 0.05').sort())
      .toEqual(['april_http_requests_total', 'up']);
    expect(metricNamesIn('absent(april_worker_polling) or time() - foo_seconds > 1.5 * bar_seconds unless on (schedule) (baz == 1)').sort())
      .toEqual(['april_worker_polling', 'bar_seconds', 'baz', 'foo_seconds']);
    // What the rules check against would catch a misspelt name.
    expect(metricNamesIn('april_mail{status="failed"} > 0').filter((name) => !known.has(name))).toEqual(['april_mail']);
  });
});

describe('temporal-docker/prometheus/rules/april-alerts.yml', () => {
  test('names only metrics the API or the worker expose', () => {
    const unknown = rules.flatMap((rule) => metricNamesIn(rule.expr).filter((name) => !known.has(name)).map((name) => `${rule.alert}: ${name}`));
    expect(unknown).toEqual([]);
    expect(rules.flatMap((rule) => metricNamesIn(rule.expr)).length).toBeGreaterThanOrEqual(rules.length);
  });

  test('has the alerts the programme asked for, each with its French text', () => {
    const byMetric = (name: string) => rules.filter((rule) => metricNamesIn(rule.expr).includes(name)).map((rule) => rule.alert);
    expect(byMetric('april_mails')).toHaveLength(1); // a mail failed
    expect(rules.find((r) => r.alert === byMetric('april_mails')[0])!.expr).toContain('status="failed"');
    expect(rules.find((r) => metricNamesIn(r.expr).includes('april_legal_deadlines'))!.expr).toMatch(/within="48h".*task="open"/);
    expect(byMetric('temporal_workflow_task_execution_failed')).toHaveLength(1); // a bug or a non-determinism
    expect(byMetric('april_worker_polling')).toHaveLength(1); // no worker polling
    expect(byMetric('april_schedule_last_success_timestamp_seconds').length).toBeGreaterThanOrEqual(1); // a schedule missed its run
    expect(byMetric('april_http_request_errors_total')).toHaveLength(1); // the API's error rate
    const dependencies = rules.filter((r) => metricNamesIn(r.expr).includes('april_dependency_up')).map((r) => r.expr).join('\n');
    expect(dependencies).toContain('dependency="postgres"');
    expect(dependencies).toContain('dependency="temporal"');

    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    for (const rule of rules) {
      expect({ alert: rule.alert, severity: rule.labels?.severity }).toEqual({ alert: rule.alert, severity: expect.stringMatching(/^(warning|critical)$/) });
      for (const key of ['summary', 'description'] as const) {
        const text = rule.annotations?.[key] ?? '';
        expect({ alert: rule.alert, key, french: /\b(le|la|les|des|du|de|un|une|est|sont|aucun|n'|d'|l')/i.test(text) && text.length > 10 }).toEqual({ alert: rule.alert, key, french: true });
      }
    }
  });
});

describe('temporal-docker/grafana: the APRIL dashboard', () => {
  test('its panels name only metrics the API or the worker expose, and read the provisioned Prometheus', () => {
    expect(panelExprs.length).toBeGreaterThan(10);
    const unknown = panelExprs.flatMap(({ title, expr }) => metricNamesIn(expr).filter((name) => !known.has(name)).map((name) => `${title}: ${name}`));
    expect(unknown).toEqual([]);
    const datasources = parse(readDockerFile('grafana/provisioning/datasources/prometheus.yml')).datasources;
    expect(datasources).toHaveLength(1);
    const uids = new Set(dashboard.panels.filter((p: any) => p.targets).map((p: any) => p.datasource.uid));
    expect([...uids]).toEqual([datasources[0].uid]);
    expect(hostPort(new URL(datasources[0].url).host)).toEqual({ host: prometheus, port: 9090 });
    // The programme, the API, the worker and Temporal, at a glance.
    for (const family of ['april_households', 'april_http_requests_total', 'april_worker_polling', 'temporal_worker_task_slots_available', 'april_dependency_up']) {
      expect(panelExprs.some(({ expr }) => metricNamesIn(expr).includes(family))).toBe(true);
    }
  });
});

describe('temporal-docker/docker-compose.yml: supervision wiring', () => {
  const config = parse(readDockerFile('prometheus/prometheus.yml'));
  const targets = Object.fromEntries(config.scrape_configs.map((job: any) => [job.job_name, job.static_configs.flatMap((s: any) => s.targets)]));

  test('Prometheus scrapes the API’s and the worker’s metrics listeners and the Temporal server', () => {
    const apiConfig = loadConfig(envOf(service(api)));
    const workerConfig = loadConfig(envOf(service(worker)));
    // On the compose network (0.0.0.0 in the container), never published to the host.
    for (const [name, cfg] of [[api, apiConfig], [worker, workerConfig]] as const) {
      expect(cfg.metrics.host).toBe('0.0.0.0');
      expect(publishedContainerPorts(service(name))).not.toContain(cfg.metrics.apiPort);
      expect(publishedContainerPorts(service(name))).not.toContain(cfg.metrics.workerPort);
    }
    expect(targets['april-api']).toEqual([`${api}:${apiConfig.metrics.apiPort}`]);
    expect(targets['april-worker']).toEqual([`${worker}:${workerConfig.metrics.workerPort}`]);
    const temporalMetrics = hostPort(envOf(service(server)).PROMETHEUS_ENDPOINT as string);
    expect(targets.temporal).toEqual([`${server}:${temporalMetrics.port}`]);
    expect(publishedContainerPorts(service(server))).toEqual([]);
  });

  test('the health checks use the probes: the API’s readiness on its port, the worker’s on its metrics listener', () => {
    const workerConfig = loadConfig(envOf(service(worker)));
    expect(service(api).healthcheck.test.join(' ')).toContain(':3000/health/ready');
    expect(service(worker).healthcheck.test.join(' ')).toContain(`:${workerConfig.metrics.workerPort}/health/ready`);
    // The graceful stop's bound fits in the time docker gives before SIGKILL.
    const grace = (name: string) => Number(/^(\d+)s$/.exec(service(name).stop_grace_period)?.[1]);
    expect(grace(api)).toBeGreaterThan(workerConfig.shutdownTimeoutMs / 1000);
    expect(grace(worker)).toBeGreaterThan(workerConfig.shutdownTimeoutMs / 1000 + 5);
  });

  test('Prometheus reads the rules file; Grafana its provisioning and the dashboard; both on loopback by default', () => {
    const prom = service(prometheus);
    const configPath = /--config\.file=(\S+)/.exec(prom.command.join(' '))?.[1] as string;
    expect(hostPathOf(prom, configPath)).toBe(path.join(dockerDir, 'prometheus', 'prometheus.yml'));
    for (const pattern of config.rule_files as string[]) {
      const dir = hostPathOf(prom, path.posix.dirname(pattern));
      expect(dir).toBe(path.dirname(rulesFile));
    }
    const graf = service(grafana);
    expect(hostPathOf(graf, '/etc/grafana/provisioning/datasources/prometheus.yml')).toBe(path.join(dockerDir, 'grafana', 'provisioning', 'datasources', 'prometheus.yml'));
    const provider = parse(readDockerFile('grafana/provisioning/dashboards/april.yml')).providers[0];
    expect(hostPathOf(graf, `${provider.options.path}/april.json`)).toBe(path.join(dockerDir, 'grafana', 'dashboards', 'april.json'));
    expect(hostPathOf(graf, envOf(graf).GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH as string)).toBe(path.join(dockerDir, 'grafana', 'dashboards', 'april.json'));
    for (const svc of [prom, graf]) for (const port of svc.ports) expect(String(port)).toMatch(/^127\.0\.0\.1:/);
  });
});
