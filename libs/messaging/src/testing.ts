import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Bucket, type BucketKey, namespaced, Stream, type StreamKey, type Topology } from '@scenewise/contracts';
import { createLogger } from '@scenewise/telemetry';
import { bucketStreamName } from './buckets';
import { MessageBus } from './bus';
import { ensureTopology } from './topology-setup';

/** Test-only: a bus on the machine's NATS server under a fresh namespace, and its clean-up. */

export const testNatsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

export function randomNamespace(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

export async function deleteNamespaceStreams(topology: Topology, natsUrl = testNatsUrl): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  const jsm = await jetstreamManager(nc);
  for (const key of Object.keys(Stream) as StreamKey[]) {
    await jsm.streams.delete(topology.streamName(key)).catch(() => undefined);
  }
  for (const key of Object.keys(Bucket) as BucketKey[]) {
    await jsm.streams.delete(bucketStreamName(topology, key)).catch(() => undefined);
  }
  await nc.close();
}

export async function createTestBus(namespace = randomNamespace()): Promise<{
  bus: MessageBus;
  topology: Topology;
  close(): Promise<void>;
}> {
  const topology = namespaced(namespace);
  const nc = await connect({ servers: testNatsUrl });
  await ensureTopology(await jetstreamManager(nc), topology);
  const bus = new MessageBus(nc, topology, createLogger({ service: 'test', level: 'silent' }));
  return {
    bus,
    topology,
    async close() {
      await nc.drain();
      await deleteNamespaceStreams(topology);
    },
  };
}
