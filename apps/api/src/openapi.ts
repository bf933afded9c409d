import { serviceVersion } from '@scenewise/service-runtime';
import { Router } from 'express';
import { z } from 'zod';
import { DeadLettersQuerySchema } from './routes/dead-letters.routes';
import { requestSchemas, responseSchemas } from './openapi-schemas';
import { RawUploadQuerySchema } from './script-upload';

export * from './openapi-schemas';

/** The OpenAPI 3.1 document, built from the zod schemas in openapi-schemas.ts. */

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

/** A zod object as OpenAPI query parameters, described by `description` or by each field's own. */
function queryParameters(schema: z.ZodObject, description?: string) {
  const json = z.toJSONSchema(schema, { io: 'input', override: tidy }) as { properties: Record<string, { description?: string }>; required?: string[] };
  return Object.entries(json.properties).map(([name, { description: own, ...property }]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    description: description ?? own,
    schema: property,
  }));
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const jsonBody = (id: string) => ({ 'application/json': { schema: ref(id) } });
const header = (description: string, schema: object = { type: 'string' }) => ({ description, schema });
const integer = { type: 'integer', minimum: 0 };
const ok = (description: string, id: string, kind: 'plain' | 'created' | 'idempotent' = 'plain') => ({
  description,
  content: jsonBody(id),
  ...(kind === 'plain'
    ? {}
    : {
        headers: {
          Location: header('where to read it'),
          ...(kind === 'idempotent'
            ? { 'Idempotent-Replayed': header('`true` when this is the stored response to an earlier request with the same `Idempotency-Key`', { type: 'string', enum: ['true'] }) }
            : {}),
        },
      }),
});
const problem = (description: string, headers?: Record<string, object>) => ({ description, ...(headers ? { headers } : {}), content: jsonBody('Error') });
const rateLimited = problem('too many requests from this API key (or client IP when the API is open): wait `Retry-After` seconds', {
  'Retry-After': header('seconds until the limit resets', integer),
  'RateLimit-Limit': header('requests allowed per window', integer),
  'RateLimit-Remaining': header('requests left in this window', integer),
  'RateLimit-Reset': header('seconds until the window resets', integer),
});
const unauthorized = problem('no API key, or one that is not valid (`unauthorized`; only when the API has keys)', {
  'WWW-Authenticate': header('`Bearer realm="scenewise"`, with `error="invalid_token"` for a wrong key'),
});
const errors = (codes: Record<number, string>) => ({
  ...Object.fromEntries(Object.entries(codes).map(([code, description]) => [code, problem(description)])),
  401: unauthorized,
  429: rateLimited,
  default: problem('any other error (500 internal_error, …), in the same shape'),
});
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: the same key with the same request returns the original response (with `Idempotent-Replayed: true`) ' +
    'instead of creating something again; the same key with a different request is a 422. Keys are per API key.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]+$' },
};
const badKey = 'a malformed `Idempotency-Key` (`invalid_idempotency_key`)';
const reusedKey = 'the `Idempotency-Key` was already used for a different request (`idempotency_key_reused`)';
const idParameter = (what: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description: `the ${what}'s id (anything else than a UUID is a 404)`,
  schema: { type: 'string', format: 'uuid' },
});
const notFound = (what: string) => `no ${what} with that id`;
const rawText = { schema: { type: 'string' } };
const rawUploadQuery = () => queryParameters(RawUploadQuerySchema, 'only for a raw text body; a JSON body carries it as a field');
const scriptBody = { ...jsonBody('ScriptUpload'), 'text/plain': rawText, 'application/x-fountain': rawText, 'application/octet-stream': rawText };

export function buildOpenApiDocument() {
  return {
    openapi: '3.1.1',
    info: {
      title: 'scenewise API',
      version: serviceVersion,
      description:
        'Screenplays in, a Claude summary for every scene out. Errors are always `{ error: { type, message, details? } }`. ' +
        'Every request needs an API key (`Authorization: Bearer <key>`) unless the server runs without `API_KEYS`; ' +
        'requests are rate-limited per key, and every response says how many are left (`RateLimit-*`, `X-RateLimit-*`).',
    },
    tags: [{ name: 'scripts' }, { name: 'jobs' }, { name: 'dead-letters' }, { name: 'meta' }],
    security: [{ bearerKey: [] }, { headerKey: [] }],
    paths: {
      '/api/scripts': {
        post: {
          operationId: 'uploadScript',
          tags: ['scripts'],
          summary: 'Upload a screenplay (Fountain or plain text) and split it into scenes',
          parameters: [...rawUploadQuery(), idempotencyKey],
          requestBody: { required: true, content: scriptBody },
          responses: {
            201: ok('the stored script (or, for a retried `Idempotency-Key`, the one stored the first time)', 'Script', 'idempotent'),
            ...errors({
              400: `invalid JSON or fields, an empty, binary or non-UTF-8 script, or ${badKey}`,
              413: 'larger than the upload limit',
              415: 'a content type other than JSON or text',
              422: `too many scenes, or a scene too long; or ${reusedKey}`,
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
        put: {
          operationId: 'reviseScript',
          tags: ['scripts'],
          summary: "Replace a script's text with a revision; unchanged scenes keep their summaries",
          description:
            'Takes the same bodies as an upload. Scenes are paired with the stored ones: the same text (wherever it moved) is ' +
            'unchanged and keeps its summaries; a changed scene between the same unchanged neighbours (the one with the same ' +
            'heading first, the others in order when their number is the same) or with the same heading elsewhere is edited and ' +
            'keeps its identity with the new text; the rest are added or removed. A partial analysis afterwards summarizes ' +
            'exactly the edited and added scenes. Removed scenes leave the script, but past jobs keep listing them. ' +
            'All or nothing: a refused revision changes nothing. Sending the same revision again changes nothing either.',
          parameters: [idParameter('script'), ...rawUploadQuery()],
          requestBody: { required: true, content: scriptBody },
          responses: {
            200: ok('the revised script, with counts of unchanged, edited, added and removed scenes', 'ScriptRevision'),
            ...errors({
              400: 'invalid JSON or fields, or an empty, binary or non-UTF-8 script',
              404: notFound('script'),
              409: 'an analysis of the script is queued or running (`script_being_analyzed`): revise it once the job has ended',
              413: 'larger than the upload limit',
              415: 'a content type other than JSON or text',
              422: 'too many scenes, or a scene too long',
            }),
          },
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
          parameters: [idParameter('script'), idempotencyKey],
          requestBody: { required: false, content: jsonBody('AnalyzeRequest') },
          responses: {
            202: ok('the job, queued (or, for a retried `Idempotency-Key`, the job queued the first time)', 'AnalysisAccepted', 'idempotent'),
            ...errors({
              400: `invalid fields, or ${badKey}`,
              404: notFound('script'),
              422: reusedKey,
              503: 'the job queue is not reachable; nothing was queued (a retry with the same `Idempotency-Key` queues it)',
            }),
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
          parameters: [idParameter('job'), idempotencyKey],
          responses: {
            202: ok('the new job, queued (or, for a retried `Idempotency-Key`, the job queued the first time)', 'RetryAccepted', 'idempotent'),
            ...errors({
              400: badKey,
              404: notFound('job'),
              422: reusedKey,
              409: 'the job is still running (`job_running`), or has no failed or cancelled scenes still in the script (`nothing_to_retry`)',
              503: 'the job queue is not reachable; nothing was queued',
            }),
          },
        },
      },
      '/api/dead-letters': {
        get: {
          operationId: 'listDeadLetters',
          tags: ['dead-letters'],
          summary: 'Messages no service could process (invalid, or given up on after retries), newest first, each with its reason',
          parameters: queryParameters(DeadLettersQuerySchema),
          responses: {
            200: ok('the dead letters', 'DeadLetterList'),
            ...errors({ 400: 'an invalid `limit` or `before`', 503: 'the dead-letter stream cannot be read right now' }),
          },
        },
      },
      '/api/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          tags: ['meta'],
          summary: 'This document (needs no API key)',
          security: [],
          responses: {
            200: { description: 'the OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } },
            429: rateLimited,
          },
        },
      },
    },
    components: {
      schemas: { ...componentSchemas(requestSchemas, 'input'), ...componentSchemas(responseSchemas, 'output') },
      securitySchemes: {
        bearerKey: { type: 'http', scheme: 'bearer', description: 'An API key from the server\'s `API_KEYS`, as `Authorization: Bearer <key>`.' },
        headerKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'The same key in the `x-api-key` header instead.' },
      },
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
