import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';

/** The Anthropic settings every service that talks to Claude reads (the SDK's own names). */
export const anthropicEnv = {
  ANTHROPIC_API_KEY: z.string({ error: 'is required (a Claude API key, or any value for a local server)' }).min(1),
  /** Any Anthropic-compatible server, such as tools/anthropic-local. */
  ANTHROPIC_BASE_URL: z.url().optional(),
};

export interface AnthropicSettings {
  apiKey: string;
  baseUrl?: string | undefined;
  /** Per request, in milliseconds. @default 60000 */
  timeoutMs?: number;
}

/**
 * A client with the SDK's own retries off: the summarizer owns retries (with backoff that
 * honours retry-after), so the SDK and JetStream redelivery never multiply attempts.
 */
export function createAnthropicClient(settings: AnthropicSettings): Anthropic {
  return new Anthropic({
    apiKey: settings.apiKey,
    baseURL: settings.baseUrl ?? null,
    maxRetries: 0,
    timeout: settings.timeoutMs ?? 60_000,
  });
}
