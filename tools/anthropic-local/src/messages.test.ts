import { describe, expect, it } from 'vitest';
import { buildMessage, estimateInputTokens, lastUserText, parseMessagesRequest } from './messages';

const valid = { model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };

function rejection(body: unknown): string {
  try {
    parseMessagesRequest(body);
  } catch (err) {
    expect(err).toMatchObject({ status: 400, type: 'invalid_request_error' });
    return (err as Error).message;
  }
  throw new Error('expected a 400');
}

describe('parseMessagesRequest', () => {
  it('accepts a minimal request and keeps unknown fields', () => {
    expect(parseMessagesRequest({ ...valid, temperature: 0 })).toMatchObject({ ...valid, temperature: 0 });
  });

  it('names the missing or bad field like the real API', () => {
    expect(rejection({ max_tokens: 1, messages: valid.messages })).toBe('model: Field required');
    expect(rejection({ model: 'm', messages: valid.messages })).toBe('max_tokens: Field required');
    expect(rejection({ model: 'm', max_tokens: 1 })).toBe('messages: Field required');
    expect(rejection({ ...valid, max_tokens: 1.5 })).toBe('max_tokens: Input should be a valid integer');
    expect(rejection({ ...valid, max_tokens: 0 })).toBe('max_tokens: Input should be greater than or equal to 1');
    expect(rejection({ ...valid, messages: [] })).toBe('messages: List should have at least 1 item after validation');
    expect(rejection({ ...valid, messages: [{ role: 'bot', content: 'x' }] })).toBe(
      "messages.0.role: Input should be 'user' or 'assistant'",
    );
    expect(rejection([1, 2])).toBe('Request body must be a JSON object');
  });

  it('refuses streaming', () => {
    expect(rejection({ ...valid, stream: true })).toMatch(/streaming is not supported by the local server/);
  });
});

describe('token estimates and text', () => {
  const request = parseMessagesRequest({
    ...valid,
    system: [{ type: 'text', text: 'You summarize scenes.' }],
    messages: [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: [{ type: 'text', text: 'part one' }, { type: 'image', source: {} }, { type: 'text', text: 'part two' }] },
    ],
  });

  it('estimates about four characters a token, counting the system prompt', () => {
    const tokens = estimateInputTokens(request);
    expect(tokens).toBeGreaterThan(15);
    expect(tokens).toBeLessThan(40);
    expect(estimateInputTokens(request)).toBe(tokens);
  });

  it('reads the last user message, text blocks only', () => {
    expect(lastUserText(request)).toBe('part one\npart two');
  });
});

describe('buildMessage', () => {
  it("has Anthropic's message shape", () => {
    const m = buildMessage({ model: 'pinned', text: '{"a":1}', inputTokens: 12, maxTokens: 100 });
    expect(m).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'pinned',
      content: [{ type: 'text', text: '{"a":1}' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    expect(m.id).toMatch(/^msg_/);
  });

  it('cuts the text at max_tokens', () => {
    const m = buildMessage({ model: 'pinned', text: 'x'.repeat(100), inputTokens: 1, maxTokens: 5 });
    expect(m.content[0].text).toHaveLength(20);
    expect(m.stop_reason).toBe('max_tokens');
    expect(m.usage.output_tokens).toBe(5);
  });
});
