import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@scenewise/telemetry';
import { identifyCaller } from './auth';
import { ApiError, errorHandler } from './http-errors';
import { hashRequest, readIdempotency, runIdempotent } from './idempotency';

describe('hashRequest', () => {
  it('tells apart parts that concatenate alike, and missing from empty', () => {
    expect(hashRequest('ab', 'c')).not.toBe(hashRequest('a', 'bc'));
    expect(hashRequest(undefined)).not.toBe(hashRequest(''));
    expect(hashRequest('x', Buffer.from('é'))).toBe(hashRequest('x', 'é'));
    expect(hashRequest('analyze', 'id', 'full', false)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('readIdempotency', () => {
  const app = express();
  app.use(identifyCaller(['the-only-key-0123456789']));
  app.get('/', (req, res) => void res.json(readIdempotency(req, res, 'h') ?? null));
  app.use(errorHandler(createLogger({ service: 'test', level: 'silent' })));

  it('scopes the key to the caller and keeps the request hash', async () => {
    await request(app).get('/').expect(200, 'null');
    const open = express();
    open.use(identifyCaller([]));
    open.get('/', (req, res) => void res.json(readIdempotency(req, res, 'h')));
    await request(open).get('/').set('Idempotency-Key', 'retry-1').expect(200, { key: 'open:retry-1', requestHash: 'h' });
  });

  it.each([[''], ['x'.repeat(256)], ['tab\there'], ['é-accent']])('refuses %j with 400 naming the header', async (key) => {
    const response = await request(app).get('/').set('Idempotency-Key', key).expect(400);
    expect(response.body.error).toMatchObject({ type: 'invalid_idempotency_key', message: expect.stringContaining('Idempotency-Key') });
  });
});

describe('runIdempotent', () => {
  type Row = { id: number; idempotencyRequestHash: string | null; key: string | null };
  function store() {
    const rows: Row[] = [];
    let creates = 0;
    return {
      rows,
      creates: () => creates,
      steps: (idempotency: { key: string; requestHash: string } | undefined, raceWith?: Row) => ({
        find: async (key: string) => rows.find((r) => r.key === key) ?? null,
        replay: (row: Row) => row.id,
        create: async () => {
          creates++;
          if (raceWith) {
            rows.push(raceWith);
            throw Object.assign(new Error('Unique constraint failed'), { code: 'P2002' });
          }
          const row = { id: rows.length + 1, key: idempotency?.key ?? null, idempotencyRequestHash: idempotency?.requestHash ?? null };
          rows.push(row);
          return row.id;
        },
      }),
    };
  }

  it('creates once per key and replays the same request', async () => {
    const s = store();
    const idem = { key: 'k:1', requestHash: 'h1' };
    expect(await runIdempotent(idem, s.steps(idem))).toEqual({ result: 1, replayed: false });
    expect(await runIdempotent(idem, s.steps(idem))).toEqual({ result: 1, replayed: true });
    expect(await runIdempotent(undefined, s.steps(undefined))).toEqual({ result: 2, replayed: false });
    expect(s.creates()).toBe(2);
  });

  it('refuses the same key with a different request: 422 idempotency_key_reused', async () => {
    const s = store();
    await runIdempotent({ key: 'k:1', requestHash: 'h1' }, s.steps({ key: 'k:1', requestHash: 'h1' }));
    const other = { key: 'k:1', requestHash: 'h2' };
    await expect(runIdempotent(other, s.steps(other))).rejects.toMatchObject({ status: 422, type: 'idempotency_key_reused' });
  });

  it('replays the winner when a concurrent request with the key stored its row first', async () => {
    const s = store();
    const idem = { key: 'k:1', requestHash: 'h1' };
    const winner = { id: 7, key: 'k:1', idempotencyRequestHash: 'h1' };
    expect(await runIdempotent(idem, s.steps(idem, winner))).toEqual({ result: 7, replayed: true });
  });

  it('passes other errors through', async () => {
    const idem = { key: 'k:1', requestHash: 'h1' };
    const failing = { find: async () => null, replay: () => 0, create: async () => Promise.reject(new ApiError(409, 'conflict', 'no')) };
    await expect(runIdempotent(idem, failing)).rejects.toMatchObject({ status: 409 });
    const uniqueElsewhere = { ...failing, create: async () => Promise.reject(Object.assign(new Error('dup'), { code: 'P2002' })) };
    await expect(runIdempotent(idem, uniqueElsewhere)).rejects.toMatchObject({ code: 'P2002' });
  });
});
