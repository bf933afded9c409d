import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { callerScope } from './auth';
import { ApiError } from './http-errors';

/**
 * `Idempotency-Key` on the requests that create something (an upload, an analysis, a retry):
 * the key is stored with the row it created, scoped to the caller, with a hash of the request.
 * A retry with the same key and the same request gets the original response again (marked
 * `Idempotent-Replayed: true`); the same key with another request is a 422. Two requests racing
 * with one key create one row: the database's unique index decides, and the loser replays.
 */

export interface Idempotency {
  /** What is stored: `<caller scope>:<header value>`. */
  key: string;
  requestHash: string;
}

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

const validKey = /^[\x20-\x7e]{1,255}$/;

/** SHA-256 over the parts, each length-prefixed so that ("ab", "c") and ("a", "bc") differ. */
export function hashRequest(...parts: Array<string | Buffer | number | boolean | null | undefined>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const bytes = Buffer.isBuffer(part) ? part : Buffer.from(part === undefined || part === null ? '\u0000' : String(part), 'utf8');
    hash.update(`${bytes.length}:`).update(bytes);
  }
  return hash.digest('hex');
}

/** The request's idempotency key, scoped to its caller; undefined without the header, 400 when malformed. */
export function readIdempotency(req: Request, res: Response, requestHash: string): Idempotency | undefined {
  const header = req.headers[IDEMPOTENCY_HEADER.toLowerCase()];
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !validKey.test(header)) {
    throw new ApiError(400, 'invalid_idempotency_key', `${IDEMPOTENCY_HEADER} must be 1 to 255 printable ASCII characters`, {
      fields: [{ field: IDEMPOTENCY_HEADER, message: 'must be 1 to 255 printable ASCII characters' }],
    });
  }
  return { key: `${callerScope(res)}:${header}`, requestHash };
}

export const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === 'P2002';

interface StoredRow {
  idempotencyRequestHash: string | null;
}

export interface IdempotentSteps<Row extends StoredRow, Result> {
  /** The row stored under this key, if any. */
  find(key: string): Promise<Row | null>;
  /** Does the work, storing `key` and `requestHash` on the row it creates. */
  create(): Promise<Result>;
  /** The original response, rebuilt from the stored row. */
  replay(row: Row): Promise<Result> | Result;
}

/** Runs `create` once per idempotency key; a retry of the same request gets `replay` instead. */
export async function runIdempotent<Row extends StoredRow, Result>(
  idempotency: Idempotency | undefined,
  steps: IdempotentSteps<Row, Result>,
): Promise<{ result: Result; replayed: boolean }> {
  if (!idempotency) return { result: await steps.create(), replayed: false };
  const replayStored = async (row: Row) => {
    if (row.idempotencyRequestHash !== idempotency.requestHash) {
      throw new ApiError(
        422,
        'idempotency_key_reused',
        `this ${IDEMPOTENCY_HEADER} was already used for a different request; send a new key for a new request`,
      );
    }
    return { result: await steps.replay(row), replayed: true };
  };
  const stored = await steps.find(idempotency.key);
  if (stored) return replayStored(stored);
  try {
    return { result: await steps.create(), replayed: false };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // Another request with the same key got there first.
    const winner = await steps.find(idempotency.key);
    if (!winner) throw err;
    return replayStored(winner);
  }
}

/** Marks a replayed response, so a client can tell it got the original result again. */
export function markReplayed(res: Response, replayed: boolean): void {
  if (replayed) res.setHeader('Idempotent-Replayed', 'true');
}
