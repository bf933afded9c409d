import { ApiError } from './errors';
import { authorize, errorReply, type Exchange, type Reply } from './exchange';
import { readJsonBody } from './http';
import { estimateInputTokens, parseCountTokensRequest } from './messages';

/**
 * POST /v1/messages/count_tokens: the request of /v1/messages without max_tokens, answered
 * `{input_tokens}` with the estimate /v1/messages bills. Counting is free and rate-limited
 * apart from messages, so no spend limit, message rate limit, fault, latency or PRNG draw
 * touches it; it compiles no schema, so it checks none.
 */
export async function handleCountTokens(ex: Exchange): Promise<Reply> {
  const { state } = ex;
  try {
    authorize(ex);
    const request = parseCountTokensRequest(await readJsonBody(ex.req, state.config.maxRequestBytes));
    state.catalogue.resolve(request.model);
    return { status: 200, body: { input_tokens: estimateInputTokens(request) } };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return errorReply(err, ex.requestId, {}, state.config.faults.shouldRetry);
  }
}
