import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Consumer, type ConsumerKey, Stream, type StreamKey, type Topology } from '@scenewise/contracts';

export interface NatsCheck {
  status: 'ok' | 'down';
  server?: string;
  error?: string;
  streams: Array<{ stream: string; messages: number }>;
  consumers: Array<{ consumer: string; stream: string; pending: number; ackPending: number; redelivered: number }>;
  deadLetters: number;
}

/** NATS connectivity and JetStream's view of the pipeline: queued, in flight, redelivered. */
export async function checkNats(nc: NatsConnection, topology: Topology): Promise<NatsCheck> {
  const empty = { streams: [], consumers: [], deadLetters: 0 };
  if (nc.isClosed()) return { status: 'down', error: 'connection closed', ...empty };
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc, { timeout: 2_000 });
    const streams = await Promise.all(
      (Object.keys(Stream) as StreamKey[]).map(async (key) => {
        const info = await jsm.streams.info(topology.streamName(key));
        return { stream: info.config.name, messages: info.state.messages };
      }),
    );
    const consumers = await Promise.all(
      (Object.keys(Consumer) as ConsumerKey[]).map(async (key) => {
        const def = Consumer[key];
        const info = await jsm.consumers.info(topology.streamName(def.stream), def.durable);
        return {
          consumer: def.durable,
          stream: info.stream_name,
          pending: info.num_pending,
          ackPending: info.num_ack_pending,
          redelivered: info.num_redelivered,
        };
      }),
    );
    const deadLetters = streams.find((s) => s.stream === topology.streamName('deadLetters'))?.messages ?? 0;
    return { status: 'ok', server: nc.getServer(), streams, consumers, deadLetters };
  } catch (err) {
    return { status: 'down', error: err instanceof Error ? err.message : String(err), ...empty };
  }
}
