import { describe, expect, it } from 'vitest';
import type { LocalConfig } from './options';
import type { Stats } from './stats';
import { scene, useLocalServer } from './testing';

const start = useLocalServer();

describe('control API', () => {
  it('reads stats, resets them and patches the running config', async () => {
    const { server, client } = await start();
    const control = (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}/_local/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });

    await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: scene }] });
    const stats = (await (await control('GET', 'stats')).json()) as Stats;
    expect(stats).toMatchObject({ total: 1, byStatus: { '200': 1 }, byModel: { 'claude-haiku-4-5-20251001': { '200': 1 } } });

    const patched = await control('PATCH', 'config', { faults: { overloaded: 1 }, latencyMs: 5 });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as LocalConfig).faults.overloaded).toBe(1);
    await expect(
      client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: scene }] }),
    ).rejects.toMatchObject({ status: 529 });

    const reset = await control('POST', 'reset');
    expect(((await reset.json()) as Stats).total).toBe(0);
    expect(server.stats()).toMatchObject({ total: 0, byStatus: {} });
    expect(((await (await control('GET', 'config')).json()) as LocalConfig).latencyMs).toBe(5);
  });

  it('answers 400 on a bad patch and keeps the old config', async () => {
    const { server } = await start({ latencyMs: 3 });
    for (const body of ['{"latencyMs": -5}', '{"faults": {"rateLimit": "often"}}', '{"nope": 1}', 'not json']) {
      const res = await fetch(`${server.url}/_local/config`, { method: 'PATCH', body });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    }
    expect(server.config().latencyMs).toBe(3);
  });

  it('patches the answer options too', async () => {
    const { server } = await start();
    const res = await fetch(`${server.url}/_local/config`, {
      method: 'PATCH',
      body: JSON.stringify({ oversizeRate: 0.3, refusalMarker: null, faults: { shouldRetry: false } }),
    });
    expect(res.status).toBe(200);
    expect(server.config()).toMatchObject({ oversizeRate: 0.3, refusalMarker: null, faults: { shouldRetry: false, overloaded: 0 } });
  });

  it('does not count control calls and answers 404 for unknown ones', async () => {
    const { server } = await start();
    expect((await fetch(`${server.url}/_local/nothing`)).status).toBe(404);
    expect(server.stats().total).toBe(0);
  });
});
