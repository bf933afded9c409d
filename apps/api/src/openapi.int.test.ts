import { randomUUID } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { TestDatabase } from '@scenewise/db/testing';
import type { MessageBus } from '@scenewise/messaging';
import { createLogger } from '@scenewise/telemetry';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app';
import { createEndedJob, createTestApp } from './testing';
import { buildOpenApiDocument, responseSchemas } from './openapi';

const fountain = `INT. KITCHEN - NIGHT

MARA waits by the window.

EXT. STREET - CONTINUOUS

JOE runs through the rain.
`;

let database: TestDatabase;
let bus: MessageBus;
let app: Express;
let close: () => Promise<void>;
const document = buildOpenApiDocument();

beforeAll(async () => {
  ({ database, bus, app, close } = await createTestApp());
});

afterAll(() => close?.());

type Operation = { operationId: string; responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> };
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item as Record<string, Operation>).map(([method, operation]) => ({ path, method, operation })),
);

/** The response must be one the document lists for the operation, with a body its schema accepts. */
function expectDocumented(operationId: string, response: request.Response): void {
  const { operation } = operations.find((o) => o.operation.operationId === operationId)!;
  const documented = operation.responses[String(response.status)] ?? (response.status >= 500 ? operation.responses['default'] : undefined);
  expect(documented, `${operationId} does not document ${response.status}`).toBeDefined();
  const ref = documented!.content?.['application/json']?.schema?.$ref;
  if (!ref) return;
  const [schema] = responseSchemas[ref.replace('#/components/schemas/', '')]!;
  const parsed = schema.safeParse(response.body);
  expect(parsed.error?.issues ?? [], `${operationId} ${response.status} differs from ${ref}`).toEqual([]);
}

async function uploadScript() {
  const response = await request(app).post('/api/scripts').send({ title: 'Two Rooms', text: fountain }).expect(201);
  expectDocumented('uploadScript', response);
  return response.body as { id: string };
}

describe('GET /api/openapi.json', () => {
  it('serves the document, and a real OpenAPI validator accepts what is served', async () => {
    const response = await request(app).get('/api/openapi.json').expect(200).expect('content-type', /application\/json/);
    expect(response.body).toEqual(JSON.parse(JSON.stringify(document)));
    const result = await new Validator().validate(response.body);
    expect(result).toEqual({ valid: true });
  });

  it('documents only routes that exist', async () => {
    for (const { path, method } of operations) {
      const response = await request(app)[method as 'get' | 'post'](path.replace('{id}', randomUUID())).send({});
      expect(response.body?.error?.message ?? '', `${method.toUpperCase()} ${path}`).not.toMatch(/^no route/);
    }
  });
});

describe('responses match the documented schemas', () => {
  it('scripts and scenes, with and without a summary', async () => {
    const script = await uploadScript();
    expectDocumented('getScript', await request(app).get(`/api/scripts/${script.id}`).expect(200));
    const [scene] = await database.db.scene.findMany({ where: { scriptId: script.id }, orderBy: { position: 'asc' } });
    await database.db.sceneSummary.create({
      data: {
        sceneId: scene!.id,
        contentHash: scene!.contentHash,
        model: 'test-model',
        summary: 'Mara waits.',
        characters: ['MARA'],
        mood: 'tense',
        keyEvents: ['Mara waits'],
        inputTokens: 10,
        outputTokens: 5,
        costUsd: null,
        latencyMs: 12,
      },
    });
    const scenes = await request(app).get(`/api/scripts/${script.id}/scenes`).expect(200);
    expectDocumented('listScenes', scenes);
    expect(scenes.body.scenes.map((s: { summary: unknown }) => s.summary === null)).toEqual([false, true]);
  });

  it('analysis, jobs with per-scene outcomes, cancel and retry', async () => {
    const script = await uploadScript();
    const accepted = await request(app).post(`/api/scripts/${script.id}/analyze`).send({ mode: 'full' }).expect(202);
    expectDocumented('analyzeScript', accepted);
    expectDocumented('getJob', await request(app).get(`/api/jobs/${accepted.body.jobId}`).expect(200));

    const job = await createEndedJob(
      database.db,
      script.id,
      [
        { status: 'succeeded', attempts: 1, startedAt: new Date(), finishedAt: new Date() },
        { status: 'failed', attempts: 3, errorType: 'overloaded_error', errorMessage: 'Overloaded' },
      ],
      { model: 'test-model', resolvedModel: 'test-model', startedAt: new Date(Date.now() - 1_000), traceId: 'a'.repeat(32) },
    );
    const view = await request(app).get(`/api/jobs/${job.id}`).expect(200);
    expectDocumented('getJob', view);
    expect(view.body.errorsByType).toEqual([{ type: 'overloaded_error', count: 1, message: 'Overloaded' }]);

    expectDocumented('cancelJob', await request(app).post(`/api/jobs/${job.id}/cancel`).expect(409));
    expectDocumented('retryFailedScenes', await request(app).post(`/api/jobs/${job.id}/retry-failed`).expect(202));
    expectDocumented('cancelJob', await request(app).post(`/api/jobs/${accepted.body.jobId}/cancel`).expect(202));
  });

  it('errors, in the one shape', async () => {
    const invalid = await request(app).post('/api/scripts').send({ text: 42 }).expect(400);
    expectDocumented('uploadScript', invalid);
    expect(invalid.body.error.details).toEqual({ fields: [{ field: 'text', message: 'must be a string' }] });
    expectDocumented('uploadScript', await request(app).post('/api/scripts').set('content-type', 'image/png').send(Buffer.from('x')).expect(415));
    expectDocumented('getJob', await request(app).get(`/api/jobs/${randomUUID()}`).expect(404));
    expectDocumented('followJob', await request(app).get(`/api/jobs/${randomUUID()}/events`).expect(404));
    const script = await uploadScript();
    expectDocumented('analyzeScript', await request(app).post(`/api/scripts/${script.id}/analyze`).send({ mode: 'fast' }).expect(400));
    expectDocumented('reviseScript', await request(app).put(`/api/scripts/${script.id}`).send({ text: '' }).expect(400));
    expectDocumented('reviseScript', await request(app).put(`/api/scripts/${randomUUID()}`).send({ text: fountain }).expect(404));
  });

  it('a revision, and its refusal while the script is being analyzed', async () => {
    const script = await uploadScript();
    const revised = await request(app).put(`/api/scripts/${script.id}`).send({ text: `${fountain}\nINT. HALL - NIGHT\n\nA light goes out.\n` }).expect(200);
    expectDocumented('reviseScript', revised);
    expect(revised.body.revision).toEqual({ unchanged: 2, edited: 0, added: 1, removed: 0 });
    await request(app).post(`/api/scripts/${script.id}/analyze`).send({}).expect(202);
    expectDocumented('reviseScript', await request(app).put(`/api/scripts/${script.id}`).set('content-type', 'text/plain').send(fountain).expect(409));
  });
});

describe('keys, limits, replays and dead letters, as documented', () => {
  it('401, 429, an idempotent replay and the dead-letter list', async () => {
    const apiKey = 'openapi-test-key-0123456789';
    const guarded = createApp({
      db: database.db,
      bus,
      logger: createLogger({ service: 'api-test', level: 'silent' }),
      config: {
        limits: { maxUploadBytes: 64 * 1024, maxScenes: 50, maxSceneChars: 5_000 },
        jaegerUiUrl: 'http://jaeger.test',
        auth: { apiKeys: [apiKey] },
        rateLimit: { perMinute: 3 },
      },
      ready: () => true,
    });
    const withKey = (r: request.Test) => r.set('authorization', `Bearer ${apiKey}`);
    expectDocumented('getScript', await request(guarded).get(`/api/scripts/${randomUUID()}`).expect(401));
    expectDocumented('getOpenApiDocument', await request(guarded).get('/api/openapi.json').expect(200));
    const first = await withKey(request(guarded).post('/api/scripts')).set('Idempotency-Key', 'doc-1').send({ text: fountain }).expect(201);
    const replay = await withKey(request(guarded).post('/api/scripts')).set('Idempotency-Key', 'doc-1').send({ text: fountain }).expect(201);
    expectDocumented('uploadScript', replay);
    expect(replay.body).toEqual(first.body);
    expectDocumented('listDeadLetters', await withKey(request(guarded).get('/api/dead-letters')).expect(200));
    expectDocumented('listDeadLetters', await withKey(request(guarded).get('/api/dead-letters')).expect(429));
  });
});
