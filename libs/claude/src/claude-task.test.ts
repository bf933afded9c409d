import { createLogger } from '@scenewise/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClaudeTaskOptions, runClaudeTask } from './claude-task';
import { sceneSummaryRequest } from './scene-summary.task';
import { type ScriptedAnthropic, type ScriptedReply, startScriptedAnthropic } from './testing';

const logger = createLogger({ service: 'test', level: 'silent' });
const summary = JSON.stringify({ summary: 'Mara waits.', characters: ['Mara'], mood: 'tense', keyEvents: ['Mara waits'] });
const overloaded = (headers: Record<string, string> = {}): ScriptedReply => ({ status: 529, errorType: 'overloaded_error', headers });
const request = sceneSummaryRequest({ text: 'INT. KITCHEN - NIGHT\n\nMara waits.', model: 'claude-haiku-4-5' }, { structuredOutputs: true });
const options: ClaudeTaskOptions = { maxAttempts: 3, maxTokens: 100, maxTokensCap: 400, beforeAttempt: async () => true, sleep: async () => undefined, logger };

let api: ScriptedAnthropic | undefined;
afterEach(() => api?.close());

async function run(replies: ScriptedReply[], overrides: Partial<ClaudeTaskOptions> = {}) {
  api = await startScriptedAnthropic(replies);
  const outcome = await runClaudeTask(api.client, request, { ...options, ...overrides });
  return { outcome, calls: api.requests.length, requests: api.requests };
}

describe('runClaudeTask', () => {
  it('asks for schema-guaranteed JSON and reads the answer', async () => {
    const { outcome, requests } = await run([{ text: summary }]);
    expect(outcome).toMatchObject({ status: 'succeeded', attempts: 1, output: { summary: 'Mara waits.' }, requestIds: ['req_scripted_1'] });
    expect(requests[0]).toMatchObject({ output_config: { format: { type: 'json_schema', schema: { type: 'object' } } }, max_tokens: 100 });
  });

  it('without structured outputs, asks for JSON in the prompt and reads it out of prose', async () => {
    api = await startScriptedAnthropic([{ text: `Here is the summary:\n${summary}` }]);
    const plain = sceneSummaryRequest({ text: 'INT. A', model: 'claude-haiku-4-5' }, { structuredOutputs: false });
    const outcome = await runClaudeTask(api.client, plain, { ...options, structuredOutputs: false });
    expect(outcome).toMatchObject({ status: 'succeeded', output: { mood: 'tense' } });
    expect(api.requests[0]).not.toHaveProperty('output_config');
    expect(api.requests[0]!['system']).toMatch(/only a JSON object/);
  });

  it('keeps an answer whose fields break the caps, mended, with no second call', async () => {
    const { outcome, calls } = await run([{ text: JSON.stringify({ summary: 'x'.repeat(5_000), characters: [], mood: 'a very long mood '.repeat(10), keyEvents: Array(100).fill('e') }) }]);
    expect(calls).toBe(1);
    expect(outcome.status).toBe('succeeded');
    if (outcome.status !== 'succeeded') return;
    expect(outcome.output.summary).toHaveLength(2_000);
    expect(outcome.output.keyEvents).toHaveLength(12);
    expect(outcome.repairs.length).toBeGreaterThan(0);
  });

  it('fails a refused scene at once, with no retry', async () => {
    const { outcome, calls } = await run([{ text: '', stopReason: 'refusal' }, { text: summary }]);
    expect(outcome).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'refused', retryable: false, jobFatal: false } });
    expect(calls).toBe(1);
  });

  it('retries a cut-off answer once with the larger max_tokens', async () => {
    const { outcome, requests } = await run([{ text: '{"summary": "Mara', stopReason: 'max_tokens' }, { text: summary }]);
    expect(outcome).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(requests.map((r) => r['max_tokens'])).toEqual([100, 400]);
    // Both answers were paid for.
    expect(outcome.usage.outputTokens).toBe(Math.ceil('{"summary": "Mara'.length / 4) + Math.ceil(summary.length / 4));
    expect(outcome.requestIds).toEqual(['req_scripted_1', 'req_scripted_2']);
  });

  it('fails as output_truncated when the retry is cut off too', async () => {
    const cut: ScriptedReply = { text: '{"summary": "Ma', stopReason: 'max_tokens' };
    const { outcome, calls } = await run([cut, cut, { text: summary }]);
    expect(outcome).toMatchObject({ status: 'failed', attempts: 2, error: { type: 'output_truncated', message: expect.stringMatching(/max_tokens \(400\)/) } });
    expect(calls).toBe(2);
  });

  it('asks once more after an unusable answer, then fails as invalid_output naming the problem', async () => {
    const prose: ScriptedReply = { text: 'The scene is about waiting.' };
    expect((await run([prose, { text: summary }])).outcome).toMatchObject({ status: 'succeeded', attempts: 2 });
    await api?.close();
    const { outcome, calls } = await run([{ text: '{"mood": "calm"}' }, { text: '{"summary": ""}' }, { text: summary }]);
    expect(outcome).toMatchObject({ status: 'failed', attempts: 2, error: { type: 'invalid_output', message: expect.stringMatching(/summary/) } });
    expect(calls).toBe(2);
  });

  it('gives up after maxAttempts failures that are not rate limits', async () => {
    const { outcome, calls } = await run([overloaded(), overloaded(), overloaded(), { text: summary }]);
    expect(outcome).toMatchObject({ status: 'failed', attempts: 3, error: { type: 'overloaded_error' } });
    expect(calls).toBe(3);
  });

  it('waits out rate limits beyond maxAttempts: they are pacing, not failure', async () => {
    const limited: ScriptedReply = { status: 429, errorType: 'rate_limit_error', headers: { 'retry-after': '0' } };
    const { outcome } = await run([limited, limited, limited, limited, limited, overloaded(), { text: summary }]);
    expect(outcome).toMatchObject({ status: 'succeeded', attempts: 7 });
  });

  it('obeys x-should-retry over its own judgement, both ways', async () => {
    const noRetry = await run([overloaded({ 'x-should-retry': 'false' }), { text: summary }]);
    expect(noRetry.outcome).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'overloaded_error', retryable: false, requestId: 'req_scripted_1' } });
    await api?.close();
    const retry = await run([{ status: 400, errorType: 'invalid_request_error', headers: { 'x-should-retry': 'true' } }, { text: summary }]);
    expect(retry.outcome).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('waits retry-after-ms in preference to retry-after', async () => {
    const waits: number[] = [];
    const { outcome } = await run([overloaded({ 'retry-after': '30', 'retry-after-ms': '1500' }), { text: summary }], { sleep: async (ms) => void waits.push(ms) });
    expect(outcome.status).toBe('succeeded');
    expect(waits).toEqual([1500]);
  });

  it('stops when the task is cancelled between attempts', async () => {
    let allowed = 1;
    const { outcome, calls } = await run([overloaded(), { text: summary }], { beforeAttempt: async () => allowed-- > 0 });
    expect(outcome).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(calls).toBe(1);
  });

  it('takes its turn under the rate limits before the claim, so a task cancelled during a long wait sends nothing', async () => {
    const seen: number[] = [];
    const pacing = { acquire: async () => ({ paced: true, waitedMs: 90_000 }), observe: () => undefined };
    const { outcome, calls } = await run([{ text: summary }], {
      pacing,
      beforeAttempt: async (_attempt, waitedForTurnMs) => {
        seen.push(waitedForTurnMs);
        return false;
      },
    });
    expect(outcome).toMatchObject({ status: 'cancelled', attempts: 0 });
    expect(seen).toEqual([90_000]);
    expect(calls).toBe(0);
  });
});
