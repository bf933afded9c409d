import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AnthropicLocal, startAnthropicLocal } from '@scenewise/anthropic-local';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import { deleteNamespaceStreams, randomNamespace } from '@scenewise/messaging/testing';
import { namespaced } from '@scenewise/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed, vi } from 'vitest';
import { apiClient } from './api-client';
import { type Pipeline, serviceProblems, startPipeline, workspaceRoot } from './service-harness';

const sample = readFileSync(join(workspaceRoot, 'tools/samples/the-night-shift.fountain'), 'utf8');

describe('the pipeline, end to end: four services as processes on real NATS and PostgreSQL', () => {
  let database: TestDatabase;
  let claude: AnthropicLocal;
  let pipeline: Pipeline;
  const namespace = randomNamespace();

  beforeAll(async () => {
    [database, claude] = await Promise.all([createTestDatabase(), startAnthropicLocal({ latencyMs: 20, jitterMs: 20 })]);
    pipeline = await startPipeline({ databaseUrl: database.url, namespace, anthropicBaseUrl: claude.url, summarizers: 2 });
  }, 60_000);

  beforeEach(() => {
    onTestFailed(() => console.error(`what the services logged:\n${serviceProblems(pipeline)}`));
  });

  afterAll(async () => {
    await pipeline?.stop();
    await claude?.close();
    await database?.drop();
    await deleteNamespaceStreams(namespaced(namespace));
  });

  it('summarizes every scene of the sample exactly once and reports the job succeeded', async () => {
    const api = apiClient(pipeline.api.url);
    const script = await api.uploadScript(sample, 'The Night Shift');
    expect(script.sceneCount).toBe(40);

    const { jobId } = await api.analyze(script.id, { mode: 'full' });
    const job = await api.waitForJob(jobId);

    expect(job.status).toBe('succeeded');
    expect(job.counts).toEqual({ total: 40, succeeded: 40, failed: 0, cancelled: 0, skipped: 0, pending: 0 });
    expect(job.resolvedModel).toBe('claude-haiku-4-5-20251001');
    expect(job.scenes.every((s) => s.status === 'succeeded' && s.attempts === 1)).toBe(true);
    expect(job.usage.inputTokens).toBeGreaterThan(0);
    expect(job.usage.costUsd).toBeGreaterThan(0);

    // Exactly one stored summary per scene, each made from the scene's current text.
    const rows = await database.db.$queryRaw<Array<{ scene_id: string; n: bigint }>>`
      SELECT s.id AS scene_id, count(ss.id) AS n
        FROM scenes s LEFT JOIN scene_summaries ss ON ss.scene_id = s.id AND ss.content_hash = s.content_hash
       WHERE s.script_id = ${script.id}::uuid GROUP BY s.id`;
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
    expect(claude.stats().byRoute['messages']).toEqual({ '200': 40 });

    const { body } = await api.call<{ scenes: Array<{ heading: string; summary: { summary: string } | null }> }>(
      'GET',
      `/scripts/${script.id}/scenes`,
    );
    expect(body.scenes[0]!.heading).toBe('EXT. MILLBROOK DISPATCH CENTER - NIGHT');
    expect(body.scenes.every((s) => s.summary && s.summary.summary.length > 20)).toBe(true);
  });

  it('runs a partial analysis that skips every unchanged scene without a Claude call', async () => {
    const api = apiClient(pipeline.api.url);
    const script = await api.uploadScript(sample, 'The Night Shift, twice');
    await api.waitForJob((await api.analyze(script.id)).jobId);
    const messagesCalls = () => claude.stats().byRoute['messages']?.['200'] ?? 0;
    const callsBefore = messagesCalls();

    const job = await api.waitForJob((await api.analyze(script.id, { mode: 'partial' })).jobId);

    expect(job.status).toBe('succeeded');
    expect(job.counts).toMatchObject({ total: 40, succeeded: 0, skipped: 40 });
    expect(messagesCalls()).toBe(callsBefore);
  });

  it('reports every service alive on /health', async () => {
    // The services start side by side: one whose first heartbeat went out before health was
    // listening is heard at its next beat (every 5 s).
    await vi.waitFor(
      async () => {
        const response = await fetch(`${pipeline.health.url}/health`);
        const report = (await response.json()) as { status: string; services: Array<{ service: string; status: string; instances: unknown[] }> };
        expect(response.status).toBe(200);
        expect(report.status).toBe('ok');
        expect(report.services.find((s) => s.service === 'summarizer')?.instances).toHaveLength(2);
      },
      { timeout: 12_000, interval: 250 },
    );
  });
});
