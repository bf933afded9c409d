import { type AnthropicLocal, startAnthropicLocal } from '@scenewise/anthropic-local';
import { createAnthropicClient, defaultModelForRole } from '@scenewise/model-config';
import { createLogger } from '@scenewise/telemetry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ClaudeTaskOptions, runClaudeTask } from './claude-task';
import { sceneSummaryRequest } from './scene-summary.task';

/**
 * The Claude task against the local Anthropic-compatible server through the real SDK: every
 * stop reason and header the API sends, as the server sends them (it answers from the request
 * and its schema, never from our prompt's wording).
 */

const logger = createLogger({ service: 'test', level: 'silent' });
const model = defaultModelForRole.sceneSummary;
const scene = 'INT. HARBOUR OFFICE - NIGHT\n\nRain hammers the windows. MARA counts the money twice.\n\nMARA\nIt is short. Someone took a cut.';
const options: ClaudeTaskOptions = { maxAttempts: 3, maxTokens: 1_024, maxTokensCap: 4_096, beforeAttempt: async () => true, sleep: async () => undefined, logger };

let claude: AnthropicLocal;
beforeAll(async () => {
  claude = await startAnthropicLocal({ seed: 5 });
});
afterAll(() => claude?.close());
beforeEach(() => {
  claude.configure({ oversizeRate: 0, faults: { overloaded: 0, shouldRetry: null } });
  claude.reset();
});

const client = () => createAnthropicClient({ apiKey: 'sk-ant-test', baseUrl: claude.url });
const run = (text: string, overrides: Partial<ClaudeTaskOptions> = {}) =>
  runClaudeTask(client(), sceneSummaryRequest({ text, model }, { structuredOutputs: overrides.structuredOutputs ?? true }), { ...options, ...overrides });
const messagesCalls = () => Object.values(claude.stats().byRoute['messages'] ?? {}).reduce((a, b) => a + b, 0);

describe('a Claude task against the local server', () => {
  it('end_turn: a summary read from schema-guaranteed JSON, with its request-id', async () => {
    const outcome = await run(scene);
    expect(outcome).toMatchObject({ status: 'succeeded', attempts: 1 });
    if (outcome.status !== 'succeeded') return;
    expect(outcome.output.summary.length).toBeGreaterThan(0);
    expect(outcome.requestIds).toHaveLength(1);
    expect(outcome.requestIds[0]).toMatch(/^req_/);
    expect(outcome.usage.outputTokens).toBeGreaterThan(0);
  });

  it('answers that break our caps are mended, not asked again', async () => {
    claude.configure({ oversizeRate: 1 });
    const outcome = await run(scene);
    expect(outcome).toMatchObject({ status: 'succeeded', attempts: 1 });
    if (outcome.status !== 'succeeded') return;
    expect(outcome.repairs.length).toBeGreaterThan(0);
    expect(outcome.output.summary.length).toBeLessThanOrEqual(2_000);
    expect(outcome.output.keyEvents.length).toBeLessThanOrEqual(12);
    expect(messagesCalls()).toBe(1);
  });

  it('max_tokens: once more with the cap, then output_truncated', async () => {
    expect(await run(scene, { maxTokens: 16, maxTokensCap: 4_096 })).toMatchObject({ status: 'succeeded', attempts: 2 });
    const cut = await run(scene, { maxTokens: 16, maxTokensCap: 16 });
    expect(cut).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'output_truncated', retryable: false } });
  });

  it('refusal: the scene fails at once, one call', async () => {
    const before = messagesCalls();
    const outcome = await run(`${scene}\n\nREFUSAL-TRIGGER`);
    expect(outcome).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'refused', jobFatal: false } });
    expect(messagesCalls() - before).toBe(1);
  });

  it('x-should-retry: false stops a retry the 529 alone would get; true is obeyed', async () => {
    claude.configure({ faults: { overloaded: 1, shouldRetry: false } });
    expect(await run(scene)).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'overloaded_error', retryable: false, requestId: expect.stringMatching(/^req_/) } });
    claude.configure({ faults: { overloaded: 1, shouldRetry: true } });
    expect(await run(scene)).toMatchObject({ status: 'failed', attempts: 3, error: { type: 'overloaded_error' } });
  });

  it('without structured outputs a model may answer prose: asked once more, then invalid_output naming why', async () => {
    const outcome = await run(scene, { structuredOutputs: false });
    expect(outcome).toMatchObject({ status: 'failed', attempts: 2, error: { type: 'invalid_output', message: expect.stringMatching(/JSON/) } });
  });
});
