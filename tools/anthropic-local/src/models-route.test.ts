import { NotFoundError } from '@anthropic-ai/sdk';
import { currentModels } from '@scenewise/model-config';
import { describe, expect, it } from 'vitest';
import { rejectionOf, useLocalServer } from './testing';

const start = useLocalServer();

describe('GET /v1/models', () => {
  it('resolves an alias to the pinned model, like the real API', async () => {
    const { client } = await start();
    expect(await client.models.retrieve('claude-haiku-4-5')).toEqual({
      type: 'model',
      id: 'claude-haiku-4-5-20251001',
      display_name: 'Claude Haiku 4.5',
      created_at: '2025-10-01T00:00:00Z',
    });
  });

  it('answers 404 "model: <id>" for a retired model', async () => {
    const { client } = await start();
    const err = await rejectionOf(client.models.retrieve('claude-3-5-haiku-20241022'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).message).toContain('model: claude-3-5-haiku-20241022');
    expect((err as NotFoundError).requestID).toMatch(/^req_/);
  });

  it('lists every current model through the SDK paginator, extras included', async () => {
    const { client } = await start({ extraModels: [{ id: 'local-echo', displayName: 'Local Echo', createdAt: '2026-01-01T00:00:00Z' }] });
    const ids: string[] = [];
    for await (const model of client.models.list({ limit: 2 })) ids.push(model.id);
    expect(ids[0]).toBe('local-echo');
    expect(ids.slice(1).sort()).toEqual(currentModels.map((m) => m.id).sort());
    const page = await client.models.list({ limit: 2 });
    expect(page).toMatchObject({ has_more: true, first_id: 'local-echo', last_id: ids[1] });
  });

  it('leaves out models retired by option', async () => {
    const { client, server } = await start({ retiredModels: ['claude-sonnet-4-0'] });
    const page = await client.models.list({ limit: 100 });
    expect(page.data.map((m) => m.id)).not.toContain('claude-sonnet-4-20250514');
    expect(server.stats().byRoute['models']).toEqual({ '200': 1 });
  });
});
