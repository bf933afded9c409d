import { BadRequestError } from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expectValid, rejectionOf, scene, useLocalServer } from './testing';

const start = useLocalServer();
const model = 'claude-haiku-4-5';
const messages = [{ role: 'user' as const, content: scene }];

const person = z.object({ name: z.string(), role: z.string().optional() });
const zodSchemas = {
  'a scene summary': z.object({
    summary: z.string().min(1).max(2000),
    characters: z.array(z.string().min(1).max(200)).max(50),
    mood: z.string().max(100),
    keyEvents: z.array(z.string().min(1)).min(1).max(10),
  }),
  'a review with enums, bounds, nullables and nested objects': z.object({
    title: z.string(),
    rating: z.int().min(1).max(5),
    score: z.number().positive().max(1),
    genres: z.array(z.enum(['drama', 'comedy', 'thriller'])).min(2),
    recommended: z.boolean(),
    subtitle: z.string().nullable(),
    notes: z.string().optional(),
    cast: z.array(person).min(2).max(4),
  }),
  'string formats': z.object({
    id: z.uuid(),
    email: z.email(),
    site: z.url(),
    at: z.iso.datetime(),
    day: z.iso.date(),
    time: z.iso.time(),
    ip: z.ipv4(),
    ip6: z.ipv6(),
    length: z.iso.duration(),
  }),
  'reused objects, unions, literals and patterns': z.object({
    lead: person,
    support: z.array(person),
    kind: z.literal('scene'),
    code: z.string().regex(/^[A-Z]{3}-\d{2}$/),
    shot: z.discriminatedUnion('type', [z.object({ type: z.literal('wide'), lens: z.number() }), z.object({ type: z.literal('close'), subject: z.string() })]),
    slug: z.string().length(6),
    extra: z.record(z.string(), z.string()),
  }),
};

describe('structured outputs', () => {
  for (const [name, schema] of Object.entries(zodSchemas)) {
    it(`answers JSON that the zod schema behind zodOutputFormat accepts: ${name}`, async () => {
      const { client } = await start();
      const message = await client.messages.parse({ model, max_tokens: 2048, messages, output_config: { format: zodOutputFormat(schema) } });
      expect(message.stop_reason).toBe('end_turn');
      expect(message.content).toHaveLength(1);
      expect(message.parsed_output).not.toBeNull();
      expect(schema.safeParse(message.parsed_output).success).toBe(true);
    });
  }

  it('accepts the beta output_format field too', async () => {
    const { server } = await start();
    const res = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      body: JSON.stringify({ model, max_tokens: 500, messages, output_format: zodOutputFormat(zodSchemas['a scene summary']) }),
    });
    const body = (await res.json()) as { content: [{ text: string }] };
    expect(zodSchemas['a scene summary'].safeParse(JSON.parse(body.content[0].text)).success).toBe(true);
  });

  it('answers 400 invalid_request_error naming an unsupported schema feature', async () => {
    const { client } = await start();
    const err = await rejectionOf(
      client.messages.create({
        model,
        max_tokens: 100,
        messages,
        output_config: { format: { type: 'json_schema', schema: { type: 'object', properties: { n: { type: 'integer', maximum: 9 } }, additionalProperties: false } } },
      }),
    );
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).error).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: "output_config.format.schema.properties.n: Numerical constraints (minimum, maximum, multipleOf, etc.) are not supported: 'maximum'" },
    });
  });

  it('cuts JSON mid-way at max_tokens', async () => {
    const { client } = await start();
    const message = await client.messages.create({ model, max_tokens: 10, messages, output_config: { format: zodOutputFormat(zodSchemas['a scene summary']) } });
    expect(message).toMatchObject({ stop_reason: 'max_tokens', usage: { output_tokens: 10 } });
    const block = message.content[0]!;
    expect(block.type === 'text' && block.text).toHaveLength(40);
    expect(() => JSON.parse(block.type === 'text' ? block.text : '') as unknown).toThrow();
  });
});

describe('oversizeRate', () => {
  const schema = zodSchemas['a scene summary'];
  const ask = (client: Awaited<ReturnType<typeof start>>['client']) =>
    client.messages.create({ model, max_tokens: 8000, messages, output_config: { format: zodOutputFormat(schema) } }).then((m) => {
      const block = m.content[0]!;
      return JSON.parse(block.type === 'text' ? block.text : '') as unknown;
    });

  it('answers JSON past the caps the zod schema keeps, yet valid against what the API enforces', async () => {
    const { client } = await start({ oversizeRate: 1 });
    const value = await ask(client);
    expect(schema.safeParse(value).success).toBe(false);
    expectValid(zodOutputFormat(schema).schema, value);
    expect((value as { summary: string }).summary.length).toBeGreaterThan(2000);
    expect((value as { characters: string[] }).characters.length).toBeGreaterThan(50);
  });

  it('oversizes the same requests for the same seed', async () => {
    const runs = async () => {
      const { client } = await start({ oversizeRate: 0.5, seed: 11 });
      const verdicts: boolean[] = [];
      for (let i = 0; i < 12; i++) verdicts.push(schema.safeParse(await ask(client)).success);
      return verdicts;
    };
    const first = await runs();
    expect(await runs()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([true, false]));
  });
});

describe('forced tool use', () => {
  const input_schema = {
    type: 'object' as const,
    properties: {
      title: { type: 'string', maxLength: 30 },
      beats: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 3 },
      intensity: { type: 'integer', minimum: 1, maximum: 10 },
    },
    required: ['title', 'beats', 'intensity'],
  };

  it('answers a tool_use block whose input keeps the schema, with stop_reason tool_use', async () => {
    const { client } = await start();
    const message = await client.messages.create({
      model,
      max_tokens: 500,
      messages,
      tools: [{ name: 'record_scene', description: 'Record a scene.', input_schema }],
      tool_choice: { type: 'tool', name: 'record_scene' },
    });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toHaveLength(1);
    const block = message.content[0]!;
    expect(block).toMatchObject({ type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'record_scene' });
    const input = block.type === 'tool_use' ? block.input : undefined;
    expectValid(input_schema, input);
    expect(input).toMatchObject({ title: expect.any(String), intensity: expect.any(Number) });
  });

  it('cuts the input at max_tokens and hands over what was written', async () => {
    const { client } = await start();
    const message = await client.messages.create({ model, max_tokens: 6, messages, tools: [{ name: 'record_scene', input_schema }], tool_choice: { type: 'tool', name: 'record_scene' } });
    expect(message).toMatchObject({ stop_reason: 'max_tokens', usage: { output_tokens: 6 }, content: [{ type: 'tool_use', name: 'record_scene', input: { title: 'MARA stands at' } }] });
  });
});
