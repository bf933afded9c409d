import { context, SpanKind } from '@opentelemetry/api';
import { type ConsumerMessages, type JetStreamClient, jetstream, type JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders, type Msg, type NatsConnection } from '@nats-io/transport-node';
import {
  Consumer,
  type ConsumerKey,
  MessageSchema,
  type PayloadOf,
  Stream,
  Subject,
  streamOfSubject,
  type Topology,
} from '@scenewise/contracts';
import { extractTraceContext, injectTraceContext, type Logger, withSpan } from '@scenewise/telemetry';
import { NonRetryableError, RetryLaterError } from './errors';
import { Semaphore } from './semaphore';

export interface PublishOptions {
  /** JetStream de-duplicates publishes with the same id inside the stream's window. */
  msgId?: string;
}

export interface MessageContext {
  subject: Subject;
  /** 1 on first delivery. */
  deliveryCount: number;
  streamSequence: number;
  /** Tells JetStream the message is still being worked on (resets the ack timer). */
  working(): void;
}

export type MessageHandler<P> = (payload: P, ctx: MessageContext) => Promise<void>;

type SubjectsOf<K extends ConsumerKey> = (typeof Stream)[(typeof Consumer)[K]['stream']]['subjects'][number];

export type ConsumerHandlers<K extends ConsumerKey> = { [S in SubjectsOf<K>]: MessageHandler<PayloadOf<S>> };

export interface ConsumeOptions {
  /** Messages handled at once by this process. @default 1 */
  concurrency?: number;
}

export interface RunningConsumer {
  /** Stops fetching, lets in-flight messages finish for `graceMs`, then hands the rest back. */
  stop(graceMs?: number): Promise<void>;
  inFlight(): number;
}

const jsonDecoder = new TextDecoder();

/**
 * Redelivery backoff for failures that did not name their own delay: 1 s doubling to a
 * minute, so a database or NATS outage of a few minutes uses up deliveries slowly and no
 * task is given up as poison because PostgreSQL restarted.
 */
function backoffMs(deliveryCount: number): number {
  return Math.min(60_000, 1_000 * 2 ** Math.max(0, deliveryCount - 1));
}

/**
 * Typed publish and consume on top of the contracts: payloads are validated at both ends,
 * trace context rides in headers, acknowledgements follow the handler's outcome.
 */
export class MessageBus {
  readonly js: JetStreamClient;

  constructor(
    readonly nc: NatsConnection,
    readonly topology: Topology,
    private readonly logger: Logger,
  ) {
    this.js = jetstream(nc);
  }

  /** Validates and publishes: to JetStream when the subject is stored in a stream, else core NATS. */
  async publish<S extends Subject>(subject: S, payload: PayloadOf<S>, options: PublishOptions = {}): Promise<void> {
    const data = JSON.stringify(MessageSchema[subject].parse(payload));
    const wireSubject = this.topology.subject(subject);
    await withSpan(
      `send ${subject}`,
      async () => {
        const headers = natsHeaders();
        injectTraceContext(headers);
        if (streamOfSubject(subject)) {
          await this.js.publish(wireSubject, data, { msgID: options.msgId, headers });
        } else {
          this.nc.publish(wireSubject, data, { headers });
        }
      },
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.type': 'send',
          'messaging.destination.name': wireSubject,
          ...(options.msgId ? { 'messaging.message.id': options.msgId } : {}),
        },
      },
    );
  }

  /** Core NATS subscription with validation; invalid messages are logged and dropped. */
  subscribe<S extends Subject>(subject: S, handler: (payload: PayloadOf<S>) => void): () => void {
    const sub = this.nc.subscribe(this.topology.subject(subject), {
      callback: (err, msg: Msg) => {
        if (err) return;
        const parsed = MessageSchema[subject].safeParse(safeJson(msg.data));
        if (!parsed.success) {
          this.logger.warn({ subject, issues: parsed.error.issues.slice(0, 3) }, 'dropped an invalid message');
          return;
        }
        handler(parsed.data as PayloadOf<S>);
      },
    });
    return () => sub.unsubscribe();
  }

  /** Pulls from a durable consumer and runs the handler for each message's subject. */
  async consume<K extends ConsumerKey>(
    key: K,
    handlers: ConsumerHandlers<K>,
    options: ConsumeOptions = {},
  ): Promise<RunningConsumer> {
    const def = Consumer[key];
    const consumer = await this.js.consumers.get(this.topology.streamName(def.stream), def.durable);
    const concurrency = options.concurrency ?? 1;
    const slots = new Semaphore(concurrency);
    const inFlight = new Map<JsMsg, Promise<void>>();
    let stopping = false;
    let batch: ConsumerMessages | undefined;

    // Pull only as many messages as there are free slots: a message that waited in a client
    // buffer past ack_wait would be redelivered to another worker while this one still had it.
    const loop = (async () => {
      while (!stopping) {
        await slots.acquire();
        if (stopping) {
          slots.release();
          break;
        }
        let holdsUnusedSlot = true;
        try {
          // A short expiry: while a partly filled pull waits, freed slots cannot pull more.
          batch = await consumer.fetch({ max_messages: 1 + concurrency - slots.inUse, expires: 1_000 });
          for await (const m of batch) {
            if (!holdsUnusedSlot) await slots.acquire();
            holdsUnusedSlot = false;
            if (stopping) {
              m.nak();
              slots.release();
              continue;
            }
            const done = this.handle(key, m, handlers as Record<string, MessageHandler<unknown>>).finally(() => {
              inFlight.delete(m);
              slots.release();
            });
            inFlight.set(m, done);
          }
        } catch (err) {
          // NATS restarting or unreachable: the client reconnects; pull again shortly.
          this.logger.warn({ err, consumer: def.durable }, 'pull failed; retrying');
          await new Promise((r) => setTimeout(r, 1_000));
        } finally {
          if (holdsUnusedSlot) slots.release();
        }
      }
    })();

    return {
      inFlight: () => inFlight.size,
      stop: async (graceMs = 10_000) => {
        stopping = true;
        batch?.stop();
        const settled = Promise.allSettled(inFlight.values());
        const timedOut = await Promise.race([
          settled.then(() => false),
          new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref()),
        ]);
        // Hand back what did not finish in time, for another instance to take.
        if (timedOut) for (const m of inFlight.keys()) m.nak();
        await loop.catch(() => undefined);
      },
    };
  }

  private async handle(key: ConsumerKey, m: JsMsg, handlers: Record<string, MessageHandler<unknown>>): Promise<void> {
    const def = Consumer[key];
    const subject = this.baseSubject(m.subject);
    const deliveryCount = m.info.deliveryCount;
    const log = this.logger.child({ consumer: def.durable, subject, seq: m.seq, deliveryCount });
    const parentContext = extractTraceContext(m.headers);

    await context.with(parentContext, () =>
      withSpan(
        `process ${subject ?? m.subject}`,
        async (span) => {
          const handler = subject ? handlers[subject] : undefined;
          const parsed = subject ? MessageSchema[subject].safeParse(safeJson(m.data)) : undefined;
          if (!handler || !parsed?.success) {
            const reason = !handler
              ? `no handler for subject ${m.subject}`
              : `invalid payload: ${parsed?.error?.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`;
            await this.deadLetter(key, m, reason, log);
            return;
          }
          // Keep the message ours while the handler works (a Claude call can outlive ack_wait).
          const keepAlive = setInterval(() => m.working(), Math.max(1_000, def.ackWaitMs / 3));
          try {
            await handler(parsed.data, {
              subject: subject!,
              deliveryCount,
              streamSequence: m.seq,
              working: () => m.working(),
            });
            // A plain ack, not a confirmed one: every handler is idempotent (its outcome is stored
            // before this, and a redelivery finds it), so a lost ack costs a redelivery, while
            // waiting for each confirmation cost a round trip per message.
            m.ack();
          } catch (err) {
            span.recordException(err as Error);
            if (err instanceof NonRetryableError) {
              await this.deadLetter(key, m, err.message, log);
            } else if (deliveryCount >= def.maxDeliver) {
              await this.deadLetter(key, m, `gave up after ${deliveryCount} deliveries: ${String(err)}`, log);
            } else {
              const delay = err instanceof RetryLaterError ? err.delayMs : backoffMs(deliveryCount);
              log.warn({ err, retryInMs: delay }, 'handler failed; message will be redelivered');
              m.nak(delay);
            }
          } finally {
            clearInterval(keepAlive);
          }
        },
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'messaging.system': 'nats',
            'messaging.operation.type': 'process',
            'messaging.destination.name': m.subject,
            'messaging.consumer.group.name': def.durable,
            'messaging.nats.delivery_count': deliveryCount,
          },
        },
      ),
    );
  }

  /** Records a message that can never be processed, then terminates it so it never loops. */
  private async deadLetter(key: ConsumerKey, m: JsMsg, reason: string, log: Logger): Promise<void> {
    const def = Consumer[key];
    if (def.stream === 'deadLetters') {
      // A dead letter that cannot be handled is only logged: re-filing it would loop.
      log.error({ reason }, 'dead letter could not be handled; dropped');
      m.term();
      return;
    }
    log.error({ reason }, 'message dead-lettered');
    try {
      await this.publish(Subject.deadLetter, {
        stream: this.topology.streamName(def.stream),
        consumer: def.durable,
        subject: m.subject,
        streamSequence: m.seq,
        deliveries: m.info.deliveryCount,
        reason: reason.slice(0, 4_000),
        payload: jsonDecoder.decode(m.data).slice(0, 100_000),
        at: new Date().toISOString(),
      });
    } catch (err) {
      // Without a dead letter stored, terminating would lose the message: let it come back.
      log.error({ err }, 'could not store the dead letter; message will be redelivered');
      m.nak(5_000);
      return;
    }
    // No reason on the term: nats-server 2.9 ignores a term that carries one and redelivers.
    m.term();
  }

  private baseSubject(wireSubject: string): Subject | undefined {
    const prefix = this.topology.namespace ? `${this.topology.namespace}.` : '';
    const bare = wireSubject.startsWith(prefix) ? wireSubject.slice(prefix.length) : wireSubject;
    return (Object.values(Subject) as string[]).includes(bare) ? (bare as Subject) : undefined;
  }
}

function safeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(jsonDecoder.decode(data));
  } catch {
    return undefined;
  }
}
