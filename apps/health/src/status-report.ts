import { describeDatabaseError } from './checks/database.check';
import type { Dashboard } from './dashboard';
import type { HealthReport } from './report';

/** What the status page shows and `GET /status.json` answers: the health report and the dashboard. */
export type StatusReport = HealthReport & { dashboard: Dashboard | { unavailable: string } };

/** The health report with the dashboard beside it; a dashboard that cannot be read says why. */
export async function buildStatusReport(deps: {
  report: () => Promise<HealthReport>;
  dashboard: () => Promise<Dashboard>;
}): Promise<StatusReport> {
  const [report, dashboard] = await Promise.all([
    deps.report(),
    deps.dashboard().catch((err: unknown) => ({ unavailable: describeDatabaseError(err) })),
  ]);
  return { ...report, dashboard };
}
