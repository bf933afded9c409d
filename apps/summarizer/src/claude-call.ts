import type Anthropic from '@anthropic-ai/sdk';
import { SpanKind } from '@opentelemetry/api';
import { markSpanFailed, withSpan } from '@scenewise/telemetry';
import { classifyError } from './classify-error';
import { buildSceneMessage, systemPrompt } from './prompt';
import { parseSummaryOutput, type SceneSummaryOutput } from './summary-output';

export interface ClaudeSummary {
  output: SceneSummaryOutput;
  /** The model that answered, as the API reports it. */
  responseModel: string;
  usage: { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number };
  latencyMs: number;
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
      try {
        const message = await client.messages.create({
          model: request.model,
          max_tokens: request.maxTokens,
          system: systemPrompt,
          messages: [{ role: 'user', content: buildSceneMessage({ text: request.text }) }],
        });
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
        const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
        return { output: parseSummaryOutput(text), responseModel: message.model, usage, latencyMs };
      } catch (err) {
        markSpanFailed(span, err, classifyError(err).type);
        throw err;
      }
    },
    {
      kind: SpanKind.CLIENT,
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
