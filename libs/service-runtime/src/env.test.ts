import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, envPieces, parseEnv } from './env';

const schema = z.object({
  PORT: envPieces.port(3000),
  DATABASE_URL: envPieces.databaseUrl,
  ANTHROPIC_API_KEY: z.string().min(10),
});

describe('parseEnv', () => {
  it('applies defaults and coerces numbers', () => {
    expect(parseEnv(schema, { PORT: '8080', ANTHROPIC_API_KEY: 'sk-ant-0123456789' })).toMatchObject({
      PORT: 8080,
      DATABASE_URL: 'postgresql://root@127.0.0.1:5432/scenewise',
    });
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv(schema, { PORT: '', ANTHROPIC_API_KEY: 'sk-ant-0123456789' }).PORT).toBe(3000);
  });

  it('names every bad variable in one message and never echoes a secret', () => {
    const run = () => parseEnv(schema, { PORT: 'eighty', DATABASE_URL: 'mysql://x', ANTHROPIC_API_KEY: 'short' });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toMatch(/^invalid configuration: /);
      expect(message).toContain('PORT');
      expect(message).toContain('(got "eighty")');
      expect(message).toContain('DATABASE_URL: must be a postgresql:// URL');
      expect(message).toContain('ANTHROPIC_API_KEY');
      expect(message).not.toContain('short');
    }
  });
});
