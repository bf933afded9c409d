import type { Logger } from '@scenewise/telemetry';

export type ShutdownStep = readonly [name: string, run: () => unknown];

/**
 * One idempotent shutdown for a service: runs the steps in order (stop taking work first,
 * close connections last), each guarded so one failure does not skip the rest, the whole
 * bounded by a hard timeout. SIGTERM and SIGINT call it.
 */
export function createShutdown(options: {
  logger: Logger;
  steps: () => readonly ShutdownStep[];
  /** @default 15000 */
  timeoutMs?: number;
}): (reason: string) => Promise<void> {
  let running: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    running ??= (async () => {
      const { logger } = options;
      logger.info({ reason }, 'shutting down');
      const hardStop = setTimeout(() => {
        logger.error('shutdown timed out; exiting');
        process.exit(1);
      }, options.timeoutMs ?? 15_000);
      hardStop.unref();
      for (const [name, run] of options.steps()) {
        try {
          await run();
        } catch (err) {
          logger.warn({ err, step: name }, 'shutdown step failed');
        }
      }
      clearTimeout(hardStop);
      logger.info('stopped');
    })();
    return running;
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void shutdown(signal).then(() => process.exit(0)));
  }
  return shutdown;
}

/** The last word of a service that could not start: one line, then exit 1. */
export function reportStartupFailure(service: string) {
  return (err: unknown): never => {
    // A config error is a sentence for a person; anything else gets its stack.
    const line =
      err instanceof Error && err.name === 'ConfigError'
        ? { level: 'fatal', service, msg: `${service} cannot start: ${err.message}` }
        : { level: 'fatal', service, msg: `${service} startup failed`, err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) };
    process.stderr.write(`${JSON.stringify(line)}\n`);
    process.exit(1);
  };
}
