import { NotFoundError } from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { rejectionOf, scene, useLocalServer } from './testing';

const start = useLocalServer();
const body = {
  model: 'claude-haiku-4-5',
  system: 'You summarize scenes.',
  messages: [{ role: 'user' as const, content: scene }],
  output_config: { format: zodOutputFormat(z.object({ summary: z.string().max(500) })) },
};

describe('POST /v1/messages/count_tokens', () => {
  it('answers {input_tokens} with the estimate /v1/messages bills, and a request-id', async () => {
    const { client, server } = await start({ faults: { overloaded: 1 }, spendLimitReached: false, requestsPerMinute: 1 });
    const { data, response } = await client.messages.countTokens(body).withResponse();
    expect(data).toEqual({ input_tokens: expect.any(Number) });
    expect(response.headers.get('request-id')).toMatch(/^req_/);

    server.configure({ faults: { overloaded: 0 } });
    const message = await client.messages.create({ ...body, max_tokens: 500 });
    expect(message.usage.input_tokens).toBe(data.input_tokens);
    expect(server.stats().byRoute).toEqual({ count_tokens: { '200': 1 }, messages: { '200': 1 } });
    // Neither the injected fault nor the message rate limit applied to counting.
    await client.messages.countTokens(body);
  });

  it('validates like /v1/messages, minus max_tokens, and answers 404 for a retired model', async () => {
    const { client, server } = await start({ retiredModels: ['claude-haiku-4-5'] });
    const err = await rejectionOf(client.messages.countTokens(body));
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).error).toMatchObject({ error: { type: 'not_found_error', message: 'model: claude-haiku-4-5' }, request_id: expect.stringMatching(/^req_/) });
    expect((err as NotFoundError).headers.get('request-id')).toMatch(/^req_/);
    expect((err as NotFoundError).headers.get('x-should-retry')).toBe('false');

    const res = await fetch(`${server.url}/v1/messages/count_tokens`, { method: 'POST', body: JSON.stringify({ model: 'claude-sonnet-4-5', messages: [] }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', message: 'messages: List should have at least 1 item after validation' } });
  });

  it('requires the configured x-api-key', async () => {
    const { server } = await start({ apiKey: 'sk-local' });
    const res = await fetch(`${server.url}/v1/messages/count_tokens`, { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(401);
  });
});
