import type { AnalysisJob, Scene, SceneSummary, SceneTask, Script } from '@scenewise/db';
import type { RevisionCounts } from './script-revision';

/** What the API shows of stored rows: stable field names, no internals. */

export function scriptView(script: Script) {
  return {
    id: script.id,
    title: script.title,
    format: script.format,
    sceneCount: script.sceneCount,
    createdAt: script.createdAt.toISOString(),
    updatedAt: script.updatedAt.toISOString(),
    links: { self: `/api/scripts/${script.id}`, scenes: `/api/scripts/${script.id}/scenes`, analyze: `/api/scripts/${script.id}/analyze` },
  };
}

/** A revised script, with what the revision did to its scenes. */
export function revisionView(script: Script, revision: RevisionCounts) {
  return { ...scriptView(script), revision };
}

export function summaryView(summary: SceneSummary) {
  return {
    id: summary.id,
    model: summary.model,
    summary: summary.summary,
    characters: summary.characters,
    mood: summary.mood,
    keyEvents: summary.keyEvents,
    inputTokens: summary.inputTokens,
    outputTokens: summary.outputTokens,
    costUsd: summary.costUsd,
    latencyMs: summary.latencyMs,
    createdAt: summary.createdAt.toISOString(),
  };
}

/** A scene with its latest summary of its current text (null when there is none). */
export function sceneView(scene: Scene & { summaries: SceneSummary[] }) {
  const current = scene.summaries.find((s) => s.contentHash === scene.contentHash);
  return {
    id: scene.id,
    position: scene.position,
    heading: scene.heading,
    text: scene.text,
    characters: scene.characters,
    contentHash: scene.contentHash,
    summary: current ? summaryView(current) : null,
  };
}

type JobWithTasks = AnalysisJob & { tasks: Array<SceneTask & { scene: { heading: string } }> };

export function jobView(job: JobWithTasks, jaegerUiUrl: string) {
  const done = job.succeeded + job.failed + job.cancelled + job.skipped;
  const errorsByType = new Map<string, { type: string; count: number; message: string }>();
  for (const task of job.tasks) {
    if (!task.errorType || task.status === 'succeeded') continue;
    const entry = errorsByType.get(task.errorType) ?? { type: task.errorType, count: 0, message: task.errorMessage ?? '' };
    entry.count++;
    errorsByType.set(task.errorType, entry);
  }
  const end = job.finishedAt ?? new Date();
  return {
    id: job.id,
    scriptId: job.scriptId,
    mode: job.mode,
    force: job.force,
    status: job.status,
    modelRole: job.modelRole,
    model: job.model,
    resolvedModel: job.resolvedModel,
    counts: {
      total: job.totalScenes,
      succeeded: job.succeeded,
      failed: job.failed,
      cancelled: job.cancelled,
      skipped: job.skipped,
      pending: Math.max(0, job.totalScenes - done),
    },
    error: job.errorType ? { type: job.errorType, message: job.errorMessage } : null,
    errorsByType: [...errorsByType.values()],
    usage: { inputTokens: job.inputTokens, outputTokens: job.outputTokens, costUsd: Number(job.costUsd.toFixed(6)) },
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    durationMs: job.startedAt ? end.getTime() - job.startedAt.getTime() : null,
    traceId: job.traceId,
    links: {
      self: `/api/jobs/${job.id}`,
      script: `/api/scripts/${job.scriptId}`,
      ...(job.traceId ? { trace: `${jaegerUiUrl}/trace/${job.traceId}` } : {}),
    },
    scenes: job.tasks.map((task) => ({
      taskId: task.id,
      sceneId: task.sceneId,
      position: task.position,
      heading: task.scene.heading,
      status: task.status,
      attempts: task.attempts,
      error: task.errorType ? { type: task.errorType, message: task.errorMessage } : null,
      summaryId: task.summaryId,
      startedAt: task.startedAt?.toISOString() ?? null,
      finishedAt: task.finishedAt?.toISOString() ?? null,
    })),
  };
}
