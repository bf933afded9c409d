import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { namespaced } from '@scenewise/contracts';
import type { Logger } from '@scenewise/telemetry';
import { MessageBus } from './bus';
import { ensureTopology } from './topology-setup';

export interface NatsConfig {
  /** Comma-separated server URLs. */
  servers: string;
  /** Shown in the server's connection list. */
  name: string;
  user?: string;
  password?: string;
  token?: string;
}

/**
 * Connects and keeps reconnecting for as long as the process lives: a NATS restart is a
 * pause, not a crash. Connection state changes are logged.
 */
export async function connectNats(config: NatsConfig, logger: Logger): Promise<NatsConnection> {
  const nc = await connect({
    servers: config.servers.split(',').map((s) => s.trim()),
    name: config.name,
    user: config.user,
    pass: config.password,
    token: config.token,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
  });
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'ping' || status.type === 'reconnecting') continue;
      const level = status.type === 'disconnect' || status.type === 'error' ? 'warn' : 'info';
      logger[level]({ natsStatus: status.type, server: nc.getServer() }, `nats ${status.type}`);
    }
  })().catch(() => undefined);
  return nc;
}

export interface BusSettings extends NatsConfig {
  /** Puts every subject and stream under a prefix (see contracts' `namespaced`). */
  namespace: string;
  /** @default 1 */
  streamReplicas?: number;
  /** Create or update the streams and consumers first (every service that uses them). @default true */
  ensureTopology?: boolean;
}

/** Connects to NATS and returns a MessageBus on the deployment's topology, ready to use. */
export async function openMessageBus(settings: BusSettings, logger: Logger): Promise<MessageBus> {
  const nc = await connectNats(settings, logger);
  const topology = namespaced(settings.namespace);
  if (settings.ensureTopology ?? true) {
    await ensureTopology(await jetstreamManager(nc), topology, { replicas: settings.streamReplicas });
  }
  return new MessageBus(nc, topology, logger);
}
