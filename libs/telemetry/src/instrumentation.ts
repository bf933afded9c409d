/**
 * Loaded before the service itself (`node --require …/instrumentation.js main.js`), so the
 * instrumented modules (http, express, pg, pino, undici) are patched before anyone imports
 * them. Configured only by the standard OTEL_* variables:
 * - OTEL_SERVICE_NAME names the service (each service's start command sets a default);
 * - OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) turns on OTLP/HTTP
 *   export; without it spans are still made (trace ids in logs and on jobs) but not exported;
 * - OTEL_SDK_DISABLED=true turns the SDK off entirely.
 * An unreachable collector never slows the pipeline: spans are exported in batches, off the
 * hot path, and dropped when the queue is full.
 */
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import './flush';

function spanProcessors(env: NodeJS.ProcessEnv): SpanProcessor[] {
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (!endpoint || env['OTEL_TRACES_EXPORTER'] === 'none') return [];
  return [new BatchSpanProcessor(new OTLPTraceExporter())];
}

if (process.env['OTEL_SDK_DISABLED'] !== 'true') {
  const sdk = new NodeSDK({
    spanProcessors: spanProcessors(process.env),
    // Metrics are served on /metrics by each service (see metrics.ts), not pushed.
    metricReaders: [],
    instrumentations: [
      new HttpInstrumentation({
        // Liveness probes and scrapes would drown the traces that matter.
        ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)/.test(req.url ?? ''),
      }),
      new ExpressInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new PinoInstrumentation(),
      new UndiciInstrumentation(),
      new PrismaInstrumentation(),
    ],
  });
  sdk.start();
  const shutdown = () => void sdk.shutdown().catch(() => undefined);
  process.once('beforeExit', shutdown);
  globalThis.__scenewiseOtelShutdown = () => sdk.shutdown();
}
