import type { TestDatabase } from '@scenewise/db/testing';
import type { MessageBus } from '@scenewise/messaging';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEndedJob, createTestApp } from './testing';

const fountain = `INT. KITCHEN - NIGHT

MARA waits by the window.

EXT. STREET - CONTINUOUS

JOE runs through the rain.
`;
const keys = { alice: 'alice-key-0123456789abcdef', bob: 'bob-key-0123456789abcdef' };

let database: TestDatabase;
let bus: MessageBus;
let app: Express;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ database, bus, app, close } = await createTestApp({
    auth: { apiKeys: Object.values(keys) },
    rateLimit: { perMinute: 10_000 },
  }));
});

afterAll(() => close?.());

const as = (who: keyof typeof keys, req: request.Test, key?: string) => {
  req.set('authorization', `Bearer ${keys[who]}`);
  return key === undefined ? req : req.set('Idempotency-Key', key);
};
const counts = async () => ({ scripts: await database.db.script.count(), jobs: await database.db.analysisJob.count() });

describe('Idempotency-Key on POST /api/scripts', () => {
  it('returns the original script for a retry, and stores one', async () => {
    const before = await counts();
    const first = await as('alice', request(app).post('/api/scripts'), 'upload-1').send({ title: 'Two Rooms', text: fountain }).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const retry = await as('alice', request(app).post('/api/scripts'), 'upload-1').send({ title: 'Two Rooms', text: fountain }).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['location']).toBe(first.headers['location']);
    expect(await counts()).toEqual({ ...before, scripts: before.scripts + 1 });
  });

  it('refuses the same key with another body (422) and stores nothing', async () => {
    await as('alice', request(app).post('/api/scripts'), 'upload-2').send({ text: fountain }).expect(201);
    const before = await counts();
    const reused = await as('alice', request(app).post('/api/scripts'), 'upload-2').send({ title: 'Other', text: fountain }).expect(422);
    expect(reused.body.error.type).toBe('idempotency_key_reused');
    expect(await counts()).toEqual(before);
  });

  it('keeps keys apart per API key', async () => {
    const a = await as('alice', request(app).post('/api/scripts'), 'shared-name').send({ text: fountain }).expect(201);
    const b = await as('bob', request(app).post('/api/scripts'), 'shared-name').send({ text: fountain }).expect(201);
    expect(b.body.id).not.toBe(a.body.id);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
  });

  it('creates one script when the same request races itself', async () => {
    const before = await counts();
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => as('alice', request(app).post('/api/scripts'), 'race-1').set('content-type', 'text/plain').send(fountain)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(5);
    expect(await counts()).toEqual({ ...before, scripts: before.scripts + 1 });
  });

  it('refuses a malformed key with 400', async () => {
    const response = await as('alice', request(app).post('/api/scripts'), 'x'.repeat(256)).send({ text: fountain }).expect(400);
    expect(response.body.error.type).toBe('invalid_idempotency_key');
  });
});

describe('Idempotency-Key on analyze and retry-failed', () => {
  it('queues one job for a retried analysis, and 422 for another mode under the same key', async () => {
    const script = (await as('alice', request(app).post('/api/scripts')).send({ text: fountain }).expect(201)).body;
    const before = await counts();
    const analyze = () => as('alice', request(app).post(`/api/scripts/${script.id}/analyze`), 'analyze-1');
    const first = await analyze().send({ mode: 'full' }).expect(202);
    await database.db.analysisJob.update({ where: { id: first.body.jobId }, data: { status: 'running' } });
    const retry = await analyze().send({}).expect(202); // the same request: mode defaults to full
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await analyze().send({ mode: 'partial' }).expect(422)).body.error.type).toBe('idempotency_key_reused');
    expect(await counts()).toEqual({ ...before, jobs: before.jobs + 1 });
  });

  it('lets a retry queue the job when the first attempt found the queue down (503)', async () => {
    const script = (await as('alice', request(app).post('/api/scripts')).send({ text: fountain }).expect(201)).body;
    const publish = vi.spyOn(bus, 'publish').mockRejectedValueOnce(new Error('no responders'));
    const analyze = () => as('alice', request(app).post(`/api/scripts/${script.id}/analyze`), 'analyze-503').send({ mode: 'full' });
    await analyze().expect(503);
    const second = await analyze().expect(202);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect((await analyze().expect(202)).body).toEqual(second.body);
    publish.mockRestore();
  });

  it('starts one retry job for a retried retry-failed', async () => {
    const script = (await as('alice', request(app).post('/api/scripts')).send({ text: fountain }).expect(201)).body;
    const job = await createEndedJob(database.db, script.id, [{ status: 'failed', errorType: 'overloaded_error' }], { status: 'failed' });
    const before = await counts();
    const retry = () => as('bob', request(app).post(`/api/jobs/${job.id}/retry-failed`), 'retry-1');
    const first = await retry().expect(202);
    expect(first.body).toMatchObject({ status: 'queued', scenes: 1 });
    const again = await retry().expect(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await counts()).toEqual({ ...before, jobs: before.jobs + 1 });
  });
});
