import type { Outcomes } from './check-outcomes';
import { type FaultResult, recordResult } from './fault-report';
import type { JobEnd, Scenario, StartedJob } from './fault-scenario';
import { faultSettings } from './fault-settings';

/** What a scenario hands over to be checked, judged and recorded. */
export interface Verdict {
  number: string;
  scenario: string;
  fault: string;
  moment: string;
  atFraction: number;
  expected: string;
  /** What happened at the fault, in words ("killed summarizer #2 with 4 scenes in flight"). */
  struck: string;
  /** Expectations beyond the shared check; each returns a broken expectation as a sentence, or nothing. */
  expectations: Array<(o: Outcomes, end: JobEnd) => string | undefined>;
  details?: Record<string, unknown>;
}

/** Checks the job's outcomes, judges them against the scenario's expectations and records the result. */
export async function judge(scenario: Scenario, job: StartedJob, end: JobEnd, verdict: Verdict): Promise<FaultResult & { failures: string[]; outcomes: Outcomes }> {
  const outcomes = await scenario.check(job);
  const streams = await scenario.streamState().catch((err: unknown) => ({ deadLetters: [`(streams unreadable: ${String(err)})`], pending: {} }));
  // The promise (every scene one outcome, the job true to its scenes, nothing hangs) comes
  // first; the scenario's expectations (status, cost) say how well the fault was ridden out.
  const broken = [...(end.ended ? [] : [`the job hung: still ${end.status} after ${Math.round(end.durationMs / 1000)} s`]), ...outcomes.problems];
  const missed = verdict.expectations.map((e) => e(outcomes, end)).filter((f): f is string => Boolean(f));
  const failures = [...broken, ...missed];
  const statuses = Object.entries(outcomes.byStatus).map(([s, n]) => `${n} ${s}`).join(', ');
  const unanswered = outcomes.claudeUnanswered ? `, ${outcomes.claudeUnanswered} unanswered` : '';
  const errors = Object.entries(outcomes.claudeAnswers).filter(([s]) => s !== '200').map(([s, n]) => `${n}×${s}`).join(' ');
  const observed = [
    verdict.struck,
    `job ${outcomes.jobStatus}${outcomes.jobError ? ` (${outcomes.jobError.slice(0, 120)})` : ''}: ${statuses}`,
    `${outcomes.summarized}/${outcomes.byStatus['succeeded'] ?? 0} succeeded scenes with exactly one summary`,
    `${outcomes.claudeCalls} Claude calls (${errors || 'all 200'}${unanswered})` +
      (outcomes.attemptsRecorded !== outcomes.claudeCalls ? `, the tasks record ${outcomes.attemptsRecorded} attempts` : ''),
    ...(streams.deadLetters.length ? [`${streams.deadLetters.length} dead letter(s): ${streams.deadLetters[0]!.slice(0, 160)}`] : []),
    ...(broken.length ? [`PROMISE BROKEN: ${broken.join('; ')}`] : []),
    ...(missed.length ? [`MISSED: ${missed.join('; ')}`] : []),
  ].join('; ');
  const result = recordResult({
    number: verdict.number,
    scenario: verdict.scenario,
    fault: verdict.fault,
    moment: verdict.moment,
    expected: verdict.expected,
    observed,
    passed: failures.length === 0,
    promiseKept: broken.length === 0,
    extraClaudeCalls: outcomes.extraClaudeCalls,
    durationMs: end.durationMs,
    seed: faultSettings.seed,
    atFraction: verdict.atFraction,
    scenes: job.scenes,
    details: { ...verdict.details, outcomes, streams, jobId: job.jobId, namespace: scenario.harness.namespace },
  });
  const logs = scenario.saveLogs(verdict.scenario);
  if (failures.length) {
    console.error(`[${verdict.scenario}] ${observed}\nthe services' logs are in ${logs}; their last warnings:\n${scenario.problemsLogged(15)}`);
  }
  return { ...result, failures, outcomes };
}

/** The common expectations, as sentences when broken. */
export const expectation = {
  status: (status: string) => (o: Outcomes) => (o.jobStatus === status ? undefined : `expected the job ${status}, it is ${o.jobStatus}`),
  allSummarized: () => (o: Outcomes) => (o.summarized === o.scenes ? undefined : `expected all ${o.scenes} scenes summarized, ${o.summarized} are`),
  extraAtMost: (max: number, why: string) => (o: Outcomes) =>
    o.extraClaudeCalls <= max ? undefined : `expected at most ${max} extra Claude calls (${why}), there were ${o.extraClaudeCalls}`,
  extraExactly: (n: () => number, why: string) => (o: Outcomes) =>
    o.extraClaudeCalls === n() ? undefined : `expected exactly ${n()} extra Claude calls (${why}), there were ${o.extraClaudeCalls}`,
};
