import { jetstreamManager } from '@nats-io/jetstream';
import { Subject, type DeadLetter, type SceneTask } from '@scenewise/contracts';
import { buildSceneTask } from '@scenewise/contracts/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageBus } from './bus';
import { NonRetryableError, RetryLaterError } from './errors';
import { createTestBus } from './testing';

let bus: MessageBus;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ bus, close } = await createTestBus());
});
afterEach(async () => close());

async function until<T>(read: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function collectDeadLetters(): Promise<DeadLetter[]> {
  const received: DeadLetter[] = [];
  const dlq = await bus.js.consumers.get(bus.topology.streamName('deadLetters'));
  const batch = await dlq.fetch({ max_messages: 10, expires: 1_000 });
  for await (const m of batch) received.push(m.json<DeadLetter>());
  return received;
}

describe('MessageBus on a real NATS server', () => {
  it('delivers a validated task to the consumer and acknowledges it', async () => {
    const seen: SceneTask[] = [];
    const consumer = await bus.consume('summarizer', { [Subject.sceneSummarize]: async (task) => void seen.push(task) });
    const task = buildSceneTask();
    await bus.publish(Subject.sceneSummarize, task, { msgId: task.taskId });
    await until(() => (seen.length ? seen : undefined));
    await consumer.stop();
    expect(seen).toEqual([task]);
    const jsm = await jetstreamManager(bus.nc);
    const info = await jsm.consumers.info(bus.topology.streamName('sceneTasks'), 'summarizer');
    expect(info.num_pending + info.num_ack_pending).toBe(0);
  });

  it('de-duplicates publishes with the same message id', async () => {
    const task = buildSceneTask();
    await bus.publish(Subject.sceneSummarize, task, { msgId: task.taskId });
    await bus.publish(Subject.sceneSummarize, task, { msgId: task.taskId });
    const jsm = await jetstreamManager(bus.nc);
    expect((await jsm.streams.info(bus.topology.streamName('sceneTasks'))).state.messages).toBe(1);
  });

  it('refuses to publish an invalid payload', async () => {
    await expect(bus.publish(Subject.sceneSummarize, { ...buildSceneTask(), text: '' })).rejects.toThrow(/text/);
  });

  it('redelivers after a failure and dead-letters a NonRetryableError', async () => {
    const attempts: number[] = [];
    const consumer = await bus.consume('summarizer', {
      [Subject.sceneSummarize]: async (_task, ctx) => {
        attempts.push(ctx.deliveryCount);
        if (ctx.deliveryCount === 1) throw new RetryLaterError('try again', 50);
        throw new NonRetryableError('this scene can never work');
      },
    });
    await bus.publish(Subject.sceneSummarize, buildSceneTask());
    await until(() => (attempts.length >= 2 ? attempts : undefined));
    await new Promise((r) => setTimeout(r, 200));
    await consumer.stop();
    expect(attempts).toEqual([1, 2]);
    const dead = await collectDeadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]!.reason).toBe('this scene can never work');
  });

  it('dead-letters a malformed message without calling the handler', async () => {
    let called = false;
    const consumer = await bus.consume('summarizer', { [Subject.sceneSummarize]: async () => void (called = true) });
    await bus.js.publish(bus.topology.subject(Subject.sceneSummarize), '{"jobId": 42}');
    await new Promise((r) => setTimeout(r, 300));
    const dead = await collectDeadLetters();
    await consumer.stop();
    expect(called).toBe(false);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.reason).toMatch(/^invalid payload: jobId/);
    expect(dead[0]!.payload).toBe('{"jobId": 42}');
  });

  it('runs handlers concurrently up to the limit', async () => {
    let running = 0;
    let peak = 0;
    let done = 0;
    const consumer = await bus.consume(
      'summarizer',
      {
        [Subject.sceneSummarize]: async () => {
          peak = Math.max(peak, ++running);
          await new Promise((r) => setTimeout(r, 50));
          running--;
          done++;
        },
      },
      { concurrency: 4 },
    );
    for (let i = 0; i < 12; i++) await bus.publish(Subject.sceneSummarize, buildSceneTask({ position: i }));
    await until(() => (done === 12 ? done : undefined));
    await consumer.stop();
    expect(peak).toBe(4);
  });
});
