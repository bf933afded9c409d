import { Subject } from '@scenewise/contracts';
import type { TestDatabase } from '@scenewise/db/testing';
import type { MessageBus } from '@scenewise/messaging';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './testing';

const fountain = `Title: Two Rooms

INT. KITCHEN - NIGHT

MARA waits by the window.

MARA
He is late.

EXT. STREET - CONTINUOUS

JOE runs through the rain.
`;

let database: TestDatabase;
let bus: MessageBus;
let app: Express;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ database, bus, app, close } = await createTestApp({ limits: { maxUploadBytes: 64 * 1024, maxScenes: 5, maxSceneChars: 5_000 } }));
});

afterAll(() => close?.());

const counts = async () => ({
  scripts: await database.db.script.count(),
  scenes: await database.db.scene.count(),
  jobs: await database.db.analysisJob.count(),
});

describe('POST /api/scripts', () => {
  it('stores a JSON upload as a script with its scenes', async () => {
    const response = await request(app).post('/api/scripts').send({ title: 'Two Rooms', text: fountain }).expect(201);
    expect(response.body).toMatchObject({ title: 'Two Rooms', format: 'fountain', sceneCount: 2 });
    expect(response.headers['location']).toBe(`/api/scripts/${response.body.id}`);

    const scenes = await request(app).get(`/api/scripts/${response.body.id}/scenes`).expect(200);
    expect(scenes.body.scenes.map((s: { heading: string }) => s.heading)).toEqual(['INT. KITCHEN - NIGHT', 'EXT. STREET - CONTINUOUS']);
    expect(scenes.body.scenes[0]).toMatchObject({ position: 0, characters: ['MARA'], summary: null });
  });

  it('takes the raw text, with the title from the query or the title page', async () => {
    const raw = await request(app).post('/api/scripts').set('content-type', 'text/plain').send(fountain).expect(201);
    expect(raw.body.title).toBe('Two Rooms');
    const titled = await request(app).post('/api/scripts?title=Draft%202').set('content-type', 'text/plain').send(fountain).expect(201);
    expect(titled.body.title).toBe('Draft 2');
  });

  const badUploads: Array<[string, (r: request.Test) => request.Test, number, RegExp]> = [
    ['an empty script', (r) => r.send({ text: '   \n ' }), 400, /empty/],
    ['binary data', (r) => r.set('content-type', 'application/octet-stream').send(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0, 1])), 400, /binary/],
    ['invalid UTF-8', (r) => r.set('content-type', 'text/plain').send(Buffer.from([0x49, 0x4e, 0x54, 0xff, 0xfe, 0x20])), 400, /UTF-8/],
    ['no text field', (r) => r.send({ title: 'Nothing' }), 400, /^text: is required$/],
    ['text of the wrong type', (r) => r.send({ text: 42 }), 400, /^text: must be a string$/],
    ['a title of the wrong type', (r) => r.send({ title: ['x'], text: fountain }), 400, /^title: /],
    ['an unknown field', (r) => r.send({ text: fountain, titel: 'typo' }), 400, /unknown field\(s\): titel/],
    ['malformed JSON', (r) => r.set('content-type', 'application/json').send('{"text": "INT. A'), 400, /not valid JSON/],
    ['an oversize body', (r) => r.set('content-type', 'text/plain').send('INT. HALL - DAY\n\n' + 'x'.repeat(70 * 1024)), 413, /larger than the limit/],
    ['too many scenes', (r) => r.set('content-type', 'text/plain').send(Array.from({ length: 6 }, (_, i) => `INT. ROOM ${i} - DAY\n\nA beat.\n`).join('\n')), 422, /6 scenes/],
    // Found by the fuzz test: PostgreSQL refused these with a 500.
    ['a title with a NUL', (r) => r.send({ title: 'Two\u0000Rooms', text: fountain }), 400, /^title: must be one line of text/],
    ['a NUL title in the query', (r) => r.query('title=%00').set('content-type', 'text/plain').send(fountain), 400, /^title: must be one line of text/],
    ['a lone surrogate', (r) => r.send({ title: 'Two \ud800', text: 'INT. A - DAY\n\nHi \udfff.\n' }), 400, /^title: must be valid Unicode.*; text: must be valid Unicode/],
    ['an unsupported content type', (r) => r.set('content-type', 'image/png').send(Buffer.from('abc')), 415, /text\/plain/],
  ];

  it.each(badUploads)('refuses %s with a clear 4xx and stores nothing', async (_name, send, status, message) => {
    const before = await counts();
    const response = await send(request(app).post('/api/scripts')).expect(status);
    expect(response.body.error.message).toMatch(message);
    expect(typeof response.body.error.type).toBe('string');
    expect(await counts()).toEqual(before);
  });
});

describe('reading scripts and jobs', () => {
  it('answers 404 for unknown and malformed ids', async () => {
    const missing = await request(app).get('/api/scripts/00000000-0000-4000-8000-000000000000').expect(404);
    expect(missing.body.error).toEqual({ type: 'not_found', message: 'no script with id "00000000-0000-4000-8000-000000000000"' });
    await request(app).get('/api/scripts/not-a-uuid/scenes').expect(404);
    await request(app).get('/api/jobs/not-a-uuid').expect(404);
    await request(app).post('/api/scripts/not-a-uuid/analyze').send({}).expect(404);
    await request(app).get('/api/nothing-here').expect(404);
  });

  it('answers 400 in the error shape for a bad %-escape in the path and a corrupt gzip body', async () => {
    const escape = await request(app).get('/api/scripts/%E0%A4%A/scenes').expect(400);
    expect(escape.body.error).toEqual({ type: 'invalid_request', message: 'the request is malformed' });
    const before = await counts();
    const gzip = await request(app).post('/api/scripts').set('content-type', 'text/plain').set('content-encoding', 'gzip').send(Buffer.from('not gzip at all')).expect(400);
    expect(gzip.body.error.type).toBe('invalid_request');
    expect(await counts()).toEqual(before);
  });
});

describe('POST /api/scripts/{id}/analyze', () => {
  it('records a queued job and asks the orchestrator for it on NATS', async () => {
    const script = (await request(app).post('/api/scripts').send({ text: fountain }).expect(201)).body;
    const response = await request(app).post(`/api/scripts/${script.id}/analyze`).send({ mode: 'partial' }).expect(202);
    const { jobId } = response.body;
    expect(response.headers['location']).toBe(`/api/jobs/${jobId}`);

    const job = (await request(app).get(`/api/jobs/${jobId}`).expect(200)).body;
    expect(job).toMatchObject({ id: jobId, scriptId: script.id, mode: 'partial', status: 'queued', scenes: [] });

    const consumer = await bus.js.consumers.get(bus.topology.streamName('analysis'), 'orchestrator-requests');
    const message = await consumer.next({ expires: 2_000 });
    expect(message?.subject).toBe(bus.topology.subject(Subject.analysisRequested));
    expect(message?.json()).toMatchObject({ jobId, scriptId: script.id, mode: 'partial' });
  });

  it.each([
    [{ mode: 'fast' }, /^mode: /],
    [{ mode: 'full', force: 'yes' }, /^force: /],
    [{ mode: 'full', priority: 1 }, /unknown field\(s\): priority/],
  ])('refuses %j with 400 and creates no job', async (body, message) => {
    const script = (await request(app).post('/api/scripts').send({ text: fountain }).expect(201)).body;
    const before = await counts();
    const response = await request(app).post(`/api/scripts/${script.id}/analyze`).send(body).expect(400);
    expect(response.body.error.message).toMatch(message);
    expect(await counts()).toEqual(before);
  });
});
