import { jetstreamManager } from '@nats-io/jetstream';
import { namespaced } from '@scenewise/contracts';
import { createPrismaClient } from '@scenewise/db';
import { connectNats, ensureTopology, MessageBus, startHeartbeat } from '@scenewise/messaging';
import { boundPort, closeServer, createShutdown, listen, reportStartupFailure, serviceVersion } from '@scenewise/service-runtime';
import { createLogger, shutdownTelemetry } from '@scenewise/telemetry';
import { createApp } from './app';
import { loadConfig } from './config';

const SERVICE = 'api';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: SERVICE, ...config.log });
  const db = createPrismaClient(config.databaseUrl);
  const nc = await connectNats({ ...config.nats, name: SERVICE }, logger);
  const topology = namespaced(config.nats.namespace);
  await ensureTopology(await jetstreamManager(nc), topology);
  const bus = new MessageBus(nc, topology, logger);

  const app = createApp({ db, bus, logger, config, ready: () => !nc.isClosed() });
  const server = await listen(app, config.http.port, config.http.host);
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
