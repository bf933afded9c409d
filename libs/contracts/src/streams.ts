import { Subject } from './subjects';

/**
 * JetStream streams and durable consumers, beside the subjects they carry, so this file
 * answers "who listens to what". Plain data in JetStream's own field names; the messaging
 * lib turns it into stream and consumer configurations.
 */

export interface StreamDefinition {
  name: string;
  subjects: readonly Subject[];
  /** workqueue: a message is gone once acknowledged. limits: kept until max age. */
  retention: 'workqueue' | 'limits';
  /** Window for de-duplicating publishes by message id (Nats-Msg-Id). */
  duplicateWindowMs: number;
  maxAgeMs: number;
}

export interface ConsumerDefinition {
  stream: StreamKey;
  durable: string;
  /** Redelivery after this long without an ack or a `working()` signal. */
  ackWaitMs: number;
  /** Deliveries before a message is given up on and dead-lettered. */
  maxDeliver: number;
  maxAckPending: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const Stream = {
  analysis: {
    name: 'ANALYSIS',
    subjects: [Subject.analysisRequested, Subject.analysisCancel],
    retention: 'workqueue',
    duplicateWindowMs: 10 * MINUTE,
    maxAgeMs: 7 * DAY,
  },
  sceneTasks: {
    name: 'SCENE_TASKS',
    subjects: [Subject.sceneSummarize],
    retention: 'workqueue',
    duplicateWindowMs: 10 * MINUTE,
    maxAgeMs: 7 * DAY,
  },
  sceneResults: {
    name: 'SCENE_RESULTS',
    subjects: [Subject.sceneResult],
    retention: 'workqueue',
    duplicateWindowMs: 10 * MINUTE,
    maxAgeMs: 7 * DAY,
  },
  deadLetters: {
    name: 'DEAD_LETTERS',
    subjects: [Subject.deadLetter],
    retention: 'limits',
    duplicateWindowMs: 2 * MINUTE,
    maxAgeMs: 14 * DAY,
  },
} as const satisfies Record<string, StreamDefinition>;

export type StreamKey = keyof typeof Stream;

export const Consumer = {
  /** The orchestrator takes analysis requests and cancellations. */
  orchestratorRequests: {
    stream: 'analysis',
    durable: 'orchestrator-requests',
    ackWaitMs: 30_000,
    maxDeliver: 10,
    maxAckPending: 100,
  },
  /** Every summarizer instance pulls from this one consumer: a shared work queue. */
  summarizer: {
    stream: 'sceneTasks',
    durable: 'summarizer',
    // The summarizer signals `working()` while a Claude call is in flight, so this only
    // has to outlast the gap between signals, not the call.
    ackWaitMs: 30_000,
    // With the bus's backoff (1 s doubling to 60 s) ten deliveries ride out ~4 min of outage.
    maxDeliver: 10,
    maxAckPending: 10_000,
  },
  /** The orchestrator fails the task or job a dead-lettered message belonged to (never a silent hang). */
  orchestratorDeadLetters: {
    stream: 'deadLetters',
    durable: 'orchestrator-dead-letters',
    ackWaitMs: 30_000,
    maxDeliver: 10,
    maxAckPending: 100,
  },
  /** The orchestrator folds scene outcomes into job state. */
  orchestratorResults: {
    stream: 'sceneResults',
    durable: 'orchestrator-results',
    ackWaitMs: 30_000,
    maxDeliver: 10,
    maxAckPending: 10_000,
  },
} as const satisfies Record<string, ConsumerDefinition>;

export type ConsumerKey = keyof typeof Consumer;

/** The stream a subject is stored in, or undefined for core-NATS-only subjects. */
export function streamOfSubject(subject: Subject): StreamKey | undefined {
  return (Object.keys(Stream) as StreamKey[]).find((key) =>
    (Stream[key].subjects as readonly Subject[]).includes(subject),
  );
}
