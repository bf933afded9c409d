import { mountProbes } from '@scenewise/service-runtime';
import express, { type Express } from 'express';
import type { HealthReport } from './report';

/** GET /health: the whole pipeline's state; 200 when it can do its job, 503 when not. */
export function createHealthApp(deps: { report: () => Promise<HealthReport> }): Express {
  const app = express();
  app.disable('x-powered-by');
  mountProbes(app, { service: 'health', ready: () => true });
  app.get('/health', async (_req, res) => {
    const report = await deps.report();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  return app;
}
