import { availableParallelism } from 'node:os';
import { type BenchStack, startStack, workspaceRoot } from './lib/bench-stack';
import { markdownTable, median, medianOf } from './lib/figures';
import { type JobTiming, runJob } from './lib/job-runner';
import { runBenchmark } from './lib/lifecycle';
import { readCommandLine } from './lib/options';
import { check, describeEnv, publish, seconds, timelineNote } from './lib/publish';
import { ResourceMonitor, type ResourceUsage, round } from './lib/resource-monitor';
import { syntheticScreenplay } from './lib/synthetic-screenplay';

/**
 * Throughput: one big job at zero model latency, so the pipeline itself is all there is.
 * Scenes per second end to end (202 → terminal), CPU ms per scene for every process involved
 * (each service, PostgreSQL, nats-server, this driver with the local server) and each
 * service's peak RSS during the job.
 */

const spec = {
  scenes: { default: 2000, min: 1, description: 'scenes in the screenplay (one job)' },
  latencyMs: { default: 0, description: "the local server's latency per Messages call, ms" },
  summarizers: { default: 1, min: 1, description: 'summarizer instances' },
  targetRate: { default: 1000, integer: false, description: 'target: median scenes per second at least this' },
  timeoutS: { default: 0, description: 'per job (0: scenes / 4 s, at least 120 s)' },
};
const summary = 'Throughput: scenes/s end to end at zero latency, CPU ms per scene per process, peak RSS per service.';

runBenchmark(async (context) => {
  const command = readCommandLine('throughput', summary, spec);
  if (!command) return true;
  const { o, argv } = command;
  const jobTimeoutMs = o.timeoutS > 0 ? o.timeoutS * 1000 : Math.max(120_000, (o.scenes / 4) * 1000);
  context.setDeadline(120_000 + (o.runs + 1) * (jobTimeoutMs + 60_000));
  // The API refuses scripts over 1,000 scenes by default; the scenario needs one job of N.
  const serviceEnv = { ...(o.scenes > 1000 ? { MAX_SCENES: String(o.scenes) } : {}), ...o.serviceEnv };

  console.log(`throughput: ${o.scenes} scenes at ${o.latencyMs} ms, ${o.summarizers} summarizer(s), ${o.runs} runs (+1 warm-up)`);
  const stack = await startStack({ summarizers: o.summarizers, anthropic: { latencyMs: o.latencyMs }, serviceEnv });
  const runs: Array<Record<string, number>> = [];
  const timings: JobTiming[] = [];
  const usages: ResourceUsage[] = [];
  let error: string | undefined;
  try {
    await measure(stack, Math.min(o.scenes, 200), jobTimeoutMs, 0);
    for (let run = 1; run <= o.runs; run++) {
      const { timing, usage } = await measure(stack, o.scenes, jobTimeoutMs, run);
      timings.push(timing);
      usages.push(usage);
      const cpuMs = ownedCpuMs(usage);
      const row = {
        run,
        'wall s': seconds(timing.wallMs)!,
        'scenes/s': round(o.scenes / (timing.wallMs / 1000), 1),
        'CPU ms/scene': round(cpuMs / o.scenes, 2),
        // What the cores could do if the run had them to itself and CPU were the only limit.
        'CPU-bound ceiling scenes/s': round((availableParallelism() * 1000) / (cpuMs / o.scenes), 0),
        'machine busy %': round(usage.machineUtilisation * 100, 0),
        succeeded: timing.job.counts.succeeded,
        failed: timing.job.counts.failed,
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
    benchmark: 'throughput',
    title: 'Throughput',
    argv,
    parameters: { scenes: o.scenes, 'latency ms': o.latencyMs, summarizers: o.summarizers, runs: o.runs, 'service env': describeEnv(serviceEnv) },
    runs,
    median: m,
    checks: [
      check('scenes per second, end to end', `≥ ${o.targetRate}`, m['scenes/s'], (m['scenes/s'] ?? 0) >= o.targetRate),
      check('every scene succeeded, every run', `${o.scenes} of ${o.scenes}`, allSucceeded, allSucceeded),
    ],
    notes: [
      `The CPU-bound ceiling is what ${availableParallelism()} cores could do at the run's CPU cost per scene if it had them to itself: cores × 1,000 ÷ CPU ms per scene. It is not a measurement, but it does not depend on what else the machine was doing, and it says how far the CPU cost per scene must fall: ${o.targetRate} scenes/s on ${availableParallelism()} cores needs at most ${round((availableParallelism() * 1000) / o.targetRate, 2)} ms of CPU per scene, everything counted.`,
      cpuNote(usages, o.scenes),
      timelineNote(timings.map((t) => t.timeline), median)],
    ...(error ? { error } : {}),
    raw: { usages, timings: timings.map(({ job, ...t }) => ({ ...t, counts: job.counts, status: job.status })) },
  });
});

async function measure(stack: BenchStack, scenes: number, timeoutMs: number, run: number) {
  const script = await stack.api.uploadScript(syntheticScreenplay(scenes, run + 1), `Throughput ${run}`);
  if (script.sceneCount !== scenes) throw new Error(`the screenplay parsed into ${script.sceneCount} scenes, not ${scenes}`);
  const monitor = new ResourceMonitor(stack.services(), () => stack.backendPids());
  await monitor.start();
  const timing = await runJob(stack.api, stack.database.db, script.id, { mode: 'full' }, { timeoutMs, pollMs: 50 }).catch(async (err: unknown) => {
    await monitor.stop();
    throw err;
  });
  return { timing, usage: await monitor.stop() };
}

const ownedCpuMs = (u: ResourceUsage) => u.processes.reduce((sum, p) => sum + (p.ownedByRun ? p.cpuMs : 0), 0);

/** Where the CPU went: per process, medians over the runs. */
function cpuNote(usages: ResourceUsage[], scenes: number): string {
  if (usages.length === 0) return '';
  const med = (pick: (u: ResourceUsage) => number) => median(usages.map(pick));
  const cpuOf = (u: ResourceUsage, name: string) => u.processes.find((p) => p.name === name)?.cpuMs ?? 0;
  const total = med(ownedCpuMs);
  const row = (name: string, cpu: number, share: boolean, rss: number | null = null) =>
    [name, round(cpu), round(cpu / scenes, 2), share ? `${round((cpu / total) * 100)} %` : '–', rss];
  const rows = usages[0]!.processes
    .filter((p) => p.ownedByRun)
    .map((p) => {
      const peaks = usages.map((u) => u.processes.find((q) => q.name === p.name)?.peakRssMb ?? 0);
      return row(p.name, med((u) => cpuOf(u, p.name)), true, p.peakRssMb === null ? null : Math.max(...peaks));
    });
  rows.push(row('the run, in all', total, true));
  for (const p of usages[0]!.processes.filter((q) => !q.ownedByRun)) rows.push(row(`not counted: ${p.name}`, med((u) => cpuOf(u, p.name)), false));
  const outside = med((u) => Math.max(0, u.machineBusyMs - u.processes.reduce((s, p) => s + p.cpuMs, 0)));
  rows.push(row('not counted: every other process on the machine', outside, false));
  return [
    `Where the CPU went during the job (medians over the runs; the machine's cores were ${round(med((u) => u.machineUtilisation) * 100)} % busy; peak RSS sampled every 100 ms, the largest of the runs). "Not counted" is CPU spent by other work on the machine during the job: on a shared machine, a large figure there means the run competed for the cores.`,
    '',
    markdownTable(['process', 'CPU ms', 'CPU ms / scene', 'share', 'peak RSS MB'], rows),
  ].join('\n');
}
