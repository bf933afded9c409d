import type { ModelCheck } from '@scenewise/model-config';
import type { CheckResult } from './checks/database.check';
import type { NatsCheck } from './checks/nats.check';
import type { ServiceState } from './service-registry';

export interface HealthReport {
  status: 'ok' | 'degraded';
  /** Why the pipeline cannot do its job, in sentences a person can act on. */
  problems: string[];
  checkedAt: string;
  services: ServiceState[];
  nats: NatsCheck;
  database: CheckResult;
  models: Array<
    | { role: string; model: string; status: 'ok'; resolvedId: string }
    | { role: string; model: string; status: 'unavailable'; reason: string; message: string; replacement?: string }
  >;
}

/** One verdict from every check: degraded (HTTP 503) whenever the pipeline cannot do its job. */
export function buildHealthReport(input: {
  services: ServiceState[];
  nats: NatsCheck;
  database: CheckResult;
  models: ModelCheck[];
}): HealthReport {
  const problems: string[] = [];
  if (input.nats.status !== 'ok') problems.push(`NATS is not reachable: ${input.nats.error}`);
  if (input.database.status !== 'ok') problems.push(`PostgreSQL is not reachable: ${input.database.error}`);
  for (const service of input.services) {
    if (service.status === 'down') problems.push(`no live ${service.service} instance`);
  }
  for (const model of input.models) if (!model.ok) problems.push(model.message);
  return {
    status: problems.length ? 'degraded' : 'ok',
    problems,
    checkedAt: new Date().toISOString(),
    services: input.services,
    nats: input.nats,
    database: input.database,
    models: input.models.map((m) =>
      m.ok
        ? { role: m.role, model: m.model, status: 'ok' as const, resolvedId: m.resolvedId }
        : { role: m.role, model: m.model, status: 'unavailable' as const, reason: m.reason, message: m.message, replacement: m.replacement },
    ),
  };
}
