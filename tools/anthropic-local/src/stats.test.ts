import { describe, expect, it } from 'vitest';
import { StatsRecorder } from './stats';

describe('StatsRecorder', () => {
  it('counts calls by status, route and model, and tracks concurrency', () => {
    const stats = new StatsRecorder();
    const a = stats.begin('messages');
    const b = stats.begin('messages');
    const c = stats.begin('models');
    a.model = 'm1';
    b.model = 'm1';
    expect(stats.snapshot()).toMatchObject({ total: 3, inFlight: 3, maxInFlight: 3 });
    a.end(200);
    b.end(429);
    b.end(500); // a second end is ignored
    c.end(200);
    expect(stats.snapshot()).toEqual({
      total: 3,
      byStatus: { '200': 2, '429': 1 },
      byModel: { m1: { '200': 1, '429': 1 } },
      byRoute: { messages: { '200': 1, '429': 1 }, models: { '200': 1 } },
      hung: 0,
      inFlight: 0,
      maxInFlight: 3,
    });
  });

  it('counts hung calls as in flight until abandoned', () => {
    const stats = new StatsRecorder();
    const call = stats.begin('messages');
    call.hang();
    expect(stats.snapshot()).toMatchObject({ hung: 1, inFlight: 1 });
    call.abandon();
    call.end(200);
    expect(stats.snapshot()).toMatchObject({ hung: 1, inFlight: 0, byStatus: {} });
  });

  it('resets counts but keeps calls in flight', () => {
    const stats = new StatsRecorder();
    stats.begin('messages').end(200);
    const open = stats.begin('messages');
    stats.reset();
    expect(stats.snapshot()).toEqual({ total: 0, byStatus: {}, byModel: {}, byRoute: {}, hung: 0, inFlight: 1, maxInFlight: 1 });
    open.end(200);
    expect(stats.snapshot().inFlight).toBe(0);
  });

  it('hands out copies', () => {
    const stats = new StatsRecorder();
    const snap = stats.snapshot();
    stats.begin('messages').end(200);
    expect(snap.total).toBe(0);
  });
});
