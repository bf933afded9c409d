import type { ServiceHeartbeat } from '@scenewise/contracts';

export interface ServiceInstance {
  instanceId: string;
  version: string;
  pid: number;
  startedAt: string;
  lastSeen: string;
  alive: boolean;
}

export interface ServiceState {
  service: string;
  status: 'up' | 'down';
  instances: ServiceInstance[];
}

/** Heartbeats missed before an instance counts as gone. */
const MISSED_BEATS = 2.5;
/** How long a gone instance is still listed (so a person sees what died). */
const FORGET_AFTER_MS = 10 * 60_000;

/** Which service instances are alive, from the heartbeats they publish. */
export class ServiceRegistry {
  private readonly beats = new Map<string, { beat: ServiceHeartbeat; receivedAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  record(beat: ServiceHeartbeat): void {
    this.beats.set(beat.instanceId, { beat, receivedAt: this.now() });
  }

  snapshot(requiredServices: readonly string[]): ServiceState[] {
    const now = this.now();
    const byService = new Map<string, ServiceInstance[]>(requiredServices.map((s) => [s, []]));
    for (const [id, { beat, receivedAt }] of this.beats) {
      if (now - receivedAt > FORGET_AFTER_MS) {
        this.beats.delete(id);
        continue;
      }
      const instances = byService.get(beat.service) ?? [];
      instances.push({
        instanceId: beat.instanceId,
        version: beat.version,
        pid: beat.pid,
        startedAt: beat.startedAt,
        lastSeen: new Date(receivedAt).toISOString(),
        alive: now - receivedAt <= beat.intervalSeconds * 1_000 * MISSED_BEATS,
      });
      byService.set(beat.service, instances);
    }
    return [...byService].map(([service, instances]) => ({
      service,
      status: instances.some((i) => i.alive) ? 'up' : 'down',
      instances,
    }));
  }
}
