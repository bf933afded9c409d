import { type BenchStack, startStack, workspaceRoot } from './lib/bench-stack';
import { median, medianOf } from './lib/figures';
import { type JobTiming, runJob } from './lib/job-runner';
import { runBenchmark, sleep } from './lib/lifecycle';
import { readCommandLine } from './lib/options';
import { check, describeEnv, publish, seconds, timelineNote } from './lib/publish';
import { round } from './lib/resource-monitor';
import { syntheticScreenplay } from './lib/synthetic-screenplay';

/**
 * Fairness: a big job, then, `delay` later, a small one, at a fixed model latency. The small
 * job's wall time beside the big one against its wall time alone: with one work queue read in
 * stream order it would wait for every scene of the big job; with the orchestrator's dispatch
 * window (JOB_DISPATCH_WINDOW) it waits for at most a window of them. The big job alone is
 * timed too, to show what sharing costs it.
 */

const spec = {
  bigScenes: { default: 2000, min: 1, description: 'scenes in the big job' },
  smallScenes: { default: 40, min: 1, description: 'scenes in the small job' },
  delayMs: { default: 1000, description: 'from the big job’s 202 to the small job’s request, ms' },
  latencyMs: { default: 200, min: 1, description: "the local server's fixed latency per Messages call, ms" },
  summarizers: { default: 1, min: 1, description: 'summarizer instances' },
  targetRatio: { default: 2, min: 1, integer: false, description: 'target: the small job beside the big one takes at most this × its time alone (medians)' },
  timeoutS: { default: 0, description: 'per job (0: big scenes × latency ÷ 10, at least 180 s)' },
};
const summary = "Fairness: a small job's wall time submitted just after a big one, against its wall time alone; the big job's wall too.";

runBenchmark(async (context) => {
  const command = readCommandLine('fairness', summary, spec);
  if (!command) return true;
  const { o, argv } = command;
  const jobTimeoutMs = o.timeoutS > 0 ? o.timeoutS * 1000 : Math.max(180_000, (o.bigScenes * o.latencyMs) / 10);
  context.setDeadline(120_000 + (o.runs + 1) * 3 * (jobTimeoutMs + 30_000));
  // The API refuses scripts over 1,000 scenes by default; the scenario needs one job of N.
  const serviceEnv = { ...(o.bigScenes > 1000 ? { MAX_SCENES: String(o.bigScenes) } : {}), ...o.serviceEnv };

  console.log(`fairness: ${o.bigScenes} scenes, then ${o.smallScenes} after ${o.delayMs} ms, at ${o.latencyMs} ms, ${o.summarizers} summarizer(s), ${o.runs} runs (+1 warm-up)`);
  const stack = await startStack({ summarizers: o.summarizers, anthropic: { latencyMs: o.latencyMs }, serviceEnv });
  const runs: Array<Record<string, number>> = [];
  const sharedTimings: JobTiming[] = [];
  let error: string | undefined;
  try {
    await timeAlone(stack, o.smallScenes, jobTimeoutMs, 0); // warm-up: JIT, connections, the model check cache
    for (let run = 1; run <= o.runs; run++) {
      const smallAlone = await timeAlone(stack, o.smallScenes, jobTimeoutMs, 10 * run + 1);
      const bigAlone = await timeAlone(stack, o.bigScenes, jobTimeoutMs, 10 * run + 2);
      const shared = await timeShared(stack, o, jobTimeoutMs, 10 * run + 3);
      sharedTimings.push(shared.small);
      const row = {
        run,
        'small alone s': seconds(smallAlone.wallMs)!,
        'small beside big s': seconds(shared.small.wallMs)!,
        'small: beside ÷ alone': round(shared.small.wallMs / smallAlone.wallMs, 2),
        'big scenes done when small ended': shared.bigDoneWhenSmallEnded,
        'big alone s': seconds(bigAlone.wallMs)!,
        'big beside small s': seconds(shared.big.wallMs)!,
        succeeded: smallAlone.job.counts.succeeded + bigAlone.job.counts.succeeded + shared.small.job.counts.succeeded + shared.big.job.counts.succeeded,
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
  const expected = 2 * (o.smallScenes + o.bigScenes);
  const allSucceeded = runs.length === o.runs && runs.every((r) => r['succeeded'] === expected);
  const smallTarget = o.targetRatio * (m['small alone s'] ?? NaN);
  return publish(workspaceRoot, o, {
    benchmark: 'fairness',
    title: 'Fairness',
    argv,
    parameters: {
      'big scenes': o.bigScenes,
      'small scenes': o.smallScenes,
      'small submitted after ms': o.delayMs,
      'latency ms': o.latencyMs,
      summarizers: o.summarizers,
      runs: o.runs,
      'service env': describeEnv(serviceEnv),
    },
    runs,
    median: m,
    checks: [
      check(
        'small job beside the big one (202 → terminal)',
        `≤ ${o.targetRatio} × alone (${round(m['small alone s'] ?? NaN, 2)} s) = ${round(smallTarget, 2)} s`,
        m['small beside big s'],
        (m['small beside big s'] ?? Infinity) <= smallTarget,
      ),
      check('every scene of every job succeeded, every run', `${expected} per run`, allSucceeded, allSucceeded),
    ],
    notes: [
      `Per run: the small job alone, the big job alone, then the big job and, ${o.delayMs} ms after its 202, the small one (each a new screenplay, all full analyses). In stream order the small job would wait for every scene of the big job published before it, all ${o.bigScenes}; the orchestrator keeps at most JOB_DISPATCH_WINDOW (default 256) of a job's tasks waiting in the work queue, so it waits for at most that many, and then shares the summarizer's slots (and, here, two busy cores) with the big job. "Big scenes done when small ended" says how far the big job had got. To see the queue without the window: \`--env JOB_DISPATCH_WINDOW=100000\`; with a smaller one: \`--env JOB_DISPATCH_WINDOW=64\`.`,
      timelineNote(sharedTimings.map((t) => t.timeline), median).replace('Where the wall time went', "Where the small job's wall time went beside the big one"),
    ],
    ...(error ? { error } : {}),
    raw: { smallBesideBig: sharedTimings.map(({ job, ...t }) => ({ ...t, counts: job.counts, status: job.status })) },
  });
});

async function upload(stack: BenchStack, scenes: number, seed: number): Promise<string> {
  const script = await stack.api.uploadScript(syntheticScreenplay(scenes, seed), `Fairness ${seed}`);
  if (script.sceneCount !== scenes) throw new Error(`the screenplay parsed into ${script.sceneCount} scenes, not ${scenes}`);
  return script.id;
}

async function timeAlone(stack: BenchStack, scenes: number, timeoutMs: number, seed: number): Promise<JobTiming> {
  return runJob(stack.api, stack.database.db, await upload(stack, scenes, seed), { mode: 'full' }, { timeoutMs, pollMs: 20 });
}

/** The big job, then the small one `delayMs` after the big one's 202; both timed to their ends. */
async function timeShared(stack: BenchStack, o: { bigScenes: number; smallScenes: number; delayMs: number }, timeoutMs: number, seed: number) {
  const [bigScript, smallScript] = [await upload(stack, o.bigScenes, seed), await upload(stack, o.smallScenes, seed + 5)];
  const db = stack.database.db;
  let bigJobId = '';
  let accepted: () => void = () => undefined;
  const bigAccepted = new Promise<void>((resolve) => (accepted = resolve));
  // runJob starts its clock at the 202; the small job's delay counts from the same moment.
  const analyzeThenSignal: typeof stack.api.analyze = async (id, body) => {
    const response = await stack.api.analyze(id, body);
    bigJobId = response.jobId;
    accepted();
    return response;
  };
  const big = runJob({ ...stack.api, analyze: analyzeThenSignal }, db, bigScript, { mode: 'full' }, { timeoutMs, pollMs: 50 });
  big.catch(() => undefined); // awaited below; this only keeps a failure while the small job runs from going unhandled
  await Promise.race([bigAccepted, big]);
  await sleep(o.delayMs);
  const small = await runJob(stack.api, db, smallScript, { mode: 'full' }, { timeoutMs, pollMs: 20 });
  const bigDoneWhenSmallEnded = await db.sceneTask.count({ where: { jobId: bigJobId, status: 'succeeded' } });
  return { small, big: await big, bigDoneWhenSmallEnded };
}
