import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scenario } from './fault-scenario';
import { expectation, judge } from './judge';
import { faultFraction, faultSettings, faultSuiteEnabled, seededRandom } from './fault-settings';

const concurrency = 4;

describe.skipIf(!faultSuiteEnabled)('fault 1: kill -9 a summarizer mid-job while a second one runs', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await Scenario.start({ summarizers: 2, env: { SUMMARIZER_CONCURRENCY: String(concurrency) } });
  });
  afterAll(() => scenario?.tearDown());

  it('loses no scene: the killed worker\'s tasks are redelivered to the other one', async () => {
    const atFraction = faultFraction(0.3);
    const job = await scenario.startJob();
    const done = await scenario.waitForFraction(job, atFraction);
    const index = Math.floor(seededRandom()() * scenario.pipeline.summarizers.length);
    const victim = scenario.pipeline.summarizers[index]!;
    const inFlight = scenario.claude.stats().inFlight;
    victim.child.kill('SIGKILL');
    await new Promise((resolve) => victim.child.once('exit', resolve));

    const end = await scenario.waitForEnd(job);
    const result = await judge(scenario, job, end, {
      number: '1',
      scenario: 'summarizer-kill',
      fault: '`kill -9` one of two summarizers',
      moment: `${done}/${job.scenes} scenes done`,
      atFraction,
      expected: `succeeded, every scene summarized once; its in-flight scenes redelivered after ack_wait (30 s); extra calls ≤ its concurrency (${concurrency})`,
      struck: `killed summarizer #${index + 1} with ${inFlight} Claude calls in flight (both workers)`,
      expectations: [expectation.status('succeeded'), expectation.allSummarized(), expectation.extraAtMost(concurrency, 'the killed worker\'s calls in flight')],
      details: { seed: faultSettings.seed, inFlightAtKill: inFlight },
    });
    expect(result.failures).toEqual([]);
  });
});
