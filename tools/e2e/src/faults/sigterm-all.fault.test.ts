import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceName } from '../service-harness';
import { Scenario } from './fault-scenario';
import { expectation, judge } from './judge';
import { faultFraction, faultSuiteEnabled } from './fault-settings';

describe.skipIf(!faultSuiteEnabled)('fault 7: SIGTERM every service mid-job, then start them again', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await Scenario.start({ summarizers: 2 });
  });
  afterAll(() => scenario?.tearDown());

  it('shuts down gracefully and picks the job up again: no scene lost, none summarized twice', async () => {
    const atFraction = faultFraction(0.5);
    const job = await scenario.startJob();
    const done = await scenario.waitForFraction(job, atFraction);
    const inFlight = scenario.claude.stats().inFlight;
    const services = scenario.pipeline.all();
    const stopping = Date.now();
    // Graceful means within the services' own 15 s hard timeout; SIGKILL only after 20 s.
    const exits = await Promise.all(services.map(async (p) => ({ name: p.name, code: await p.stop('SIGTERM', 20_000), ms: Date.now() - stopping })));
    const slowest = Math.max(...exits.map((e) => e.ms));
    const names: ServiceName[] = ['api', 'orchestrator', 'health', ...scenario.pipeline.summarizers.map(() => 'summarizer' as const)];
    scenario.pipeline.summarizers.length = 0;
    await Promise.all(names.map((name) => scenario.restart(name)));

    const end = await scenario.waitForEnd(job);
    const unclean = exits.filter((e) => e.code !== 0);
    const result = await judge(scenario, job, end, {
      number: '7',
      scenario: 'sigterm-all',
      fault: 'SIGTERM all five processes at once, then start them again',
      moment: `${done}/${job.scenes} scenes done`,
      atFraction,
      expected: 'each exits 0 within its 15 s shutdown; in-flight scenes finish and are stored first; succeeded, every scene summarized once; 0 extra calls',
      struck: `${inFlight} Claude calls in flight; all exited in ${(slowest / 1000).toFixed(1)} s, codes ${exits.map((e) => `${e.name}=${e.code}`).join(' ')}`,
      expectations: [
        expectation.status('succeeded'),
        expectation.allSummarized(),
        expectation.extraAtMost(0, 'in-flight calls finish during the graceful shutdown'),
        () => (unclean.length ? `${unclean.map((e) => `${e.name} exited ${e.code}`).join(', ')} (not 0)` : undefined),
      ],
      details: { exits, inFlightAtStop: inFlight },
    });
    expect(result.failures).toEqual([]);
  });
});
