import { ActivityFailure } from '@temporalio/common';
import { log } from '@temporalio/workflow';

/** How many mails a job sends at once: enough to finish quickly, few enough to spare the SMTP server. */
export const MAIL_CONCURRENCY = 5;

/**
 * Runs one step per item, a few at a time, and keeps going when a step fails for good: one
 * refused mailbox must not deprive everyone after it. Each step has its own retry policy.
 */
export async function forEachSettled(items: string[], concurrency: number, step: (item: string) => Promise<unknown>): Promise<{ done: number; failed: string[] }> {
  const failed: string[] = [];
  let done = 0;
  for (let i = 0; i < items.length; i += concurrency) {
    const chunk = items.slice(i, i + concurrency);
    const results = await Promise.allSettled(chunk.map(step));
    results.forEach((result, j) => {
      if (result.status === 'fulfilled') {
        done++;
      } else {
        failed.push(chunk[j]!);
        const cause = result.reason instanceof ActivityFailure ? result.reason.cause?.message : undefined;
        log.warn('job step failed for good', { item: chunk[j], error: cause ?? String(result.reason) });
      }
    });
  }
  return { done, failed };
}
