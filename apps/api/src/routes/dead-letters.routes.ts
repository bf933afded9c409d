import type { JetStreamManager } from '@nats-io/jetstream';
import { type DeadLetter, DeadLetterSchema } from '@scenewise/contracts';
import type { MessageBus } from '@scenewise/messaging';
import type { Logger } from '@scenewise/telemetry';
import { Router } from 'express';
import { z } from 'zod';
import { ApiError, parseInput } from '../http-errors';

export interface DeadLetterRoutesDeps {
  bus: MessageBus;
  logger: Logger;
}

export const DeadLettersQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('how many, newest first'),
  before: z.coerce.number().int().min(1).optional().describe('only dead letters with a smaller `sequence` (`links.next` sets it)'),
});

export type DeadLetterView = DeadLetter & { sequence: number };

const unavailable = () => new ApiError(503, 'dead_letters_unavailable', 'the dead-letter stream cannot be read right now; try again shortly');

/**
 * `GET /dead-letters`: the messages no consumer could process (invalid payloads, handlers that
 * gave up), newest first, each with its reason, read straight from the DEAD_LETTERS stream.
 */
export function deadLetterRoutes(deps: DeadLetterRoutesDeps): Router {
  const router = Router();
  const stream = deps.bus.topology.streamName('deadLetters');
  let manager: Promise<JetStreamManager> | undefined;

  const readPage = async (limit: number, before: number | undefined) => {
    manager ??= deps.bus.js.jetstreamManager(false);
    const jsm = await manager;
    const { state } = await jsm.streams.info(stream);
    const last = Math.min(state.last_seq, before === undefined ? Infinity : before - 1);
    const first = Math.max(state.first_seq, last - limit + 1, 1);
    const sequences = Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => last - i);
    // Sequences removed by age come back null; the rest are read in parallel.
    const messages = await Promise.all(sequences.map((seq) => jsm.streams.getMessage(stream, { seq })));
    const deadLetters: DeadLetterView[] = [];
    for (const message of messages) {
      if (!message) continue;
      const parsed = DeadLetterSchema.safeParse(safeJson(message.string()));
      if (parsed.success) deadLetters.push({ sequence: message.seq, ...parsed.data });
      else deps.logger.warn({ stream, seq: message.seq }, 'skipped a message in the dead-letter stream that is not a dead letter');
    }
    return { deadLetters, next: last >= first && first > state.first_seq ? first : null };
  };

  router.get('/dead-letters', async (req, res) => {
    const { limit, before } = parseInput(DeadLettersQuerySchema, req.query, 'query');
    let page: Awaited<ReturnType<typeof readPage>>;
    try {
      page = await readPage(limit, before);
    } catch (err) {
      deps.logger.warn({ err, stream }, 'could not read the dead-letter stream');
      manager = undefined;
      throw unavailable();
    }
    res.json({
      deadLetters: page.deadLetters,
      links: { next: page.next === null ? null : `/api/dead-letters?limit=${limit}&before=${page.next}` },
    });
  });

  return router;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
