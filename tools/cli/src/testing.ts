import type { JobView } from './api-client';

/** Test fixtures: a finished job as the API shows it, overridable field by field. */
export function buildJobView(overrides: Partial<JobView> = {}): JobView {
  return {
    id: 'job-1',
    scriptId: 'script-1',
    mode: 'full',
    status: 'succeeded',
    model: 'test-model',
    resolvedModel: 'test-model-2025',
    counts: { total: 2, succeeded: 2, failed: 0, cancelled: 0, skipped: 0, pending: 0 },
    error: null,
    errorsByType: [],
    usage: { inputTokens: 1200, outputTokens: 300, costUsd: 0.01234 },
    createdAt: '2026-01-01T10:00:00.000Z',
    startedAt: '2026-01-01T10:00:01.000Z',
    finishedAt: '2026-01-01T10:00:13.000Z',
    durationMs: 12_345,
    links: { self: '/api/jobs/job-1', script: '/api/scripts/script-1' },
    scenes: [
      { position: 0, heading: 'INT. KITCHEN - NIGHT', status: 'succeeded', attempts: 1, error: null },
      { position: 1, heading: 'EXT. STREET - CONTINUOUS', status: 'succeeded', attempts: 1, error: null },
    ],
    ...overrides,
  };
}
