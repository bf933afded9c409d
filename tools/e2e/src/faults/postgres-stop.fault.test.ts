import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectation, judge, Scenario } from './fault-scenario';
import { faultFraction, faultSuiteEnabled } from './fault-settings';
import { sleep } from './processes';

const downMs = Number(process.env['FAULT_PG_DOWN_MS'] ?? 10_000);
const mode = (process.env['FAULT_PG_STOP_MODE'] ?? 'fast') as 'fast' | 'immediate';

describe.skipIf(!faultSuiteEnabled)('fault 4: stop PostgreSQL for 10 s mid-job', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await Scenario.start({ ownPostgres: true, summarizers: 2 });
  });
  afterAll(() => scenario?.tearDown());

  it('waits the outage out: every scene still ends with one outcome', async () => {
    const atFraction = faultFraction(0.4);
    const job = await scenario.startJob();
    const done = await scenario.waitForFraction(job, atFraction);
    const inFlightBefore = scenario.claude.stats().inFlight;
    await scenario.postgres!.stop(mode);
    // Calls can still start while pg_ctl shuts the server down: count those too.
    const inFlight = Math.max(inFlightBefore, scenario.claude.stats().inFlight);
    await sleep(downMs);
    await scenario.postgres!.start();

    const end = await scenario.waitForEnd(job);
    const result = await judge(scenario, job, end, {
      number: '4',
      scenario: 'postgres-stop',
      fault: `stop PostgreSQL (pg_ctl -m ${mode}) for ${downMs / 1000} s`,
      moment: `${done}/${job.scenes} scenes done`,
      atFraction,
      expected: 'succeeded, every scene summarized once; tasks that cannot claim or store wait for the database and are redelivered, none given up; extra calls ≤ calls whose summary could not be stored',
      struck: `stopped PostgreSQL with ${inFlight} Claude calls in flight`,
      expectations: [expectation.status('succeeded'), expectation.allSummarized(), expectation.extraAtMost(inFlight, 'calls in flight whose summary could not be stored')],
      details: { downMs, mode, inFlightAtStop: inFlight },
    });
    expect(result.failures).toEqual([]);
  });
});
