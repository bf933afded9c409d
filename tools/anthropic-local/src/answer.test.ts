import { describe, expect, it } from 'vitest';
import { answerMessage as answerWith, buildMessage } from './answer';
import { parseMessagesRequest } from './messages';
import { scene } from './testing';

const schema = {
  type: 'object',
  properties: { summary: { type: 'string' }, characters: { type: 'array', items: { type: 'string' } } },
  required: ['summary', 'characters'],
  additionalProperties: false,
};
const request = (extra: object = {}, maxTokens = 1024) =>
  parseMessagesRequest({ model: 'claude-haiku-4-5', max_tokens: maxTokens, messages: [{ role: 'user', content: scene }], ...extra });
const answerMessage = (r: ReturnType<typeof request>) => answerWith(r, { refusalMarker: 'REFUSAL-TRIGGER' });
const format = { output_config: { format: { type: 'json_schema', schema } } };
const tool = { tools: [{ name: 'record_scene', input_schema: schema }], tool_choice: { type: 'tool', name: 'record_scene' } };

describe('answerMessage', () => {
  it('answers prose without a format', () => {
    const answer = answerMessage(request());
    expect(answer).toMatchObject({ stopReason: 'end_turn', content: [{ type: 'text', text: 'MARA stands at the sink. Rain hammers the window. We should go.' }] });
    expect(answer.outputTokens).toBe(16);
  });

  it('answers one text block of JSON for a format', () => {
    const answer = answerMessage(request(format));
    expect(answer.stopReason).toBe('end_turn');
    expect(answer.content).toHaveLength(1);
    const block = answer.content[0]!;
    expect(block.type === 'text' && JSON.parse(block.text)).toEqual({
      summary: 'MARA stands at the sink. Rain hammers the window.',
      characters: ['Mara', 'Kitchen', 'Night', 'Rain', 'Joe'],
    });
  });

  it('answers a tool_use block for a forced tool, or for tool_choice "any"', () => {
    for (const choice of [tool.tool_choice, { type: 'any' }]) {
      const answer = answerMessage(request({ ...tool, tool_choice: choice }));
      expect(answer.stopReason).toBe('tool_use');
      expect(answer.content).toEqual([
        { type: 'tool_use', id: expect.stringMatching(/^toolu_011C/), name: 'record_scene', input: { summary: expect.any(String), characters: expect.any(Array) } },
      ]);
    }
    expect(answerMessage(request({ tools: tool.tools, tool_choice: { type: 'auto' } })).stopReason).toBe('end_turn');
  });

  it('cuts every kind of answer at max_tokens, output_tokens then equal to max_tokens', () => {
    const prose = answerMessage(request({}, 5));
    expect(prose).toMatchObject({ stopReason: 'max_tokens', outputTokens: 5, content: [{ type: 'text', text: 'MARA stands at the s' }] });

    const json = answerMessage(request(format, 8));
    expect(json).toMatchObject({ stopReason: 'max_tokens', outputTokens: 8 });
    expect(json.content[0]).toEqual({ type: 'text', text: '{"summary":"MARA stands at the s' });

    const used = answerMessage(request(tool, 8));
    expect(used).toMatchObject({ stopReason: 'max_tokens', outputTokens: 8 });
    expect(used.content[0]).toMatchObject({ type: 'tool_use', name: 'record_scene', input: { summary: 'MARA stands at the s' } });
  });
});

describe('oversize answers', () => {
  const capped = {
    type: 'object',
    properties: {
      summary: { type: 'string', description: '{minLength: 1, maxLength: 200}' },
      characters: { type: 'array', items: { type: 'string' }, description: '{maxItems: 3}' },
    },
    required: ['summary', 'characters'],
    additionalProperties: false,
  };
  const oversized = (maxTokens: number, extra: object = { output_config: { format: { type: 'json_schema', schema: capped } } }) =>
    answerWith(request(extra, maxTokens), { refusalMarker: null, oversize: true });
  const valueOf = (answer: ReturnType<typeof oversized>) => {
    const block = answer.content[0]!;
    return (block.type === 'text' ? JSON.parse(block.text) : block.input) as { summary: string; characters: string[] };
  };

  it('breaks the hinted caps far when max_tokens leaves room', () => {
    const answer = oversized(4096);
    expect(answer.stopReason).toBe('end_turn');
    expect(valueOf(answer).summary).toHaveLength(600);
    expect(valueOf(answer).characters).toHaveLength(100);
  });

  it('overshoots less to stay within max_tokens, still past every cap, and keeps valid JSON', () => {
    const answer = oversized(300);
    expect(answer.stopReason).toBe('end_turn');
    expect(answer.outputTokens).toBeLessThanOrEqual(300);
    expect(valueOf(answer).summary.length).toBeGreaterThan(200);
    expect(valueOf(answer).characters.length).toBeGreaterThan(3);
  });

  it('applies to forced tools, and never to prose', () => {
    const answer = oversized(4096, { tools: [{ name: 'record', input_schema: capped }], tool_choice: { type: 'tool', name: 'record' } });
    expect(answer.stopReason).toBe('tool_use');
    expect(valueOf(answer).summary).toHaveLength(600);
    expect(answerWith(request(), { refusalMarker: null, oversize: true })).toEqual(answerMessage(request()));
  });
});

describe('refusals', () => {
  const refused = `${scene}\nThe sign on the door reads REFUSAL-TRIGGER in red letters.`;
  const ask = (extra: object = {}, maxTokens = 1024) =>
    parseMessagesRequest({ model: 'claude-haiku-4-5', max_tokens: maxTokens, messages: [{ role: 'user', content: refused }], ...extra });
  const details = { type: 'refusal', category: null, explanation: expect.any(String) };

  it('stops a third of the way with stop_reason refusal and stop_details, for prose and for JSON', () => {
    const prose = answerMessage(ask());
    expect(prose).toMatchObject({ stopReason: 'refusal', stopDetails: details, content: [{ type: 'text', text: 'MARA stands at the' }] });
    expect(prose.outputTokens).toBe(5);

    const json = answerMessage(ask(format));
    expect(json).toMatchObject({ stopReason: 'refusal', stopDetails: details });
    const block = json.content[0]!;
    expect(block.type === 'text' && block.text.startsWith('{"summary":"MARA')).toBe(true);
    expect(() => JSON.parse(block.type === 'text' ? block.text : '') as unknown).toThrow();
  });

  it('hands over no half-written tool input', () => {
    expect(answerMessage(ask(tool))).toMatchObject({ stopReason: 'refusal', stopDetails: details, content: [], outputTokens: 1 });
  });

  it('is cut by max_tokens first when that comes sooner, and never happens without the marker or with it off', () => {
    expect(answerMessage(ask({}, 3))).toMatchObject({ stopReason: 'max_tokens', stopDetails: null, outputTokens: 3 });
    expect(answerMessage(request()).stopReason).toBe('end_turn');
    expect(answerWith(ask(), { refusalMarker: null }).stopReason).toBe('end_turn');
  });
});

describe('buildMessage', () => {
  it("has Anthropic's message shape", () => {
    const m = buildMessage({ model: 'pinned', inputTokens: 12, answer: { content: [{ type: 'text', text: '{"a":1}' }], stopReason: 'end_turn', stopDetails: null, outputTokens: 2 } });
    expect(m).toEqual({
      id: expect.stringMatching(/^msg_/),
      type: 'message',
      role: 'assistant',
      model: 'pinned',
      content: [{ type: 'text', text: '{"a":1}' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      stop_details: null,
      usage: { input_tokens: 12, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, service_tier: 'standard' },
    });
  });
});
