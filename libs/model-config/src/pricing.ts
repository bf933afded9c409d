import { findModel } from './catalog';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens?: number;
  cacheReadTokens?: number;
}

/**
 * Cost of one call in USD, or null when the model's price is unknown (a model served by a
 * compatible server that Anthropic does not list): unknown is not zero.
 */
export function costUsd(model: string, usage: TokenUsage): number | null {
  const pricing = findModel(model)?.pricing;
  if (!pricing) return null;
  const perToken =
    usage.inputTokens * pricing.input +
    usage.outputTokens * pricing.output +
    (usage.cacheWriteTokens ?? 0) * pricing.cacheWrite +
    (usage.cacheReadTokens ?? 0) * pricing.cacheRead;
  return perToken / 1_000_000;
}
