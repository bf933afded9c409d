import { type AnthropicLocal, startAnthropicLocal } from '@scenewise/anthropic-local';
import { runClaudeTask, sceneSummaryRequest } from '@scenewise/claude';
import { openBucket } from '@scenewise/messaging';
import { createTestBus } from '@scenewise/messaging/testing';
import { createAnthropicClient, defaultModelForRole } from '@scenewise/model-config';
import { createLogger } from '@scenewise/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kvBudgetStore } from './kv-budget-store';
import { RatePacer } from './rate-pacer';

/**
 * Two pacers (two summarizer instances) sharing one budget in NATS KV, each with many calls
 * in flight, against the local Anthropic server at its request limit: they must go at the
 * limit's pace without a 429 storm, and never both spend the same turn.
 */

const logger = createLogger({ service: 'test', level: 'silent' });
const model = defaultModelForRole.sceneSummary;
const rpm = 1_200;

let claude: AnthropicLocal;
let testBus: Awaited<ReturnType<typeof createTestBus>>;

beforeAll(async () => {
  claude = await startAnthropicLocal({ latencyMs: 50, requestsPerMinute: rpm });
  testBus = await createTestBus();
});

afterAll(async () => {
  await claude?.close();
  await testBus?.close();
});

/** Spends the whole request bucket, as another client of the organisation would have. */
async function drainBucket(): Promise<void> {
  claude.configure({ latencyMs: 0 });
  const client = createAnthropicClient({ apiKey: 'sk-ant-test', baseUrl: claude.url });
  for (;;) {
    const answers = await Promise.allSettled(
      Array.from({ length: 100 }, () => client.messages.create({ model, max_tokens: 16, messages: [{ role: 'user', content: 'x' }] })),
    );
    if (answers.some((a) => a.status === 'rejected')) break;
  }
  claude.configure({ latencyMs: 50 });
}

describe('RatePacer with NATS KV, against a rate-limited server', () => {
  it('paces two instances together at the limit, with almost no 429s', async () => {
    const kv = await openBucket(testBus.bus, 'rateBudgets');
    const instances = [0, 1].map(() => ({
      client: createAnthropicClient({ apiKey: 'sk-ant-test', baseUrl: claude.url }),
      pacer: new RatePacer({ store: kvBudgetStore(kv), logger, maxLease: 32, promptOverheadChars: 500 }),
    }));
    await drainBucket();
    claude.reset();
    await drainBucket();
    const before = claude.stats();

    const scenes = 120;
    const started = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: scenes }, (_, i) => {
        const { client, pacer } = instances[i % 2]!;
        return runClaudeTask(client, sceneSummaryRequest({ model, text: `INT. ROOM ${i} - DAY\n\nSomeone waits.` }, { structuredOutputs: true }), {
          maxAttempts: 3,
          maxTokens: 256,
          beforeAttempt: async () => true,
          pacing: pacer,
          logger,
        });
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const after = claude.stats();
    const limited = (after.byRoute['messages']?.['429'] ?? 0) - (before.byRoute['messages']?.['429'] ?? 0);

    expect(outcomes.every((o) => o.status === 'succeeded')).toBe(true);
    // 120 calls at 20 a second from an empty bucket: 6 s at the limit; paced at 97%, ~6.2 s.
    expect(seconds).toBeGreaterThan(5.5);
    // One blind call per instance may meet the empty bucket before the first 429 says so.
    expect(limited).toBeLessThanOrEqual(3);
  }, 60_000);
});
