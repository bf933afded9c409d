import { ApiError } from './errors';
import { errorReply, type Exchange, type Reply } from './exchange';
import { readJsonBody } from './http';
import { InvalidConfigError } from './options';

/**
 * The control API under /_local, for tests and benchmarks in other processes:
 * GET stats, POST reset, GET and PATCH config.
 */
export async function handleControl(ex: Exchange): Promise<Reply> {
  const { state } = ex;
  const route = `${ex.req.method} ${ex.url.pathname}`;
  try {
    switch (route) {
      case 'GET /_local/stats':
        return { status: 200, body: state.stats.snapshot() };
      case 'POST /_local/reset':
        state.reset();
        return { status: 200, body: state.stats.snapshot() };
      case 'GET /_local/config':
        return { status: 200, body: state.config };
      case 'PATCH /_local/config': {
        const patch = await readJsonBody(ex.req, 1024 * 1024);
        try {
          return { status: 200, body: state.configure(patch) };
        } catch (err) {
          if (err instanceof InvalidConfigError) throw new ApiError('invalid_request_error', err.message);
          throw err;
        }
      }
      default:
        throw new ApiError('not_found_error', `Not found: ${route}`);
    }
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return errorReply(err, ex.requestId);
  }
}
