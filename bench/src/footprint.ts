import { startEnvironment, startService, workspaceRoot } from './lib/bench-stack';
import { median } from './lib/figures';
import { onCleanup, runBenchmark, sleep } from './lib/lifecycle';
import { readCommandLine } from './lib/options';
import { readMemory } from './lib/proc';
import { check, describeEnv, publish } from './lib/publish';
import { round } from './lib/resource-monitor';

/**
 * Footprint: each service started alone (as production starts it: node, the telemetry
 * instrumentation, the bundled main), timed from spawn to its "ready" log line, then left
 * idle and its RSS read. Services run one at a time so they do not compete for the cores.
 */

const services = ['api', 'orchestrator', 'summarizer', 'health'] as const;

const spec = {
  idleS: { default: 5, description: 'seconds idle after ready before the RSS is read' },
  targetRssMb: { default: 150, description: 'target: idle RSS at most this, MB' },
  targetReadyMs: { default: 3000, description: 'target: spawn → ready at most this, ms' },
};
const summary = "Footprint: each service's time from start to ready, and its idle RSS.";

runBenchmark(async (context) => {
  const command = readCommandLine('footprint', summary, spec);
  if (!command) return true;
  const { o, argv } = command;
  context.setDeadline(120_000 + (o.runs + 1) * services.length * (o.idleS * 1000 + 50_000));

  const environment = await startEnvironment({}, o.serviceEnv);
  const samples: Array<{ run: number; service: string; readyMs: number; idleRssMb: number; peakRssMb: number }> = [];
  let error: string | undefined;
  try {
    // Warm-up: the page cache holds node_modules after the first start; streams exist.
    for (const name of services) await measure(name, 0);
    for (let run = 1; run <= o.runs; run++) {
      for (const name of services) {
        const sample = { run, service: name, ...(await measure(name, o.idleS)) };
        samples.push(sample);
        console.log(JSON.stringify(sample));
      }
    }
  } catch (err) {
    error = (err as Error).message;
  } finally {
    await environment.close();
  }

  async function measure(name: (typeof services)[number], idleS: number) {
    const spawned = performance.now();
    const service = await startService(name, environment.harness);
    const readyMs = performance.now() - spawned;
    const stop = onCleanup(name, () => service.stop());
    try {
      await sleep(idleS * 1000);
      const memory = readMemory(service.child.pid!);
      if (!memory) throw new Error(`${name} exited while idle:\n${service.output.slice(-5).join('\n')}`);
      return { readyMs: round(readyMs), idleRssMb: round(memory.rssKb / 1024, 1), peakRssMb: round(memory.peakRssKb / 1024, 1) };
    } finally {
      await stop();
    }
  }

  const rows = services.map((name) => {
    const mine = samples.filter((s) => s.service === name);
    return {
      service: name,
      'ready ms (median)': median(mine.map((s) => s.readyMs)),
      'ready ms, runs': mine.map((s) => s.readyMs).join(' / '),
      'idle RSS MB (median)': median(mine.map((s) => s.idleRssMb)),
      'idle RSS MB, runs': mine.map((s) => s.idleRssMb).join(' / '),
      'peak RSS MB (VmHWM)': Math.max(...mine.map((s) => s.peakRssMb)),
    };
  });
  const complete = samples.length === o.runs * services.length;
  return publish(workspaceRoot, o, {
    benchmark: 'footprint',
    title: 'Footprint',
    argv,
    parameters: { 'idle s': o.idleS, runs: o.runs, 'service env': describeEnv(o.serviceEnv) },
    runs: rows,
    median: {},
    checks: [
      ...rows.map((r) => check(`${r.service}: idle RSS MB`, `≤ ${o.targetRssMb}`, r['idle RSS MB (median)'], complete && r['idle RSS MB (median)'] <= o.targetRssMb)),
      ...rows.map((r) => check(`${r.service}: spawn → ready ms`, `≤ ${o.targetReadyMs}`, r['ready ms (median)'], complete && r['ready ms (median)'] <= o.targetReadyMs)),
    ],
    notes: [
      `One row per service; each figure is the median of ${o.runs} starts (every start listed), after one unmeasured warm-up start of each. Ready is the service's "ready" log line (connected to PostgreSQL and NATS, listening). Idle RSS is VmRSS ${o.idleS} s after ready; VmHWM is the largest RSS of any start.`,
    ],
    ...(error ? { error } : {}),
    raw: { samples },
  });
});
