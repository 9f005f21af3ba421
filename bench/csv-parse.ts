// npm run bench:csv-parse — the arrears file reader (activities/arrears-file.ts, arrearsBatches) on
// a normal CSV of N lines (--rows=N, BENCH_ROWS, default 10000) and on a hostile CSV of the same
// size in bytes: a header, one line opening a quote that is never closed, then nothing but line
// breaks. A linear reader takes about as long on both (ratio near 1); a reader that rescans the
// growing record at each line break is quadratic on the second. Median of --runs=R (default 5).
// No services: the reader alone, in this process.
import { ArrearsFileError, arrearsBatches } from '../activities/arrears-file';
import { describeMachine, machineFacts } from './support/machine';
import { intParam, percentile, round, writeResult } from './support/results';

const log = (line: string) => console.log(line);

function normalFile(rows: number): string {
  const lines = ['reference_bail;dette;loyer;date'];
  for (let i = 1; i <= rows; i++) {
    const reference = i % 10 === 0 ? `"BAIL ${i}"` : `BAIL-${String(i).padStart(6, '0')}`;
    lines.push(`${reference};${(i * 37) % 5000},${String(i % 100).padStart(2, '0')};650;31/01/2027`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

function hostileFile(bytes: number): string {
  const head = 'reference_bail;dette;loyer;date\r\nBAIL-000001;"';
  return head + '\n'.repeat(Math.max(0, bytes - head.length));
}

/** Reads the whole file; the outcome (rows read, or the file's error) and the time in ms. */
async function read(content: Uint8Array): Promise<{ ms: number; outcome: string }> {
  const started = performance.now();
  let rows = 0;
  let outcome: string;
  try {
    for await (const batch of arrearsBatches(content, 'csv', 1000)) rows += batch.length;
    outcome = `${rows} lines read`;
  } catch (error) {
    if (!(error instanceof ArrearsFileError)) throw error;
    outcome = `refused: ${error.message}`;
  }
  return { ms: performance.now() - started, outcome };
}

async function measure(name: string, content: Uint8Array, runs: number) {
  const times: number[] = [];
  let outcome = '';
  for (let run = 0; run < runs; run++) {
    const result = await read(content);
    times.push(result.ms);
    outcome = result.outcome;
  }
  const median = percentile(times, 50)!;
  log(`${name}: ${content.length} bytes, median ${round(median)} ms over ${runs} runs (min ${round(Math.min(...times))}, max ${round(Math.max(...times))}); ${outcome.slice(0, 140)}`);
  return { bytes: content.length, runs, medianMs: round(median), minMs: round(Math.min(...times)), maxMs: round(Math.max(...times)), outcome };
}

async function main(): Promise<void> {
  const rows = intParam('rows', 'BENCH_ROWS', 10_000);
  const runs = Math.max(1, intParam('runs', 'BENCH_RUNS', 5));
  log(`bench:csv-parse — arrearsBatches on a ${rows}-line CSV and on a hostile CSV of the same size`);
  log(`machine: ${describeMachine(machineFacts())}`);
  const encoder = new TextEncoder();
  const normal = encoder.encode(normalFile(rows));
  const hostile = encoder.encode(hostileFile(normal.length));
  await read(normal); // warm-up: module loading and the engine's first compilation
  const normalRun = await measure('normal ', normal, runs);
  const hostileRun = await measure('hostile', hostile, runs);
  const ratio = round(hostileRun.medianMs! / normalRun.medianMs!);
  log(`ratio hostile / normal: ${ratio} (a linear reader stays near 1)`);
  const file = writeResult('csv-parse', { rows, runs, machine: machineFacts(), normal: normalRun, hostile: hostileRun, ratio });
  log(`result: ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
