import { mountProbes } from '@scenewise/service-runtime';
import express, { type Express } from 'express';
import type { Dashboard } from './dashboard';
import type { HealthReport } from './report';
import { newNonce, renderStatusPage, statusPageCsp } from './status-page';
import { buildStatusReport } from './status-report';

export interface HealthAppDeps {
  report: () => Promise<HealthReport>;
  dashboard: () => Promise<Dashboard>;
  /** @default 5 */
  refreshSeconds?: number;
}

/**
 * GET /health: the whole pipeline's state; 200 when it can do its job, 503 when not.
 * GET / and /status: the status page for people; GET /status.json: what it shows.
 */
export function createHealthApp(deps: HealthAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  mountProbes(app, { service: 'health', ready: () => true });
  app.get('/health', async (_req, res) => {
    const report = await deps.report();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  // Always 200: the page and its data describe a degraded pipeline; /health is for probes.
  app.get('/status.json', async (_req, res) => {
    res.set('cache-control', 'no-store').json(await buildStatusReport(deps));
  });
  app.get(['/', '/status'], async (_req, res) => {
    const status = await buildStatusReport(deps);
    const nonce = newNonce();
    res
      .set({ 'cache-control': 'no-store', 'content-security-policy': statusPageCsp(nonce), 'x-content-type-options': 'nosniff' })
      .type('html')
      .send(renderStatusPage(status, { nonce, refreshSeconds: deps.refreshSeconds }));
  });
  return app;
}
