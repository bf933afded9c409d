import type { Database } from '@scenewise/db';
import type { MessageBus } from '@scenewise/messaging';
import { mountProbes } from '@scenewise/service-runtime';
import type { Logger } from '@scenewise/telemetry';
import express, { type Express } from 'express';
import type { Config } from './config';
import { errorHandler, routeNotFound } from './http-errors';
import { openApiRoutes } from './openapi';
import { eventRoutes } from './routes/events.routes';
import { jobRoutes } from './routes/jobs.routes';
import { scriptRoutes } from './routes/scripts.routes';

export interface AppDeps {
  db: Database;
  bus: MessageBus;
  logger: Logger;
  config: Pick<Config, 'limits' | 'jaegerUiUrl'>;
  ready: () => Promise<boolean> | boolean;
}

/** The HTTP API without `listen`, so tests drive it with supertest. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  mountProbes(app, { service: 'api', ready: deps.ready });
  const routeDeps = { ...deps, limits: deps.config.limits, jaegerUiUrl: deps.config.jaegerUiUrl };
  app.use('/api', scriptRoutes(routeDeps), jobRoutes(routeDeps), eventRoutes(routeDeps), openApiRoutes());
  app.use(routeNotFound);
  app.use(errorHandler(deps.logger));
  return app;
}
