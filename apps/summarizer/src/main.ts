import { sceneRequestOverheadChars } from '@scenewise/claude';
import { Subject } from '@scenewise/contracts';
import { createPrismaClient } from '@scenewise/db';
import { openBucket, openMessageBus, startHeartbeat } from '@scenewise/messaging';
import { createAnthropicClient } from '@scenewise/model-config';
import { boundPort, closeServer, createProbeApp, createShutdown, listen, reportStartupFailure, serviceVersion } from '@scenewise/service-runtime';
import { createLogger, shutdownTelemetry } from '@scenewise/telemetry';
import { loadConfig } from './config';
import { createSceneTaskHandler } from './handlers/scene-task.handler';
import { kvBudgetStore } from './rate-limits/kv-budget-store';
import { RatePacer } from './rate-limits/rate-pacer';

const SERVICE = 'summarizer';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: SERVICE, ...config.log });
  const db = createPrismaClient(config.databaseUrl, { maxConnections: Math.min(20, config.concurrency + 2) });
  const bus = await openMessageBus({ ...config.nats, name: SERVICE }, logger);
  const { nc } = bus;
  const client = createAnthropicClient(config.anthropic);
  const pacing = config.ratePacing
    ? new RatePacer({
        store: kvBudgetStore(await openBucket(bus, 'rateBudgets', { replicas: config.nats.streamReplicas })),
        logger,
        maxLease: config.concurrency,
        promptOverheadChars: sceneRequestOverheadChars,
      })
    : undefined;

  const consumer = await bus.consume(
    'summarizer',
    {
      [Subject.sceneSummarize]: createSceneTaskHandler({
        db,
        bus,
        client,
        logger,
        claude: config.claude,
        pacing,
      }),
    },
    { concurrency: config.concurrency },
  );
  const heartbeat = startHeartbeat(bus, { service: SERVICE, version: serviceVersion });
  const server = await listen(createProbeApp({ service: SERVICE, ready: () => !nc.isClosed() }), config.http.port, config.http.host);

  createShutdown({
    logger,
    steps: () => [
      ['stop heartbeat', () => heartbeat.stop()],
      // In-flight scenes get 10 s to finish; the rest go back to the queue for another instance.
      ['stop consuming', () => consumer.stop(10_000)],
      ['close http', () => closeServer(server)],
      ['drain nats', () => nc.drain()],
      ['disconnect db', () => db.$disconnect()],
      ['flush telemetry', () => shutdownTelemetry()],
    ],
  });
  logger.info(
    { version: serviceVersion, port: boundPort(server), concurrency: config.concurrency, ratePacing: config.ratePacing, structuredOutputs: config.claude.structuredOutputs, instanceId: heartbeat.instanceId, anthropicBaseUrl: config.anthropic.baseUrl ?? 'https://api.anthropic.com' },
    'summarizer ready',
  );
}

main().catch(reportStartupFailure(SERVICE));
