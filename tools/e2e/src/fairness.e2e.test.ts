import { type AnthropicLocal, startAnthropicLocal } from '@scenewise/anthropic-local';
import { namespaced } from '@scenewise/contracts';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import { deleteNamespaceStreams, randomNamespace } from '@scenewise/messaging/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { apiClient } from './api-client';
import { type Pipeline, serviceProblems, startPipeline } from './service-harness';

const BIG = 600;
const SMALL = 10;
const WINDOW = 32;

/** Fountain with `count` short scenes, each its own text. */
function screenplay(count: number, tag: string): string {
  return Array.from({ length: count }, (_, i) => `INT. ROOM ${i} - NIGHT\n\nMARA waits by door ${i} of ${tag}.\n`).join('\n');
}

describe('several jobs share the summarizers fairly (issue 5)', () => {
  let database: TestDatabase;
  let claude: AnthropicLocal;
  let pipeline: Pipeline;
  const namespace = randomNamespace();

  beforeAll(async () => {
    [database, claude] = await Promise.all([createTestDatabase(), startAnthropicLocal({ latencyMs: 100 })]);
    pipeline = await startPipeline({
      databaseUrl: database.url,
      namespace,
      anthropicBaseUrl: claude.url,
      summarizers: 1,
      env: { SUMMARIZER_CONCURRENCY: '16', JOB_DISPATCH_WINDOW: String(WINDOW) },
    });
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

  it('a small job submitted behind a big one finishes long before it', async () => {
    const api = apiClient(pipeline.api.url);
    const big = await api.uploadScript(screenplay(BIG, 'the long one'), 'Big');
    const small = await api.uploadScript(screenplay(SMALL, 'the short one'), 'Small');
    expect([big.sceneCount, small.sceneCount]).toEqual([BIG, SMALL]);
    const finished = (jobId: string) => database.db.sceneTask.count({ where: { jobId, status: 'succeeded' } });

    const { jobId: bigJob } = await api.analyze(big.id);
    // The big job is well under way (its first window published and being summarized) before the small one arrives.
    for (let waited = 0; (await finished(bigJob)) < WINDOW && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    const { jobId: smallJob } = await api.analyze(small.id);

    const smallEnd = await api.waitForJob(smallJob, 60_000);
    const bigDoneWhenSmallEnded = await finished(bigJob);
    const bigEnd = await api.waitForJob(bigJob, 180_000);

    expect(smallEnd).toMatchObject({ status: 'succeeded', counts: { succeeded: SMALL } });
    expect(bigEnd).toMatchObject({ status: 'succeeded', counts: { succeeded: BIG } });
    // In stream order the small job would have waited for all of the big one's scenes.
    expect(bigDoneWhenSmallEnded).toBeLessThan(BIG / 2);
    expect(claude.stats().byRoute['messages']).toEqual({ '200': BIG + SMALL });
  }, 240_000);
});
