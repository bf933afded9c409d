import { randomUUID } from 'node:crypto';
import type { SceneResult, SceneTask } from './messages';

/** Fixture builders for tests: valid messages, overridable field by field. */

export function buildSceneTask(overrides: Partial<SceneTask> = {}): SceneTask {
  return {
    jobId: randomUUID(),
    taskId: randomUUID(),
    scriptId: randomUUID(),
    sceneId: randomUUID(),
    position: 0,
    heading: 'INT. DINER - NIGHT',
    text: 'INT. DINER - NIGHT\n\nMARA waits in a booth.\n\nMARA\nHe is late.',
    contentHash: 'f'.repeat(64),
    modelRole: 'sceneSummary',
    model: 'test-model',
    ...overrides,
  };
}

export function buildSceneResult(overrides: Partial<SceneResult> = {}): SceneResult {
  return {
    jobId: randomUUID(),
    taskId: randomUUID(),
    sceneId: randomUUID(),
    outcome: 'succeeded',
    attempts: 1,
    model: 'test-model',
    finishedAt: new Date().toISOString(),
    ...overrides,
  };
}
