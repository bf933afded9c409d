import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ service: 'test', level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, text: () => lines.join('') };
}

const SECRET = 'sk-ant-api03-very-secret-value';

describe('createLogger', () => {
  it('writes JSON lines with the level as a label and the service on every line', () => {
    const { logger, lines } = capture();
    logger.child({ jobId: 'j1' }).info({ scenes: 3 }, 'job started');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', service: 'test', jobId: 'j1', scenes: 3, msg: 'job started' });
  });

  it.each([
    ['a config object', { config: { anthropic: { apiKey: SECRET } } }],
    ['an Anthropic key by its variable name', { env: { ANTHROPIC_API_KEY: SECRET } }],
    ['request headers', { req: { headers: { authorization: `Bearer ${SECRET}`, 'x-api-key': SECRET } } }],
    ['API keys', { config: { apiKeys: [SECRET] } }],
    ['a password', { nats: { password: SECRET } }],
  ])('never writes the secret in %s', (_name, fields) => {
    const { logger, text } = capture();
    logger.info(fields, 'something happened');
    expect(text()).not.toContain(SECRET);
    expect(text()).toContain('[redacted]');
  });
});
