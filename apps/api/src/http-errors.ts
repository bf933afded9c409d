import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '@scenewise/telemetry';
import { z } from 'zod';

/** Every error response has this one shape: `{ error: { type, message, details } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) => new ApiError(404, 'not_found', `no ${what} with id "${id}"`);

/** Validates a request body or query; a failure is a 400 that names each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where = 'body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    field: issue.path.join('.') || where,
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  throw new ApiError(
    400,
    'invalid_request',
    fields.map((f) => (f.field === where ? f.message : `${f.field}: ${f.message}`)).join('; '),
    { fields },
  );
}

// body-parser's error types, as clients should see them.
const bodyParserErrors: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'invalid_json', 'the request body is not valid JSON'],
  'entity.too.large': [413, 'payload_too_large', 'the request body is larger than the limit'],
  'encoding.unsupported': [415, 'unsupported_media_type', 'the request body encoding is not supported'],
  'charset.unsupported': [415, 'unsupported_media_type', 'the request body charset is not supported (use UTF-8)'],
  'request.aborted': [400, 'request_aborted', 'the request was aborted'],
};

export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'not_found', `no route ${req.method} ${req.path}`));
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let apiError: ApiError;
    if (err instanceof ApiError) {
      apiError = err;
    } else if (typeof err?.type === 'string' && bodyParserErrors[err.type]) {
      const [status, type, message] = bodyParserErrors[err.type]!;
      apiError = new ApiError(status, type, err.type === 'entity.too.large' ? `${message} (${err.limit} bytes)` : message);
    } else {
      logger.error({ err, method: req.method, path: req.path }, 'request failed');
      // Internal details (and anything secret in them) stay in the log.
      apiError = new ApiError(500, 'internal_error', 'the server could not complete the request');
    }
    if (res.headersSent) return;
    res.status(apiError.status).json({
      error: { type: apiError.type, message: apiError.message, ...(apiError.details !== undefined ? { details: apiError.details } : {}) },
    });
  };
}
