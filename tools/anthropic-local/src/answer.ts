import { newMessageId, newToolUseId } from './errors';
import { estimateTokens, forcedTool, formatOf, lastUserText, type MessagesRequest } from './messages';
import { parsePartialJson } from './partial-json';
import { generateValue } from './schema-generate';
import { createTextSource, proseAnswer } from './text-source';

export type ContentBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown };

export type StopReason = 'end_turn' | 'max_tokens' | 'tool_use' | 'refusal';

/** `stop_details` of a refusal, as the SDK's RefusalStopDetails describes it. */
export interface RefusalDetails {
  type: 'refusal';
  category: null;
  explanation: string;
}

export interface MessageResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ContentBlock[];
  stop_reason: StopReason;
  stop_sequence: null;
  stop_details: RefusalDetails | null;
  usage: {
    input_tokens: number;
    output_tokens: number;
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
    service_tier: 'standard';
  };
}

/** What the model says, before max_tokens has its say. */
type Draft = { kind: 'text'; text: string } | { kind: 'tool'; name: string; input: unknown };

// An oversize answer overshoots as far as max_tokens leaves room for, so that the client gets
// valid JSON past its caps; when even the least overshoot does not fit, max_tokens cuts it.
const oversizeScales = [1, 0.5, 0.25, 0.125, 0.0625, 0];

function structuredValue(schema: unknown, text: string, maxTokens: number, oversize: boolean): unknown {
  const source = createTextSource(text);
  if (!oversize) return generateValue(schema, { source });
  let value: unknown;
  for (const scale of oversizeScales) {
    value = generateValue(schema, { source, oversize: scale });
    if (estimateTokens(JSON.stringify(value)) <= maxTokens) break;
  }
  return value;
}

function draftAnswer(request: MessagesRequest, oversize: boolean): Draft {
  const text = lastUserText(request);
  const tool = forcedTool(request);
  if (tool) return { kind: 'tool', name: tool.name, input: structuredValue(tool.input_schema, text, request.max_tokens, oversize) };
  const wanted = formatOf(request);
  if (wanted) return { kind: 'text', text: JSON.stringify(structuredValue(wanted.format.schema, text, request.max_tokens, oversize)) };
  return { kind: 'text', text: proseAnswer(text) };
}

export interface Answer {
  content: ContentBlock[];
  stopReason: StopReason;
  stopDetails: RefusalDetails | null;
  outputTokens: number;
}

export interface AnswerOptions {
  /** When the last user message contains it, the model refuses. Null: never. */
  refusalMarker: string | null;
  /** Break the caps a structured answer was hinted (drawn per request from oversizeRate). */
  oversize?: boolean;
}

/**
 * A refusal stops the output part-way: the first third of what would have been written stays
 * (prose up to a word), "no additional refusal message is included", and the tokens written
 * are billed. A tool's input is never handed over half-written.
 */
function refuse(draft: Draft): { text: string | undefined; details: RefusalDetails } {
  const details: RefusalDetails = { type: 'refusal', category: null, explanation: 'The last user message contains the refusal marker of the local server.' };
  if (draft.kind === 'tool') return { text: undefined, details };
  const third = draft.text.slice(0, Math.floor(draft.text.length / 3));
  const space = third.lastIndexOf(' ');
  return { text: draft.text.startsWith('{') || draft.text.startsWith('[') || space < 1 ? third : third.slice(0, space), details };
}

/**
 * The model's answer to a valid request: prose, JSON in one text block for a format, or a
 * tool_use block for a forced tool; a refusal when the message carries the marker. Past
 * max_tokens the output is cut (mid-JSON if it is JSON, a tool's input read as partial JSON)
 * with stop_reason "max_tokens" and output_tokens equal to max_tokens.
 */
export function answerMessage(request: MessagesRequest, options: AnswerOptions): Answer {
  const draft = draftAnswer(request, options.oversize ?? false);
  const marker = options.refusalMarker;
  if (marker !== null && lastUserText(request).includes(marker)) {
    const { text, details } = refuse(draft);
    if (text === undefined) return { content: [], stopReason: 'refusal', stopDetails: details, outputTokens: 1 };
    if (estimateTokens(text) <= request.max_tokens) {
      return { content: [{ type: 'text', text }], stopReason: 'refusal', stopDetails: details, outputTokens: Math.max(1, estimateTokens(text)) };
    }
  }
  const written = draft.kind === 'text' ? draft.text : JSON.stringify(draft.input);
  const cut = estimateTokens(written) > request.max_tokens;
  const text = cut ? written.slice(0, request.max_tokens * 4) : written;
  const outputTokens = Math.max(1, estimateTokens(text));
  if (draft.kind === 'text') return { content: [{ type: 'text', text }], stopReason: cut ? 'max_tokens' : 'end_turn', stopDetails: null, outputTokens };
  const input = cut ? parsePartialJson(text) : draft.input;
  return { content: [{ type: 'tool_use', id: newToolUseId(), name: draft.name, input }], stopReason: cut ? 'max_tokens' : 'tool_use', stopDetails: null, outputTokens };
}

export function buildMessage(args: { model: string; inputTokens: number; answer: Answer }): MessageResponse {
  return {
    id: newMessageId(),
    type: 'message',
    role: 'assistant',
    model: args.model,
    content: args.answer.content,
    stop_reason: args.answer.stopReason,
    stop_sequence: null,
    stop_details: args.answer.stopDetails,
    usage: {
      input_tokens: args.inputTokens,
      output_tokens: args.answer.outputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      service_tier: 'standard',
    },
  };
}
