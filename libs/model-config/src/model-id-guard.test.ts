import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findModelIds, findStrayModelIds, isExempt } from './model-id-guard';

describe('model IDs live only in libs/model-config', () => {
  it('finds none anywhere else in apps, libs and tools', () => {
    expect(findStrayModelIds(join(__dirname, '..', '..', '..'))).toEqual([]);
  });

  it('recognises model IDs in code, so the check above can fail', () => {
    const planted = `const model = "claude-3-5-sonnet-20241022";\nclient.create({ model: 'claude-haiku-4-5' })`;
    expect(findModelIds(planted)).toEqual(['claude-3-5-sonnet-20241022', 'claude-haiku-4-5']);
    expect(findModelIds('const prefix = "claude-code is a CLI"')).toEqual([]);
  });

  it('exempts only the model-config lib and tests', () => {
    expect(isExempt('libs/claude/src/claude-call.ts')).toBe(false);
    expect(isExempt('libs/model-config/src/catalog.ts')).toBe(true);
    expect(isExempt('libs/claude/src/claude-call.test.ts')).toBe(true);
  });
});
