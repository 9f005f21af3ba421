// The no-op baseline of `npm run bench:process`: the same number of updates, activities and
// fired timers as one household's whole path, with nothing behind them (no rules, no database,
// no mail). Bundled by its own worker on its own task queue; deterministic like any workflow.
import { allHandlersFinished, condition, defineSignal, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';

export interface BaselinePlan {
  /** Activities when the workflow starts (a household's referral and partner check). */
  activitiesAtStart: number;
  /** Updates, then signals, the driver sends one after the other; each runs `activitiesPerUpdate`. */
  updates: number;
  signals: number;
  activitiesPerUpdate: number;
  /** Timers that fire after the last update (a household's overlap, watch checks, watch end). */
  timersMs: number[];
  activitiesPerTimer: number;
  /** How long the main loop waits for an update before looking again (a cancelled timer each time, as in the household loop). */
  idleWaitMs: number;
}

export const baselineStepUpdate = defineUpdate<number, [number]>('baselineStep');
export const baselineFeedSignal = defineSignal('baselineFeed');

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export async function baselineWorkflow(plan: BaselinePlan): Promise<number> {
  let updates = 0;
  let signals = 0;
  let background = 0;
  // Like the household shell: the first activity of a step is awaited, the others run behind.
  const runActivities = async (count: number) => {
    if (count <= 0) return;
    await noop();
    for (let i = 1; i < count; i++) {
      background++;
      void noop().finally(() => background--);
    }
  };
  setHandler(baselineStepUpdate, async (step) => {
    await runActivities(plan.activitiesPerUpdate);
    updates++;
    return step;
  });
  setHandler(baselineFeedSignal, () => {
    // Like a landlord's feed: applied in the background, the sender does not wait.
    background++;
    void runActivities(plan.activitiesPerUpdate).finally(() => {
      background--;
      signals++;
    });
  });
  await runActivities(plan.activitiesAtStart);
  while (updates < plan.updates || signals < plan.signals) {
    const seen = updates + signals;
    await condition(() => updates + signals !== seen, plan.idleWaitMs);
  }
  for (const ms of plan.timersMs) {
    await sleep(ms);
    await runActivities(plan.activitiesPerTimer);
  }
  await condition(() => background === 0 && allHandlersFinished());
  return updates;
}
