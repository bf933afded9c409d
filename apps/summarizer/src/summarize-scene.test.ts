import type Anthropic from '@anthropic-ai/sdk';
import { APIError } from '@anthropic-ai/sdk';
import { createLogger } from '@scenewise/telemetry';
import { describe, expect, it } from 'vitest';
import { summarizeScene } from './summarize-scene';

const logger = createLogger({ service: 'test', level: 'silent' });
const ok = { id: 'msg_1', model: 'm', stop_reason: 'end_turn', content: [{ type: 'text', text: '{"summary": "Fine."}' }], usage: { input_tokens: 1, output_tokens: 1 } };

/** A client whose calls answer in turn with the given statuses (200 = a summary). */
function clientAnswering(statuses: number[]): { client: Anthropic; calls: () => number } {
  let calls = 0;
  const answer = async () => {
    const status = statuses[Math.min(calls++, statuses.length - 1)]!;
    if (status === 200) return { data: ok, response: new Response() };
    throw APIError.generate(status, { type: 'error', error: { type: status === 429 ? 'rate_limit_error' : 'overloaded_error', message: 'busy' } }, undefined, new Headers({ 'retry-after': '0' }));
  };
  // The SDK's APIPromise: the summarizer reads the response headers through withResponse().
  const create = () => ({ withResponse: answer });
  return { client: { messages: { create } } as unknown as Anthropic, calls: () => calls };
}

const options = { maxAttempts: 3, maxTokens: 100, beforeAttempt: async () => true, sleep: async () => undefined, logger };

describe('summarizeScene', () => {
  it('gives up after maxAttempts failures that are not rate limits', async () => {
    const { client, calls } = clientAnswering([529, 529, 529, 200]);
    const outcome = await summarizeScene(client, { model: 'm', text: 'INT. A' }, options);
    expect(outcome).toMatchObject({ status: 'failed', attempts: 3, error: { type: 'overloaded_error' } });
    expect(calls()).toBe(3);
  });

  it('waits out rate limits beyond maxAttempts: they are pacing, not failure', async () => {
    const { client } = clientAnswering([429, 429, 429, 429, 429, 529, 200]);
    const outcome = await summarizeScene(client, { model: 'm', text: 'INT. A' }, options);
    expect(outcome).toMatchObject({ status: 'succeeded', attempts: 7 });
  });

  it('stops when the task is cancelled between attempts', async () => {
    const { client, calls } = clientAnswering([529, 200]);
    let allowed = 1;
    const outcome = await summarizeScene(client, { model: 'm', text: 'INT. A' }, { ...options, beforeAttempt: async () => allowed-- > 0 });
    expect(outcome).toEqual({ status: 'cancelled', attempts: 1 });
    expect(calls()).toBe(1);
  });

  it('takes its turn under the rate limits before the claim, so a job cancelled during a long wait sends nothing', async () => {
    const { client, calls } = clientAnswering([200]);
    const pacing = { acquire: async () => ({ paced: true, waitedMs: 90_000 }), observe: () => undefined };
    const seen: number[] = [];
    const outcome = await summarizeScene(client, { model: 'm', text: 'INT. A' }, {
      ...options,
      pacing,
      beforeAttempt: async (_attempt, waitedForTurnMs) => {
        seen.push(waitedForTurnMs);
        return false;
      },
    });
    expect(outcome).toEqual({ status: 'cancelled', attempts: 0 });
    expect(seen).toEqual([90_000]);
    expect(calls()).toBe(0);
  });
});
