import { describe, expect, it } from 'vitest';
import { MessageSchema, SceneResultSchema, SceneTaskSchema } from './messages';
import { Consumer, Stream, streamOfSubject } from './streams';
import { Subject } from './subjects';
import { buildSceneResult, buildSceneTask } from './testing';
import { namespaced } from './topology';

describe('message schemas', () => {
  it('has one schema for every subject', () => {
    expect(Object.keys(MessageSchema).sort()).toEqual(Object.values(Subject).sort());
  });

  it('accepts the fixtures and rejects a task without text', () => {
    expect(SceneTaskSchema.parse(buildSceneTask())).toBeTruthy();
    expect(SceneResultSchema.parse(buildSceneResult())).toBeTruthy();
    const result = SceneTaskSchema.safeParse({ ...buildSceneTask(), text: '' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['text']);
  });

  it('rejects a result whose outcome is not one of the three', () => {
    expect(SceneResultSchema.safeParse({ ...buildSceneResult(), outcome: 'success' }).success).toBe(false);
  });
});

describe('streams and consumers', () => {
  it('stores every JetStream subject in exactly one stream', () => {
    const stored = Object.values(Stream).flatMap((s) => [...s.subjects]);
    expect(new Set(stored).size).toBe(stored.length);
    expect(streamOfSubject(Subject.sceneSummarize)).toBe('sceneTasks');
    expect(streamOfSubject(Subject.jobProgress)).toBeUndefined();
  });

  it('points every consumer at a declared stream', () => {
    for (const consumer of Object.values(Consumer)) expect(Stream[consumer.stream]).toBeDefined();
  });
});

describe('namespaced topology', () => {
  it('prefixes subjects and stream names', () => {
    const t = namespaced('t-42');
    expect(t.subject(Subject.sceneResult)).toBe('t-42.scene.result');
    expect(t.streamName('sceneTasks')).toBe('T_42_SCENE_TASKS');
  });

  it('leaves names alone without a namespace and refuses odd namespaces', () => {
    expect(namespaced().subject(Subject.sceneResult)).toBe('scene.result');
    expect(() => namespaced('has.dots')).toThrow(/namespace/);
  });
});
