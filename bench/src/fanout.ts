import type { Stats } from '@scenewise/anthropic-local';
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
 * Every run starts the services afresh (new database, new NATS namespace, so an empty
 * RATE_BUDGETS bucket) and times two jobs against the floor (one call's latency): the first
 * job after start-up, then, after the seed's sequential design has run on the same server and
 * scenes (the baseline), a warm one.
 */

const spec = {
  scenes: { default: 40, min: 1, description: 'scenes in the screenplay' },
  latencyMs: { default: 2000, min: 1, description: "the local server's fixed latency per Messages call, ms (the floor)" },
  summarizers: { default: 1, min: 1, description: 'summarizer instances' },
  rpm: { default: 0, description: 'requests per minute the local server admits (0: no limit, its headers report an unlimited key)' },
  targetFirstRatio: { default: 1.3, min: 1, integer: false, description: 'target: median wall of the first job after start-up ≤ this × the latency floor' },
  targetRatio: { default: 1.15, min: 1, integer: false, description: 'target: median wall of a warm job ≤ this × the latency floor' },
  targetSpeedup: { default: 0, integer: false, description: 'target: median speedup of a warm job over the sequential baseline (0: 0.75 × scenes, i.e. 30× for 40)' },
  timeoutS: { default: 0, description: 'per job (0: 2 × what the sequential baseline needs, at least 120 s)' },
};
const summary = 'Fan-out: wall time of the first job after start-up and of a warm job, at a fixed model latency, against the 1-call floor and a sequential baseline.';

runBenchmark(async (context) => {
  const command = readCommandLine('fanout', summary, spec);
  if (!command) return true;
  const { o, argv } = command;
  const sequentialMs = o.scenes * o.latencyMs;
  const jobTimeoutMs = o.timeoutS > 0 ? o.timeoutS * 1000 : Math.max(120_000, 2 * sequentialMs);
  context.setDeadline(60_000 + o.runs * (2 * jobTimeoutMs + sequentialMs * 1.5 + 60_000));
  const targetSpeedup = o.targetSpeedup > 0 ? o.targetSpeedup : 0.75 * o.scenes;
  const floor = (ms: number) => round(ms / o.latencyMs, 2);

  console.log(`fanout: ${o.scenes} scenes at ${o.latencyMs} ms, ${o.summarizers} summarizer(s)${o.rpm ? `, ${o.rpm} rpm` : ''}, ${o.runs} runs of fresh services: first job, baseline, warm job`);
  const runs: Array<Record<string, number>> = [];
  const timings: { first: JobTiming[]; warm: JobTiming[] } = { first: [], warm: [] };
  let error: string | undefined;
  try {
    for (let run = 1; run <= o.runs; run++) {
      const stack = await startStack({
        summarizers: o.summarizers,
        anthropic: { latencyMs: o.latencyMs, ...(o.rpm ? { requestsPerMinute: o.rpm } : {}) },
        serviceEnv: o.serviceEnv,
      });
      try {
        const first = await measure(stack, o, jobTimeoutMs, `Fan-out ${run}, first job`, 2 * run);
        const baselineMs = (await summarizeSequentially(stack.claude.url, first.texts)).wallMs;
        const warm = await measure(stack, o, jobTimeoutMs, `Fan-out ${run}, warm job`, 2 * run + 1);
        timings.first.push(first.timing);
        timings.warm.push(warm.timing);
        const row = {
          run,
          'first wall s': seconds(first.timing.wallMs)!,
          'first / floor': floor(first.timing.wallMs),
          'warm wall s': seconds(warm.timing.wallMs)!,
          'warm / floor': floor(warm.timing.wallMs),
          'sequential s': seconds(baselineMs)!,
          'warm speedup': round(baselineMs / warm.timing.wallMs, 1),
          succeeded: first.timing.job.counts.succeeded + warm.timing.job.counts.succeeded,
          'Messages calls': first.calls + warm.calls,
          '429s': first.limited + warm.limited,
          'max in flight, first': first.maxInFlight,
          'max in flight, warm': warm.maxInFlight,
        };
        runs.push(row);
        console.log(JSON.stringify(row));
      } finally {
        await stack.close();
      }
    }
  } catch (err) {
    error = (err as Error).message;
  }

  const m = medianOf(runs);
  const allSucceeded = runs.length === o.runs && runs.every((r) => r['succeeded'] === 2 * o.scenes);
  const goal = (ratio: number) => `≤ ${ratio} × ${o.latencyMs / 1000} s = ${round((ratio * o.latencyMs) / 1000, 2)} s`;
  const within = (wallS: number | undefined, ratio: number) => (wallS ?? Infinity) * 1000 <= ratio * o.latencyMs;
  return publish(workspaceRoot, o, {
    benchmark: 'fanout',
    title: 'Fan-out',
    argv,
    parameters: {
      scenes: o.scenes,
      'latency ms': o.latencyMs,
      summarizers: o.summarizers,
      rpm: o.rpm || 'no limit',
      runs: o.runs,
      'service env': describeEnv(o.serviceEnv),
    },
    runs,
    median: m,
    checks: [
      check('first job after start-up, wall time (202 → terminal)', goal(o.targetFirstRatio), m['first wall s'], within(m['first wall s'], o.targetFirstRatio)),
      check('warm job, wall time (202 → terminal)', goal(o.targetRatio), m['warm wall s'], within(m['warm wall s'], o.targetRatio)),
      check('warm job, speedup over the sequential baseline', `≥ ${round(targetSpeedup, 1)}×`, m['warm speedup'], (m['warm speedup'] ?? 0) >= targetSpeedup),
      check('every scene succeeded, every job', `${2 * o.scenes} per run`, allSucceeded, allSucceeded),
    ],
    notes: [
      'Each run starts the services afresh, with a new database and NATS namespace (so nothing is known of the rate limits: an empty RATE_BUDGETS bucket), and times the **first job** after start-up; then the sequential baseline (the seed\'s loop, one `messages.create` after another with @anthropic-ai/sdk) runs on the same server and scenes, which leaves the services idle as long; then a **warm job** of as many new scenes. The floor is one Messages call: every scene in flight at once. `max in flight` is the most calls the local server saw at the same time during the job.',
      timelineNote(timings.first.map((t) => t.timeline), median).replace('Where the wall time went', "Where the first job's wall time went"),
      timelineNote(timings.warm.map((t) => t.timeline), median).replace('Where the wall time went', "Where the warm job's wall time went"),
    ],
    ...(error ? { error } : {}),
    raw: {
      first: timings.first.map(({ job, ...t }) => ({ ...t, counts: job.counts, status: job.status })),
      warm: timings.warm.map(({ job, ...t }) => ({ ...t, counts: job.counts, status: job.status })),
    },
  });
});

async function measure(stack: BenchStack, o: { scenes: number }, timeoutMs: number, title: string, seed: number) {
  const script = await stack.api.uploadScript(syntheticScreenplay(o.scenes, seed), title);
  if (script.sceneCount !== o.scenes) throw new Error(`the screenplay parsed into ${script.sceneCount} scenes, not ${o.scenes}`);
  stack.claude.reset();
  const timing = await runJob(stack.api, stack.database.db, script.id, { mode: 'full' }, { timeoutMs });
  const stats = stack.claude.stats();
  const scenes = await stack.database.db.scene.findMany({ where: { scriptId: script.id }, orderBy: { position: 'asc' }, select: { text: true } });
  return { timing, texts: scenes.map((s) => s.text), calls: messagesCalls(stats), limited: stats.byRoute['messages']?.['429'] ?? 0, maxInFlight: stats.maxInFlight };
}

const messagesCalls = (stats: Stats) => Object.values(stats.byRoute['messages'] ?? {}).reduce((a, b) => a + b, 0);
