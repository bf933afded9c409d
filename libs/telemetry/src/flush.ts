import type { IncomingMessage, ServerResponse } from 'node:http';

// Set by the instrumentation entry, which runs before (and apart from) the service's bundle.
declare global {
  /** Flushes spans during the service's own graceful shutdown. */
  var __scenewiseOtelShutdown: (() => Promise<void>) | undefined;
  /** Serves the Prometheus exposition of this process. */
  var __scenewiseMetricsHandler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
}

/** Flushes and stops the OpenTelemetry SDK if the instrumentation entry started one. */
export async function shutdownTelemetry(): Promise<void> {
  await globalThis.__scenewiseOtelShutdown?.();
}
