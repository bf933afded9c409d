import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@scenewise/telemetry';

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
