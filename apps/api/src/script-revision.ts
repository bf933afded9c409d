import type { Database, Script } from '@scenewise/db';
import type { ParsedScene } from '@scenewise/screenplay';
import { ApiError, notFound } from './http-errors';
import { matchScenes, type ScenePair } from './scene-matching';
import type { ScriptUpload } from './script-upload';

/**
 * Replaces a script's text with a revision, in one transaction. Scenes are paired with the
 * stored ones by `matchScenes`: an unchanged scene keeps its row and so its summaries, an
 * edited one keeps its row with the new text and hash (its old summaries stay on the row,
 * for the text they were made from), a new one gets a row.
 *
 * A removed scene is detached, not deleted: its script_id becomes null and
 * removed_from_script_id names the script. Deleting it would cascade to the tasks of every
 * past job that covered it, so a past job would list fewer scenes and errors than it had,
 * and the orchestrator, which folds a job's counts and usage from its tasks (again on any
 * late or redelivered result), would quietly lower them. Detached, the row keeps the past
 * jobs exactly as they were, while analyses, which select a script's scenes by script_id,
 * no longer see it.
 */

export interface RevisionCounts {
  unchanged: number;
  edited: number;
  added: number;
  removed: number;
}

const activeStatuses = ['queued', 'running'] as const;

/** The title becomes the one asked for, else the title page's, else stays as it was. */
export async function reviseScript(db: Database, scriptId: string, upload: ScriptUpload): Promise<{ script: Script; revision: RevisionCounts }> {
  return db.$transaction(async (tx) => {
    // A new job's foreign key takes a KEY SHARE lock on its script row, which FOR UPDATE
    // excludes: every job is created either before the check below (and refused) or after
    // this revision commits (and sees the new scenes).
    const [locked] = await tx.$queryRaw<Array<Pick<Script, 'id' | 'title'>>>`SELECT id, title FROM scripts WHERE id = ${scriptId}::uuid FOR UPDATE`;
    if (!locked) throw notFound('script', scriptId);
    const active = await tx.analysisJob.findFirst({
      where: { scriptId, status: { in: [...activeStatuses] } },
      orderBy: { createdAt: 'asc' },
      select: { id: true, status: true },
    });
    if (active) {
      throw new ApiError(
        409,
        'script_being_analyzed',
        `script ${scriptId} has a ${active.status} analysis (job ${active.id}); revise it once the job has ended, or cancel the job first`,
        { jobId: active.id, status: active.status },
      );
    }

    const stored = await tx.scene.findMany({
      where: { scriptId },
      orderBy: { position: 'asc' },
      select: { id: true, position: true, heading: true, contentHash: true },
    });
    const revised = upload.parsed.scenes;
    const match = matchScenes(stored, revised);

    if (match.removed.length) {
      await tx.scene.updateMany({
        where: { id: { in: match.removed } },
        data: { scriptId: null, removedFromScriptId: scriptId, removedAt: new Date() },
      });
    }

    // Rows to rewrite: every edited scene, and unchanged ones that moved. They are parked at
    // negative positions first, so that no row takes a position another still holds under
    // the unique (script_id, position).
    const oldPosition = new Map(stored.map((s) => [s.id, s.position]));
    const rewrites: Array<ScenePair<ParsedScene>> = [
      ...match.edited,
      ...match.unchanged.filter((p) => oldPosition.get(p.id) !== p.scene.position),
    ];
    if (rewrites.length) {
      const ids = rewrites.map((p) => p.id);
      await tx.$executeRaw`UPDATE scenes SET position = -1 - position WHERE id = ANY(${ids}::uuid[])`;
      const rows = rewrites.map(({ id, scene }) => ({
        id,
        position: scene.position,
        heading: scene.heading,
        text: scene.text,
        content_hash: scene.contentHash,
        characters: scene.characters,
      }));
      await tx.$executeRaw`
        UPDATE scenes AS s
           SET position = v.position, heading = v.heading, text = v.text, content_hash = v.content_hash,
               characters = ARRAY(SELECT jsonb_array_elements_text(v.characters)), updated_at = now()
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
            AS v(id uuid, position int, heading text, text text, content_hash text, characters jsonb)
         WHERE s.id = v.id`;
    }

    if (match.added.length) {
      await tx.scene.createMany({
        data: match.added.map((s) => ({
          scriptId,
          position: s.position,
          heading: s.heading,
          text: s.text,
          characters: s.characters,
          contentHash: s.contentHash,
        })),
      });
    }

    const script = await tx.script.update({
      where: { id: scriptId },
      data: { title: upload.title ?? upload.parsed.title ?? locked.title, format: upload.parsed.format, sceneCount: revised.length },
    });
    return {
      script,
      revision: { unchanged: match.unchanged.length, edited: match.edited.length, added: match.added.length, removed: match.removed.length },
    };
  });
}
