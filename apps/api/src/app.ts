import type { Database } from '@scenewise/db';
import type { MessageBus } from '@scenewise/messaging';
import { mountProbes } from '@scenewise/service-runtime';
import type { Logger } from '@scenewise/telemetry';
import express, { type Express } from 'express';
import { identifyCaller, requireCaller } from './auth';
import type { Config } from './config';
import { errorHandler, routeNotFound } from './http-errors';
import { openApiRoutes } from './openapi';
import { rateLimiter } from './rate-limit';
import { deadLetterRoutes } from './routes/dead-letters.routes';
import { eventRoutes } from './routes/events.routes';
import { jobRoutes } from './routes/jobs.routes';
import { scriptRoutes } from './routes/scripts.routes';

export interface AppDeps {
  db: Database;
  bus: MessageBus;
  logger: Logger;
  /** Without `auth` the API is open; without `rateLimit` it has no limit (tests). */
  config: Pick<Config, 'limits' | 'jaegerUiUrl'> & Partial<Pick<Config, 'auth' | 'rateLimit'>>;
  ready: () => Promise<boolean> | boolean;
}

/** The HTTP API without `listen`, so tests drive it with supertest. */
export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // The probes stay open: they say nothing private.
  mountProbes(app, { service: 'api', ready: deps.ready });
  const routeDeps = { ...deps, limits: config.limits, jaegerUiUrl: config.jaegerUiUrl };
  app.use(
    '/api',
    identifyCaller(config.auth?.apiKeys ?? []),
    rateLimiter({ perMinute: config.rateLimit?.perMinute ?? 0, logger }),
    // The document is public; everything after it needs a key (when keys are configured).
    openApiRoutes(),
    requireCaller(logger),
    scriptRoutes(routeDeps),
    jobRoutes(routeDeps),
    eventRoutes(routeDeps),
    deadLetterRoutes(routeDeps),
  );
  app.use(routeNotFound);
  app.use(errorHandler(logger));
  return app;
}
