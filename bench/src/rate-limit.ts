import type { AnthropicLocal, Stats } from '@scenewise/anthropic-local';
import { defaultModelForRole } from '@scenewise/model-config';
import { type BenchStack, startStack, workspaceRoot } from './lib/bench-stack';
import { median, medianOf } from './lib/figures';
import { type JobTiming, runJob } from './lib/job-runner';
import { runBenchmark } from './lib/lifecycle';
import { readCommandLine } from './lib/options';
import { check, describeEnv, publish, seconds, timelineNote } from './lib/publish';
import { round } from './lib/resource-monitor';
import { syntheticScreenplay } from './lib/synthetic-screenplay';

/**
 * Rate limit: the local server admits `rpm` Messages calls a minute (a token bucket; past it
 * 429 with `retry-after` and the anthropic-ratelimit-* headers), each answered after
 * `latency`. By default the bucket is emptied before the job, as it is after a minute of
 * work at the limit, so the ideal is scenes ÷ (rpm / 60) seconds: 30 s for 300 scenes at 600.
 */

const spec = {
  scenes: { default: 300, min: 1, description: 'scenes in the screenplay' },
  rpm: { default: 600, min: 1, description: 'requests per minute the local server admits' },
  latencyMs: { default: 200, description: "the local server's latency per Messages call, ms" },
  summarizers: { default: 2, min: 1, description: 'summarizer instances' },
  drain: { default: 1, description: '1: empty the request bucket before each job (steady state at the limit); 0: start with a full bucket (a burst of rpm calls is allowed)' },
  targetRatio: { default: 1.1, min: 1, integer: false, description: 'target: median wall ≤ this × the ideal' },
  targetRateLimited: { default: 2, integer: false, description: 'target: 429s at most this % of Messages calls' },
  timeoutS: { default: 0, description: 'per job (0: 5 × the ideal, at least 120 s)' },
};
const summary = 'Rate limit: job wall time against the ideal set by the limit, the share of calls refused with 429, failed scenes.';

runBenchmark(async (context) => {
  const command = readCommandLine('rate-limit', summary, spec);
  if (!command) return true;
  const { o, argv } = command;
  const perSecond = o.rpm / 60;
  const idealMs = Math.max(o.latencyMs, ((o.drain ? o.scenes : Math.max(0, o.scenes - o.rpm)) / perSecond) * 1000);
  const jobTimeoutMs = o.timeoutS > 0 ? o.timeoutS * 1000 : Math.max(120_000, 5 * idealMs);
  context.setDeadline(120_000 + o.runs * (jobTimeoutMs + 60_000));

  console.log(`rate-limit: ${o.scenes} scenes, ${o.rpm} rpm, ${o.latencyMs} ms, ${o.summarizers} summarizers, ideal ${round(idealMs / 1000, 1)} s, ${o.runs} runs`);
  const stack = await startStack({
    summarizers: o.summarizers,
    anthropic: { latencyMs: o.latencyMs, requestsPerMinute: o.rpm },
    serviceEnv: o.serviceEnv,
  });
  const runs: Array<Record<string, number>> = [];
  const timings: JobTiming[] = [];
  let error: string | undefined;
  try {
    for (let run = 1; run <= o.runs; run++) {
      const { timing, calls, limited, maxInFlight } = await measure(stack, o, jobTimeoutMs, run);
      timings.push(timing);
      const row = {
        run,
        'wall s': seconds(timing.wallMs)!,
        'wall / ideal': round(timing.wallMs / idealMs, 3),
        'Messages calls': calls,
        '429s': limited,
        '429 %': round((limited / Math.max(1, calls)) * 100, 2),
        'failed scenes': timing.job.counts.failed + timing.job.counts.cancelled,
        succeeded: timing.job.counts.succeeded,
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
  const maxFailed = Math.max(0, ...runs.map((r) => r['failed scenes']!));
  return publish(workspaceRoot, o, {
    benchmark: 'rate-limit',
    title: 'Rate limit',
    argv,
    parameters: {
      scenes: o.scenes,
      rpm: o.rpm,
      'latency ms': o.latencyMs,
      summarizers: o.summarizers,
      'bucket at start': o.drain ? 'empty' : 'full',
      'ideal s': round(idealMs / 1000, 2),
      runs: o.runs,
      'service env': describeEnv(o.serviceEnv),
    },
    runs,
    median: m,
    checks: [
      // A job that gives scenes up ends early: its wall time only counts when every scene was summarized.
      check(
        'job wall time (202 → terminal), every scene summarized',
        `≤ ${o.targetRatio} × ${round(idealMs / 1000, 2)} s = ${round((o.targetRatio * idealMs) / 1000, 2)} s`,
        m['wall s'],
        (m['wall s'] ?? Infinity) * 1000 <= o.targetRatio * idealMs && runs.length === o.runs && maxFailed === 0,
      ),
      check('429s, share of Messages calls', `≤ ${o.targetRateLimited} %`, m['429 %'], (m['429 %'] ?? Infinity) <= o.targetRateLimited),
      check('failed scenes, any run', '0', maxFailed, runs.length === o.runs && maxFailed === 0),
    ],
    notes: [
      `The ideal is ${o.drain ? 'scenes ÷ (rpm ÷ 60)' : '(scenes − rpm) ÷ (rpm ÷ 60), the bucket allowing a first burst of rpm calls,'} and at least one call's latency. Before each job the local server's counters are reset${o.drain ? ' and its request bucket is emptied with direct calls (not counted above)' : ''}.`,
      timelineNote(timings.map((t) => t.timeline), median),
    ],
    ...(error ? { error } : {}),
    raw: { timings: timings.map(({ job, ...t }) => ({ ...t, counts: job.counts, status: job.status, errorsByType: job.errorsByType })) },
  });
});

async function measure(stack: BenchStack, o: { scenes: number; latencyMs: number; drain: number }, timeoutMs: number, run: number) {
  const script = await stack.api.uploadScript(syntheticScreenplay(o.scenes, run), `Rate limit ${run}`);
  if (script.sceneCount !== o.scenes) throw new Error(`the screenplay parsed into ${script.sceneCount} scenes, not ${o.scenes}`);
  stack.claude.reset();
  if (o.drain) await drainRequestBucket(stack.claude, o.latencyMs);
  const before = stack.claude.stats();
  const timing = await runJob(stack.api, stack.database.db, script.id, { mode: 'full' }, { timeoutMs, pollMs: 25 });
  const after = stack.claude.stats();
  return {
    timing,
    calls: messagesCalls(after) - messagesCalls(before),
    limited: (after.byRoute['messages']?.['429'] ?? 0) - (before.byRoute['messages']?.['429'] ?? 0),
    maxInFlight: after.maxInFlight,
  };
}

const messagesCalls = (stats: Stats) => Object.values(stats.byRoute['messages'] ?? {}).reduce((a, b) => a + b, 0);

/** Spends every request the bucket holds (at zero latency), so the job starts at the limit. */
async function drainRequestBucket(claude: AnthropicLocal, latencyMs: number): Promise<void> {
  claude.configure({ latencyMs: 0 });
  const call = () =>
    fetch(`${claude.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-ant-bench-0000', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: defaultModelForRole.sceneSummary, max_tokens: 16, messages: [{ role: 'user', content: 'drain' }] }),
    }).then(async (response) => {
      await response.arrayBuffer();
      return { status: response.status, remaining: Number(response.headers.get('anthropic-ratelimit-requests-remaining') ?? 0) };
    });
  try {
    // As many calls at once as the bucket says it holds (up to 500), until one is refused.
    for (let remaining = 50, burst = 0; burst < 10_000; burst++) {
      const answers = await Promise.all(Array.from({ length: Math.min(500, Math.max(1, remaining)) }, call));
      if (answers.some((a) => a.status === 429)) return;
      remaining = Math.min(...answers.map((a) => a.remaining));
    }
    throw new Error('the request bucket never emptied');
  } finally {
    claude.configure({ latencyMs });
  }
}
