import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Scenario } from './fault-scenario';
import { expectation, judge } from './judge';
import { faultFraction, faultSuiteEnabled } from './fault-settings';
import { sleep } from './processes';

const downMs = Number(process.env['FAULT_NATS_DOWN_MS'] ?? 3_000);

describe.skipIf(!faultSuiteEnabled)('fault 3: restart the NATS server mid-job', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await Scenario.start({ ownNats: true, summarizers: 2 });
  });
  afterAll(() => scenario?.tearDown());
  beforeEach(() => scenario.claude.reset());

  // SIGTERM: the server shuts down cleanly. SIGKILL: it crashes, and JetStream restarts from
  // what its store had on disk.
  for (const [number, signal] of [['3a', 'SIGTERM'], ['3b', 'SIGKILL']] as const) {
    it(`${number}: rides out a ${signal === 'SIGTERM' ? 'clean restart' : 'crash and restart'}: services reconnect, JetStream keeps the queues, no scene lost`, async () => {
      const atFraction = faultFraction(0.4);
      const job = await scenario.startJob();
      const done = await scenario.waitForFraction(job, atFraction);
      const inFlight = scenario.claude.stats().inFlight;
      await scenario.nats!.stop(signal);
      await sleep(downMs);
      await scenario.nats!.start();

      const end = await scenario.waitForEnd(job);
      const result = await judge(scenario, job, end, {
        number,
        scenario: `nats-restart-${signal.toLowerCase()}`,
        fault: `restart NATS (${signal}, down ${downMs / 1000} s; JetStream store kept)`,
        moment: `${done}/${job.scenes} scenes done`,
        atFraction,
        // Claude is not affected: a call in flight ends, its summary is stored, and a redelivered task reuses it.
        expected: 'succeeded, every scene summarized once; unacknowledged tasks and results redelivered; a summary stored before or during the outage is reused: 0 extra calls',
        struck: `stopped NATS with ${inFlight} Claude calls in flight`,
        expectations: [expectation.status('succeeded'), expectation.allSummarized(), expectation.extraAtMost(0, 'a stored summary is reused on redelivery')],
        details: { downMs, signal, inFlightAtStop: inFlight },
      });
      expect(result.failures).toEqual([]);
    });
  }
});
