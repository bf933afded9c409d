import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors';
import type { LocalState } from './state';
import type { CallRecord } from './stats';

/** One request as the routes see it. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  requestId: string;
  /** Aborts when the client disconnects or the server closes. */
  signal: AbortSignal;
  state: LocalState;
  /** The stats record of an API call (undefined for the control API). */
  call: CallRecord | undefined;
}

/** What a route answers: a JSON reply, or none (an injected hang, or a client that left). */
export type Reply = { status: number; body: unknown; headers?: Record<string, string> } | { noReply: true };

export type Route = (ex: Exchange) => Promise<Reply>;

/** Checks `x-api-key` (or a bearer token) when the server is configured with a key. */
export function authorize(ex: Exchange): void {
  const expected = ex.state.config.apiKey;
  if (expected === null) return;
  const header = ex.req.headers['x-api-key'];
  const bearer = /^Bearer\s+(.+)$/i.exec(ex.req.headers.authorization ?? '')?.[1];
  const key = (Array.isArray(header) ? header[0] : header) ?? bearer;
  if (key === undefined) throw new ApiError('authentication_error', 'x-api-key header is required');
  if (key !== expected) throw new ApiError('authentication_error', 'invalid x-api-key');
}

/** An error answer with its `x-should-retry`: the error's own, unless `shouldRetry` overrides it. */
export function errorReply(err: ApiError, requestId: string, headers: Record<string, string> = {}, shouldRetry: boolean | null = null): Reply {
  const retry = String(shouldRetry ?? err.shouldRetry);
  return { status: err.status, body: err.toBody(requestId), headers: { ...headers, ...err.options.headers, 'x-should-retry': retry } };
}
