import { z } from 'zod';
import { ApiError } from './errors';
import { checkStrictBudget, checkStrictSchema, checkToolSchema, type StrictBudget } from './schema-check';

const block = z.looseObject({ type: z.string() });
const content = z.union([z.string(), z.array(block)]);
const jsonFormat = z.looseObject({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) });

const countTokensSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(z.looseObject({ role: z.enum(['user', 'assistant']), content })).min(1),
  system: content.optional(),
  stream: z.boolean().optional(),
  tools: z.array(z.looseObject({ name: z.string().min(1), type: z.string().optional(), input_schema: z.unknown().optional(), strict: z.boolean().optional() })).optional(),
  tool_choice: z.looseObject({ type: z.enum(['auto', 'any', 'tool', 'none']), name: z.string().min(1).optional() }).optional(),
  output_config: z.looseObject({ format: jsonFormat.nullable().optional() }).optional(),
  // The beta's name for output_config.format, still accepted during the transition.
  output_format: jsonFormat.nullable().optional(),
});
const messagesSchema = countTokensSchema.extend({ max_tokens: z.number().int().min(1) });

export type CountTokensRequest = z.infer<typeof countTokensSchema>;
export type MessagesRequest = z.infer<typeof messagesSchema>;
export type JsonFormat = z.infer<typeof jsonFormat>;
export type Tool = NonNullable<CountTokensRequest['tools']>[number];

// Worded like the real API's validation errors ("max_tokens: Field required").
function describeIssue(issue: z.core.$ZodIssue & { input?: unknown }): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'Field required';
  if (issue.code === 'invalid_type') {
    const noun: Record<string, string> = { int: 'integer', number: 'number', string: 'string', array: 'list', boolean: 'boolean', object: 'dictionary', record: 'dictionary' };
    return `Input should be a valid ${noun[issue.expected] ?? issue.expected}`;
  }
  if (issue.code === 'too_small' && issue.origin === 'array') return `List should have at least ${issue.minimum} item after validation`;
  if (issue.code === 'too_small' && issue.origin === 'string') return 'String should have at least 1 character';
  if (issue.code === 'too_small') return `Input should be greater than or equal to ${issue.minimum}`;
  if (issue.code === 'invalid_value') return `Input should be ${issue.values.map((v) => `'${String(v)}'`).join(' or ')}`;
  if (issue.code === 'invalid_union') return 'Input should be a valid string or a list of content blocks';
  return issue.message;
}

function parseShape<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('invalid_request_error', 'Request body must be a JSON object');
  }
  const parsed = schema.safeParse(body, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiError('invalid_request_error', `${issue.path.join('.')}: ${describeIssue(issue)}`);
  }
  return parsed.data;
}

/** The JSON format the request asks for, and the field it came in. */
export function formatOf(request: CountTokensRequest): { format: JsonFormat; field: string } | undefined {
  if (request.output_config?.format) return { format: request.output_config.format, field: 'output_config.format' };
  if (request.output_format) return { format: request.output_format, field: 'output_format' };
  return undefined;
}

/** The tool a `tool_choice` of "tool" or "any" makes the model call. */
export function forcedTool(request: CountTokensRequest): Tool | undefined {
  const choice = request.tool_choice;
  if (choice?.type === 'tool') return request.tools?.find((t) => t.name === choice.name);
  return choice?.type === 'any' ? request.tools?.[0] : undefined;
}

/** Tools and formats: what the API checks beyond the fields' types. */
function checkTools(request: CountTokensRequest, compile: boolean): void {
  const budget: StrictBudget = { optionalParameters: 0, unionParameters: 0 };
  let strictTools = 0;
  request.tools?.forEach((tool, i) => {
    if (tool.type !== undefined && tool.type !== 'custom') {
      throw new ApiError('invalid_request_error', `tools.${i}.type: server tools (${tool.type}) are not supported by the local server`);
    }
    checkToolSchema(tool.input_schema, `tools.${i}.input_schema`);
    if (tool.strict === true && compile) {
      strictTools++;
      checkStrictSchema(tool.input_schema, `tools.${i}.input_schema`, budget);
    }
  });
  const choice = request.tool_choice;
  if ((choice?.type === 'tool' || choice?.type === 'any') && !request.tools?.length) {
    throw new ApiError('invalid_request_error', 'tool_choice may only be specified while providing tools');
  }
  if (choice?.type === 'tool') {
    if (choice.name === undefined) throw new ApiError('invalid_request_error', 'tool_choice.name: Field required');
    if (!forcedTool(request)) throw new ApiError('invalid_request_error', `tool_choice.name: no tool named '${choice.name}' in tools`);
  }
  const wanted = formatOf(request);
  if (wanted && compile) {
    checkStrictSchema(wanted.format.schema, `${wanted.field}.schema`, budget);
    if (request.messages.at(-1)?.role === 'assistant') {
      throw new ApiError('invalid_request_error', `${wanted.field}: prefilling the assistant message is not compatible with structured outputs`);
    }
  }
  if (compile) checkStrictBudget(budget, strictTools);
}

/** Validates a /v1/messages body as the real API does, answering 400 naming the first bad field. */
export function parseMessagesRequest(body: unknown): MessagesRequest {
  const request = parseShape(messagesSchema, body);
  if (request.stream === true) {
    throw new ApiError('invalid_request_error', 'stream: streaming is not supported by the local server; send stream: false');
  }
  checkTools(request, true);
  return request;
}

/** Like parseMessagesRequest without max_tokens; counting compiles no schema, so it checks none. */
export function parseCountTokensRequest(body: unknown): CountTokensRequest {
  const request = parseShape(countTokensSchema, body);
  checkTools(request, false);
  return request;
}

/** The text of string content or of its text blocks; other blocks count as their JSON. */
function contentText(value: z.infer<typeof content> | undefined, includeOtherBlocks: boolean): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return value
    .map((b) => (b.type === 'text' && typeof b['text'] === 'string' ? b['text'] : includeOtherBlocks ? JSON.stringify(b) : ''))
    .filter((t) => t !== '')
    .join('\n');
}

/** About four characters a token, like English text with Claude's tokenizer; deterministic. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/** The prompt, tool definitions and output schema all count, as the API bills them. */
export function estimateInputTokens(request: CountTokensRequest): number {
  const texts = [contentText(request.system, true), ...request.messages.map((m) => contentText(m.content, true))];
  if (request.tools?.length) texts.push(JSON.stringify(request.tools));
  const wanted = formatOf(request);
  if (wanted) texts.push(JSON.stringify(wanted.format.schema));
  return Math.max(1, estimateTokens(texts.filter((t) => t !== '').join('\n')));
}

/** The text of the last user message: what the answer is drawn from. */
export function lastUserText(request: CountTokensRequest): string {
  const last = request.messages.findLast((m) => m.role === 'user');
  return last ? contentText(last.content, false) : '';
}
