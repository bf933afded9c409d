import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesCalls } from './check-outcomes';
import { Scenario } from './fault-scenario';
import { expectation, judge } from './judge';
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
    const answered = () => messagesCalls(scenario.claude.stats()).answers['200'] ?? 0;
    const inFlight = scenario.claude.stats().inFlight;
    const answeredBefore = answered();
    await scenario.postgres!.stop(mode);
    await sleep(downMs);
    // A summary that came back while the database was down could not be stored: the scene
    // is summarized again after redelivery. (Calls can still start while pg_ctl is stopping.)
    const lost = answered() - answeredBefore;
    await scenario.postgres!.start();

    const end = await scenario.waitForEnd(job);
    const result = await judge(scenario, job, end, {
      number: '4',
      scenario: 'postgres-stop',
      fault: `stop PostgreSQL (pg_ctl -m ${mode}) for ${downMs / 1000} s`,
      moment: `${done}/${job.scenes} scenes done`,
      atFraction,
      expected: 'succeeded, every scene summarized once; tasks that cannot claim or store wait for the database and are redelivered, none given up; extra calls ≤ summaries answered while the database was down',
      struck: `stopped PostgreSQL with ${inFlight} Claude calls in flight; ${lost} summaries came back while it was down`,
      expectations: [expectation.status('succeeded'), expectation.allSummarized(), expectation.extraAtMost(lost, 'summaries answered while the database was down, which could not be stored')],
      details: { downMs, mode, inFlightAtStop: inFlight, answeredWhileDown: lost },
    });
    expect(result.failures).toEqual([]);
  });
});
