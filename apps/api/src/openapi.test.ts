import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildOpenApiDocument } from './openapi';
import { DeadLettersQuerySchema } from './routes/dead-letters.routes';
import { AnalyzeRequestSchema } from './routes/scripts.routes';
import { RawUploadQuerySchema, ScriptUploadSchema } from './script-upload';

const document = buildOpenApiDocument();
type Operation = { operationId?: string; parameters?: Array<{ name: string; in: string; schema: unknown }>; responses: Record<string, unknown> };
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item as Record<string, Operation>).map(([method, operation]) => ({ path, method, operation })),
);

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document whose references all resolve', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it('is refused by the validator when it is broken (the check is real)', async () => {
    const { info: _info, ...withoutInfo } = structuredClone(document);
    expect((await new Validator().validate(withoutInfo)).valid).toBe(false);
    const badStatus = structuredClone(document) as { paths: Record<string, Record<string, Operation>> };
    badStatus.paths['/api/scripts']!['post']!.responses = { 'two hundred': {} };
    expect((await new Validator().validate(badStatus)).valid).toBe(false);
  });

  it('takes its request schemas from the zod objects that validate the requests', () => {
    const asComponent = (schema: z.ZodType) => {
      const { $schema: _s, ...json } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
      return json;
    };
    const { schemas } = document.components;
    expect(schemas['ScriptUpload']).toMatchObject(asComponent(ScriptUploadSchema));
    expect(schemas['AnalyzeRequest']).toMatchObject(asComponent(AnalyzeRequestSchema));
    const query = asComponent(RawUploadQuerySchema) as { properties: Record<string, unknown> };
    for (const id of ['uploadScript', 'reviseScript']) {
      const operation = operations.find((o) => o.operation.operationId === id)!.operation;
      const queryParameters = operation.parameters?.filter((p) => p.in === 'query');
      expect(queryParameters?.map((p) => [p.name, p.in, p.schema]), id).toEqual(Object.entries(query.properties).map(([name, schema]) => [name, 'query', schema]));
    }
    const deadLetters = operations.find((o) => o.operation.operationId === 'listDeadLetters')!.operation;
    expect(deadLetters.parameters?.map((p) => p.name)).toEqual(Object.keys(DeadLettersQuerySchema.shape));
  });

  it('documents the defaults a request may leave out', () => {
    expect(document.components.schemas['AnalyzeRequest']).toMatchObject({
      properties: { mode: { default: 'full', enum: ['full', 'partial'] }, force: { default: false } },
      additionalProperties: false,
    });
    expect(document.components.schemas['ScriptUpload']).toMatchObject({ required: ['text'] });
  });

  it('names every operation and gives every one the shared error shape', () => {
    const ids = operations.map((o) => o.operation.operationId);
    expect(new Set(ids).size).toBe(operations.length);
    for (const { operation } of operations) {
      expect(operation.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      const errorResponses = Object.entries(operation.responses).filter(([code]) => code === 'default' || Number(code) >= 400);
      for (const [, response] of errorResponses) {
        expect(response).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
      }
    }
    expect(document.components.schemas['Error']).toMatchObject({
      properties: { error: { properties: { type: { type: 'string' }, message: { type: 'string' }, details: {} }, required: ['type', 'message'] } },
    });
  });

  it('covers every route the API serves, the live stream and the job actions included', () => {
    expect(operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort()).toEqual([
      'GET /api/dead-letters',
      'GET /api/jobs/{id}',
      'GET /api/jobs/{id}/events',
      'GET /api/openapi.json',
      'GET /api/scripts/{id}',
      'GET /api/scripts/{id}/scenes',
      'POST /api/jobs/{id}/cancel',
      'POST /api/jobs/{id}/retry-failed',
      'POST /api/scripts',
      'POST /api/scripts/{id}/analyze',
      'PUT /api/scripts/{id}',
    ]);
  });

  it('needs an API key everywhere but on the document itself, and says what 401 and 429 look like', () => {
    expect(document.security).toEqual([{ bearerKey: [] }, { headerKey: [] }]);
    expect(document.components.securitySchemes).toMatchObject({ bearerKey: { type: 'http', scheme: 'bearer' }, headerKey: { in: 'header', name: 'x-api-key' } });
    for (const { operation } of operations) {
      const open = operation.operationId === 'getOpenApiDocument';
      expect((operation as { security?: unknown }).security, operation.operationId).toEqual(open ? [] : undefined);
      expect(operation.responses['401'] !== undefined, operation.operationId).toBe(!open);
      expect(operation.responses['429'], operation.operationId).toMatchObject({ headers: { 'Retry-After': {} } });
    }
  });

  it('documents Idempotency-Key on every request that creates something', () => {
    const withKey = operations.filter((o) => o.operation.parameters?.some((p) => p.name === 'Idempotency-Key' && p.in === 'header'));
    expect(withKey.map((o) => o.operation.operationId).sort()).toEqual(['analyzeScript', 'retryFailedScenes', 'uploadScript']);
    for (const { operation } of withKey) {
      expect(JSON.stringify(operation.responses['422'])).toContain('idempotency_key_reused');
      const created = (operation.responses['201'] ?? operation.responses['202']) as { headers: Record<string, unknown> };
      expect(Object.keys(created.headers)).toContain('Idempotent-Replayed');
    }
  });

  it('keeps JSON Schema noise out: no $id, no $schema, no safe-integer bounds', () => {
    const text = JSON.stringify(document.components);
    expect(text).not.toMatch(/"\$id"|"\$schema"|9007199254740991/);
  });
});
