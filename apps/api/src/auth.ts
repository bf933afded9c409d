import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from '@scenewise/telemetry';
import type { RequestHandler, Response } from 'express';
import { ApiError } from './http-errors';

/**
 * Who is calling: `keyId` is a short, non-secret name for the API key (the first 8 hex digits
 * of its SHA-256), or null when the API runs open (no `API_KEYS`). The key itself is never kept.
 */
export interface Caller {
  keyId: string | null;
}

type AuthProblem = 'missing' | 'malformed' | 'invalid';

interface AuthLocals {
  caller?: Caller;
  authProblem?: AuthProblem;
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export const keyIdOf = (key: string) => sha256(key).toString('hex').slice(0, 8);

/** The caller identified for this request (open mode: `{ keyId: null }`). */
export function callerOf(res: Response): Caller {
  return (res.locals as AuthLocals).caller ?? { keyId: null };
}

/** What idempotency keys and logs are scoped to: the key id, or `open`. */
export const callerScope = (res: Response) => callerOf(res).keyId ?? 'open';

/** The presented key: `Authorization: Bearer <key>`, else `x-api-key`. */
function presentedKey(authorization: string | undefined, apiKeyHeader: string | string[] | undefined): string | AuthProblem {
  if (authorization !== undefined) {
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    return match ? match[1]! : 'malformed';
  }
  if (typeof apiKeyHeader === 'string' && apiKeyHeader.trim()) return apiKeyHeader.trim();
  return apiKeyHeader === undefined ? 'missing' : 'malformed';
}

/**
 * Identifies the caller and leaves the verdict on `res.locals`, so the rate limiter can count
 * refused requests per client IP before `requireCaller` refuses them. Keys are compared as
 * SHA-256 digests with `timingSafeEqual`, against every configured key, so neither a key's
 * length nor its position in the list shows in the timing.
 */
export function identifyCaller(apiKeys: readonly string[]): RequestHandler {
  const known = apiKeys.map((key) => ({ digest: sha256(key), keyId: keyIdOf(key) }));
  return (req, res, next) => {
    const locals = res.locals as AuthLocals;
    if (known.length === 0) {
      locals.caller = { keyId: null };
      return next();
    }
    const key = presentedKey(req.headers.authorization, req.headers['x-api-key']);
    if (key === 'missing' || key === 'malformed') {
      locals.authProblem = key;
      return next();
    }
    const digest = sha256(key);
    let keyId: string | null = null;
    for (const candidate of known) {
      if (timingSafeEqual(digest, candidate.digest) && keyId === null) keyId = candidate.keyId;
    }
    if (keyId) locals.caller = { keyId };
    else locals.authProblem = 'invalid';
    next();
  };
}

const refusals: Record<AuthProblem, [string, string]> = {
  missing: ['an API key is required: send it as "Authorization: Bearer <key>"', 'Bearer realm="scenewise"'],
  malformed: [
    'the API key must be sent as "Authorization: Bearer <key>" (or in the x-api-key header)',
    'Bearer realm="scenewise", error="invalid_request"',
  ],
  invalid: ['the API key is not valid', 'Bearer realm="scenewise", error="invalid_token"'],
};

/** Refuses, with 401, a request that `identifyCaller` could not identify. Never echoes the key. */
export function requireCaller(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const { caller, authProblem } = res.locals as AuthLocals;
    if (caller) return next();
    const problem = authProblem ?? 'missing';
    const [message, challenge] = refusals[problem];
    if (problem !== 'missing') {
      logger.warn({ ip: req.ip, method: req.method, path: req.path.slice(0, 200), problem }, 'request refused: bad API key');
    }
    res.setHeader('WWW-Authenticate', challenge);
    next(new ApiError(401, 'unauthorized', message));
  };
}

/** A logger that names the caller (by key id, never by key) on every line. */
export const callerLogger = (logger: Logger, res: Response) => logger.child({ caller: callerScope(res) });
