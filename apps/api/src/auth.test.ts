import { Writable } from 'node:stream';
import { createLogger } from '@scenewise/telemetry';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { callerOf, identifyCaller, keyIdOf, requireCaller } from './auth';
import { errorHandler } from './http-errors';

const keys = ['first-key-0123456789abcdef', 'second-key-0123456789abcdef'];

function app(apiKeys: string[]) {
  const lines: string[] = [];
  const logger = createLogger({
    service: 'auth-test',
    level: 'debug',
    destination: new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }),
  });
  const a = express();
  a.use('/api', identifyCaller(apiKeys), requireCaller(logger));
  a.get('/api/whoami', (_req, res) => void res.json(callerOf(res)));
  a.use(errorHandler(logger));
  return { app: a, lines };
}

describe('API keys', () => {
  it('lets a request with a configured key through, as Bearer or x-api-key, naming the caller by key id', async () => {
    const { app: a } = app(keys);
    await request(a).get('/api/whoami').set('authorization', `Bearer ${keys[1]}`).expect(200, { keyId: keyIdOf(keys[1]!) });
    await request(a).get('/api/whoami').set('authorization', `bearer ${keys[0]}`).expect(200, { keyId: keyIdOf(keys[0]!) });
    await request(a).get('/api/whoami').set('x-api-key', keys[0]!).expect(200, { keyId: keyIdOf(keys[0]!) });
    expect(keyIdOf(keys[0]!)).toMatch(/^[0-9a-f]{8}$/);
  });

  it.each([
    ['no key', {}, /an API key is required/, 'Bearer realm="scenewise"'],
    ['a wrong key', { authorization: `Bearer ${keys[0]}x` }, /not valid/, 'Bearer realm="scenewise", error="invalid_token"'],
    ['a prefix of a key', { authorization: `Bearer ${keys[0]!.slice(0, 10)}` }, /not valid/, 'Bearer realm="scenewise", error="invalid_token"'],
    ['a wrong x-api-key', { 'x-api-key': 'nope-nope-nope-nope' }, /not valid/, 'Bearer realm="scenewise", error="invalid_token"'],
    ['another scheme', { authorization: `Basic ${Buffer.from(`u:${keys[0]}`).toString('base64')}` }, /Bearer <key>/, 'Bearer realm="scenewise", error="invalid_request"'],
    ['an empty Bearer', { authorization: 'Bearer ' }, /Bearer <key>/, 'Bearer realm="scenewise", error="invalid_request"'],
  ])('refuses %s with 401 and a Bearer challenge, echoing nothing', async (_name, headers, message, challenge) => {
    const { app: a, lines } = app(keys);
    const response = await request(a).get('/api/whoami').set(headers).expect(401);
    expect(response.headers['www-authenticate']).toBe(challenge);
    expect(response.body.error).toEqual({ type: 'unauthorized', message: expect.stringMatching(message) });
    const everything = JSON.stringify(response.body) + JSON.stringify(response.headers) + lines.join('');
    const presented = Object.values(headers).map((value) => value.replace(/^(Bearer|Basic) ?/, ''));
    for (const secret of [...keys, ...presented.filter((value) => value.length >= 8)]) expect(everything).not.toContain(secret);
  });

  it('runs open when no keys are configured: any request passes, with no key id', async () => {
    const { app: a } = app([]);
    await request(a).get('/api/whoami').expect(200, { keyId: null });
    await request(a).get('/api/whoami').set('authorization', 'Bearer anything-at-all-0000').expect(200, { keyId: null });
  });
});
