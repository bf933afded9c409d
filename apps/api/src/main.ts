import { createPrismaClient } from '@scenewise/db';
import { openMessageBus, startHeartbeat } from '@scenewise/messaging';
import { boundPort, closeServer, createShutdown, listen, reportStartupFailure, serviceVersion } from '@scenewise/service-runtime';
import { createLogger, shutdownTelemetry } from '@scenewise/telemetry';
import { createApp } from './app';
import { keyIdOf } from './auth';
import { loadConfig } from './config';
import { answerMalformedRequests } from './malformed-http';

const SERVICE = 'api';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: SERVICE, ...config.log });
  if (config.auth.apiKeys.length === 0) {
    logger.warn('API_KEYS is empty: the API accepts requests without a key. Set API_KEYS for anything but a laptop.');
  } else {
    logger.info({ keyIds: config.auth.apiKeys.map(keyIdOf) }, `the API requires a key (${config.auth.apiKeys.length} configured)`);
  }
  const db = createPrismaClient(config.databaseUrl);
  const bus = await openMessageBus({ ...config.nats, name: SERVICE }, logger);
  const { nc } = bus;

  const app = createApp({ db, bus, logger, config, ready: () => !nc.isClosed() });
  const server = await listen(app, config.http.port, config.http.host);
  answerMalformedRequests(server);
  const heartbeat = startHeartbeat(bus, { service: SERVICE, version: serviceVersion });

  createShutdown({
    logger,
    steps: () => [
      ['stop heartbeat', () => heartbeat.stop()],
      ['close http', () => closeServer(server)],
      ['drain nats', () => nc.drain()],
      ['disconnect db', () => db.$disconnect()],
      ['flush telemetry', () => shutdownTelemetry()],
    ],
  });
  logger.info({ version: serviceVersion, port: boundPort(server) }, `api ready on http://${config.http.host}:${boundPort(server)}`);
}

main().catch(reportStartupFailure(SERVICE));
