import { serviceVersion as version } from '@scenewise/service-runtime';
import { loadConfig } from './config';
import { startAnthropicLocal } from './server';

const log = (level: string, msg: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ level, time: new Date().toISOString(), service: 'anthropic-local', msg, ...fields }));

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    console.error(`anthropic-local: ${(err as Error).message}`);
    process.exit(1);
  }

  const server = await startAnthropicLocal({ ...config.server, host: config.host, port: config.port });
  log('info', 'ready', { version, url: server.url, port: server.port, config: { ...server.config(), apiKey: server.config().apiKey ? '[redacted]' : null } });

  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string) =>
    (stopping ??= (async () => {
      log('info', 'shutting down', { signal });
      // Hung requests are destroyed by close(); the timer only guards against the unexpected.
      setTimeout(() => {
        log('error', 'shutdown timed out');
        process.exit(1);
      }, 5_000).unref();
      await server.close();
      process.exit(0);
    })());
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  log('fatal', 'startup failed', { err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) });
  process.exit(1);
});
