import { type KV, Kvm } from '@nats-io/kv';
import { Bucket, type BucketKey, type Topology } from '@scenewise/contracts';
import type { MessageBus } from './bus';

/** Opens a key-value bucket of the contracts on the bus's deployment, creating it if it is missing. */
export function openBucket(bus: MessageBus, key: BucketKey, options: { replicas?: number } = {}): Promise<KV> {
  const def = Bucket[key];
  return new Kvm(bus.js).create(bus.topology.bucketName(key), {
    history: def.history,
    ttl: def.ttlMs,
    replicas: options.replicas ?? 1,
  });
}

/** The JetStream stream behind a bucket (`KV_<bucket>`), for permissions and clean-up. */
export const bucketStreamName = (topology: Topology, key: BucketKey) => `KV_${topology.bucketName(key)}`;
