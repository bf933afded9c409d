import type { AnalysisJob, Database, Scene } from '@scenewise/db';

export interface SceneSelection {
  /** Scenes to summarize. */
  selected: Scene[];
  /** Scenes a partial run leaves alone (their summary for this text and model exists). */
  skipped: Scene[];
}

/**
 * Which scenes a job covers. `full`: all. `partial`: those whose current text has no summary
 * from the job's model (unless `force`). `retry`: the scenes that failed or were cancelled
 * in the parent job.
 */
export async function selectScenes(db: Database, job: AnalysisJob, resolvedModel: string): Promise<SceneSelection> {
  const scenes = await db.scene.findMany({ where: { scriptId: job.scriptId }, orderBy: { position: 'asc' } });
  if (job.mode === 'full' || (job.mode === 'partial' && job.force)) return { selected: scenes, skipped: [] };

  if (job.mode === 'retry') {
    const failed = await db.sceneTask.findMany({
      where: { jobId: job.parentJobId ?? undefined, status: { in: ['failed', 'cancelled'] } },
      select: { sceneId: true },
    });
    const retry = new Set(failed.map((t) => t.sceneId));
    return { selected: scenes.filter((s) => retry.has(s.id)), skipped: [] };
  }

  const summarized = await db.sceneSummary.findMany({
    where: { sceneId: { in: scenes.map((s) => s.id) }, model: resolvedModel },
    select: { sceneId: true, contentHash: true },
  });
  const upToDate = new Set(summarized.map((s) => `${s.sceneId}:${s.contentHash}`));
  const isUpToDate = (s: Scene) => upToDate.has(`${s.id}:${s.contentHash}`);
  return { selected: scenes.filter((s) => !isUpToDate(s)), skipped: scenes.filter(isUpToDate) };
}
