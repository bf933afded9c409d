import type { Logger } from '@scenewise/telemetry';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { callerOf } from './auth';
import { ApiError } from './http-errors';

export interface RateLimitOptions {
  /** Requests a caller may make per minute; 0 turns the limit off. */
  perMinute: number;
  logger: Logger;
  /** @default 60000 */
  windowMs?: number;
}

const passThrough: RequestHandler = (_req, _res, next) => next();

/**
 * At most `perMinute` requests per minute for each API key, or for each client IP when the
 * caller has no valid key (open mode, or a request about to be refused with 401). Runs after
 * `identifyCaller`. Every response carries `RateLimit-*` and `X-RateLimit-*` headers; a 429
 * also carries `Retry-After`. Counts live in this process's memory (one API instance; behind
 * several, give each its share of the limit).
 */
export function rateLimiter(options: RateLimitOptions): RequestHandler {
  if (options.perMinute === 0) return passThrough;
  const { logger } = options;
  return rateLimit({
    windowMs: options.windowMs ?? 60_000,
    limit: options.perMinute,
    standardHeaders: 'draft-6',
    legacyHeaders: true,
    keyGenerator: (req, res) => {
      const { keyId } = callerOf(res);
      return keyId ? `key:${keyId}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (_req, res, next) => {
      const retryAfter = res.getHeader('retry-after');
      next(
        new ApiError(
          429,
          'rate_limited',
          `too many requests: at most ${options.perMinute} a minute; try again in ${retryAfter ?? 'a few'} seconds`,
        ),
      );
    },
    logger: {
      warn: (err: unknown) => logger.warn({ err }, 'rate limiter warning'),
      error: (err: unknown) => logger.error({ err }, 'rate limiter error'),
    },
  });
}
