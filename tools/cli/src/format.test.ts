import { describe, expect, it } from 'vitest';
import { colorEnabled, createStyle, estimateEtaSeconds, formatDuration, jobDetails, jobSummary, modelReport, progressLine, revised, sceneList, uploaded } from './format';
import { buildJobView } from './testing';

const plain = createStyle(false);

describe('styles', () => {
  it('colours only a terminal, and never with NO_COLOR or TERM=dumb', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({}, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(createStyle(true).red('x')).toBe('\x1b[31mx\x1b[39m');
    expect(plain.red('x')).toBe('x');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [1_499, '1s'],
    [59_600, '1m00s'],
    [185_000, '3m05s'],
    [3_725_000, '1h02m'],
    [-5, '0s'],
  ])('%i ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('progressLine', () => {
  const counts = { total: 40, succeeded: 11, failed: 1, cancelled: 0, skipped: 0, status: 'running' };

  it('shows the bar, done/total, failures, elapsed, ETA and status', () => {
    expect(progressLine(counts, 8_200, 19.4, plain, 20)).toBe(`[${'█'.repeat(6)}${'░'.repeat(14)}] 12/40 done · 1 failed · 8s elapsed · ETA 19s · running`);
  });

  it('leaves out an unknown ETA and shows cancellations', () => {
    const line = progressLine({ ...counts, cancelled: 2, status: 'cancelled' }, 1_000, null, plain, 10);
    expect(line).toBe(`[${'█'.repeat(4)}${'░'.repeat(6)}] 14/40 done · 1 failed · 2 cancelled · 1s elapsed · cancelled`);
  });

  it('copes with a job that has no scenes counted yet', () => {
    expect(progressLine({ ...counts, total: 0, succeeded: 0, failed: 0, status: 'queued' }, 0, null, plain, 4)).toBe('[░░░░] 0/? done · 0 failed · 0s elapsed · queued');
  });
});

describe('estimateEtaSeconds', () => {
  it('extrapolates from the pace so far; skipped scenes do not count as work', () => {
    expect(estimateEtaSeconds({ total: 10, succeeded: 2, failed: 0, cancelled: 0, skipped: 3 }, 4_000)).toBe(10);
    expect(estimateEtaSeconds({ total: 10, succeeded: 0, failed: 0, cancelled: 0, skipped: 3 }, 4_000)).toBeNull();
    expect(estimateEtaSeconds({ total: 2, succeeded: 2, failed: 0, cancelled: 0, skipped: 0 }, 4_000)).toBe(0);
  });
});

describe('job output', () => {
  it('sums up a job that succeeded in one line', () => {
    expect(jobSummary(buildJobView(), plain)).toBe('✔ Job job-1 succeeded: 2 of 2 scenes summarized · 12s · 1200 input + 300 output tokens · $0.0123');
  });

  it('spells out what went wrong in a job that did not', () => {
    const job = buildJobView({
      status: 'partially_failed',
      counts: { total: 3, succeeded: 1, failed: 2, cancelled: 0, skipped: 0, pending: 0 },
      errorsByType: [{ type: 'overloaded_error', count: 2, message: 'Overloaded' }],
      links: { self: '', script: '', trace: 'http://jaeger.test/trace/abc' },
    });
    expect(jobSummary(job, plain).split('\n')).toEqual([
      '! Job job-1 partially_failed: 1 summarized, 2 failed, 0 cancelled, 0 skipped of 3 · 12s · 1200 input + 300 output tokens · $0.0123',
      '  2 × overloaded_error: Overloaded',
      '  trace: http://jaeger.test/trace/abc',
    ]);
    const failed = buildJobView({ status: 'failed', error: { type: 'model_not_found', message: 'the model is retired' }, durationMs: null });
    expect(jobSummary(failed, plain)).toContain('✖ Job job-1 failed:');
    expect(jobSummary(failed, plain)).toContain('\n  model_not_found: the model is retired');
  });

  it('lists every scene of a job with its outcome', () => {
    const job = buildJobView({
      scenes: [
        { position: 0, heading: 'INT. KITCHEN - NIGHT', status: 'succeeded', attempts: 1, error: null },
        { position: 1, heading: 'EXT. STREET', status: 'failed', attempts: 3, error: { type: 'overloaded_error', message: 'Overloaded' } },
      ],
    });
    expect(jobDetails(job, plain).split('\n').slice(1)).toEqual([
      '  script script-1 · full · model test-model (test-model-2025) · created 2026-01-01T10:00:00.000Z',
      '',
      '   1. ✔ succeeded INT. KITCHEN - NIGHT',
      '   2. ✖ failed    EXT. STREET overloaded_error: Overloaded',
    ]);
  });
});

describe('scenes, uploads and models', () => {
  it('prints each scene heading with its summary, or says there is none', () => {
    const scenes = [
      { id: 'a', position: 0, heading: 'INT. KITCHEN - NIGHT', characters: [], summary: { summary: 'Mara waits.', mood: 'tense', model: 'm' } },
      { id: 'b', position: 1, heading: 'EXT. STREET', characters: [], summary: null },
    ];
    expect(sceneList(scenes, plain)).toBe('  1. INT. KITCHEN - NIGHT\n     Mara waits.\n  2. EXT. STREET\n     (no summary)');
    expect(sceneList([], plain)).toBe('(no scenes)');
  });

  it('confirms an upload', () => {
    expect(uploaded({ id: 's1', title: 'Night Shift', format: 'fountain', sceneCount: 1 }, plain)).toBe('Uploaded "Night Shift": 1 scene (fountain) · script s1');
    const revision = { unchanged: 37, edited: 2, added: 2, removed: 1 };
    expect(revised({ id: 's1', title: 'Night Shift', format: 'fountain', sceneCount: 41, revision }, plain)).toBe(
      'Revised "Night Shift": 41 scenes (fountain) · script s1\n37 unchanged (their summaries kept) · 2 edited · 2 added · 1 removed',
    );
  });

  it("shows each role's model and whether it answers", () => {
    const report = {
      status: 'degraded' as const,
      problems: [],
      models: [
        { role: 'sceneSummary', model: 'test-alias', status: 'ok' as const, resolvedId: 'test-model-2025' },
        { role: 'fallback', model: 'old-model', status: 'unavailable' as const, message: 'old-model was retired', replacement: 'new-model' },
      ],
    };
    expect(modelReport(report, plain).split('\n')).toEqual([
      'sceneSummary  test-alias  ✔ ok → test-model-2025',
      'fallback      old-model  ✖ unavailable: old-model was retired (replacement: new-model)',
    ]);
  });
});
