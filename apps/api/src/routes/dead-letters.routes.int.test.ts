import { namespaced, Subject } from '@scenewise/contracts';
import { MessageBus } from '@scenewise/messaging';
import { createTestBus, randomNamespace } from '@scenewise/messaging/testing';
import { createLogger } from '@scenewise/telemetry';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../http-errors';
import { DeadLetterListSchema } from '../openapi';
import { deadLetterRoutes } from './dead-letters.routes';

const logger = createLogger({ service: 'api-test', level: 'silent' });
let bus: MessageBus;
let closeBus: () => Promise<void>;

beforeAll(async () => {
  ({ bus, close: closeBus } = await createTestBus());
});

afterAll(async () => {
  await closeBus?.();
});

function appFor(b: MessageBus) {
  const app = express();
  app.set('query parser', 'simple');
  app.use('/api', deadLetterRoutes({ bus: b, logger }));
  app.use(errorHandler(logger));
  return app;
}

const deadLetter = (n: number) => ({
  stream: bus.topology.streamName('sceneTasks'),
  consumer: 'summarizer',
  subject: bus.topology.subject(Subject.sceneSummarize),
  streamSequence: n,
  deliveries: 5,
  reason: `invalid payload: jobId: Invalid UUID (#${n})`,
  payload: `{"jobId":"nope-${n}"}`,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
});

describe('GET /api/dead-letters', () => {
  it('is empty when nothing was dead-lettered', async () => {
    const response = await request(appFor(bus)).get('/api/dead-letters').expect(200);
    expect(response.body).toEqual({ deadLetters: [], links: { next: null } });
  });

  it('lists dead letters newest first with their reason, skips what is not one, and pages back', async () => {
    for (let n = 1; n <= 3; n++) await bus.publish(Subject.deadLetter, deadLetter(n));
    await bus.js.publish(bus.topology.subject(Subject.deadLetter), 'not a dead letter');
    await bus.publish(Subject.deadLetter, deadLetter(4));
    const app = appFor(bus);

    const all = await request(app).get('/api/dead-letters').expect(200);
    expect(DeadLetterListSchema.parse(all.body)).toBeTruthy();
    expect(all.body.deadLetters.map((d: { streamSequence: number }) => d.streamSequence)).toEqual([4, 3, 2, 1]);
    expect(all.body.deadLetters[0]).toEqual({ sequence: 5, ...deadLetter(4) });
    expect(all.body.links.next).toBeNull();

    const page1 = await request(app).get('/api/dead-letters?limit=2').expect(200);
    expect(page1.body.deadLetters.map((d: { sequence: number }) => d.sequence)).toEqual([5]); // sequence 4 is the stray message
    expect(page1.body.links.next).toBe('/api/dead-letters?limit=2&before=4');
    const page2 = await request(app).get(page1.body.links.next).expect(200);
    expect(page2.body.deadLetters.map((d: { sequence: number }) => d.sequence)).toEqual([3, 2]);
    const page3 = await request(app).get(page2.body.links.next).expect(200);
    expect(page3.body).toEqual({ deadLetters: [{ sequence: 1, ...deadLetter(1) }], links: { next: null } });
  });

  it.each(['limit=0', 'limit=201', 'limit=ten', 'limit=1&limit=2', 'before=0', 'before=-3', 'order=asc'])('refuses ?%s with 400', async (query) => {
    const response = await request(appFor(bus)).get(`/api/dead-letters?${query}`).expect(400);
    expect(response.body.error.type).toBe('invalid_request');
  });

  it('answers 503 when the stream cannot be read', async () => {
    const withoutStreams = new MessageBus(bus.nc, namespaced(randomNamespace()), logger);
    const response = await request(appFor(withoutStreams)).get('/api/dead-letters').expect(503);
    expect(response.body.error.type).toBe('dead_letters_unavailable');
  });

  it('shows a poison message a consumer gave up on, with its reason', async () => {
    const { bus: own, close } = await createTestBus();
    try {
      const consumer = await own.consume('orchestratorRequests', { 'analysis.requested': async () => undefined, 'analysis.cancel': async () => undefined });
      await own.js.publish(own.topology.subject(Subject.analysisRequested), '{"jobId": 42}');
      let list: Array<{ reason: string; payload: string; subject: string }> = [];
      for (let i = 0; i < 50 && list.length === 0; i++) {
        list = (await request(appFor(own)).get('/api/dead-letters').expect(200)).body.deadLetters;
        if (list.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      await consumer.stop(1_000);
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ subject: own.topology.subject(Subject.analysisRequested), payload: '{"jobId": 42}', reason: expect.stringMatching(/^invalid payload: jobId/) });
    } finally {
      await close();
    }
  });
});
