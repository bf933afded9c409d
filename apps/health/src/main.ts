import { Subject } from '@scenewise/contracts';
import { createPrismaClient } from '@scenewise/db';
import { openMessageBus } from '@scenewise/messaging';
import { createAnthropicClient, ModelValidator } from '@scenewise/model-config';
import { boundPort, closeServer, createShutdown, listen, reportStartupFailure, serviceVersion } from '@scenewise/service-runtime';
import { createLogger, shutdownTelemetry } from '@scenewise/telemetry';
import { createHealthApp } from './app';
import { checkDatabase } from './checks/database.check';
import { checkModels } from './checks/models.check';
import { checkNats, type NatsCheck } from './checks/nats.check';
import { loadConfig } from './config';
import { readDashboard } from './dashboard';
import { registerPipelineGauges } from './queue-gauges';
import { buildHealthReport } from './report';
import { ServiceRegistry } from './service-registry';

const SERVICE = 'health';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: SERVICE, ...config.log });
  const db = createPrismaClient(config.databaseUrl, { maxConnections: 2 });
  // Read-only: health never creates streams.
  const bus = await openMessageBus({ ...config.nats, name: SERVICE, ensureTopology: false }, logger);
  const { nc, topology } = bus;
  const validator = new ModelValidator(createAnthropicClient(config.anthropic), { ttlMs: config.modelCheckTtlMs });
  const registry = new ServiceRegistry();
  const unsubscribe = bus.subscribe(Subject.serviceHeartbeat, (beat) => registry.record(beat));

  let latestNats: NatsCheck | undefined;
  const refreshNats = async () => (latestNats = await checkNats(nc, topology));
  const report = async () => {
    const [nats, database, models] = await Promise.all([refreshNats(), checkDatabase(db), checkModels(validator, config.models)]);
    return buildHealthReport({ services: registry.snapshot(config.requiredServices), nats, database, models });
  };
  registerPipelineGauges(() => ({ nats: latestNats, services: registry.snapshot(config.requiredServices) }));
  // The gauges have values from the first scrape on, not only after the first interval.
  await refreshNats().catch(() => undefined);
  const gaugeRefresh = setInterval(() => void refreshNats().catch(() => undefined), 5_000);
  gaugeRefresh.unref();
  const server = await listen(createHealthApp({ report, dashboard: () => readDashboard(db) }), config.http.port, config.http.host);

  // Say so at start-up when a configured model cannot serve, not only on /health.
  for (const check of await checkModels(validator, config.models)) {
    if (!check.ok) logger.warn({ role: check.role, model: check.model, reason: check.reason }, check.message);
  }

  createShutdown({
    logger,
    steps: () => [
      ['stop gauge refresh', () => clearInterval(gaugeRefresh)],
      ['close http', () => closeServer(server)],
      ['unsubscribe', () => unsubscribe()],
      ['drain nats', () => nc.drain()],
      ['disconnect db', () => db.$disconnect()],
      ['flush telemetry', () => shutdownTelemetry()],
    ],
  });
  logger.info({ version: serviceVersion, port: boundPort(server) }, `health ready on http://${config.http.host}:${boundPort(server)}/ (status page) and /health`);
}

main().catch(reportStartupFailure(SERVICE));
