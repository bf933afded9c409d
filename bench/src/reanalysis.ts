import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stats } from '@scenewise/anthropic-local';
import { type BenchStack, startStack, workspaceRoot } from './lib/bench-stack';
import { medianOf } from './lib/figures';
import { runJob } from './lib/job-runner';
import { runBenchmark } from './lib/lifecycle';
import { readCommandLine } from './lib/options';
import { check, describeEnv, publish, seconds } from './lib/publish';
import { addActionLines } from './lib/screenplay-edit';
import { syntheticScreenplay } from './lib/synthetic-screenplay';

/**
 * Re-analysis: a screenplay is summarized in full, then `edited` of its scenes change and a
 * partial analysis runs. It must make exactly one Messages call per edited scene and skip
 * every other scene. The edit is a revised screenplay uploaded over the script
 * (PUT /api/scripts/{id}), as a writer's next draft would be.
 */

const spec = {
  scenes: { default: 0, description: '0: the 40-scene sample (tools/samples/the-night-shift.fountain); N: a synthetic screenplay of N scenes' },
  edited: { default: 3, min: 1, description: 'scenes edited between the full and the partial run' },
  latencyMs: { default: 0, description: "the local server's latency per Messages call, ms" },
  summarizers: { default: 1, min: 1, description: 'summarizer instances' },
  timeoutS: { default: 120, min: 1, description: 'per job' },
};
const summary = 'Re-analysis: a partial run after editing some scenes makes exactly one Messages call per edited scene.';

runBenchmark(async (context) => {
  const command = readCommandLine('reanalysis', summary, spec);
  if (!command) return true;
  const { o, argv } = command;
  context.setDeadline(120_000 + o.runs * 2 * (o.timeoutS * 1000 + 30_000));
  const text = o.scenes === 0 ? readFileSync(join(workspaceRoot, 'tools/samples/the-night-shift.fountain'), 'utf8') : undefined;

  const stack = await startStack({ summarizers: o.summarizers, anthropic: { latencyMs: o.latencyMs }, serviceEnv: o.serviceEnv });
  const runs: Array<Record<string, number | string>> = [];
  let sceneCount = o.scenes;
  let error: string | undefined;
  try {
    for (let run = 1; run <= o.runs; run++) {
      const source = text ?? syntheticScreenplay(o.scenes, run);
      const title = `Re-analysis ${run}`;
      const script = await stack.api.uploadScript(source, title);
      sceneCount = script.sceneCount;
      if (o.edited > sceneCount) throw new Error(`cannot edit ${o.edited} of ${sceneCount} scenes`);
      const full = await runJob(stack.api, stack.database.db, script.id, { mode: 'full' }, { timeoutMs: o.timeoutS * 1000 });
      const positions = await reviseScenes(stack.api, script.id, { source, title, count: o.edited, run });
      const before = stack.claude.stats();
      const partial = await runJob(stack.api, stack.database.db, script.id, { mode: 'partial' }, { timeoutMs: o.timeoutS * 1000 });
      const after = stack.claude.stats();
      const resummarized = partial.job.scenes.filter((s) => s.status === 'succeeded').map((s) => s.position);
      const row = {
        run,
        'full run s': seconds(full.wallMs)!,
        'full run status': full.job.status,
        'partial run s': seconds(partial.wallMs)!,
        'partial run status': partial.job.status,
        'Messages calls': calls(after) - calls(before),
        're-summarized': partial.job.counts.succeeded,
        skipped: partial.job.counts.skipped,
        'the edited ones': sameSet(resummarized, positions) ? 'yes' : `no: ${resummarized.join(',')}`,
      };
      runs.push(row);
      console.log(JSON.stringify(row));
    }
  } catch (err) {
    error = (err as Error).message;
  } finally {
    await stack.close();
  }

  const exact = runs.length === o.runs && runs.every((r) => r['Messages calls'] === o.edited);
  const skippedRest = runs.length === o.runs && runs.every((r) => r['skipped'] === sceneCount - o.edited && r['the edited ones'] === 'yes');
  const callsPerRun = runs.map((r) => r['Messages calls']).join(', ');
  return publish(workspaceRoot, o, {
    benchmark: 'reanalysis',
    title: 'Re-analysis',
    argv,
    parameters: {
      screenplay: text ? 'tools/samples/the-night-shift.fountain' : 'synthetic',
      scenes: sceneCount,
      edited: o.edited,
      'latency ms': o.latencyMs,
      summarizers: o.summarizers,
      runs: o.runs,
      'service env': describeEnv(o.serviceEnv),
    },
    runs,
    median: medianOf(runs),
    checks: [
      check('Messages calls of the partial run, every run', `exactly ${o.edited}`, callsPerRun, exact),
      check('the edited scenes re-summarized, every other one skipped', `${o.edited} + ${sceneCount - o.edited} skipped`, skippedRest, skippedRest),
    ],
    notes: [
      'Each run uploads the screenplay, runs a full analysis, uploads a revision of it (PUT /api/scripts/{id}) in which scenes spread evenly through it have a new line of action, then runs a partial analysis and counts the Messages calls the local server answered during it.',
    ],
    ...(error ? { error } : {}),
  });
});

/**
 * Uploads a revision of the script in which `count` scenes spread through it have a new line
 * of action; returns their positions. The API must find exactly those scenes edited.
 */
async function reviseScenes(api: BenchStack['api'], scriptId: string, edit: { source: string; title: string; count: number; run: number }): Promise<number[]> {
  const headings = (await api.scenes(scriptId)).map((s) => s.heading);
  const total = headings.length;
  const positions = Array.from({ length: edit.count }, (_, i) => Math.floor(((i + 0.5) * total) / edit.count));
  const revised = addActionLines(edit.source, headings, positions, () => `A door bangs somewhere below: revision ${edit.run}.`);
  const { revision } = await api.reviseScript(scriptId, revised, edit.title);
  const expected = { unchanged: total - edit.count, edited: edit.count, added: 0, removed: 0 };
  if (JSON.stringify(revision) !== JSON.stringify(expected)) {
    throw new Error(`the revision was read as ${JSON.stringify(revision)}, not ${JSON.stringify(expected)}`);
  }
  return positions;
}

const calls = (stats: Stats) => Object.values(stats.byRoute['messages'] ?? {}).reduce((a, b) => a + b, 0);
const sameSet = (a: number[], b: number[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();
