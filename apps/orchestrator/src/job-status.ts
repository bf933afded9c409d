import type { JobStatus } from '@scenewise/db';

export interface TaskCounts {
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  skipped: number;
}

export const terminalJobStatuses: readonly JobStatus[] = ['succeeded', 'partially_failed', 'failed', 'cancelled'];

export function isTerminal(status: JobStatus): boolean {
  return terminalJobStatuses.includes(status);
}

export function doneCount(counts: TaskCounts): number {
  return counts.succeeded + counts.failed + counts.cancelled + counts.skipped;
}

/**
 * The status a job ends with once every task is terminal. Never `succeeded` while a scene
 * failed or was cancelled: `partially_failed` when some scenes were summarized, `failed`
 * when none were.
 */
export function decideTerminalStatus(counts: TaskCounts): JobStatus {
  if (counts.failed === 0 && counts.cancelled === 0) return 'succeeded';
  return counts.succeeded > 0 ? 'partially_failed' : 'failed';
}

/** Seconds until the job should end, from its pace so far; null until a scene has finished. */
export function estimateEtaSeconds(counts: TaskCounts, elapsedMs: number): number | null {
  const done = doneCount(counts) - counts.skipped;
  const remaining = counts.total - doneCount(counts);
  if (remaining <= 0) return 0;
  if (done <= 0 || elapsedMs <= 0) return null;
  return Math.round(((elapsedMs / done) * remaining) / 100) / 10;
}
