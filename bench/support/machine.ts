import fs from 'node:fs';
import os from 'node:os';

/**
 * Facts about the machine and its processes, read from /proc: a figure without the machine it was
 * measured on cannot be compared with anything.
 */
export interface MachineFacts {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  kernel: string;
}

export function machineFacts(): MachineFacts {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
  };
}

export function describeMachine(m: MachineFacts): string {
  return `${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.platform} ${m.kernel}`;
}

/** Resident set size of a process in bytes (VmRSS), or undefined once it is gone. */
export function rssOf(pid: number): number | undefined {
  try {
    const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    const kib = line ? Number(line.replace(/\D+/g, '')) : NaN;
    return Number.isFinite(kib) ? kib * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The embedded Temporal dev server is started by the SDK's native core, not by us: find it by its
 * command line (`server start-dev … --port <port>`).
 */
export function findTemporalServerPid(port: number): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const portAt = args.indexOf('--port');
      if (args.includes('start-dev') && portAt >= 0 && args[portAt + 1] === String(port)) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

export const MiB = 2 ** 20;
export const toMiB = (bytes: number | undefined) => (bytes === undefined ? undefined : Math.round((bytes / MiB) * 10) / 10);

/** 1-minute load average: on a machine shared with other work, the figures say so. */
export const loadAverage = () => Math.round(os.loadavg()[0]! * 100) / 100;

/** Samples the 1-minute load average while a run lasts; the summary goes into the figures. */
export function loadSampler(intervalMs = 5_000) {
  const samples: number[] = [loadAverage()];
  const timer = setInterval(() => samples.push(loadAverage()), intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      samples.push(loadAverage());
      const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
      return { mean: Math.round(mean * 100) / 100, max: Math.max(...samples), cores: os.cpus().length };
    },
  };
}
