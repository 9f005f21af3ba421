import fs from 'node:fs';
import path from 'node:path';

export const RESULTS_DIR = path.resolve(__dirname, '..', 'results');

/** Writes a run's figures as JSON (timestamped, plus `<name>-latest.json`) and says where. */
export function writeResult(name: string, result: object): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(RESULTS_DIR, `${name}-${stamp}.json`);
  const text = `${JSON.stringify(result, null, 2)}\n`;
  fs.writeFileSync(file, text);
  fs.writeFileSync(path.join(RESULTS_DIR, `${name}-latest.json`), text);
  return file;
}

/** Percentile by nearest rank; undefined for an empty sample rather than a made-up zero. */
export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const round = (value: number | undefined, digits = 2) =>
  value === undefined || !Number.isFinite(value) ? undefined : Math.round(value * 10 ** digits) / 10 ** digits;

/** Reads a positive integer parameter from `--name=value` or an environment variable. */
export function intParam(flag: string, envName: string, fallback: number): number {
  const fromArgs = process.argv.find((a) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3);
  const raw = fromArgs ?? process.env[envName];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${flag} / ${envName}: a whole number is expected, got "${raw}"`);
  return value;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `work` over `items` with at most `limit` in flight; collects errors instead of stopping. */
export async function pool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<unknown[]> {
  const errors: unknown[] = [];
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index).catch((error: unknown) => errors.push(error));
    }
  });
  await Promise.all(lanes);
  return errors;
}
