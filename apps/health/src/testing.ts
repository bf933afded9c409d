import { currentModels, defaultModelForRole, describeUnavailableModel, type ModelCheck, ModelRole, retiredModels } from '@scenewise/model-config';
import type { Dashboard, RecentJob } from './dashboard';
import { buildHealthReport } from './report';
import type { ServiceState } from './service-registry';
import type { StatusReport } from './status-report';

/** Test-only: status reports as the health service builds them, for the page and the routes. */

const at = '2026-03-10T12:00:00.000Z';

function service(name: string, up: boolean): ServiceState {
  return {
    service: name,
    status: up ? 'up' : 'down',
    instances: [{ instanceId: `${name}-host-1`, version: '0.1.0', pid: 1, startedAt: at, lastSeen: at, alive: up }],
  };
}

function modelCheck(role: ModelRole, retired: boolean): ModelCheck {
  if (retired) {
    const model = retiredModels[0]!;
    return { ok: false, role, model: model.id, reason: 'retired', message: describeUnavailableModel(role, model.id), replacement: model.replacement };
  }
  const model = defaultModelForRole[role];
  return { ok: true, role, model, resolvedId: currentModels.find((m) => m.aliases.includes(model))?.id ?? model };
}

export function recentJobFixture(patch: Partial<RecentJob> = {}): RecentJob {
  return {
    id: '0b7f5c1e-8d0a-4a57-9a63-2f1d7c1e9a10',
    scriptTitle: 'The Night Shift',
    status: 'succeeded',
    mode: 'full',
    totalScenes: 40,
    succeeded: 40,
    failed: 0,
    cancelled: 0,
    skipped: 0,
    durationSeconds: 42.5,
    createdAt: at,
    finishedAt: at,
    errorMessage: null,
    failures: [],
    ...patch,
  };
}

export function dashboardFixture(patch: Partial<Dashboard> = {}): Dashboard {
  return {
    jobsLastHour: { total: 3, byStatus: { succeeded: 2, partially_failed: 1 } },
    averageJobSeconds: { value: 42.5, jobs: 3 },
    sceneFailureRate: { value: 0.025, failed: 1, finished: 40 },
    modelLatencyMs: { p50: 850, p95: 2_300, calls: 40 },
    usageToday: { inputTokens: 48_200, outputTokens: 9_100, costUsd: 0.0937, calls: 40, unpricedCalls: 0 },
    recentJobs: [recentJobFixture()],
    ...patch,
  };
}

/** Everything up and every model answering, unless told which services are down or that a model is retired. */
export function statusReportFixture(options: { down?: string[]; retiredRole?: ModelRole; dashboard?: StatusReport['dashboard'] } = {}): StatusReport {
  const report = buildHealthReport({
    services: ['api', 'orchestrator', 'summarizer'].map((name) => service(name, !options.down?.includes(name))),
    nats: {
      status: 'ok',
      server: '127.0.0.1:4222',
      streams: [{ stream: 'SCENE_TASKS', messages: 0 }],
      consumers: [{ consumer: 'summarizer', stream: 'SCENE_TASKS', pending: 0, ackPending: 0, redelivered: 0 }],
      deadLetters: 0,
    },
    database: { status: 'ok', latencyMs: 2 },
    models: Object.values(ModelRole).map((role) => modelCheck(role, role === options.retiredRole)),
  });
  return { ...report, checkedAt: at, dashboard: options.dashboard ?? dashboardFixture() };
}
