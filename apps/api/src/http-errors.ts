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
  const fields = result.error.issues.slice(0, 20).map((issue) => ({
    field: shorten(issue.path.join('.')) || where,
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.map(shorten).join(', ')}` : issue.message,
  }));
  throw new ApiError(
    400,
    'invalid_request',
    fields.map((f) => (f.field === where ? f.message : `${f.field}: ${f.message}`)).join('; '),
    { fields },
  );
}

/** A field name as the client sent it, cut short: an error must not echo a megabyte back. */
const shorten = (name: string) => (name.length > 100 ? `${name.slice(0, 100)}…` : name);

// body-parser's error types, as clients should see them.
const bodyParserErrors: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'invalid_json', 'the request body is not valid JSON'],
  'entity.too.large': [413, 'payload_too_large', 'the request body is larger than the limit'],
  'encoding.unsupported': [415, 'unsupported_media_type', 'the request body encoding is not supported'],
  'charset.unsupported': [415, 'unsupported_media_type', 'the request body charset is not supported (use UTF-8)'],
  'request.aborted': [400, 'request_aborted', 'the request was aborted'],
  'request.size.invalid': [400, 'invalid_request', 'the request body does not match its Content-Length'],
};

/**
 * Other client errors from the HTTP layer: the router's URIError for a bad %-escape in the path,
 * body-parser's `http-errors` (`expose: true`) such as a corrupt gzip body. Errors from anything
 * else (a NATS error with a 404 status, say) stay 500s.
 */
function clientError(err: unknown): ApiError | undefined {
  const { status, expose } = (err ?? {}) as { status?: unknown; expose?: unknown };
  if (!(err instanceof URIError) && expose !== true) return undefined;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (status === 413) return new ApiError(413, 'payload_too_large', 'the request body is larger than the limit');
  if (status === 415) return new ApiError(415, 'unsupported_media_type', 'the request body encoding or charset is not supported');
  return new ApiError(status === 404 ? 404 : 400, status === 404 ? 'not_found' : 'invalid_request', 'the request is malformed');
}

export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'not_found', `no route ${req.method} ${req.path}`));
};

/** What the client is told: an ApiError as it is, a known client error mapped, anything else undefined. */
function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  const type = (err as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && bodyParserErrors[type]) {
    const [status, apiType, message] = bodyParserErrors[type]!;
    return new ApiError(status, apiType, type === 'entity.too.large' ? `${message} (${(err as { limit?: number }).limit} bytes)` : message);
  }
  return clientError(err);
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let apiError = toApiError(err);
    if (!apiError) {
      logger.error({ err, method: req.method, path: req.path, caller: res.locals['caller']?.keyId }, 'request failed');
      // Internal details (and anything secret in them) stay in the log.
      apiError = new ApiError(500, 'internal_error', 'the server could not complete the request');
    }
    if (res.headersSent) return;
    res.status(apiError.status).json({
      error: { type: apiError.type, message: apiError.message, ...(apiError.details !== undefined ? { details: apiError.details } : {}) },
    });
  };
}
