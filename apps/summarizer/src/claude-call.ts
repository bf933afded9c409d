import type Anthropic from '@anthropic-ai/sdk';
import { SpanKind } from '@opentelemetry/api';
import { pipelineMetrics, withSpan } from '@scenewise/telemetry';
import { classifyError } from './classify-error';
import { type RateLimitReading, readRateLimitHeaders } from './rate-limits/rate-limit-headers';
import { buildSceneMessage, systemPrompt } from './prompt';
import { parseSummaryOutput, type SceneSummaryOutput } from './summary-output';

export interface ClaudeSummary {
  output: SceneSummaryOutput;
  /** The model that answered, as the API reports it. */
  responseModel: string;
  usage: { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number };
  latencyMs: number;
  /** The response's `anthropic-ratelimit-*` headers, for pacing the next calls. */
  rateLimits: RateLimitReading;
}

/**
 * One Messages API call for one scene, in a span that follows the OpenTelemetry GenAI
 * conventions. Scene text and summaries stay out of the span (they are the user's data).
 */
export function callClaude(
  client: Anthropic,
  request: { model: string; text: string; maxTokens: number; attempt: number },
): Promise<ClaudeSummary> {
  return withSpan(
    `chat ${request.model}`,
    async (span) => {
      const started = performance.now();
      const metricAttributes: Record<string, string> = {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': request.model,
      };
      try {
        const { data: message, response } = await client.messages
          .create({
            model: request.model,
            max_tokens: request.maxTokens,
            system: systemPrompt,
            messages: [{ role: 'user', content: buildSceneMessage({ text: request.text }) }],
          })
          .withResponse();
        const latencyMs = Math.round(performance.now() - started);
        const usage = {
          inputTokens: message.usage.input_tokens,
          outputTokens: message.usage.output_tokens,
          cacheReadTokens: message.usage.cache_read_input_tokens ?? 0,
          cacheWriteTokens: message.usage.cache_creation_input_tokens ?? 0,
        };
        span.setAttributes({
          'gen_ai.response.model': message.model,
          'gen_ai.response.id': message.id,
          'gen_ai.response.finish_reasons': [message.stop_reason ?? 'unknown'],
          // GenAI conventions count cached input as input.
          'gen_ai.usage.input_tokens': usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens,
          'gen_ai.usage.output_tokens': usage.outputTokens,
          'gen_ai.usage.cache_read.input_tokens': usage.cacheReadTokens,
          'gen_ai.usage.cache_creation.input_tokens': usage.cacheWriteTokens,
        });
        const metrics = pipelineMetrics();
        metricAttributes['gen_ai.response.model'] = message.model;
        metrics.genAiTokenUsage.record(usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens, {
          ...metricAttributes,
          'gen_ai.token.type': 'input',
        });
        metrics.genAiTokenUsage.record(usage.outputTokens, { ...metricAttributes, 'gen_ai.token.type': 'output' });
        const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
        const output = parseSummaryOutput(text);
        pipelineMetrics().genAiOperationDuration.record(latencyMs / 1000, metricAttributes);
        return { output, responseModel: message.model, usage, latencyMs, rateLimits: readRateLimitHeaders(response.headers) };
      } catch (err) {
        pipelineMetrics().genAiOperationDuration.record((performance.now() - started) / 1000, {
          ...metricAttributes,
          'error.type': classifyError(err).type,
        });
        throw err;
      }
    },
    {
      kind: SpanKind.CLIENT,
      errorType: (err) => classifyError(err).type,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': request.model,
        'gen_ai.request.max_tokens': request.maxTokens,
        'scenewise.attempt': request.attempt,
      },
    },
  );
}
