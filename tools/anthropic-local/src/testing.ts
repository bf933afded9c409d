import Anthropic from '@anthropic-ai/sdk';
import { afterEach } from 'vitest';
import { startAnthropicLocal, type AnthropicLocal, type AnthropicLocalOptions } from './server';

/** A user message to answer: a screenplay scene, as ordinary text. */
export const scene = `INT. KITCHEN - NIGHT

MARA stands at the sink. Rain hammers the window.

MARA
We should go.

JOE (V.O.)
Not yet.
`;

/** Starts a server for one test and closes it afterwards. */
export function useLocalServer(): (options?: AnthropicLocalOptions) => Promise<{ server: AnthropicLocal; client: Anthropic }> {
  const started: AnthropicLocal[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });
  return async (options = {}) => {
    const server = await startAnthropicLocal(options);
    started.push(server);
    return { server, client: new Anthropic({ baseURL: server.url, apiKey: 'test', maxRetries: 0 }) };
  };
}

/** Runs a promise that should reject and returns what it rejected with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}
