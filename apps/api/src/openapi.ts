import { JobModeSchema, JobProgressSchema, JobStatusSchema } from '@scenewise/contracts';
import { serviceVersion } from '@scenewise/service-runtime';
import { Router } from 'express';
import { z } from 'zod';
import { AnalyzeRequestSchema } from './routes/scripts.routes';
import { RawUploadQuerySchema, ScriptUploadSchema } from './script-upload';

/**
 * The OpenAPI 3.1 document. Request schemas are the very zod objects the routes validate
 * with; response schemas describe views.ts and are checked against real responses in
 * openapi.int.test.ts, so neither can drift from the code.
 */

const uuid = z.uuid();
const isoDateTime = z.iso.datetime();
const nullableDateTime = isoDateTime.nullable();
const errorRef = z.strictObject({ type: z.string(), message: z.string().nullable() });

export const ErrorResponseSchema = z.strictObject({
  error: z.strictObject({
    type: z.string().describe('machine-readable, e.g. `not_found`, `invalid_request`, `script_too_many_scenes`'),
    message: z.string().describe('what is wrong, in a sentence'),
    details: z.unknown().optional().describe('more about it, e.g. `{ fields: [{ field, message }] }` for invalid input'),
  }),
});

export const ScriptViewSchema = z.strictObject({
  id: uuid,
  title: z.string(),
  format: z.enum(['fountain', 'plain']),
  sceneCount: z.int().nonnegative(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  links: z.strictObject({ self: z.string(), scenes: z.string(), analyze: z.string() }),
});

export const SummaryViewSchema = z.strictObject({
  id: uuid,
  model: z.string(),
  summary: z.string(),
  characters: z.array(z.string()),
  mood: z.string(),
  keyEvents: z.array(z.string()),
  inputTokens: z.int().nonnegative(),
  outputTokens: z.int().nonnegative(),
  costUsd: z.number().nullable().describe('null when the model has no known price'),
  latencyMs: z.int().nonnegative(),
  createdAt: isoDateTime,
});

export const SceneViewSchema = z.strictObject({
  id: uuid,
  position: z.int().nonnegative().describe('0-based order in the script'),
  heading: z.string(),
  text: z.string(),
  characters: z.array(z.string()),
  contentHash: z.string(),
  summary: SummaryViewSchema.nullable().describe("the latest summary of the scene's current text, null when there is none"),
});

export const SceneListSchema = z.strictObject({ scriptId: uuid, scenes: z.array(SceneViewSchema) });

const counts = z.int().nonnegative();
export const JobViewSchema = z.strictObject({
  id: uuid,
  scriptId: uuid,
  mode: JobModeSchema,
  force: z.boolean(),
  status: JobStatusSchema,
  modelRole: z.string(),
  model: z.string().nullable().describe('the model as configured, set by the pre-flight check'),
  resolvedModel: z.string().nullable().describe('the pinned model ID it resolved to'),
  counts: z.strictObject({ total: counts, succeeded: counts, failed: counts, cancelled: counts, skipped: counts, pending: counts }),
  error: errorRef.nullable().describe('why the job as a whole failed'),
  errorsByType: z.array(z.strictObject({ type: z.string(), count: counts, message: z.string() })),
  usage: z.strictObject({ inputTokens: counts, outputTokens: counts, costUsd: z.number().nonnegative() }),
  createdAt: isoDateTime,
  startedAt: nullableDateTime,
  finishedAt: nullableDateTime,
  durationMs: z.number().nullable().describe('from start to end, or to now while running'),
  traceId: z.string().nullable(),
  links: z.strictObject({ self: z.string(), script: z.string(), trace: z.string().optional() }),
  scenes: z.array(
    z.strictObject({
      taskId: uuid,
      sceneId: uuid,
      position: z.int().nonnegative(),
      heading: z.string(),
      status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'skipped']),
      attempts: counts,
      error: errorRef.nullable(),
      summaryId: uuid.nullable(),
      startedAt: nullableDateTime,
      finishedAt: nullableDateTime,
    }),
  ),
});

const jobLinks = z.strictObject({ self: z.string(), trace: z.string().optional() });
export const AnalysisAcceptedSchema = z.strictObject({ jobId: uuid, status: JobStatusSchema, links: jobLinks });
export const CancelAcceptedSchema = z.strictObject({
  jobId: uuid,
  status: z.literal('cancelling').describe("the orchestrator is stopping the job; the job's own status tells when it has"),
  links: z.strictObject({ self: z.string() }),
});
export const RetryAcceptedSchema = z.strictObject({
  jobId: uuid.describe('the new job, which summarizes the failed and cancelled scenes again'),
  status: JobStatusSchema,
  links: jobLinks,
  scenes: z.int().positive().describe('how many scenes it retries'),
});

export const ProgressEventSchema = JobProgressSchema.omit({ scene: true });
export const SceneEventSchema = JobProgressSchema.shape.scene.unwrap().extend({ jobId: uuid, at: isoDateTime });

const requestSchemas: Record<string, [z.ZodType, string]> = {
  ScriptUpload: [ScriptUploadSchema, 'A screenplay as JSON. The raw text can be sent instead, as text/plain.'],
  AnalyzeRequest: [AnalyzeRequestSchema, 'Which scenes to summarize: `full` (all) or `partial` (changed or unsummarized only).'],
};
/** Response components by name, with the zod schema each is generated from. */
export const responseSchemas: Record<string, [z.ZodType, string]> = {
  Error: [ErrorResponseSchema, 'Every error response has this shape.'],
  Script: [ScriptViewSchema, 'An uploaded screenplay.'],
  SceneSummary: [SummaryViewSchema, "One model's summary of one version of a scene."],
  Scene: [SceneViewSchema, 'A scene with its latest summary.'],
  SceneList: [SceneListSchema, "A script's scenes in order."],
  Job: [JobViewSchema, 'An analysis job: status, counts, per-scene outcomes, errors, usage.'],
  AnalysisAccepted: [AnalysisAcceptedSchema, 'A queued analysis job.'],
  CancelAccepted: [CancelAcceptedSchema, 'A cancellation on its way to the orchestrator.'],
  RetryAccepted: [RetryAcceptedSchema, 'A new job for the failed scenes of an earlier one.'],
  ProgressEvent: [ProgressEventSchema, 'Data of the `progress` and `end` events: the job status and counts, with an ETA.'],
  SceneEvent: [SceneEventSchema, "Data of a `scene` event: one scene's outcome as it happens."],
};

/** Drops what JSON Schema tools do not need: safe-integer bounds, regexes beside a format, `$id`s. */
function tidy(ctx: { jsonSchema: Record<string, unknown> }): void {
  const s = ctx.jsonSchema;
  if (s['minimum'] === Number.MIN_SAFE_INTEGER) delete s['minimum'];
  if (s['maximum'] === Number.MAX_SAFE_INTEGER) delete s['maximum'];
  if (typeof s['format'] === 'string' && ['uuid', 'date-time'].includes(s['format'])) delete s['pattern'];
}

function componentSchemas(entries: Record<string, [z.ZodType, string]>, io: 'input' | 'output') {
  const registry = z.registry<{ id: string }>();
  for (const [id, [schema]] of Object.entries(entries)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}`, override: tidy });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, { ...schema, description: entries[id]![1] }]),
  );
}

/** A zod object as OpenAPI query parameters. */
function queryParameters(schema: z.ZodObject, description: string) {
  const json = z.toJSONSchema(schema, { io: 'input', override: tidy }) as { properties: Record<string, object>; required?: string[] };
  return Object.entries(json.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    description,
    schema: property,
  }));
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const jsonBody = (id: string) => ({ 'application/json': { schema: ref(id) } });
const ok = (description: string, id: string, location = false) => ({
  description,
  content: jsonBody(id),
  ...(location ? { headers: { Location: { description: 'where to read it', schema: { type: 'string' } } } } : {}),
});
const problem = (description: string) => ({ description, content: jsonBody('Error') });
const errors = (codes: Record<number, string>) => ({
  ...Object.fromEntries(Object.entries(codes).map(([code, description]) => [code, problem(description)])),
  default: problem('any other error (500 internal_error, …), in the same shape'),
});
const idParameter = (what: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description: `the ${what}'s id (anything else than a UUID is a 404)`,
  schema: { type: 'string', format: 'uuid' },
});
const notFound = (what: string) => `no ${what} with that id`;
const rawText = { schema: { type: 'string' } };

export function buildOpenApiDocument() {
  return {
    openapi: '3.1.1',
    info: {
      title: 'scenewise API',
      version: serviceVersion,
      description: 'Screenplays in, a Claude summary for every scene out. Errors are always `{ error: { type, message, details? } }`.',
    },
    tags: [{ name: 'scripts' }, { name: 'jobs' }, { name: 'meta' }],
    paths: {
      '/api/scripts': {
        post: {
          operationId: 'uploadScript',
          tags: ['scripts'],
          summary: 'Upload a screenplay (Fountain or plain text) and split it into scenes',
          parameters: queryParameters(RawUploadQuerySchema, 'only for a raw text body; a JSON body carries it as a field'),
          requestBody: {
            required: true,
            content: { ...jsonBody('ScriptUpload'), 'text/plain': rawText, 'application/x-fountain': rawText, 'application/octet-stream': rawText },
          },
          responses: {
            201: ok('the stored script', 'Script', true),
            ...errors({
              400: 'invalid JSON or fields, an empty, binary or non-UTF-8 script',
              413: 'larger than the upload limit',
              415: 'a content type other than JSON or text',
              422: 'too many scenes, or a scene too long',
            }),
          },
        },
      },
      '/api/scripts/{id}': {
        get: {
          operationId: 'getScript',
          tags: ['scripts'],
          summary: 'A script',
          parameters: [idParameter('script')],
          responses: { 200: ok('the script', 'Script'), ...errors({ 404: notFound('script') }) },
        },
      },
      '/api/scripts/{id}/scenes': {
        get: {
          operationId: 'listScenes',
          tags: ['scripts'],
          summary: "A script's scenes in order, each with its latest summary",
          parameters: [idParameter('script')],
          responses: { 200: ok('the scenes', 'SceneList'), ...errors({ 404: notFound('script') }) },
        },
      },
      '/api/scripts/{id}/analyze': {
        post: {
          operationId: 'analyzeScript',
          tags: ['scripts'],
          summary: 'Start a full or partial analysis of a script',
          parameters: [idParameter('script')],
          requestBody: { required: false, content: jsonBody('AnalyzeRequest') },
          responses: {
            202: ok('the job, queued', 'AnalysisAccepted', true),
            ...errors({ 400: 'invalid fields', 404: notFound('script'), 503: 'the job queue is not reachable; nothing was queued' }),
          },
        },
      },
      '/api/jobs/{id}': {
        get: {
          operationId: 'getJob',
          tags: ['jobs'],
          summary: 'A job: status, counts, per-scene outcomes, errors by type, duration, tokens, cost, trace link',
          parameters: [idParameter('job')],
          responses: { 200: ok('the job', 'Job'), ...errors({ 404: notFound('job') }) },
        },
      },
      '/api/jobs/{id}/events': {
        get: {
          operationId: 'followJob',
          tags: ['jobs'],
          summary: "A job's progress as Server-Sent Events",
          description:
            'First a `progress` event with the current state, then a `progress` event whenever the counts change, a `scene` ' +
            "event with each scene's outcome as it happens, and finally `end` (the terminal status) before the server closes " +
            'the stream. A job that has already ended gets `progress` and `end` at once. Comment lines every 15 s keep it open.',
          parameters: [idParameter('job')],
          responses: {
            200: {
              description: 'the event stream',
              content: {
                'text/event-stream': {
                  schema: { type: 'string' },
                  'x-events': { progress: ref('ProgressEvent'), scene: ref('SceneEvent'), end: ref('ProgressEvent') },
                },
              },
            },
            ...errors({ 404: notFound('job') }),
          },
        },
      },
      '/api/jobs/{id}/cancel': {
        post: {
          operationId: 'cancelJob',
          tags: ['jobs'],
          summary: 'Stop a job: its queued scenes are cancelled, scenes in flight finish',
          parameters: [idParameter('job')],
          responses: {
            202: ok('the cancellation is on its way', 'CancelAccepted'),
            ...errors({ 404: notFound('job'), 409: 'the job has already ended (`job_finished`)' }),
          },
        },
      },
      '/api/jobs/{id}/retry-failed': {
        post: {
          operationId: 'retryFailedScenes',
          tags: ['jobs'],
          summary: 'Start a new job for the scenes that failed or were cancelled in this one',
          parameters: [idParameter('job')],
          responses: {
            202: ok('the new job, queued', 'RetryAccepted', true),
            ...errors({
              404: notFound('job'),
              409: 'the job is still running (`job_running`), or has no failed or cancelled scenes (`nothing_to_retry`)',
              503: 'the job queue is not reachable; nothing was queued',
            }),
          },
        },
      },
      '/api/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          tags: ['meta'],
          summary: 'This document',
          responses: { 200: { description: 'the OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
    components: {
      schemas: { ...componentSchemas(requestSchemas, 'input'), ...componentSchemas(responseSchemas, 'output') },
    },
  };
}

export function openApiRoutes(): Router {
  const router = Router();
  const document = buildOpenApiDocument();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  return router;
}
