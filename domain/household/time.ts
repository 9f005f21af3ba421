/**
 * Time in the rules is always handed in, never read: commands carry their instant, and the
 * workflow shell uses its own deterministic clock to build them. Instants travel as ISO 8601
 * strings so that they read well in Temporal's history and in the state query.
 */
export type Instant = string;

// A strict shape, because `Date.parse` accepts implementation-defined formats we must not rely on.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isInstant(value: unknown): value is Instant {
  return typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

export const toMs = (at: Instant): number => Date.parse(at);

export const toInstant = (ms: number): Instant => new Date(ms).toISOString();

export const addMs = (at: Instant, ms: number): Instant => toInstant(toMs(at) + ms);

export const isBefore = (a: Instant, b: Instant): boolean => toMs(a) < toMs(b);

/** The most recent of the given instants (undefined ones ignored). */
export function latest(...instants: (Instant | undefined)[]): Instant | undefined {
  let best: Instant | undefined;
  for (const at of instants) {
    if (at !== undefined && (best === undefined || toMs(at) > toMs(best))) best = at;
  }
  return best;
}
