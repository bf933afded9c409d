import { createTestDatabase, createTestScript, type TestDatabase } from '@scenewise/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, readDashboard, RECENT_JOBS } from './dashboard';

// A fixed "now" at noon UTC, so "the last hour", "the last 24 h" and "today" are unambiguous.
const now = new Date('2026-03-10T12:00:00.000Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

let database: TestDatabase;
let dashboard: Dashboard;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  const script = await createTestScript(db, 8, 'The Night Shift');
  const scene = (position: number) => script.scenes[position]!.id;
  const job = (status: 'succeeded' | 'partially_failed' | 'failed' | 'running', createdAt: Date, seconds?: number, finishedAt?: Date) =>
    db.analysisJob.create({
      data: {
        scriptId: script.id,
        mode: 'full',
        status,
        modelRole: 'sceneSummary',
        totalScenes: 8,
        createdAt,
        startedAt: finishedAt && seconds ? new Date(finishedAt.getTime() - seconds * 1_000) : createdAt,
        finishedAt: finishedAt ?? null,
      },
    });

  // Finished in the last hour: 40 s and 80 s. Earlier today: 120 s. Two days ago: not counted.
  const recent = await job('succeeded', ago(31), 40, ago(30));
  const partial = await job('partially_failed', ago(22), 80, ago(20));
  await job('failed', ago(185), 120, ago(180));
  await job('succeeded', ago(2 * 24 * 60 + 5), 60, ago(2 * 24 * 60));
  await job('running', new Date(now.getTime() - 10_000));

  const task = (jobId: string, position: number, status: 'succeeded' | 'failed' | 'cancelled' | 'skipped', finishedAt: Date, errorType?: string) =>
    db.sceneTask.create({ data: { jobId, sceneId: scene(position), position, contentHash: `h${position}`, status, finishedAt, errorType: errorType ?? null } });
  await Promise.all([
    task(recent.id, 0, 'succeeded', ago(30)),
    task(recent.id, 1, 'succeeded', ago(30)),
    task(partial.id, 0, 'succeeded', ago(20)),
    task(partial.id, 1, 'failed', ago(20), 'refused'),
    task(partial.id, 2, 'cancelled', ago(20)),
    task(partial.id, 3, 'skipped', ago(20)),
    task(partial.id, 4, 'failed', ago(120), 'output_truncated'),
    task(partial.id, 5, 'failed', ago(20), 'refused'),
  ]);

  const summary = (position: number, latencyMs: number, createdAt: Date, costUsd: number | null = 0.001) =>
    db.sceneSummary.create({
      data: {
        sceneId: scene(position),
        contentHash: `h${position}`,
        model: 'm',
        summary: 's',
        characters: [],
        mood: 'calm',
        keyEvents: [],
        inputTokens: 100,
        outputTokens: 50,
        cacheReadTokens: 10,
        latencyMs,
        costUsd,
        createdAt,
      },
    });
  await Promise.all([
    ...[100, 200, 300, 400, 1_000].map((latency, i) => summary(i, latency, ago(30))),
    summary(5, 5_000, ago(120), null),
    summary(6, 9_000, ago(13 * 60)), // yesterday (UTC)
  ]);

  dashboard = await readDashboard(db, now);
});

afterAll(async () => {
  await database?.drop();
});

describe('readDashboard', () => {
  it('counts the jobs that finished in the last hour, by status', () => {
    expect(dashboard.jobsLastHour).toEqual({ total: 2, byStatus: { succeeded: 1, partially_failed: 1 } });
  });

  it('averages finishedAt − startedAt over the jobs that finished in the last 24 h', () => {
    expect(dashboard.averageJobSeconds).toEqual({ value: 80, jobs: 3 });
  });

  it('rates failed scene tasks among those that succeeded or failed in the last hour', () => {
    expect(dashboard.sceneFailureRate).toEqual({ value: 0.4, failed: 2, finished: 5 });
  });

  it('takes p50 and p95 model latency over the summaries stored in the last hour', () => {
    // percentile_cont interpolates: p95 of 100…400, 1000 is 400 + 0.8 × 600.
    expect(dashboard.modelLatencyMs).toEqual({ p50: 300, p95: 880, calls: 5 });
  });

  it('adds up tokens and cost since midnight UTC, and counts calls without a price', () => {
    expect(dashboard.usageToday).toEqual({ inputTokens: 6 * 110, outputTokens: 6 * 50, costUsd: 0.005, calls: 6, unpricedCalls: 1 });
  });

  it('lists the most recent jobs first, with title, counts and duration', () => {
    expect(dashboard.recentJobs.map((j) => j.status)).toEqual(['running', 'partially_failed', 'succeeded', 'failed', 'succeeded']);
    expect(dashboard.recentJobs[0]).toMatchObject({ scriptTitle: 'The Night Shift', durationSeconds: 10, finishedAt: null });
    expect(dashboard.recentJobs[1]).toMatchObject({ durationSeconds: 80, totalScenes: 8, createdAt: ago(22).toISOString() });
  });

  it("says which scenes of each recent job failed, and why", () => {
    expect(dashboard.recentJobs[1]!.failures).toEqual([
      { type: 'refused', positions: [1, 5] },
      { type: 'output_truncated', positions: [4] },
    ]);
    expect(dashboard.recentJobs[0]!.failures).toEqual([]);
    expect(RECENT_JOBS).toBe(20);
  });

  it('answers with zeros and nulls on an empty database', async () => {
    const empty = await createTestDatabase();
    try {
      const nothing = await readDashboard(empty.db, now);
      expect(nothing).toMatchObject({
        jobsLastHour: { total: 0, byStatus: {} },
        averageJobSeconds: { value: null, jobs: 0 },
        sceneFailureRate: { value: null, failed: 0, finished: 0 },
        modelLatencyMs: { p50: null, p95: null, calls: 0 },
        usageToday: { inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0, unpricedCalls: 0 },
        recentJobs: [],
      });
    } finally {
      await empty.drop();
    }
  });
});
