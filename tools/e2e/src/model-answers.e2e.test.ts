import { type AnthropicLocal, startAnthropicLocal } from '@scenewise/anthropic-local';
import { namespaced } from '@scenewise/contracts';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import { deleteNamespaceStreams, randomNamespace } from '@scenewise/messaging/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { apiClient } from './api-client';
import { type Pipeline, serviceProblems, startPipeline } from './service-harness';

/**
 * The black-box check, as a user would meet Claude: a server that answers from the request and
 * its schema (prose without one), whose structured answers often break our caps, which declines
 * some scenes and is overloaded now and then. Every scene ends once, with its own reason.
 */

const seed = 20261204;
const refusedAt = [4, 17, 31];
const scenes = 40;
const screenplay = Array.from({ length: scenes }, (_, i) => {
  const action = refusedAt.includes(i) ? 'The scene turns dark. REFUSAL-TRIGGER' : `Scene ${i}: MARA crosses the yard and checks the gate.`;
  return `INT. ROOM ${i} - NIGHT\n\n${action}\n\nMARA\nLine ${i}, and we go on.\n`;
}).join('\n');

let database: TestDatabase;
let claude: AnthropicLocal;
let pipeline: Pipeline;
let namespace: string;

beforeAll(async () => {
  console.log(`model-answers: seed ${seed}`);
  namespace = randomNamespace();
  [database, claude] = await Promise.all([
    createTestDatabase(),
    startAnthropicLocal({ seed, latencyMs: 5, oversizeRate: 0.4, faults: { overloaded: 0.1, retryAfterSeconds: 0 } }),
  ]);
  pipeline = await startPipeline({ databaseUrl: database.url, namespace, anthropicBaseUrl: claude.url, env: { SUMMARIZER_RETRY_BASE_MS: '10' } });
}, 90_000);

afterAll(async () => {
  await pipeline?.stop();
  await claude?.close();
  await database?.drop();
  if (namespace) await deleteNamespaceStreams(namespaced(namespace));
});

describe('answers as a model gives them', () => {
  it('summarizes every scene it can exactly once, fails the refused ones as refused, and spends no call it need not', async () => {
    onTestFailed(() => console.log(serviceProblems(pipeline)));
    const api = apiClient(pipeline.api.url);
    const script = await api.uploadScript(screenplay);
    expect(script.sceneCount).toBe(scenes);
    const job = await api.waitForJob((await api.analyze(script.id)).jobId, 90_000);

    expect(job.status).toBe('partially_failed');
    expect(job.counts).toMatchObject({ total: scenes, succeeded: scenes - refusedAt.length, failed: refusedAt.length });
    const failed = job.scenes.filter((s) => s.status === 'failed');
    expect(failed.map((s) => s.position).sort((a, b) => a - b)).toEqual(refusedAt);
    for (const s of failed) expect(s.error?.type).toBe('refused');
    expect(job.errorsByType).toEqual([expect.objectContaining({ type: 'refused', count: refusedAt.length })]);

    // One stored summary per summarized scene, each within its caps.
    const summaries = await database.db.sceneSummary.findMany({ where: { jobId: job.id } });
    expect(summaries).toHaveLength(scenes - refusedAt.length);
    expect(new Set(summaries.map((s) => s.sceneId)).size).toBe(summaries.length);
    for (const s of summaries) {
      expect(s.summary.length).toBeGreaterThan(0);
      expect(s.summary.length).toBeLessThanOrEqual(2_000);
      expect(s.keyEvents.length).toBeLessThanOrEqual(12);
    }

    // Calls: one per scene, plus one per injected 529 (retried), and nothing for a refusal or a mended answer.
    const byStatus = claude.stats().byRoute['messages'] ?? {};
    const calls = Object.values(byStatus).reduce((a, b) => a + b, 0);
    expect(byStatus['529']).toBeGreaterThan(0);
    expect(byStatus['200']).toBe(scenes);
    expect(calls).toBe(scenes + (byStatus['529'] ?? 0));
  }, 120_000);
});
