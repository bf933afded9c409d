declare global {
  // Set by the instrumentation entry so a service can flush spans in its own graceful shutdown.
  var __scenewiseOtelShutdown: (() => Promise<void>) | undefined;
}

/** Flushes and stops the OpenTelemetry SDK if the instrumentation entry started one. */
export async function shutdownTelemetry(): Promise<void> {
  await globalThis.__scenewiseOtelShutdown?.();
}
