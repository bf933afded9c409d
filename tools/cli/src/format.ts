import type { HealthReport, JobCounts, JobView, SceneView, ScriptRevision, ScriptView } from './api-client';

/** ANSI styles, or none at all (not a terminal, NO_COLOR, TERM=dumb). */
export function createStyle(enabled: boolean) {
  const wrap = (open: number, close: number) => (text: string) => (enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39) };
}
export type Style = ReturnType<typeof createStyle>;

export function colorEnabled(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  return Boolean(stream.isTTY) && !env['NO_COLOR'] && env['TERM'] !== 'dumb';
}

/** `42s`, `3m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1_000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export const doneCount = (c: JobCounts) => c.succeeded + c.failed + c.cancelled + c.skipped;

export interface ProgressSnapshot extends JobCounts {
  status: string;
}

/** `[████████░░░░] 12/40 done · 1 failed · 8s elapsed · ETA 19s · running` */
export function progressLine(p: ProgressSnapshot, elapsedMs: number, etaSeconds: number | null, style: Style, width = 24): string {
  const done = doneCount(p);
  const filled = p.total ? Math.min(width, Math.round((done / p.total) * width)) : 0;
  const bar = `[${style.green('█'.repeat(filled))}${style.dim('░'.repeat(width - filled))}]`;
  const failed = p.failed ? style.red(`${p.failed} failed`) : '0 failed';
  const parts = [`${bar} ${done}/${p.total || '?'} done`, failed];
  if (p.cancelled) parts.push(style.yellow(`${p.cancelled} cancelled`));
  parts.push(`${formatDuration(elapsedMs)} elapsed`);
  if (etaSeconds !== null && done < p.total) parts.push(`ETA ${formatDuration(etaSeconds * 1_000)}`);
  parts.push(p.status);
  return parts.join(' · ');
}

/** Seconds to go at the pace so far; null until a scene has finished. */
export function estimateEtaSeconds(counts: JobCounts, elapsedMs: number): number | null {
  const finished = counts.succeeded + counts.failed + counts.cancelled;
  const remaining = counts.total - doneCount(counts);
  if (remaining <= 0) return 0;
  if (finished <= 0 || elapsedMs <= 0) return null;
  return ((elapsedMs / finished) * remaining) / 1_000;
}

const statusMark = (status: string, style: Style) =>
  status === 'succeeded' ? style.green('✔') : status === 'failed' ? style.red('✖') : status === 'cancelled' || status === 'partially_failed' ? style.yellow('!') : style.dim('·');

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One paragraph: how a job ended (or where it is), what it cost, what went wrong. */
export function jobSummary(job: JobView, style: Style): string {
  const c = job.counts;
  const counts =
    c.failed || c.cancelled || c.skipped
      ? `${c.succeeded} summarized, ${c.failed} failed, ${c.cancelled} cancelled, ${c.skipped} skipped of ${c.total}`
      : `${c.succeeded} of ${plural(c.total, 'scene')} summarized`;
  const parts = [counts];
  if (job.durationMs !== null) parts.push(formatDuration(job.durationMs));
  parts.push(`${job.usage.inputTokens} input + ${job.usage.outputTokens} output tokens`, `$${job.usage.costUsd.toFixed(4)}`);
  const lines = [`${statusMark(job.status, style)} Job ${job.id} ${style.bold(job.status)}: ${parts.join(' · ')}`];
  if (job.error) lines.push(`  ${style.red(job.error.type)}: ${job.error.message ?? ''}`);
  for (const group of job.errorsByType) lines.push(`  ${group.count} × ${style.red(group.type)}: ${group.message}`);
  if (job.links.trace) lines.push(`  trace: ${job.links.trace}`);
  return lines.join('\n');
}

/** The `job` command: the summary, then every scene's outcome. */
export function jobDetails(job: JobView, style: Style): string {
  const model = job.model ? `${job.model}${job.resolvedModel && job.resolvedModel !== job.model ? ` (${job.resolvedModel})` : ''}` : 'not resolved yet';
  const lines = [jobSummary(job, style), `  script ${job.scriptId} · ${job.mode} · model ${model} · created ${job.createdAt}`];
  if (job.counts.pending) lines.push(`  ${job.counts.pending} pending`);
  if (job.scenes.length) lines.push('');
  for (const scene of job.scenes) {
    const error = scene.error ? ` ${style.red(scene.error.type)}${scene.error.message ? `: ${scene.error.message}` : ''}` : '';
    lines.push(`${String(scene.position + 1).padStart(4)}. ${statusMark(scene.status, style)} ${scene.status.padEnd(9)} ${scene.heading}${error}`);
  }
  return lines.join('\n');
}

export function sceneList(scenes: SceneView[], style: Style): string {
  if (!scenes.length) return style.dim('(no scenes)');
  return scenes
    .map((scene) => {
      const heading = style.bold(`${String(scene.position + 1).padStart(3)}. ${scene.heading}`);
      const summary = scene.summary ? `     ${scene.summary.summary}` : style.dim('     (no summary)');
      return `${heading}\n${summary}`;
    })
    .join('\n');
}

export function uploaded(script: ScriptView, style: Style): string {
  return `Uploaded ${style.bold(`"${script.title}"`)}: ${plural(script.sceneCount, 'scene')} (${script.format}) · script ${script.id}`;
}

export function revised(script: ScriptRevision, style: Style): string {
  const { unchanged, edited, added, removed } = script.revision;
  return (
    `Revised ${style.bold(`"${script.title}"`)}: ${plural(script.sceneCount, 'scene')} (${script.format}) · script ${script.id}\n` +
    `${unchanged} unchanged (their summaries kept) · ${edited} edited · ${added} added · ${removed} removed`
  );
}

export function modelReport(report: HealthReport, style: Style): string {
  if (!report.models.length) return style.dim('(no models configured)');
  const width = Math.max(...report.models.map((m) => m.role.length));
  return report.models
    .map((m) => {
      const state =
        m.status === 'ok'
          ? `${style.green('✔ ok')}${m.resolvedId && m.resolvedId !== m.model ? ` → ${m.resolvedId}` : ''}`
          : `${style.red('✖ unavailable')}: ${m.message ?? ''}${m.replacement ? ` (replacement: ${m.replacement})` : ''}`;
      return `${m.role.padEnd(width)}  ${m.model}  ${state}`;
    })
    .join('\n');
}
