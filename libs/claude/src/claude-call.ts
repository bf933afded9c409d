import type Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, StopReason } from '@anthropic-ai/sdk/resources/messages';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { pipelineMetrics, withSpan } from '@scenewise/telemetry';
import { classifyError } from './classify-error';
import { type RateLimitReading, readRateLimitHeaders } from './rate-limit-headers';
import { extractJson, readOutput, type StructuredOutput } from './structured-output';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface CallRequest<T> {
  model: string;
  system: string;
  messages: MessageParam[];
  output: StructuredOutput<T>;
  maxTokens: number;
  /** Ask the API for schema-guaranteed JSON (`output_config.format`); off, the prompt asks for it. */
  structuredOutputs: boolean;
  attempt: number;
}

/** Why an answer that came back (HTTP 200) cannot be used. */
export type UnusableAnswer =
  | { type: 'output_truncated'; message: string }
  | { type: 'refused'; message: string }
  | { type: 'invalid_output'; message: string };

export interface CallAnswer<T> {
  /** The output, read leniently; absent when the answer cannot be used. */
  output?: T;
  unusable?: UnusableAnswer;
  /** What was mended to bring the output within its caps. */
  repairs: string[];
  stopReason: StopReason | null;
  /** The model that answered, as the API reports it. */
  responseModel: string;
  requestId: string | undefined;
  usage: TokenUsage;
  latencyMs: number;
  /** The response's `anthropic-ratelimit-*` headers, for pacing the next calls. */
  rateLimits: RateLimitReading;
}

function judge<T>(request: CallRequest<T>, stopReason: StopReason | null, text: string): Pick<CallAnswer<T>, 'output' | 'unusable' | 'repairs'> {
  if (stopReason === 'refusal') {
    return { unusable: { type: 'refused', message: 'the model declined to answer (stop_reason "refusal")' }, repairs: [] };
  }
  if (stopReason === 'max_tokens') {
    return { unusable: { type: 'output_truncated', message: `the answer was cut off at max_tokens (${request.maxTokens})` }, repairs: [] };
  }
  const json = extractJson(text, request.structuredOutputs);
  if (!json.ok) return { unusable: { type: 'invalid_output', message: json.problem }, repairs: [] };
  const reading = readOutput(request.output.schema, json.json);
  if (!reading.ok) return { unusable: { type: 'invalid_output', message: `the answer has no usable ${reading.problem}` }, repairs: [] };
  return { output: reading.value, repairs: reading.repairs };
}

/**
 * One Messages API call in a span that follows the OpenTelemetry GenAI conventions. An HTTP
 * error throws (classified by the caller); an answer that came back is returned, usable or not,
 * with its usage, since it was paid for. Prompts and answers stay out of the span (user data).
 */
export function callClaude<T>(client: Anthropic, request: CallRequest<T>): Promise<CallAnswer<T>> {
  const metricAttributes: Record<string, string> = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.request.model': request.model,
  };
  return withSpan(
    `chat ${request.model}`,
    async (span) => {
      const started = performance.now();
      const metrics = pipelineMetrics();
      try {
        const { data: message, response, request_id: requestId } = await client.messages
          .create({
            model: request.model,
            max_tokens: request.maxTokens,
            system: request.system,
            messages: request.messages,
            ...(request.structuredOutputs ? { output_config: { format: request.output.format } } : {}),
          })
          .withResponse();
        const latencyMs = Math.round(performance.now() - started);
        const usage: TokenUsage = {
          inputTokens: message.usage.input_tokens,
          outputTokens: message.usage.output_tokens,
          cacheReadTokens: message.usage.cache_read_input_tokens ?? 0,
          cacheWriteTokens: message.usage.cache_creation_input_tokens ?? 0,
        };
        // GenAI conventions count cached input as input.
        const inputTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
        span.setAttributes({
          'gen_ai.response.model': message.model,
          'gen_ai.response.id': message.id,
          'gen_ai.response.finish_reasons': [message.stop_reason ?? 'unknown'],
          'gen_ai.usage.input_tokens': inputTokens,
          'gen_ai.usage.output_tokens': usage.outputTokens,
          'gen_ai.usage.cache_read.input_tokens': usage.cacheReadTokens,
          'gen_ai.usage.cache_creation.input_tokens': usage.cacheWriteTokens,
          ...(requestId ? { 'http.response.header.request-id': [requestId] } : {}),
        });
        metricAttributes['gen_ai.response.model'] = message.model;
        metrics.genAiTokenUsage.record(inputTokens, { ...metricAttributes, 'gen_ai.token.type': 'input' });
        metrics.genAiTokenUsage.record(usage.outputTokens, { ...metricAttributes, 'gen_ai.token.type': 'output' });

        const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
        const verdict = judge(request, message.stop_reason, text);
        if (verdict.unusable) {
          span.setAttribute('error.type', verdict.unusable.type);
          span.setStatus({ code: SpanStatusCode.ERROR, message: verdict.unusable.message });
          metricAttributes['error.type'] = verdict.unusable.type;
        }
        metrics.genAiOperationDuration.record(latencyMs / 1000, metricAttributes);
        return { ...verdict, stopReason: message.stop_reason, responseModel: message.model, requestId: requestId ?? undefined, usage, latencyMs, rateLimits: readRateLimitHeaders(response.headers) };
      } catch (err) {
        const error = classifyError(err);
        if (error.requestId) span.setAttribute('http.response.header.request-id', [error.requestId]);
        metrics.genAiOperationDuration.record((performance.now() - started) / 1000, { ...metricAttributes, 'error.type': error.type });
        throw err;
      }
    },
    {
      kind: SpanKind.CLIENT,
      errorType: (err) => classifyError(err).type,
      attributes: {
        ...metricAttributes,
        'gen_ai.request.max_tokens': request.maxTokens,
        'gen_ai.output.type': 'json',
        'scenewise.attempt': request.attempt,
      },
    },
  );
}
