import Anthropic from '@anthropic-ai/sdk';
import { afterEach, expect } from 'vitest';
import { z } from 'zod';
import { isObject, type JsonSchema } from './json-schema';
import { readHints } from './schema-hints';
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

/** The schema with each description's hints made keywords again: what a careful answer keeps. */
export function withHintsAsKeywords(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withHintsAsKeywords);
  if (!isObject(node)) return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === 'const' || key === 'enum' ? value : withHintsAsKeywords(value);
  const hints = readHints(node['description']);
  if (Object.keys(hints).length > 0) delete out['description'];
  return { ...out, ...hints };
}

/** Checks a value with zod's own reading of the JSON schema: an oracle independent of the generator. */
export function expectValid(schema: unknown, value: unknown): void {
  const result = z.fromJSONSchema(schema as z.core.JSONSchema.JSONSchema).safeParse(value);
  expect(result.success, `${JSON.stringify(value)}\n${result.error?.message ?? ''}`).toBe(true);
}
