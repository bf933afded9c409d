import { type SceneResult, Subject } from '@scenewise/contracts';
import { createPrismaClient, WriteBatcher } from '@scenewise/db';
import { openMessageBus, startHeartbeat } from '@scenewise/messaging';
import { createAnthropicClient, ModelRole, ModelValidator } from '@scenewise/model-config';
import { boundPort, closeServer, createProbeApp, createShutdown, listen, reportStartupFailure, serviceVersion } from '@scenewise/service-runtime';
import { createLogger, shutdownTelemetry } from '@scenewise/telemetry';
import { loadConfig } from './config';
import { createAnalysisCancelHandler } from './handlers/analysis-cancel.handler';
import { createAnalysisRequestedHandler } from './handlers/analysis-requested.handler';
import { createDeadLetterHandler } from './handlers/dead-letter.handler';
import { createSceneResultHandler } from './handlers/scene-result.handler';
import { JobFolder } from './job-folder';
import { recordSceneResults } from './job-store';
import { announceFold } from './progress';
import { startReconciler } from './reconciler';
import { foldAndDispatch, republishWaitingTasks, startWindowRefill } from './task-dispatch';

const SERVICE = 'orchestrator';
/** Folds of one job start at least this far apart: a stream of results costs 20 folds a second, not one per result. */
const FOLD_INTERVAL_MS = 50;
/** How often jobs with tasks still held back are refolded to refill their windows. */
const WINDOW_REFILL_MS = 100;
/** A scene result waits at most this long for others to be stored in the same statement. */
const RESULT_BATCH_DELAY_MS = 5;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: SERVICE, ...config.log });
  const db = createPrismaClient(config.databaseUrl);
  const bus = await openMessageBus({ ...config.nats, name: SERVICE }, logger);
  const { nc } = bus;
  const validator = new ModelValidator(createAnthropicClient(config.anthropic), { ttlMs: config.modelCheckTtlMs });

  // Warm the query compiler up now, so the first job's pre-flight is as quick as the rest.
  await db.analysisJob.findFirst({ select: { id: true } });

  // Say so at start-up, not only when the first job fails.
  const check = await validator.check(ModelRole.sceneSummary, config.models.sceneSummary);
  if (!check.ok) logger.warn({ model: check.model, reason: check.reason }, check.message);

  const undispatchedJobs = new Set<string>();
  const folder = new JobFolder(foldAndDispatch({ db, bus, logger }, config.dispatchWindow, undispatchedJobs), announceFold(bus, logger), logger, {
    minIntervalMs: FOLD_INTERVAL_MS,
  });
  // The consumer holds at most resultConcurrency results, so a batch that size is full once every one waits on it.
  const recorder = new WriteBatcher((batch: SceneResult[]) => recordSceneResults(db, batch), {
    maxItems: config.resultConcurrency,
    maxDelayMs: RESULT_BATCH_DELAY_MS,
  });
  // An instance killed between claiming tasks and publishing them left them unpublished. Not
  // fatal: should this fail, the reconciler re-sends them as stalled.
  await republishWaitingTasks({ db, bus, logger }).then(
    (tasks) => tasks > 0 && logger.info({ tasks }, 'published claimed tasks again after a restart (duplicates are dropped)'),
    (err: unknown) => logger.warn({ err }, 'could not publish claimed tasks again; the reconciler will re-send them'),
  );

  const requests = await bus.consume(
    'orchestratorRequests',
    {
      [Subject.analysisRequested]: createAnalysisRequestedHandler({ db, bus, folder, models: config.models, validator, logger }),
      [Subject.analysisCancel]: createAnalysisCancelHandler({ db, folder, logger }),
    },
    { concurrency: 4 },
  );
  const results = await bus.consume(
    'orchestratorResults',
    { [Subject.sceneResult]: createSceneResultHandler({ db, folder, logger, record: (result) => recorder.add(result) }) },
    { concurrency: config.resultConcurrency },
  );
  const deadLetters = await bus.consume('orchestratorDeadLetters', {
    [Subject.deadLetter]: createDeadLetterHandler({ db, folder, logger }),
  });
  const reconciler = startReconciler({ db, bus, folder, logger }, config.reconciler);
  const windowRefill = startWindowRefill(undispatchedJobs, (jobId) => folder.request(jobId), WINDOW_REFILL_MS);
  const heartbeat = startHeartbeat(bus, { service: SERVICE, version: serviceVersion });
  const server = await listen(createProbeApp({ service: SERVICE, ready: () => !nc.isClosed() }), config.http.port, config.http.host);

  createShutdown({
    logger,
    steps: () => [
      ['stop heartbeat', () => heartbeat.stop()],
      ['stop reconciler', () => reconciler.stop()],
      ['stop window refill', () => windowRefill.stop()],
      ['stop consuming', () => Promise.all([requests.stop(), results.stop(), deadLetters.stop()])],
      ['finish folds', () => folder.idle()],
      ['close http', () => closeServer(server)],
      ['drain nats', () => nc.drain()],
      ['disconnect db', () => db.$disconnect()],
      ['flush telemetry', () => shutdownTelemetry()],
    ],
  });
  logger.info(
    { version: serviceVersion, port: boundPort(server), models: config.models, dispatchWindow: config.dispatchWindow.size },
    'orchestrator ready',
  );
}

main().catch(reportStartupFailure(SERVICE));
