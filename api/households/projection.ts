import type { Db } from '../../lib/db';
import type { HouseholdView } from '../../workflows/household/messages';

/**
 * The household's view as its workflow last recorded it (`households.view`, written by the
 * activity that records each step, in the same transaction as the step's events and tasks): what
 * the API, the pages and an action's answer read, without a round trip to the workflow
 * (docs/design/architecture.md « Reads »). Null for a household whose workflow has not recorded a
 * step since the projection exists: the caller then asks the workflow.
 */
export async function projectedView(db: Db, householdId: string): Promise<HouseholdView | null> {
  const row = await db.household.findUnique({ where: { id: householdId }, select: { view: true } });
  return viewOf(row?.view);
}

export function viewOf(stored: unknown): HouseholdView | null {
  return stored && typeof stored === 'object' ? (stored as HouseholdView) : null;
}
