import { z } from 'zod';
import { systemPrompt } from './prompt';

/** What a summary may look like before it is stored: shape and length caps. */
export const SceneSummaryOutputSchema = z.object({
  summary: z.string().trim().min(1).max(2_000),
  characters: z.array(z.string().trim().min(1).max(100)).max(60).default([]),
  mood: z.string().trim().max(80).default(''),
  keyEvents: z.array(z.string().trim().min(1).max(400)).max(12).default([]),
});

export type SceneSummaryOutput = z.infer<typeof SceneSummaryOutputSchema>;

export class InvalidOutputError extends Error {
  override name = 'InvalidOutputError';
}

/**
 * Fragments of the system prompt that have no business in a summary: an answer quoting them
 * is a prompt leak (a scene talked the model into it) and is refused, never stored.
 */
const promptFragments = systemPrompt
  .split(/[.\n]/)
  .map((sentence) => sentence.trim().toLowerCase())
  .filter((sentence) => sentence.length >= 30);

function leaksPrompt(output: SceneSummaryOutput): boolean {
  const text = [output.summary, output.mood, ...output.characters, ...output.keyEvents].join('\n').toLowerCase();
  return promptFragments.some((fragment) => text.includes(fragment));
}

/** Finds the JSON object in the model's answer and validates it. */
export function parseSummaryOutput(text: string): SceneSummaryOutput {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end <= start) throw new InvalidOutputError('the model did not answer with a JSON object');
  let json: unknown;
  try {
    json = JSON.parse(text.slice(start, end + 1));
  } catch {
    throw new InvalidOutputError('the model answered with malformed JSON');
  }
  const parsed = SceneSummaryOutputSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidOutputError(`the model's answer failed validation at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  if (leaksPrompt(parsed.data)) throw new InvalidOutputError("the model's answer repeats its instructions");
  return parsed.data;
}
