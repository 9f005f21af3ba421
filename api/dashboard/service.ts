import type { ApiCore } from '../context';
import type { Directory } from '../directory/service';
import { dashboardFigures, dashboardPeriod } from './indicators';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The coordination's dashboard read: the period and landlord asked for (`du`, `au`, `bailleur`,
 * as the page's GET form sends them), what is wrong with them, and the figures
 * (api/dashboard/indicators.ts) for what could be read.
 */
export function createDashboard({ db, policy, clock }: Pick<ApiCore, 'db' | 'policy' | 'clock'>, directory: Directory) {
  return {
    async read(query: { du?: string; au?: string; bailleur?: string }) {
      const now = clock();
      const period = dashboardPeriod({ du: query.du, au: query.au }, now);
      const landlords = await directory.landlords();
      const landlord = query.bailleur && UUID.test(query.bailleur) ? landlords.find((l) => l.id === query.bailleur) : undefined;
      const problems: { field: string; message: string }[] = period.errors.map((e) => ({ field: e.field, message: e.message }));
      if (query.bailleur && !landlord) problems.push({ field: 'bailleur', message: 'bailleur inconnu' });
      const figures = await dashboardFigures(db, policy, { landlordId: landlord?.id, from: period.from, to: period.to, now });
      return { period, landlord, landlords, problems, figures };
    },
  };
}

export type Dashboard = ReturnType<typeof createDashboard>;
