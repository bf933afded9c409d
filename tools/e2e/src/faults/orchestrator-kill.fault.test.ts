import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { namespaced } from '@scenewise/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scenario } from './fault-scenario';
import { expectation, judge } from './judge';
import { faultFraction, faultSuiteEnabled } from './fault-settings';
import { onJobRunning } from './job-watch';
import { sleep } from './processes';

const downMs = Number(process.env['FAULT_DOWN_MS'] ?? 1_000);
/** Milliseconds between the job turning `running` and the kill: 0 strikes before the first publish. */
const fanOutDelayMs = Number(process.env['FAULT_FANOUT_DELAY_MS'] ?? 0);

/** Scene tasks published to the namespace's work queue so far (its last sequence). */
async function publishedTasks(scenario: Scenario): Promise<number> {
  const nc = await connect({ servers: scenario.natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    return (await jsm.streams.info(namespaced(scenario.harness.namespace).streamName('sceneTasks'))).state.last_seq;
  } finally {
    await nc.close();
  }
}

describe.skipIf(!faultSuiteEnabled)('fault 2: kill -9 the orchestrator, then start it again', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await Scenario.start({ summarizers: 2 });
  });
  afterAll(() => scenario?.tearDown());

  it('mid-fan-out: the redelivered request publishes the tasks it had not', async () => {
    const victim = scenario.pipeline.orchestrator;
    let killedAt = 0;
    const kill = () => {
      if (killedAt) return;
      victim.child.kill('SIGKILL');
      killedAt = Date.now();
    };
    const watch = await onJobRunning(scenario.database.url, () => (fanOutDelayMs ? setTimeout(kill, fanOutDelayMs) : kill()));
    const job = await scenario.startJob();
    await new Promise((resolve) => victim.child.once('exit', resolve));
    await watch.close();
    const published = await publishedTasks(scenario);
    await sleep(downMs);
    await scenario.restart('orchestrator');

    const end = await scenario.waitForEnd(job);
    const result = await judge(scenario, job, end, {
      number: '2a',
      scenario: 'orchestrator-kill-fan-out',
      fault: '`kill -9` the orchestrator, restart it 1 s later',
      moment: `mid-fan-out: ${fanOutDelayMs} ms after the tasks were committed`,
      atFraction: 0,
      expected: 'succeeded, every scene summarized once; the unacknowledged request is redelivered (ack_wait 30 s) and publishes the missing tasks; 0 extra calls',
      struck: `killed ${killedAt - job.requestedAt} ms after the request, ${published}/${job.scenes} tasks published`,
      expectations: [expectation.status('succeeded'), expectation.allSummarized(), expectation.extraAtMost(0, 'no Claude call was in flight in the orchestrator')],
      details: { publishedBeforeKill: published },
    });
    expect(result.failures).toEqual([]);
  });

  it('mid-job: results folded after the restart, the job ends true to its scenes', async () => {
    const atFraction = faultFraction(0.5);
    scenario.claude.reset();
    const job = await scenario.startJob();
    const done = await scenario.waitForFraction(job, atFraction);
    const victim = scenario.pipeline.orchestrator;
    victim.child.kill('SIGKILL');
    await new Promise((resolve) => victim.child.once('exit', resolve));
    await sleep(downMs);
    await scenario.restart('orchestrator');

    const end = await scenario.waitForEnd(job);
    const result = await judge(scenario, job, end, {
      number: '2b',
      scenario: 'orchestrator-kill-mid-job',
      fault: '`kill -9` the orchestrator, restart it 1 s later',
      moment: `${done}/${job.scenes} scenes done`,
      atFraction,
      expected: 'succeeded, every scene summarized once; results wait in the stream and are folded after the restart; 0 extra calls',
      struck: 'killed the orchestrator while it folded results',
      expectations: [expectation.status('succeeded'), expectation.allSummarized(), expectation.extraAtMost(0, 'summarizers were untouched')],
    });
    expect(result.failures).toEqual([]);
  });
});
