import { describe, expect, it } from 'vitest';
import { costUsd } from './pricing';
import { findModel, findRetiredModel } from './catalog';
import { loadModelSelection } from './roles';
import { describeUnavailableModel, ModelValidator, type ModelsApi } from './validation';

describe('loadModelSelection', () => {
  it('maps every role to a current model by default', () => {
    const selection = loadModelSelection({});
    expect(findModel(selection.sceneSummary)).toBeDefined();
    expect(findModel(selection.scriptAnalysis)).toBeDefined();
  });

  it('takes one variable per role and names it when the value is bad', () => {
    expect(loadModelSelection({ MODEL_SCENE_SUMMARY: 'claude-sonnet-4-5' }).sceneSummary).toBe('claude-sonnet-4-5');
    expect(() => loadModelSelection({ MODEL_SCRIPT_ANALYSIS: 'has spaces in it' })).toThrow(/MODEL_SCRIPT_ANALYSIS/);
  });
});

describe('catalogue and prices', () => {
  it('resolves aliases and knows the seed incident model is retired', () => {
    expect(findModel('claude-haiku-4-5')?.id).toBe('claude-haiku-4-5-20251001');
    expect(findRetiredModel('claude-3-5-sonnet-20241022')?.replacement).toBe('claude-sonnet-4-5');
  });

  it('prices a call per million tokens, and unknown models as unknown', () => {
    expect(costUsd('claude-haiku-4-5', { inputTokens: 1_000_000, outputTokens: 200_000 })).toBeCloseTo(2);
    expect(costUsd('claude-haiku-4-5-20251001', { inputTokens: 0, outputTokens: 0, cacheReadTokens: 1_000_000 })).toBeCloseTo(0.1);
    expect(costUsd('some-local-model', { inputTokens: 10, outputTokens: 10 })).toBeNull();
  });
});

describe('ModelValidator', () => {
  function api(answers: Record<string, { id: string } | number>): ModelsApi & { calls: string[] } {
    const calls: string[] = [];
    return {
      calls,
      models: {
        retrieve: async (id: string) => {
          calls.push(id);
          const answer = answers[id];
          if (typeof answer === 'number' || answer === undefined) {
            throw Object.assign(new Error(`status ${answer ?? 404}`), { status: answer ?? 404 });
          }
          return answer;
        },
      },
    };
  }

  it('resolves an alias and caches the answer', async () => {
    const models = api({ 'claude-haiku-4-5': { id: 'claude-haiku-4-5-20251001' } });
    const validator = new ModelValidator(models, { ttlMs: 60_000 });
    const first = await validator.check('sceneSummary', 'claude-haiku-4-5');
    await validator.check('sceneSummary', 'claude-haiku-4-5');
    expect(first).toMatchObject({ ok: true, resolvedId: 'claude-haiku-4-5-20251001' });
    expect(models.calls).toHaveLength(1);
  });

  it('explains a retired model with its date, the variable and the replacement', async () => {
    const check = await new ModelValidator(api({})).check('sceneSummary', 'claude-3-5-sonnet-20241022');
    expect(check).toMatchObject({ ok: false, reason: 'retired', replacement: 'claude-sonnet-4-5' });
    expect(!check.ok && check.message).toBe(
      'model claude-3-5-sonnet-20241022 (role sceneSummary) was retired on 2025-10-22; set MODEL_SCENE_SUMMARY to claude-sonnet-4-5',
    );
  });

  it('says when a suggested ID never existed', () => {
    expect(describeUnavailableModel('sceneSummary', 'claude-3-5-haiku-20250219')).toMatch(/never existed; set MODEL_SCENE_SUMMARY to claude-haiku-4-5/);
  });

  it('does not cache an unreachable API', async () => {
    const models = api({ 'claude-haiku-4-5': 503 });
    const validator = new ModelValidator(models);
    expect(await validator.check('sceneSummary', 'claude-haiku-4-5')).toMatchObject({ ok: false, reason: 'unreachable' });
    await validator.check('sceneSummary', 'claude-haiku-4-5');
    expect(models.calls).toHaveLength(2);
  });
});
