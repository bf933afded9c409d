import { type AnthropicLocal, startAnthropicLocal } from '@scenewise/anthropic-local';
import { namespaced } from '@scenewise/contracts';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import { deleteNamespaceStreams, randomNamespace } from '@scenewise/messaging/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { apiClient, type JobView } from './api-client';
import { type ReceivedSpan, startOtlpReceiver } from './otlp-receiver';
import { type Pipeline, serviceProblems, startPipeline } from './service-harness';

const SECRET = 'sk-ant-e2e-test-key-0000';
const SPAN_KIND_CLIENT = 3;

/** Six short scenes; the one at position 4 is too long for the server's input limit (a 400). */
const script = Array.from({ length: 6 }, (_, i) =>
  `INT. ROOM ${i} - NIGHT\n\n${i === 4 ? 'The archive shelves go on and on. '.repeat(400) : `Scene ${i} moves on.`}\n\nMARA\nLine ${i}.\n`,
).join('\n');

describe('observability: one trace per job across the services, metrics, logs', () => {
  let database: TestDatabase;
  let claude: AnthropicLocal;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let pipeline: Pipeline;
  let job: JobView;
  const namespace = randomNamespace();

  beforeAll(async () => {
    [database, claude, receiver] = await Promise.all([
      createTestDatabase(),
      startAnthropicLocal({ maxInputTokens: 2_000 }),
      startOtlpReceiver(),
    ]);
    pipeline = await startPipeline({
      databaseUrl: database.url,
      namespace,
      anthropicBaseUrl: claude.url,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        ANTHROPIC_API_KEY: SECRET,
      },
    });
    const api = apiClient(pipeline.api.url);
    const { id } = await api.uploadScript(script);
    job = await api.waitForJob((await api.analyze(id)).jobId);
    // Spans leave in batches; wait for every Claude call's, every scene task's (it ends after
    // its result is published) and every folded result's span.
    const arrived = (name: string) => receiver.spans.filter((s) => s.name.startsWith(name)).length >= 6;
    for (let i = 0; i < 100 && !(arrived('chat ') && arrived('process scene.summarize') && arrived('process scene.result')); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 90_000);

  beforeEach(() => {
    onTestFailed(() => console.error(`what the services logged:\n${serviceProblems(pipeline)}`));
  });

  afterAll(async () => {
    await pipeline?.stop();
    await Promise.all([claude?.close(), receiver?.close(), database?.drop()]);
    await deleteNamespaceStreams(namespaced(namespace));
  });

  const jobSpans = () => receiver.spans.filter((s) => s.traceId === job.traceId);
  const byId = () => new Map(receiver.spans.map((s) => [s.spanId, s]));
  const ancestors = (span: ReceivedSpan): ReceivedSpan[] => {
    const index = byId();
    const chain: ReceivedSpan[] = [];
    for (let parent = index.get(span.parentSpanId); parent; parent = index.get(parent.parentSpanId)) chain.push(parent);
    return chain;
  };

  it('records the job, with its trace id, as partially failed', () => {
    expect(job.status).toBe('partially_failed');
    expect(job.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('puts the API request, the fan-out and every scene in the one trace of the job', () => {
    const spans = jobSpans();
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['api', 'orchestrator', 'summarizer']));
    const sceneSpans = spans.filter((s) => s.service === 'summarizer' && s.name === 'process scene.summarize');
    expect(sceneSpans).toHaveLength(6);
    for (const scene of sceneSpans) {
      const chain = ancestors(scene);
      expect(chain.some((s) => s.service === 'orchestrator' && s.name === 'process analysis.requested')).toBe(true);
      expect(chain.some((s) => s.service === 'api' && s.kind === 2 /* SERVER */)).toBe(true);
    }
    expect(spans.filter((s) => s.service === 'orchestrator' && s.name === 'process scene.result')).toHaveLength(6);
    expect(spans.some((s) => s.service === 'summarizer' && /prisma|INSERT|UPDATE|pg/i.test(s.name))).toBe(true);
  });

  it('follows the GenAI conventions on every Claude call, with error.type on the failed one', () => {
    const calls = jobSpans().filter((s) => s.name.startsWith('chat '));
    expect(calls).toHaveLength(6);
    for (const call of calls) {
      expect(call.kind).toBe(SPAN_KIND_CLIENT);
      expect(call.name).toBe(`chat ${call.attributes['gen_ai.request.model']}`);
      expect(call.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-haiku-4-5-20251001',
        'gen_ai.request.max_tokens': 1024,
      });
    }
    const succeeded = calls.filter((c) => c.attributes['error.type'] === undefined);
    expect(succeeded).toHaveLength(5);
    for (const call of succeeded) {
      expect(call.attributes['gen_ai.response.model']).toBe('claude-haiku-4-5-20251001');
      expect(call.attributes['gen_ai.response.id']).toMatch(/^msg_/);
      expect(call.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
      expect(call.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
      expect(call.attributes['gen_ai.response.finish_reasons']).toEqual(['end_turn']);
    }
    const failed = calls.find((c) => c.attributes['error.type'] !== undefined)!;
    expect(failed.attributes['error.type']).toBe('invalid_request_error');
    expect(failed.status.code).toBe(2 /* ERROR */);
  });

  it('keeps scene text out of spans', () => {
    expect(JSON.stringify(receiver.spans)).not.toContain('moves on');
  });

  it('exposes the job and GenAI metrics in Prometheus text', async () => {
    const summarizer = await (await fetch(`${pipeline.summarizers[0]!.url}/metrics`)).text();
    expect(summarizer).toMatch(/gen_ai_client_operation_duration_count\{[^}]*error_type="invalid_request_error"[^}]*\} 1/);
    expect(summarizer).toMatch(/gen_ai_client_token_usage_count\{[^}]*gen_ai_token_type="output"[^}]*\} 5/);
    expect(summarizer).toMatch(/scenewise_cost_usd_total\{[^}]*\} [0-9.e-]+/);
    expect(summarizer).toMatch(/scenewise_scene_duration_count\{outcome="failed"[^}]*\} 1/);
    const orchestrator = await (await fetch(`${pipeline.orchestrator.url}/metrics`)).text();
    expect(orchestrator).toMatch(/scenewise_jobs_finished_total\{status="partially_failed"[^}]*\} 1/);
    expect(orchestrator).toMatch(/scenewise_job_duration_count\{status="partially_failed"[^}]*\} 1/);
    // The queue gauges show the latest NATS check (every 5 s, or on /health): take one now.
    await fetch(`${pipeline.health.url}/health`);
    const health = await (await fetch(`${pipeline.health.url}/metrics`)).text();
    expect(health).toMatch(/scenewise_queue_pending\{consumer="summarizer"[^}]*\} 0/);
  });

  it('writes trace and span ids on log lines inside a span, and never the API key', () => {
    const summarized = pipeline.summarizers[0]!.output
      .concat(pipeline.summarizers.slice(1).flatMap((s) => s.output))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line['msg'] === 'scene summarized');
    expect(summarized).toHaveLength(5);
    for (const line of summarized) {
      expect(line).toMatchObject({ trace_id: job.traceId, service: 'summarizer', jobId: job.id });
      expect(line['span_id']).toMatch(/^[0-9a-f]{16}$/);
    }
    for (const service of pipeline.all()) {
      expect(service.output.join('\n')).not.toContain(SECRET);
    }
  });
});
