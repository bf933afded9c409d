import { z } from 'zod';
import { ApiError, newMessageId } from './errors';

const block = z.looseObject({ type: z.string() });
const content = z.union([z.string(), z.array(block)]);

const messagesRequestSchema = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().min(1),
  messages: z.array(z.looseObject({ role: z.enum(['user', 'assistant']), content })).min(1),
  system: content.optional(),
  stream: z.boolean().optional(),
});
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

export interface MessageResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: [{ type: 'text'; text: string }];
  stop_reason: 'end_turn' | 'max_tokens';
  stop_sequence: null;
  stop_details: null;
  usage: {
    input_tokens: number;
    output_tokens: number;
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
    service_tier: 'standard';
  };
}

// Worded like the real API's validation errors ("max_tokens: Field required").
function describeIssue(issue: z.core.$ZodIssue & { input?: unknown }): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'Field required';
  if (issue.code === 'invalid_type') {
    const noun: Record<string, string> = { int: 'integer', number: 'number', string: 'string', array: 'list', boolean: 'boolean', object: 'dictionary' };
    return `Input should be a valid ${noun[issue.expected] ?? issue.expected}`;
  }
  if (issue.code === 'too_small' && issue.origin === 'array') return `List should have at least ${issue.minimum} item after validation`;
  if (issue.code === 'too_small' && issue.origin === 'string') return 'String should have at least 1 character';
  if (issue.code === 'too_small') return `Input should be greater than or equal to ${issue.minimum}`;
  if (issue.code === 'invalid_value') return `Input should be ${issue.values.map((v) => `'${String(v)}'`).join(' or ')}`;
  if (issue.code === 'invalid_union') return 'Input should be a valid string or a list of content blocks';
  return issue.message;
}

/** Validates a /v1/messages body as the real API does, answering 400 naming the first bad field. */
export function parseMessagesRequest(body: unknown): MessagesRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('invalid_request_error', 'Request body must be a JSON object');
  }
  const parsed = messagesRequestSchema.safeParse(body, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiError('invalid_request_error', `${issue.path.join('.')}: ${describeIssue(issue)}`);
  }
  if (parsed.data.stream === true) {
    throw new ApiError('invalid_request_error', 'stream: streaming is not supported by the local server; send stream: false');
  }
  return parsed.data;
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

export function estimateInputTokens(request: MessagesRequest): number {
  const texts = [contentText(request.system, true), ...request.messages.map((m) => contentText(m.content, true))];
  return Math.max(1, estimateTokens(texts.filter((t) => t !== '').join('\n')));
}

/** The text of the last user message: what the answer is drawn from. */
export function lastUserText(request: MessagesRequest): string {
  const last = request.messages.findLast((m) => m.role === 'user');
  return last ? contentText(last.content, false) : '';
}

/** A complete message, cut to max_tokens like the real API (stop_reason "max_tokens"). */
export function buildMessage(args: { model: string; text: string; inputTokens: number; maxTokens: number }): MessageResponse {
  const fits = estimateTokens(args.text) <= args.maxTokens;
  const text = fits ? args.text : args.text.slice(0, args.maxTokens * 4);
  return {
    id: newMessageId(),
    type: 'message',
    role: 'assistant',
    model: args.model,
    content: [{ type: 'text', text }],
    stop_reason: fits ? 'end_turn' : 'max_tokens',
    stop_sequence: null,
    stop_details: null,
    usage: {
      input_tokens: args.inputTokens,
      output_tokens: estimateTokens(text),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      service_tier: 'standard',
    },
  };
}
