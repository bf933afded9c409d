import { envPieces } from '@scenewise/service-runtime';
import { z } from 'zod';
import type { ClaudeTaskOptions } from './claude-task';

/** The settings of a Claude task, as every service that runs one reads them. */
export const claudeTaskEnv = {
  /** `max_tokens` of a call. */
  CLAUDE_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(64).max(64_000).default(1_024),
  /** `max_tokens` of the one retry after an answer was cut off (at least CLAUDE_MAX_OUTPUT_TOKENS). */
  CLAUDE_MAX_OUTPUT_TOKENS_CAP: z.coerce.number().int().min(64).max(64_000).default(4_096),
  /**
   * Ask for schema-guaranteed JSON (`output_config.format`). `false` for Anthropic-compatible
   * servers without structured outputs: the prompt then asks for JSON, read just as leniently.
   */
  CLAUDE_STRUCTURED_OUTPUTS: envPieces.flagOn,
};

export function claudeTaskSettings(e: { [K in keyof typeof claudeTaskEnv]: z.infer<(typeof claudeTaskEnv)[K]> }): Pick<ClaudeTaskOptions, 'maxTokens' | 'maxTokensCap' | 'structuredOutputs'> {
  return {
    maxTokens: e.CLAUDE_MAX_OUTPUT_TOKENS,
    maxTokensCap: Math.max(e.CLAUDE_MAX_OUTPUT_TOKENS, e.CLAUDE_MAX_OUTPUT_TOKENS_CAP),
    structuredOutputs: e.CLAUDE_STRUCTURED_OUTPUTS,
  };
}
