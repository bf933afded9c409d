import { currentModels } from '@scenewise/model-config';
import { describe, expect, it } from 'vitest';
import { ApiError } from './errors';
import { ModelCatalogue } from './models';

describe('ModelCatalogue', () => {
  it('resolves an alias to the pinned ID', () => {
    expect(new ModelCatalogue().resolve('claude-haiku-4-5').id).toBe('claude-haiku-4-5-20251001');
    expect(new ModelCatalogue().resolve('claude-haiku-4-5-20251001').displayName).toBe('Claude Haiku 4.5');
  });

  it('answers 404 "model: <id>" for retired and unknown models', () => {
    const catalogue = new ModelCatalogue();
    for (const id of ['claude-3-5-sonnet-20241022', 'claude-nonexistent']) {
      const err = (() => {
        try {
          catalogue.resolve(id);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ status: 404, type: 'not_found_error', message: `model: ${id}` });
    }
  });

  it('retires a model by ID or alias, both ways', () => {
    const byAlias = new ModelCatalogue([], ['claude-sonnet-4-5']);
    expect(byAlias.find('claude-sonnet-4-5-20250929')).toBeUndefined();
    const byId = new ModelCatalogue([], ['claude-sonnet-4-5-20250929']);
    expect(byId.find('claude-sonnet-4-5')).toBeUndefined();
    expect(byId.find('claude-haiku-4-5')).toBeDefined();
  });

  it('serves extra models with defaults', () => {
    const catalogue = new ModelCatalogue([{ id: 'local-tiny', aliases: ['tiny'] }]);
    expect(catalogue.resolve('tiny')).toEqual({
      id: 'local-tiny',
      aliases: ['tiny'],
      displayName: 'local-tiny',
      createdAt: '1970-01-01T00:00:00Z',
    });
  });

  it('lists newest first and pages forwards and backwards', () => {
    const catalogue = new ModelCatalogue();
    const all = catalogue.list(new URLSearchParams());
    expect(all.data).toHaveLength(currentModels.length);
    expect(all.has_more).toBe(false);
    expect(all.data[0]).toEqual({
      type: 'model',
      id: 'claude-opus-4-5-20251101',
      display_name: 'Claude Opus 4.5',
      created_at: '2025-11-01T00:00:00Z',
    });
    const ids = all.data.map((m) => m.id);

    const first = catalogue.list(new URLSearchParams({ limit: '2' }));
    expect(first).toMatchObject({ has_more: true, first_id: ids[0], last_id: ids[1] });
    const second = catalogue.list(new URLSearchParams({ limit: '2', after_id: first.last_id! }));
    expect(second.data.map((m) => m.id)).toEqual(ids.slice(2, 4));
    const back = catalogue.list(new URLSearchParams({ limit: '2', before_id: second.first_id! }));
    expect(back.data.map((m) => m.id)).toEqual(ids.slice(0, 2));
    expect(back.has_more).toBe(false);
  });

  it('rejects a bad limit', () => {
    expect(() => new ModelCatalogue().list(new URLSearchParams({ limit: '0' }))).toThrow(/limit/);
  });
});
