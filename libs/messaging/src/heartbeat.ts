import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Subject } from '@scenewise/contracts';
import type { MessageBus } from './bus';

export interface HeartbeatOptions {
  service: string;
  version: string;
  /** @default 5000 */
  intervalMs?: number;
}

/** Announces this instance on `service.heartbeat` until stopped; the health service listens. */
export function startHeartbeat(bus: MessageBus, options: HeartbeatOptions): { instanceId: string; stop(): void } {
  const intervalMs = options.intervalMs ?? 5_000;
  const instanceId = `${options.service}-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const startedAt = new Date().toISOString();
  const beat = () =>
    void bus
      .publish(Subject.serviceHeartbeat, {
        service: options.service,
        instanceId,
        version: options.version,
        pid: process.pid,
        startedAt,
        at: new Date().toISOString(),
        intervalSeconds: intervalMs / 1000,
      })
      .catch(() => undefined);
  beat();
  const timer = setInterval(beat, intervalMs);
  timer.unref();
  return { instanceId, stop: () => clearInterval(timer) };
}
