import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl } from './control-route';
import { handleCountTokens } from './count-tokens-route';
import { ApiError, newRequestId } from './errors';
import { errorReply, type Exchange, type Route } from './exchange';
import { sendJson } from './http';
import { handleMessages } from './messages-route';
import { handleModels } from './models-route';
import type { ConfigPatch, LocalConfig } from './options';
import { LocalState } from './state';
import type { Route as StatsRoute, Stats } from './stats';

export interface AnthropicLocalOptions extends ConfigPatch {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
}

export interface AnthropicLocal {
  /** Base URL for the SDK, e.g. `new Anthropic({ baseURL: url })`. */
  url: string;
  port: number;
  stats(): Stats;
  /** Zeroes the stats, refills the rate limits and restarts the fault sequence from the seed. */
  reset(): void;
  /** Merges a patch into the running config; throws InvalidConfigError and keeps the old one. */
  configure(patch: ConfigPatch): LocalConfig;
  config(): LocalConfig;
  /** Stops listening and destroys every open connection, hung ones included. Idempotent. */
  close(): Promise<void>;
}

function matchRoute(method: string, path: string): { route: Route; counted?: StatsRoute } | undefined {
  if (method === 'POST' && path === '/v1/messages') return { route: handleMessages, counted: 'messages' };
  if (method === 'POST' && path === '/v1/messages/count_tokens') return { route: handleCountTokens, counted: 'count_tokens' };
  if (method === 'GET' && (path === '/v1/models' || path.startsWith('/v1/models/'))) {
    return { route: handleModels, counted: 'models' };
  }
  if (path.startsWith('/_local/')) return { route: handleControl };
  return undefined;
}

/** Starts the local Anthropic-compatible server. Throws InvalidConfigError on bad options. */
export async function startAnthropicLocal(options: AnthropicLocalOptions = {}): Promise<AnthropicLocal> {
  const { port = 0, host = '127.0.0.1', ...patch } = options;
  const state = new LocalState(patch);
  const open = new Set<AbortController>();

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = newRequestId();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const matched = matchRoute(req.method ?? 'GET', url.pathname);
    const controller = new AbortController();
    open.add(controller);
    const call = matched?.counted ? state.stats.begin(matched.counted) : undefined;
    res.on('finish', () => call?.end(res.statusCode));
    res.on('close', () => {
      call?.abandon();
      controller.abort();
      open.delete(controller);
    });

    if (!matched) {
      const reply = errorReply(new ApiError('not_found_error', `Not found: ${req.method} ${url.pathname}`), requestId);
      if ('status' in reply) sendJson(res, reply.status, reply.body, requestId, reply.headers);
      return;
    }
    const ex: Exchange = { req, res, url, requestId, signal: controller.signal, state, call };
    matched
      .route(ex)
      .catch(() => errorReply(new ApiError('api_error', 'Internal server error'), requestId))
      .then((reply) => {
        if ('noReply' in reply) return;
        sendJson(res, reply.status, reply.body, requestId, reply.headers);
      });
  };

  const server = createServer(onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${bound}`,
    port: bound,
    stats: () => state.stats.snapshot(),
    reset: () => state.reset(),
    configure: (p) => state.configure(p),
    config: () => structuredClone(state.config),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const controller of open) controller.abort();
        server.closeAllConnections();
      })),
  };
}
