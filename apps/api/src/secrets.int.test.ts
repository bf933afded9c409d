import { Writable } from 'node:stream';
import { createPrismaClient } from '@scenewise/db';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import type { MessageBus } from '@scenewise/messaging';
import { createTestBus } from '@scenewise/messaging/testing';
import { createLogger } from '@scenewise/telemetry';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type AppDeps } from './app';
import { loadConfig } from './config';

/** Secrets reach the API only through the environment; none may come back in a response. */
const anthropicKey = 'sk-ant-api03-TOPSECRET0123456789abcdefghijklmnop';
const dbPassword = 'db-pass-TOPSECRET-42';
const apiKey = 'api-key-TOPSECRET-0123456789';
const env = {
  API_KEYS: `${apiKey},other-key-TOPSECRET-0123456789`,
  ANTHROPIC_API_KEY: anthropicKey,
  DATABASE_URL: `postgresql://scenewise:${dbPassword}@127.0.0.1:1/scenewise`,
  RATE_LIMIT_PER_MINUTE: '1000',
};
const secrets = [anthropicKey, dbPassword, apiKey, 'other-key-TOPSECRET-0123456789', 'TOPSECRET'];

let database: TestDatabase;
let bus: MessageBus;
let closeBus: () => Promise<void>;
const logLines: string[] = [];
const logger = createLogger({
  service: 'api-test',
  level: 'debug',
  destination: new Writable({ write: (chunk, _e, done) => (logLines.push(String(chunk)), done()) }),
});

function appWith(db: AppDeps['db']): Express {
  return createApp({ db, bus, logger, config: loadConfig(env), ready: () => true });
}

beforeAll(async () => {
  database = await createTestDatabase();
  ({ bus, close: closeBus } = await createTestBus());
});

afterAll(async () => {
  vi.restoreAllMocks();
  await closeBus?.();
  await database?.drop();
});

const exposed = (response: request.Response) => `${response.status} ${JSON.stringify(response.headers)} ${response.text}`;

describe('secrets never reach a client', () => {
  it('not in a refusal, whatever key was sent', async () => {
    const app = appWith(database.db);
    const responses = [
      await request(app).get('/api/dead-letters'),
      await request(app).get('/api/dead-letters').set('authorization', `Bearer ${apiKey}-but-wrong`),
      await request(app).get('/api/dead-letters').set('x-api-key', apiKey.slice(0, -1)),
      await request(app).get('/api/dead-letters').set('authorization', `Basic ${apiKey}`),
    ];
    for (const response of responses) {
      expect(response.status).toBe(401);
      for (const secret of secrets) expect(exposed(response)).not.toContain(secret);
    }
  });

  it('not in a 500, even when the failure itself carries a secret', async () => {
    const app = appWith(database.db);
    const script = await request(app).post('/api/scripts').set('authorization', `Bearer ${apiKey}`).send({ text: 'INT. HALL - DAY\n\nA beat.\n' }).expect(201);
    vi.spyOn(bus, 'publish').mockRejectedValue(new Error(`upstream refused x-api-key=${anthropicKey} password=${dbPassword}`));
    vi.spyOn(database.db.analysisJob, 'update').mockRejectedValue(new Error(`cannot write: DATABASE_URL=${env.DATABASE_URL}`));
    const failed = await request(app).post(`/api/scripts/${script.body.id}/analyze`).set('authorization', `Bearer ${apiKey}`).send({}).expect(500);
    expect(failed.body).toEqual({ error: { type: 'internal_error', message: 'the server could not complete the request' } });
    for (const secret of secrets) expect(exposed(failed)).not.toContain(secret);
    vi.restoreAllMocks();
  });

  it('not when the database is unreachable at a URL with a password', async () => {
    const unreachable = createPrismaClient(env.DATABASE_URL);
    const app = appWith(unreachable);
    const response = await request(app).get('/api/scripts/00000000-0000-4000-8000-000000000000').set('authorization', `Bearer ${apiKey}`).expect(500);
    for (const secret of secrets) expect(exposed(response)).not.toContain(secret);
    await unreachable.$disconnect();
  });

  it('not in the probes, which need no key and say nothing private', async () => {
    const app = appWith(database.db);
    for (const path of ['/healthz', '/readyz', '/metrics', '/api/openapi.json']) {
      const response = await request(app).get(path);
      expect(response.status, path).toBeLessThan(500);
      for (const secret of secrets) expect(exposed(response), path).not.toContain(secret);
    }
  });

  it('and no API key, sent or configured, is ever logged', async () => {
    const app = appWith(database.db);
    await request(app).get('/api/dead-letters').set('authorization', `Bearer ${apiKey}`).expect(200);
    await request(app).get('/api/dead-letters').set('authorization', `Bearer ${apiKey}-wrong`).expect(401);
    const logged = logLines.join('');
    expect(logged).toContain('bad API key');
    for (const key of env.API_KEYS.split(',')) expect(logged).not.toContain(key);
  });
});
