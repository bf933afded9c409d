import { describe, expect, it } from 'vitest';
import { ServiceRegistry } from './service-registry';

const beat = (service: string, instanceId: string) => ({
  service,
  instanceId,
  version: '0.1.0',
  pid: 1,
  startedAt: new Date(0).toISOString(),
  at: new Date(0).toISOString(),
  intervalSeconds: 5,
});

describe('ServiceRegistry', () => {
  it('lists required services as down until they beat, then up', () => {
    let now = 0;
    const registry = new ServiceRegistry(() => now);
    expect(registry.snapshot(['api', 'summarizer']).map((s) => s.status)).toEqual(['down', 'down']);
    registry.record(beat('summarizer', 's1'));
    registry.record(beat('summarizer', 's2'));
    now = 1_000;
    const summarizer = registry.snapshot(['api', 'summarizer']).find((s) => s.service === 'summarizer')!;
    expect(summarizer.status).toBe('up');
    expect(summarizer.instances).toHaveLength(2);
  });

  it('marks an instance gone after two and a half missed beats', () => {
    let now = 0;
    const registry = new ServiceRegistry(() => now);
    registry.record(beat('orchestrator', 'o1'));
    now = 12_000;
    expect(registry.snapshot(['orchestrator'])[0]!.status).toBe('up');
    now = 13_000;
    const [state] = registry.snapshot(['orchestrator']);
    expect(state!.status).toBe('down');
    expect(state!.instances[0]!.alive).toBe(false);
  });
});
