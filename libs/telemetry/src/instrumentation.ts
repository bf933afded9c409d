/**
 * Loaded before the service itself (`node --require …/instrumentation.js main.js`), so the
 * instrumented modules (http, express, pg, pino, undici, Prisma) are patched before anyone
 * imports them. Configured only by the standard OTEL_* variables:
 * - OTEL_SERVICE_NAME names the service (each start command sets it);
 * - OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) turns on OTLP/HTTP
 *   export, protobuf by default or JSON with OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL=http/json;
 *   without an endpoint spans are still made (trace ids on jobs and in logs), not exported;
 * - OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG choose sampling (OTEL_TRACES_SAMPLER=
 *   parentbased_always_off saves the per-span CPU when nobody reads the spans);
 * - OTEL_SDK_DISABLED=true turns it all off.
 * Metrics are served by each service at /metrics through the Prometheus exporter.
 * An unreachable collector never slows the pipeline: spans leave in batches, off the hot
 * path, and are dropped when the queue is full.
 */
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import './flush';

function spanProcessors(env: NodeJS.ProcessEnv): SpanProcessor[] {
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (!endpoint || env['OTEL_TRACES_EXPORTER'] === 'none') return [];
  const protocol = env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] || env['OTEL_EXPORTER_OTLP_PROTOCOL'] || 'http/protobuf';
  const exporter = protocol === 'http/json' ? new OTLPJsonTraceExporter() : new OTLPProtoTraceExporter();
  return [new BatchSpanProcessor(exporter)];
}

if (process.env['OTEL_SDK_DISABLED'] !== 'true') {
  // Without an endpoint the SDK would fall back to OTLP on localhost, fail every export and
  // hold shutdown for its export timeout: say plainly that nothing is exported.
  if (spanProcessors(process.env).length === 0) process.env['OTEL_TRACES_EXPORTER'] ??= 'none';
  process.env['OTEL_LOGS_EXPORTER'] ??= 'none';
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const sdk = new NodeSDK({
    spanProcessors: spanProcessors(process.env),
    metricReaders: [prometheus],
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes would drown the traces that matter.
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
  globalThis.__scenewiseMetricsHandler = (req, res) => prometheus.getMetricsRequestHandler(req, res);
  globalThis.__scenewiseOtelShutdown = () => sdk.shutdown();
}
