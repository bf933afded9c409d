import { ApiError } from './errors';
import { authorize, errorReply, type Exchange, type Reply } from './exchange';
import { answerMessage, buildMessage } from './answer';
import { readJsonBody, sleep, untilAborted } from './http';
import { estimateInputTokens, parseMessagesRequest } from './messages';

const toRfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function firstOfNextMonthUtc(now: Date): string {
  return toRfc3339(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

/**
 * POST /v1/messages. The fault, jitter and oversize are drawn before anything else (before the
 * first await), so they depend only on the seed and the order in which requests arrive.
 */
export async function handleMessages(ex: Exchange): Promise<Reply> {
  const { state } = ex;
  const draw = state.injector.draw(state.config.faults, state.config.jitterMs, state.config.oversizeRate);
  try {
    authorize(ex);
    const body = await readJsonBody(ex.req, state.config.maxRequestBytes);
    const config = state.config;
    if (config.spendLimitReached) {
      // Not worth retrying: no retry-after, and x-should-retry: false, as with the real monthly cap.
      throw new ApiError(
        'rate_limit_error',
        `Your organization has reached its monthly API usage limit. Access resumes at ${firstOfNextMonthUtc(new Date())}.`,
        { errorCode: 'enforced_spend_limit_reached' },
      );
    }
    const request = parseMessagesRequest(body);
    if (ex.call) ex.call.model = request.model;
    const model = state.catalogue.resolve(request.model);
    if (ex.call) ex.call.model = model.id;

    const inputTokens = estimateInputTokens(request);
    if (inputTokens > config.maxInputTokens) {
      throw new ApiError('invalid_request_error', `prompt is too long: ${inputTokens} tokens > ${config.maxInputTokens} maximum`);
    }

    const admission = state.limiter.admit(inputTokens);
    if (!admission.ok) {
      const unit = admission.limit === 'requests' ? 'requests' : admission.limit.replace('-', ' ');
      throw new ApiError(
        'rate_limit_error',
        `This request would exceed the rate limit of ${admission.capacity} ${unit} per minute. Retry after ${admission.retryAfterSeconds}s.`,
        { headers: { 'retry-after': String(admission.retryAfterSeconds), 'retry-after-ms': String(admission.retryAfterMs) } },
      );
    }

    switch (draw.fault) {
      case 'hang':
        ex.call?.hang();
        await untilAborted(ex.signal);
        return { noReply: true };
      case 'rateLimit': {
        const wait = config.faults.retryAfterSeconds;
        throw new ApiError('rate_limit_error', 'This request would exceed your rate limit (injected by the local server).', {
          headers: {
            'retry-after': String(wait),
            // The SDK reads retry-after-ms first.
            'retry-after-ms': String(wait * 1000),
            'anthropic-ratelimit-requests-remaining': '0',
            'anthropic-ratelimit-requests-reset': toRfc3339(Math.ceil((Date.now() + wait * 1000) / 1000) * 1000),
          },
        });
      }
      default:
        break;
    }

    await sleep(config.latencyMs + draw.jitterMs, ex.signal);
    if (ex.signal.aborted) return { noReply: true };
    if (draw.fault === 'apiError') throw new ApiError('api_error', 'Internal server error');
    if (draw.fault === 'overloaded') throw new ApiError('overloaded_error', 'Overloaded');

    const answer = answerMessage(request, { refusalMarker: config.refusalMarker, oversize: draw.oversize });
    const message = buildMessage({ model: model.id, inputTokens, answer });
    state.limiter.recordOutput(message.usage.output_tokens);
    return { status: 200, body: message, headers: state.limiter.headers() };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return errorReply(err, ex.requestId, state.limiter.headers(), state.config.faults.shouldRetry);
  }
}
