/**
 * The knobs every fault scenario reads, from the environment, so the suite can be rerun
 * with faults at other moments: `FAULT_AT_FRACTION=0.7 FAULT_SEED=42 npm run test:faults`.
 */

import { createPrng } from '@scenewise/anthropic-local';

export interface FaultSettings {
  /** Inject the fault once this share of the job's scenes has an outcome; unset: each scenario's default. */
  atFraction: number | undefined;
  /** Seeds the local Claude's faults and latency jitter, and every random choice a scenario makes. */
  seed: number;
  /** Scenes in the generated screenplay. */
  scenes: number;
  /** The local Claude's fixed latency per answer, plus 0..jitter. */
  latencyMs: number;
  jitterMs: number;
  /** How long a job may take, fault included, before it counts as hung. */
  jobTimeoutMs: number;
}

function numberFrom(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${key}=${raw}: expected a number from ${min} to ${max}`);
  }
  return value;
}

export function loadFaultSettings(env: NodeJS.ProcessEnv = process.env): FaultSettings {
  const fraction = env['FAULT_AT_FRACTION'];
  return {
    atFraction: fraction === undefined || fraction === '' ? undefined : numberFrom(env, 'FAULT_AT_FRACTION', 0, 0, 1),
    seed: numberFrom(env, 'FAULT_SEED', 7, 0, 2 ** 31 - 1),
    scenes: numberFrom(env, 'FAULT_SCENES', 60, 10, 500),
    latencyMs: numberFrom(env, 'FAULT_LATENCY_MS', 300, 0, 10_000),
    jitterMs: numberFrom(env, 'FAULT_JITTER_MS', 200, 0, 10_000),
    jobTimeoutMs: numberFrom(env, 'FAULT_JOB_TIMEOUT_MS', 150_000, 10_000, 3_600_000),
  };
}

export const faultSettings = loadFaultSettings();

/** The scenario's moment: FAULT_AT_FRACTION when set, else the scenario's own default. */
export function faultFraction(scenarioDefault: number): number {
  return faultSettings.atFraction ?? scenarioDefault;
}

/** A seeded PRNG (the local server's), so a scenario's choices repeat with its seed. */
export function seededRandom(seed = faultSettings.seed): () => number {
  return createPrng(seed);
}

/** Off in the fast suite (the root vitest config also matches these files); on in faults.vitest.config.mts. */
export const faultSuiteEnabled = process.env['FAULT_SUITE'] === '1';
