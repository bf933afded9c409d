import Anthropic from '@anthropic-ai/sdk';
import { defaultModelForRole } from '@scenewise/model-config';

/**
 * The seed's design, as the baseline to beat: one worker that calls the Messages API for
 * each scene in turn, waiting for each answer before sending the next. Same server, same
 * model, the same kind of prompt as the summarizer's.
 */

const system =
  'You summarize one scene of a screenplay. Answer with only a JSON object: {"summary", "characters", "mood", "keyEvents"}.';

export async function summarizeSequentially(baseURL: string, sceneTexts: string[]): Promise<{ wallMs: number; calls: number }> {
  const client = new Anthropic({ baseURL, apiKey: 'sk-ant-bench-0000', maxRetries: 0 });
  const started = performance.now();
  for (const text of sceneTexts) {
    await client.messages.create({
      model: defaultModelForRole.sceneSummary,
      max_tokens: 1024,
      system,
      messages: [{ role: 'user', content: `<scene>\n${text}\n</scene>` }],
    });
  }
  return { wallMs: performance.now() - started, calls: sceneTexts.length };
}
