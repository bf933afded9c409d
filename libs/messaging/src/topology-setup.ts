import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { Consumer, type ConsumerKey, Stream, type StreamKey, type Topology } from '@scenewise/contracts';

function isNotFound(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 404 || /not found/i.test(String(err));
}

export interface TopologyOptions {
  /** Copies of each stream in a NATS cluster (3 for a 3-node cluster). @default 1 */
  replicas?: number;
}

/** Creates or updates every stream and durable consumer. Safe to run at every start-up. */
export async function ensureTopology(jsm: JetStreamManager, topology: Topology, options: TopologyOptions = {}): Promise<void> {
  for (const key of Object.keys(Stream) as StreamKey[]) {
    const def = Stream[key];
    const config = {
      name: topology.streamName(key),
      subjects: def.subjects.map((s) => topology.subject(s)),
      retention: def.retention === 'workqueue' ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
      storage: StorageType.File,
      duplicate_window: nanos(def.duplicateWindowMs),
      max_age: nanos(def.maxAgeMs),
      num_replicas: options.replicas ?? 1,
    };
    try {
      await jsm.streams.info(config.name);
      await jsm.streams.update(config.name, config);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await jsm.streams.add(config);
    }
  }
  for (const key of Object.keys(Consumer) as ConsumerKey[]) {
    const def = Consumer[key];
    const stream = topology.streamName(def.stream);
    const config = {
      durable_name: def.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(def.ackWaitMs),
      max_deliver: def.maxDeliver,
      max_ack_pending: def.maxAckPending,
    };
    try {
      await jsm.consumers.info(stream, def.durable);
      await jsm.consumers.update(stream, def.durable, config);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await jsm.consumers.add(stream, config);
    }
  }
}
