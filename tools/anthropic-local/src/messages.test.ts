import { describe, expect, it } from 'vitest';
import { estimateInputTokens, lastUserText, parseCountTokensRequest, parseMessagesRequest } from './messages';

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

describe('tools and output formats', () => {
  const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
  const tool = (extra: object = {}) => ({ name: 'record', input_schema: { type: 'object', properties: { n: { type: 'integer', maximum: 3 } } }, ...extra });

  it('accepts output_config.format, the beta output_format, and forced tools', () => {
    expect(parseMessagesRequest({ ...valid, output_config: { format: { type: 'json_schema', schema } } }).output_config?.format?.schema).toEqual(schema);
    expect(parseMessagesRequest({ ...valid, output_format: { type: 'json_schema', schema } }).output_format).toBeDefined();
    expect(parseMessagesRequest({ ...valid, tools: [tool()], tool_choice: { type: 'tool', name: 'record' } }).tools).toHaveLength(1);
  });

  it('refuses an unsupported schema, naming where and what', () => {
    const bad = { ...schema, properties: { a: { type: 'string', maxLength: 5 } } };
    expect(rejection({ ...valid, output_config: { format: { type: 'json_schema', schema: bad } } })).toBe(
      "output_config.format.schema.properties.a: String constraints (minLength, maxLength) are not supported: 'maxLength'",
    );
    expect(rejection({ ...valid, output_config: { format: { type: 'json', schema } } })).toBe("output_config.format.type: Input should be 'json_schema'");
    expect(rejection({ ...valid, output_config: { format: { type: 'json_schema' } } })).toBe('output_config.format.schema: Field required');
    expect(rejection({ ...valid, tools: [tool({ strict: true })] })).toBe("tools.0.input_schema: For 'object' type, 'additionalProperties' must be explicitly set to false");
    const strictTool = tool({ strict: true, input_schema: { ...tool().input_schema, required: ['n'], additionalProperties: false } });
    expect(rejection({ ...valid, tools: [strictTool] })).toMatch(/^tools\.0\.input_schema\.properties\.n: Numerical constraints/);
    expect(rejection({ ...valid, tools: [{ name: 'x', input_schema: { type: 'array' } }] })).toBe("tools.0.input_schema.type: Input should be 'object'");
    expect(rejection({ ...valid, tools: [{ name: 'w', type: 'web_search_20250305' }] })).toMatch(/^tools\.0\.type: server tools/);
  });

  it('checks tool_choice against the tools', () => {
    expect(rejection({ ...valid, tool_choice: { type: 'any' } })).toBe('tool_choice may only be specified while providing tools');
    expect(rejection({ ...valid, tools: [tool()], tool_choice: { type: 'tool', name: 'other' } })).toBe("tool_choice.name: no tool named 'other' in tools");
    expect(rejection({ ...valid, tools: [tool()], tool_choice: { type: 'tool' } })).toBe('tool_choice.name: Field required');
    expect(rejection({ ...valid, tools: [tool()], tool_choice: { type: 'maybe' } })).toBe("tool_choice.type: Input should be 'auto' or 'any' or 'tool' or 'none'");
  });

  it('refuses a prefilled assistant turn with a format', () => {
    const messages = [{ role: 'user', content: 'hi' }, { role: 'assistant', content: '{' }];
    expect(rejection({ ...valid, messages, output_config: { format: { type: 'json_schema', schema } } })).toMatch(/prefilling the assistant message is not compatible/);
  });

  it('counts tokens without max_tokens and without compiling the schema', () => {
    const { max_tokens: _maxTokens, ...counted } = valid;
    const bad = { type: 'object', properties: { a: { type: 'string', maxLength: 5 } } };
    expect(parseCountTokensRequest({ ...counted, output_config: { format: { type: 'json_schema', schema: bad } } }).model).toBe(valid.model);
    expect(() => parseCountTokensRequest({ ...counted, messages: [] })).toThrow('messages: List should have at least 1 item after validation');
  });

  it('counts the tool definitions and the output schema as input', () => {
    const plain = estimateInputTokens(parseMessagesRequest(valid));
    expect(estimateInputTokens(parseMessagesRequest({ ...valid, output_config: { format: { type: 'json_schema', schema } } }))).toBeGreaterThan(plain + 10);
    expect(estimateInputTokens(parseMessagesRequest({ ...valid, tools: [tool()] }))).toBeGreaterThan(plain + 10);
  });
});
