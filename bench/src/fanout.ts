import { type BenchStack, startStack, workspaceRoot } from './lib/bench-stack';
import { median, medianOf } from './lib/figures';
import { type JobTiming, runJob } from './lib/job-runner';
import { runBenchmark } from './lib/lifecycle';
import { readCommandLine } from './lib/options';
import { check, describeEnv, publish, seconds, timelineNote } from './lib/publish';
import { round } from './lib/resource-monitor';
import { summarizeSequentially } from './lib/sequential-baseline';
import { syntheticScreenplay } from './lib/synthetic-screenplay';

/**
 * Fan-out: N scenes, the local server answering each Messages call after a fixed latency.
 * The job's wall time (202 → terminal) against the floor (one call's latency) and against
 * the seed's sequential design run in the same process on the same server.
 */

const spec = {
  scenes: { default: 40, min: 1, description: 'scenes in the screenplay' },
  latencyMs: { default: 2000, min: 1, description: "the local server's fixed latency per Messages call, ms (the floor)" },
  summarizers: { default: 1, min: 1, description: 'summarizer instances' },
  targetRatio: { default: 1.2, min: 1, integer: false, description: 'target: median wall ≤ this × the latency floor' },
  targetSpeedup: { default: 0, integer: false, description: 'target: median speedup over the sequential baseline (0: 0.75 × scenes, i.e. 30× for 40)' },
  timeoutS: { default: 0, description: 'per job (0: 2 × what the sequential baseline needs, at least 120 s)' },
};
const summary = 'Fan-out: job wall time at a fixed model latency against the 1-call floor and a sequential baseline.';

runBenchmark(async (context) => {
  const command = readCommandLine('fanout', summary, spec);
  if (!command) return true;
  const { o, argv } = command;
  const sequentialMs = o.scenes * o.latencyMs;
  const jobTimeoutMs = o.timeoutS > 0 ? o.timeoutS * 1000 : Math.max(120_000, 2 * sequentialMs);
  context.setDeadline(60_000 + (o.runs + 1) * (jobTimeoutMs + sequentialMs * 1.5 + 30_000));
  const targetSpeedup = o.targetSpeedup > 0 ? o.targetSpeedup : 0.75 * o.scenes;

  console.log(`fanout: ${o.scenes} scenes at ${o.latencyMs} ms, ${o.summarizers} summarizer(s), ${o.runs} runs (+1 warm-up)`);
  const stack = await startStack({ summarizers: o.summarizers, anthropic: { latencyMs: o.latencyMs }, serviceEnv: o.serviceEnv });
  const runs: Array<Record<string, number>> = [];
  const timings: JobTiming[] = [];
  let error: string | undefined;
  try {
    await measure(stack, o, jobTimeoutMs, 0); // warm-up: JIT, connections, the model check cache
    for (let run = 1; run <= o.runs; run++) {
      const { timing, baselineMs, calls, maxInFlight } = await measure(stack, o, jobTimeoutMs, run);
      timings.push(timing);
      const row = {
        run,
        'wall s': seconds(timing.wallMs)!,
        'job duration s': seconds(timing.job.durationMs) ?? NaN,
        'wall / floor': round(timing.wallMs / o.latencyMs, 2),
        'sequential s': seconds(baselineMs)!,
        speedup: round(baselineMs / timing.wallMs, 1),
        succeeded: timing.job.counts.succeeded,
        'Messages calls': calls,
        'max in flight': maxInFlight,
      };
      runs.push(row);
      console.log(JSON.stringify(row));
    }
  } catch (err) {
    error = (err as Error).message;
  } finally {
    await stack.close();
  }

  const m = medianOf(runs);
  const allSucceeded = runs.length === o.runs && runs.every((r) => r['succeeded'] === o.scenes);
  return publish(workspaceRoot, o, {
    benchmark: 'fanout',
    title: 'Fan-out',
    argv,
    parameters: {
      scenes: o.scenes,
      'latency ms': o.latencyMs,
      summarizers: o.summarizers,
      runs: o.runs,
      'service env': describeEnv(o.serviceEnv),
    },
    runs,
    median: m,
    checks: [
      check('job wall time (202 → terminal)', `≤ ${o.targetRatio} × ${o.latencyMs / 1000} s = ${round((o.targetRatio * o.latencyMs) / 1000, 2)} s`, m['wall s'], (m['wall s'] ?? Infinity) * 1000 <= o.targetRatio * o.latencyMs),
      check('speedup over the sequential baseline', `≥ ${round(targetSpeedup, 1)}×`, m['speedup'], (m['speedup'] ?? 0) >= targetSpeedup),
      check('every scene succeeded, every run', `${o.scenes} of ${o.scenes}`, allSucceeded, allSucceeded),
    ],
    notes: [
      'The floor is one Messages call: every scene in flight at once. `max in flight` is the most calls the local server saw at the same time during the job; the sequential baseline is the seed\'s loop (one `messages.create` after another, @anthropic-ai/sdk) on the same server in the same run.',
      timelineNote(timings.map((t) => t.timeline), median),
    ],
    ...(error ? { error } : {}),
    raw: { timings: timings.map(({ job, ...t }) => ({ ...t, counts: job.counts, status: job.status })) },
  });
});

async function measure(stack: BenchStack, o: { scenes: number; latencyMs: number }, timeoutMs: number, run: number) {
  const script = await stack.api.uploadScript(syntheticScreenplay(o.scenes, run + 1), `Fan-out ${run}`);
  if (script.sceneCount !== o.scenes) throw new Error(`the screenplay parsed into ${script.sceneCount} scenes, not ${o.scenes}`);
  stack.claude.reset();
  const timing = await runJob(stack.api, stack.database.db, script.id, { mode: 'full' }, { timeoutMs });
  const stats = stack.claude.stats();
  if (run === 0) return { timing, baselineMs: NaN, calls: 0, maxInFlight: 0 };
  const scenes = await stack.database.db.scene.findMany({ where: { scriptId: script.id }, orderBy: { position: 'asc' }, select: { text: true } });
  const baseline = await summarizeSequentially(stack.claude.url, scenes.map((s) => s.text));
  const calls = Object.values(stats.byRoute['messages'] ?? {}).reduce((a, b) => a + b, 0);
  return { timing, baselineMs: baseline.wallMs, calls, maxInFlight: stats.maxInFlight };
}
