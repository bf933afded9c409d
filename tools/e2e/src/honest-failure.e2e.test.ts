import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AnthropicLocal, startAnthropicLocal } from '@scenewise/anthropic-local';
import { namespaced } from '@scenewise/contracts';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import { deleteNamespaceStreams, randomNamespace } from '@scenewise/messaging/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { apiClient } from './api-client';
import { type Pipeline, serviceProblems, startPipeline, workspaceRoot } from './service-harness';

const sample = readFileSync(join(workspaceRoot, 'tools/samples/the-night-shift.fountain'), 'utf8');

/** Fountain with `count` short scenes; `large` (a position) gets a scene far longer than the rest. */
function screenplay(count: number, large?: number): string {
  return Array.from({ length: count }, (_, i) => {
    const action = i === large ? 'The archive shelves go on and on. '.repeat(400) : `Scene ${i} moves the story on.`;
    return `INT. ROOM ${i} - NIGHT\n\n${action}\n\nMARA\nLine ${i}.\n`;
  }).join('\n');
}

interface Setup {
  database: TestDatabase;
  claude: AnthropicLocal;
  pipeline: Pipeline;
  namespace: string;
}

async function setUp(env: Record<string, string>): Promise<Setup> {
  const namespace = randomNamespace();
  const [database, claude] = await Promise.all([createTestDatabase(), startAnthropicLocal()]);
  const pipeline = await startPipeline({ databaseUrl: database.url, namespace, anthropicBaseUrl: claude.url, env });
  return { database, claude, pipeline, namespace };
}

async function tearDown(setup: Setup | undefined): Promise<void> {
  if (!setup) return;
  await setup.pipeline.stop();
  await setup.claude.close();
  await setup.database.drop();
  await deleteNamespaceStreams(namespaced(setup.namespace));
}

const messagesCalls = (claude: AnthropicLocal) =>
  Object.values(claude.stats().byRoute['messages'] ?? {}).reduce((sum, n) => sum + n, 0);

describe("the seed's incident, replayed: a retired model", () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp({ MODEL_SCENE_SUMMARY: 'claude-3-5-sonnet-20241022' });
  }, 60_000);
  afterAll(() => tearDown(setup));

  it('fails the job in under a second, with no Messages call and a message that says what to change', async () => {
    const api = apiClient(setup.pipeline.api.url);
    const script = await api.uploadScript(sample);
    const requestedAt = Date.now();
    const { jobId } = await api.analyze(script.id);
    const job = await api.waitForJob(jobId, 5_000);

    expect(job.status).toBe('failed');
    // Fail-fast, not fail-after-forty-calls. (The sub-second figure is measured by
    // bench/ on a quiet machine; a loaded CI machine only bounds it here.)
    expect(Date.parse(job.finishedAt!) - requestedAt).toBeLessThan(5_000);
    expect(messagesCalls(setup.claude)).toBe(0);
    expect(job.error).toEqual({
      type: 'model_unavailable',
      message:
        'model claude-3-5-sonnet-20241022 (role sceneSummary) was retired on 2025-10-22; set MODEL_SCENE_SUMMARY to claude-sonnet-4-5',
    });
    expect(job.counts.succeeded).toBe(0);
  });

  it('has /health say why the pipeline is degraded', async () => {
    const response = await fetch(`${setup.pipeline.health.url}/health`);
    const report = (await response.json()) as { status: string; problems: string[] };
    expect(response.status).toBe(503);
    expect(report.status).toBe('degraded');
    expect(report.problems).toContain(
      'model claude-3-5-sonnet-20241022 (role sceneSummary) was retired on 2025-10-22; set MODEL_SCENE_SUMMARY to claude-sonnet-4-5',
    );
  });
});

describe('faults from Claude during a job', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp({ SUMMARIZER_RETRY_BASE_MS: '20', SUMMARIZER_CONCURRENCY: '8' });
  }, 60_000);
  afterAll(() => tearDown(setup));
  beforeEach(() => {
    onTestFailed(() => console.error(`what the services logged:\n${serviceProblems(setup.pipeline)}`));
    setup.claude.configure({ faults: { overloaded: 0, rateLimit: 0, retryAfterSeconds: 1 }, maxInputTokens: 200_000, retiredModels: [], latencyMs: 0 });
    setup.claude.reset();
  });

  it('rides out 20% 529 and 10% 429: every scene summarized exactly once, retries on record', async () => {
    setup.claude.configure({ faults: { overloaded: 0.2, rateLimit: 0.1, retryAfterSeconds: 0 } });
    const api = apiClient(setup.pipeline.api.url);
    const script = await api.uploadScript(sample);
    const job = await api.waitForJob((await api.analyze(script.id)).jobId, 60_000);

    expect(job.status).toBe('succeeded');
    expect(job.counts).toMatchObject({ total: 40, succeeded: 40, failed: 0 });
    const byStatus = setup.claude.stats().byRoute['messages']!;
    expect(byStatus['200']).toBe(40);
    expect((byStatus['529'] ?? 0) + (byStatus['429'] ?? 0)).toBeGreaterThan(0);
    const retried = job.scenes.filter((s) => s.attempts > 1);
    expect(retried.length).toBeGreaterThan(0);
    expect(job.scenes.reduce((sum, s) => sum + s.attempts, 0)).toBe(messagesCalls(setup.claude));
    const summaries = await setup.database.db.sceneSummary.count({ where: { scene: { scriptId: script.id } } });
    expect(summaries).toBe(40);
  });

  it('fails only the scene Claude rejects with 400, and says why: partially_failed', async () => {
    // About 3,400 tokens in the large scene, under 100 in the others.
    setup.claude.configure({ maxInputTokens: 2_000 });
    const api = apiClient(setup.pipeline.api.url);
    const script = await api.uploadScript(screenplay(12, 5));
    const job = await api.waitForJob((await api.analyze(script.id)).jobId);

    expect(job.status).toBe('partially_failed');
    expect(job.counts).toMatchObject({ total: 12, succeeded: 11, failed: 1, cancelled: 0 });
    const failed = job.scenes.find((s) => s.status === 'failed')!;
    expect(failed.position).toBe(5);
    expect(failed.attempts).toBe(1);
    expect(failed.error?.type).toBe('invalid_request_error');
    expect(failed.error?.message).toMatch(/prompt is too long/);
    expect(job.errorsByType).toEqual([{ type: 'invalid_request_error', count: 1, message: failed.error!.message }]);
  });

  it('stops the job at the first model-not-found: the rest are cancelled, not sent', async () => {
    setup.claude.configure({ latencyMs: 300 });
    const api = apiClient(setup.pipeline.api.url);
    const script = await api.uploadScript(screenplay(40));
    const { jobId } = await api.analyze(script.id);
    // Let the first wave get going, then retire the model under the running job.
    for (let i = 0; i < 100 && messagesCalls(setup.claude) < 4; i++) await new Promise((r) => setTimeout(r, 20));
    setup.claude.configure({ retiredModels: ['claude-haiku-4-5-20251001'] });
    const stopped = await api.waitForJob(jobId);
    expect(stopped.status).toBe('failed');
    // Scenes that were in flight when it stopped still end, each with its own outcome.
    let job = stopped;
    for (let i = 0; i < 100 && job.counts.pending > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = await api.job(jobId);
    }

    expect(job.status).toBe('failed');
    expect(job.error?.type).toBe('not_found_error');
    expect(job.error?.message).toMatch(/claude-haiku-4-5-20251001/);
    expect(job.counts.cancelled).toBeGreaterThan(20);
    expect(job.counts.succeeded + job.counts.failed + job.counts.cancelled).toBe(40);
    // Only calls already in flight (8 per summarizer) may follow the first 404.
    await new Promise((r) => setTimeout(r, 500));
    const notFound = setup.claude.stats().byRoute['messages']!['404'] ?? 0;
    expect(notFound).toBeGreaterThanOrEqual(1);
    expect(notFound).toBeLessThanOrEqual(8);
  });
});
