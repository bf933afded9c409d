import { observeGauge } from '@scenewise/telemetry';
import type { NatsCheck } from './checks/nats.check';
import type { ServiceState } from './service-registry';

/**
 * JetStream's and the services' state as Prometheus gauges, read from the latest snapshot
 * when scraped (so a scrape never waits on NATS).
 */
export function registerPipelineGauges(latest: () => { nats?: NatsCheck; services: ServiceState[] }): void {
  const perConsumer = (field: 'pending' | 'ackPending' | 'redelivered') => () =>
    (latest().nats?.consumers ?? []).map((c) => ({ value: c[field], attributes: { consumer: c.consumer } }));
  observeGauge('scenewise.queue.pending', 'Messages waiting for a consumer', perConsumer('pending'));
  observeGauge('scenewise.queue.ack_pending', 'Messages delivered and not yet acknowledged (in flight)', perConsumer('ackPending'));
  observeGauge('scenewise.queue.redelivered', 'Messages delivered more than once and not yet acknowledged', perConsumer('redelivered'));
  observeGauge('scenewise.dead_letters', 'Messages in the dead-letter stream', () => {
    const nats = latest().nats;
    return nats ? [{ value: nats.deadLetters, attributes: {} }] : [];
  });
  observeGauge('scenewise.service.instances', 'Live instances per service', () =>
    latest().services.map((s) => ({ value: s.instances.filter((i) => i.alive).length, attributes: { service: s.service } })),
  );
}
