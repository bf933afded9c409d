import Anthropic, { APIConnectionError, APIError, APIUserAbortError, InternalServerError, OverloadedError, RateLimitError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { rejectionOf, scene, useLocalServer } from './testing';

const start = useLocalServer();

const ask = (client: Anthropic, options: Anthropic.RequestOptions = {}) =>
  client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 200, messages: [{ role: 'user', content: `<scene>\n${scene}</scene>` }] }, options);

async function statusesOf(client: Anthropic, n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) {
    statuses.push(await ask(client).then(() => 200, (err: APIError) => err.status ?? 0));
  }
  return statuses;
}

describe('fault injection', () => {
  it('answers 429 rate_limit_error with retry-after and ratelimit headers', async () => {
    const { client } = await start({ faults: { rateLimit: 1, retryAfterSeconds: 7 } });
    const err = await rejectionOf(ask(client));
    expect(err).toBeInstanceOf(RateLimitError);
    const e = err as RateLimitError;
    expect(e.type).toBe('rate_limit_error');
    expect(e.headers.get('retry-after')).toBe('7');
    expect(e.headers.get('retry-after-ms')).toBe('7000');
    expect(e.headers.get('x-should-retry')).toBe('true');
    expect(e.requestID).toMatch(/^req_/);
    expect(e.error).toMatchObject({ request_id: e.requestID });
    expect(e.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(Date.parse(e.headers.get('anthropic-ratelimit-requests-reset')!)).toBeGreaterThan(Date.now());
  });

  it('answers 529 overloaded_error and 500 api_error', async () => {
    const { client, server } = await start({ faults: { overloaded: 1 } });
    const overloaded = await rejectionOf(ask(client));
    expect(overloaded).toMatchObject({ status: 529, type: 'overloaded_error' });
    expect(overloaded).toBeInstanceOf(OverloadedError);
    expect(overloaded).toBeInstanceOf(InternalServerError);
    expect((overloaded as OverloadedError).headers.get('x-should-retry')).toBe('true');
    server.configure({ faults: { overloaded: 0, apiError: 1 } });
    const apiError = await rejectionOf(ask(client));
    expect(apiError).toMatchObject({ status: 500, type: 'api_error' });
    expect((apiError as InternalServerError).headers.get('x-should-retry')).toBe('true');
  });

  it('lets a client be tested obeying x-should-retry both ways', async () => {
    const { server } = await start({ faults: { overloaded: 1, shouldRetry: false } });
    const retrying = new Anthropic({ baseURL: server.url, apiKey: 'test', maxRetries: 2 });
    const refused = (await rejectionOf(ask(retrying))) as OverloadedError;
    expect(refused.headers.get('x-should-retry')).toBe('false');
    expect(server.stats().total).toBe(1);

    // A 404 the SDK would not retry by itself, sent with x-should-retry: true.
    server.configure({ faults: { overloaded: 0, shouldRetry: true }, retiredModels: ['claude-haiku-4-5'] });
    server.reset();
    const once = new Anthropic({ baseURL: server.url, apiKey: 'test', maxRetries: 1 });
    expect(await rejectionOf(ask(once))).toMatchObject({ status: 404 });
    expect(server.stats()).toMatchObject({ total: 2, byStatus: { '404': 2 } });
  });

  it('injects the same faults for the same seed and request order', async () => {
    const faults = { rateLimit: 0.2, apiError: 0.2, overloaded: 0.2 };
    const { client: a } = await start({ seed: 42, faults });
    const { client: b, server } = await start({ seed: 42, faults });
    const first = await statusesOf(a, 20);
    expect(await statusesOf(b, 20)).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 429, 500, 529]));
    server.reset();
    expect(await statusesOf(b, 20)).toEqual(first);
    server.configure({ seed: 43 });
    expect(await statusesOf(b, 20)).not.toEqual(first);
  });

  it('hangs until the client gives up, and close() destroys hung sockets', async () => {
    const { client, server } = await start({ faults: { hang: 1 } });
    // The client gives up only once the server holds the request (a short timeout alone can
    // expire before a loaded machine delivers it).
    const giveUp = new AbortController();
    const abandoned = rejectionOf(ask(client, { signal: giveUp.signal }));
    await expect.poll(() => server.stats().inFlight).toBe(1);
    giveUp.abort();
    expect(await abandoned).toBeInstanceOf(APIUserAbortError);
    await expect.poll(() => server.stats().inFlight).toBe(0);
    expect(server.stats()).toMatchObject({ total: 1, hung: 1 });
    expect(server.stats().byStatus).toEqual({});

    const pending = ask(client);
    await expect.poll(() => server.stats().inFlight).toBe(1);
    await server.close();
    expect(await rejectionOf(pending)).toBeInstanceOf(APIConnectionError);
  });
});

describe('rate limits', () => {
  it('enforces requests per minute with a correct retry-after', async () => {
    const { client, server } = await start({ requestsPerMinute: 3 });
    for (let i = 0; i < 3; i++) {
      const { response } = await ask(client).withResponse();
      expect(response.headers.get('anthropic-ratelimit-requests-limit')).toBe('3');
      expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe(String(2 - i));
    }
    const err = (await rejectionOf(ask(client))) as RateLimitError;
    expect(err).toBeInstanceOf(RateLimitError);
    // One request comes back every 20 s at 3 a minute.
    const retryAfter = Number(err.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(19);
    expect(retryAfter).toBeLessThanOrEqual(20);
    const retryAfterMs = Number(err.headers.get('retry-after-ms'));
    expect(retryAfterMs).toBeGreaterThan(18_000);
    expect(retryAfterMs).toBeLessThanOrEqual(retryAfter * 1000);
    expect(err.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(server.stats().byStatus).toEqual({ '200': 3, '429': 1 });
  });

  it('enforces input tokens per minute', async () => {
    const { client } = await start({ inputTokensPerMinute: 40 });
    await expect(ask(client)).resolves.toBeDefined();
    expect(await rejectionOf(ask(client))).toMatchObject({ status: 429, type: 'rate_limit_error' });
  });
});

describe('latency and concurrency', () => {
  it('waits the configured latency and counts concurrent calls', async () => {
    const { client, server } = await start({ latencyMs: 150, jitterMs: 50 });
    const started = performance.now();
    await Promise.all([ask(client), ask(client), ask(client)]);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(2000);
    expect(server.stats()).toMatchObject({ total: 3, inFlight: 0, maxInFlight: 3 });
    expect(server.stats().byModel).toEqual({ 'claude-haiku-4-5-20251001': { '200': 3 } });
  });

  it('answers unknown routes with 404 not_found_error', async () => {
    const { server } = await start();
    const res = await fetch(`${server.url}/v1/complete`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    expect(res.headers.get('x-should-retry')).toBe('false');
  });

  it('rejects bad options', async () => {
    await expect(start({ faults: { hang: 3 } })).rejects.toThrow(/faults\.hang/);
  });
});
