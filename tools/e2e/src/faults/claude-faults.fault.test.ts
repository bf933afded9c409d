import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messagesCalls } from './check-outcomes';
import { Scenario, type StartedJob } from './fault-scenario';
import { expectation, judge } from './judge';
import { faultFraction, faultSuiteEnabled } from './fault-settings';
import { sleep } from './processes';

const burstMs = Number(process.env['FAULT_BURST_MS'] ?? 5_000);
const hangRate = Number(process.env['FAULT_HANG_RATE'] ?? 0.3);
const claudeTimeoutMs = 2_000;
/** Faulted calls a burst must cause before it ends, unless the job has no calls left to make. */
const minHits = 3;

/** Keeps a fault on for `burstMs`, then until it hit `minHits` calls or every scene has an outcome (60 s at most). */
async function holdFault(scenario: Scenario, job: StartedJob, hits: () => number): Promise<void> {
  const started = Date.now();
  await sleep(burstMs);
  while (hits() < minHits && Date.now() - started < 60_000 && ((await scenario.doneCount(job.jobId)) ?? 0) < job.scenes) await sleep(100);
}

/** Faults on the Claude side: both scenarios share one set of services. */
describe.skipIf(!faultSuiteEnabled)('faults 5 and 6: the Claude side hangs, or answers 429 and 529', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await Scenario.start({ summarizers: 2, env: { CLAUDE_TIMEOUT_MS: String(claudeTimeoutMs) } });
  });
  afterAll(() => scenario?.tearDown());
  beforeEach(() => {
    scenario.claude.configure({ faults: { hang: 0, rateLimit: 0, overloaded: 0, retryAfterSeconds: 1 } });
    scenario.claude.reset();
  });

  it('5: calls that never answer time out and are retried; no scene waits forever', async () => {
    const atFraction = faultFraction(0.2);
    const job = await scenario.startJob();
    const done = await scenario.waitForFraction(job, atFraction);
    const before = messagesCalls(scenario.claude.stats()).calls;
    const window = Date.now();
    scenario.claude.configure({ faults: { hang: hangRate } });
    await holdFault(scenario, job, () => scenario.claude.stats().hung);
    scenario.claude.configure({ faults: { hang: 0 } });
    const windowMs = Date.now() - window;
    const stats = scenario.claude.stats();
    const hung = stats.hung;

    const end = await scenario.waitForEnd(job);
    const result = await judge(scenario, job, end, {
      number: '5',
      scenario: 'claude-hang',
      fault: `${hangRate * 100}% of Claude calls never answer, for ${burstMs / 1000} s or until ${minHits} hung (CLAUDE_TIMEOUT_MS=${claudeTimeoutMs})`,
      moment: `${done}/${job.scenes} scenes done`,
      atFraction,
      expected: 'succeeded, every scene summarized once; each hung call times out and is retried: extra calls = hung calls',
      struck: `${hung} of ${messagesCalls(stats).calls - before} calls in ${(windowMs / 1000).toFixed(1)} s hung`,
      expectations: [expectation.status('succeeded'), expectation.allSummarized(), expectation.extraExactly(() => hung, 'one retry per hung call')],
      details: { hung, burstMs, windowMs, hangRate },
    });
    expect(result.failures).toEqual([]);
  });

  it('6: a burst of 429 and 529 is retried with backoff; every scene still summarized', async () => {
    const atFraction = faultFraction(0.3);
    const job = await scenario.startJob();
    const done = await scenario.waitForFraction(job, atFraction);
    const answers = () => messagesCalls(scenario.claude.stats()).answers;
    const refused = () => (answers()['429'] ?? 0) + (answers()['529'] ?? 0);
    const window = Date.now();
    scenario.claude.configure({ faults: { rateLimit: 0.3, overloaded: 0.3, retryAfterSeconds: 1 } });
    await holdFault(scenario, job, refused);
    scenario.claude.configure({ faults: { rateLimit: 0, overloaded: 0 } });
    const windowMs = Date.now() - window;

    const end = await scenario.waitForEnd(job);
    const result = await judge(scenario, job, end, {
      number: '6',
      scenario: 'claude-429-529',
      fault: `30% 429 (retry-after 1 s) + 30% 529 from Claude, for ${burstMs / 1000} s or until ${minHits} refused`,
      moment: `${done}/${job.scenes} scenes done`,
      atFraction,
      expected: 'succeeded, every scene summarized once; 429 waits for retry-after, 529 backs off; extra calls = refused calls',
      struck: `${answers()['429'] ?? 0}×429 and ${answers()['529'] ?? 0}×529 in a ${(windowMs / 1000).toFixed(1)} s burst`,
      expectations: [expectation.status('succeeded'), expectation.allSummarized(), expectation.extraExactly(refused, 'one retry per refused call')],
      details: { burstMs, windowMs },
    });
    expect(result.failures).toEqual([]);
  });
});
