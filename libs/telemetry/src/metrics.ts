import { metrics } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import './flush';

/**
 * The pipeline's instruments, named in this one file. GenAI ones follow the OpenTelemetry
 * GenAI semantic conventions; ours are under `scenewise.`. Prometheus sees them at each
 * service's /metrics (dots become underscores, units become suffixes).
 */

// Created on first use: a meter taken before the SDK registers its provider would be a no-op.
const meter = () => metrics.getMeter('scenewise');

// Buckets for calls and jobs that take from milliseconds to minutes.
const secondsBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160, 320, 640];

function createInstruments() {
  const m = meter();
  return {
    jobsFinished: m.createCounter('scenewise.jobs.finished', {
      description: 'Jobs that reached a terminal status, by status',
    }),
    jobDuration: m.createHistogram('scenewise.job.duration', {
      description: 'From a job starting to its terminal status',
      unit: 's',
      advice: { explicitBucketBoundaries: secondsBuckets },
    }),
    sceneDuration: m.createHistogram('scenewise.scene.duration', {
      description: 'One scene task in a summarizer, from claim to stored outcome, by outcome',
      unit: 's',
      advice: { explicitBucketBoundaries: secondsBuckets },
    }),
    scenesInFlight: m.createUpDownCounter('scenewise.scenes.in_flight', {
      description: 'Scene tasks a summarizer is working on',
    }),
    costUsd: m.createCounter('scenewise.cost.usd', {
      description: 'What the Claude calls cost, by model',
      unit: 'USD',
    }),
    genAiOperationDuration: m.createHistogram('gen_ai.client.operation.duration', {
      description: 'GenAI operation duration',
      unit: 's',
      advice: { explicitBucketBoundaries: secondsBuckets },
    }),
    genAiTokenUsage: m.createHistogram('gen_ai.client.token.usage', {
      description: 'Measures number of input and output tokens used',
      unit: '{token}',
      advice: { explicitBucketBoundaries: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576] },
    }),
  };
}

let instruments: ReturnType<typeof createInstruments> | undefined;

/** The pipeline's instruments (created once, after the SDK has started). */
export function pipelineMetrics(): ReturnType<typeof createInstruments> {
  instruments ??= createInstruments();
  return instruments;
}

/** Gauges read when scraped (the health service reports JetStream's counts this way). */
export function observeGauge(
  name: string,
  description: string,
  read: () => Array<{ value: number; attributes: Record<string, string> }>,
): void {
  meter().createObservableGauge(name, { description }).addCallback((result) => {
    for (const { value, attributes } of read()) result.observe(value, attributes);
  });
}

/** Serves Prometheus text for this process, or 404 when telemetry is off. */
export function serveMetrics(req: IncomingMessage, res: ServerResponse): void {
  const handler = globalThis.__scenewiseMetricsHandler;
  if (!handler) {
    res.statusCode = 404;
    res.end('metrics are off (OTEL_SDK_DISABLED=true or no instrumentation entry)\n');
    return;
  }
  handler(req, res);
}
