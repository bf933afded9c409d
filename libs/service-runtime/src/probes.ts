import { serveMetrics } from '@scenewise/telemetry';
import express, { type Express } from 'express';
import { serviceVersion } from './version';

export interface ProbeOptions {
  service: string;
  /** Readiness: resolves true when the service can do its job (connections up). */
  ready: () => Promise<boolean> | boolean;
}

/**
 * /healthz (the process is alive), /readyz (it can take work) and /metrics (Prometheus text),
 * on any Express app. None of them says anything private.
 */
export function mountProbes(app: Express, options: ProbeOptions): Express {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.service, version: serviceVersion, uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await Promise.resolve(options.ready()).catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', service: options.service });
  });
  app.get('/metrics', (req, res) => serveMetrics(req, res));
  return app;
}

/** An HTTP app with nothing but the probes, for services whose work is all on NATS. */
export function createProbeApp(options: ProbeOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  return mountProbes(app, options);
}
