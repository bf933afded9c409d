import type { TestDatabase } from '@scenewise/db/testing';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEndedJob, createTestApp } from './testing';

const kitchen = 'INT. KITCHEN - NIGHT\n\nMARA waits by the window.\n\nMARA\nHe is late.';
const street = 'EXT. STREET - CONTINUOUS\n\nJOE runs through the rain.';
const stairwell = 'INT. STAIRWELL - NIGHT\n\nJOE takes the stairs two at a time.';
const roof = 'EXT. ROOF - NIGHT\n\nThe city hums below. JOE catches his breath.';
const diner = 'INT. DINER - DAWN\n\nMARA stirs a coffee she will not drink.';
const screenplay = (...scenes: string[]) => `${scenes.join('\n\n')}\n`;

let database: TestDatabase;
let app: Express;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ database, app, close } = await createTestApp({ limits: { maxUploadBytes: 64 * 1024, maxScenes: 5, maxSceneChars: 5_000 } }));
});

afterAll(() => close?.());

interface SceneView {
  id: string;
  position: number;
  heading: string;
  text: string;
  summary: { summary: string } | null;
}

async function upload(text: string, title = 'Rooftops'): Promise<{ id: string }> {
  return (await request(app).post('/api/scripts').send({ title, text }).expect(201)).body;
}

async function scenesOf(scriptId: string): Promise<SceneView[]> {
  return (await request(app).get(`/api/scripts/${scriptId}/scenes`).expect(200)).body.scenes;
}

/** A summary from `test-model` of each scene's current text, as a finished analysis leaves them. */
async function summarizeAll(scriptId: string): Promise<void> {
  const scenes = await database.db.scene.findMany({ where: { scriptId } });
  await database.db.sceneSummary.createMany({
    data: scenes.map((s) => ({
      sceneId: s.id,
      contentHash: s.contentHash,
      model: 'test-model',
      summary: `Summary of ${s.heading}`,
      characters: s.characters,
      mood: 'tense',
      keyEvents: [],
      inputTokens: 100,
      outputTokens: 20,
      latencyMs: 5,
    })),
  });
}

/** The scenes a partial analysis with `test-model` would summarize: those without a summary of their current text. */
async function needingSummaries(scriptId: string): Promise<string[]> {
  const scenes = await database.db.scene.findMany({ where: { scriptId }, include: { summaries: true }, orderBy: { position: 'asc' } });
  return scenes.filter((s) => !s.summaries.some((m) => m.model === 'test-model' && m.contentHash === s.contentHash)).map((s) => s.heading);
}

/** Every row a revision could touch: the script, its scenes (removed ones too), their summaries, its jobs and tasks. */
async function snapshot(scriptId: string) {
  const { db } = database;
  const scenes = await db.scene.findMany({ where: { OR: [{ scriptId }, { removedFromScriptId: scriptId }] }, orderBy: { id: 'asc' } });
  return {
    script: await db.script.findUniqueOrThrow({ where: { id: scriptId } }),
    scenes,
    summaries: await db.sceneSummary.findMany({ where: { sceneId: { in: scenes.map((s) => s.id) } }, orderBy: { id: 'asc' } }),
    jobs: await db.analysisJob.findMany({ where: { scriptId }, include: { tasks: { orderBy: { id: 'asc' } } }, orderBy: { id: 'asc' } }),
  };
}

const revise = (scriptId: string) => request(app).put(`/api/scripts/${scriptId}`);

describe('PUT /api/scripts/{id}', () => {
  it('keeps the summaries of unchanged scenes, even moved ones; edited and new scenes need one', async () => {
    const script = await upload(screenplay(kitchen, street, stairwell, roof));
    await summarizeAll(script.id);
    const before = await scenesOf(script.id);

    // The roof moves up front, the street gets a new line, a diner scene is new, the stairwell is cut.
    const response = await revise(script.id)
      .send({ text: screenplay(roof, kitchen, `${street}\n\nA car alarm starts up.`, diner) })
      .expect(200);
    expect(response.body).toMatchObject({ id: script.id, title: 'Rooftops', sceneCount: 4, revision: { unchanged: 2, edited: 1, added: 1, removed: 1 } });

    const after = await scenesOf(script.id);
    const byHeading = (list: SceneView[], heading: string) => list.find((s) => s.heading === heading)!;
    expect(after.map((s) => [s.position, s.heading])).toEqual([
      [0, 'EXT. ROOF - NIGHT'],
      [1, 'INT. KITCHEN - NIGHT'],
      [2, 'EXT. STREET - CONTINUOUS'],
      [3, 'INT. DINER - DAWN'],
    ]);
    for (const heading of ['EXT. ROOF - NIGHT', 'INT. KITCHEN - NIGHT']) {
      expect(byHeading(after, heading).id).toBe(byHeading(before, heading).id);
      expect(byHeading(after, heading).summary?.summary).toBe(`Summary of ${heading}`);
    }
    const edited = byHeading(after, 'EXT. STREET - CONTINUOUS');
    expect(edited.id).toBe(byHeading(before, 'EXT. STREET - CONTINUOUS').id);
    expect(edited.text).toMatch(/A car alarm starts up\.$/);
    expect(edited.summary).toBeNull();
    expect(before.map((s) => s.id)).not.toContain(byHeading(after, 'INT. DINER - DAWN').id);

    expect(await needingSummaries(script.id)).toEqual(['EXT. STREET - CONTINUOUS', 'INT. DINER - DAWN']);
  });

  it('finds the old summary again when an edit is undone', async () => {
    const script = await upload(screenplay(kitchen, street));
    await summarizeAll(script.id);
    await revise(script.id).send({ text: screenplay(kitchen, `${street}\n\nA car alarm starts up.`) }).expect(200);
    expect(await needingSummaries(script.id)).toEqual(['EXT. STREET - CONTINUOUS']);
    const undone = await revise(script.id).send({ text: screenplay(kitchen, street) }).expect(200);
    expect(undone.body.revision).toEqual({ unchanged: 1, edited: 1, added: 0, removed: 0 });
    expect(await needingSummaries(script.id)).toEqual([]);
  });

  it('shifts every position for a scene inserted at the start, keeping every row', async () => {
    const script = await upload(screenplay(kitchen, street, stairwell, roof));
    const before = await scenesOf(script.id);
    const response = await revise(script.id).set('content-type', 'text/plain').send(screenplay(diner, kitchen, street, stairwell, roof)).expect(200);
    expect(response.body.revision).toEqual({ unchanged: 4, edited: 0, added: 1, removed: 0 });
    const after = await scenesOf(script.id);
    expect(after.slice(1).map((s) => [s.id, s.position])).toEqual(before.map((s) => [s.id, s.position + 1]));
  });

  it('changes nothing when the same revision is sent again', async () => {
    const text = screenplay(kitchen, street);
    const script = await upload(text);
    const before = await snapshot(script.id);
    const response = await revise(script.id).send({ text }).expect(200);
    expect(response.body.revision).toEqual({ unchanged: 2, edited: 0, added: 0, removed: 0 });
    const after = await snapshot(script.id);
    expect({ ...after, script: { ...after.script, updatedAt: null } }).toEqual({ ...before, script: { ...before.script, updatedAt: null } });
  });

  it('takes the title asked for, else the title page, else keeps the one it has; and the format', async () => {
    const script = await upload(screenplay(kitchen, street), 'First Draft');
    expect((await revise(script.id).send({ text: screenplay(kitchen) }).expect(200)).body.title).toBe('First Draft');
    expect((await revise(script.id).send({ text: `Title: Second Draft\n\n${screenplay(kitchen)}` }).expect(200)).body.title).toBe('Second Draft');
    const raw = await revise(script.id).query({ title: 'Third Draft', format: 'plain' }).set('content-type', 'text/plain').send('INT. KITCHEN - NIGHT\n\nMara waits.\n').expect(200);
    expect(raw.body).toMatchObject({ title: 'Third Draft', format: 'plain', sceneCount: 1 });
  });

  it('takes removed scenes out of the script but leaves past jobs exactly as they were', async () => {
    const script = await upload(screenplay(kitchen, street, stairwell));
    const failed = { status: 'failed' as const, errorType: 'overloaded_error', errorMessage: 'Overloaded' };
    const job = await createEndedJob(database.db, script.id, [{}, failed, {}], { inputTokens: 300, outputTokens: 60 });
    const jobBefore = (await request(app).get(`/api/jobs/${job.id}`).expect(200)).body;

    // The street scene (the one that failed) is cut; the stairwell, rewritten under a new heading, is a new scene.
    const response = await revise(script.id).send({ text: screenplay(kitchen, 'INT. ELEVATOR - NIGHT\n\nJOE rides up, dripping.') }).expect(200);
    expect(response.body.revision).toEqual({ unchanged: 1, edited: 0, added: 1, removed: 2 });
    expect((await scenesOf(script.id)).map((s) => s.heading)).toEqual(['INT. KITCHEN - NIGHT', 'INT. ELEVATOR - NIGHT']);

    const jobAfter = (await request(app).get(`/api/jobs/${job.id}`).expect(200)).body;
    expect(jobAfter).toEqual({ ...jobBefore, durationMs: jobAfter.durationMs });
    expect(jobAfter.scenes.map((s: { heading: string; status: string }) => `${s.heading} ${s.status}`)).toEqual([
      'INT. KITCHEN - NIGHT succeeded',
      'EXT. STREET - CONTINUOUS failed',
      'INT. STAIRWELL - NIGHT succeeded',
    ]);
    expect(await database.db.scene.count({ where: { removedFromScriptId: script.id, scriptId: null } })).toBe(2);

    // Its failed scene is no longer in the script: there is nothing left to retry.
    const retry = await request(app).post(`/api/jobs/${job.id}/retry-failed`).expect(409);
    expect(retry.body.error.type).toBe('nothing_to_retry');
  });

  it('refuses with 409 while an analysis is queued or running, and changes nothing', async () => {
    const script = await upload(screenplay(kitchen, street));
    const { jobId } = (await request(app).post(`/api/scripts/${script.id}/analyze`).send({ mode: 'full' }).expect(202)).body;
    const before = await snapshot(script.id);
    const revision = { text: screenplay(kitchen, stairwell) };

    const queued = await revise(script.id).send(revision).expect(409);
    expect(queued.body.error).toEqual({
      type: 'script_being_analyzed',
      message: `script ${script.id} has a queued analysis (job ${jobId}); revise it once the job has ended, or cancel the job first`,
      details: { jobId, status: 'queued' },
    });
    await database.db.analysisJob.update({ where: { id: jobId }, data: { status: 'running' } });
    expect((await revise(script.id).send(revision).expect(409)).body.error.details).toEqual({ jobId, status: 'running' });
    expect(await snapshot(script.id)).toEqual({ ...before, jobs: [{ ...before.jobs[0]!, status: 'running', updatedAt: expect.any(Date) }] });

    await database.db.analysisJob.update({ where: { id: jobId }, data: { status: 'succeeded', finishedAt: new Date() } });
    expect((await revise(script.id).send(revision).expect(200)).body.revision).toEqual({ unchanged: 1, edited: 0, added: 1, removed: 1 });
  });

  const badRevisions: Array<[string, (r: request.Test) => request.Test, number, RegExp]> = [
    ['an empty script', (r) => r.send({ text: '   \n ' }), 400, /empty/],
    ['binary data', (r) => r.set('content-type', 'application/octet-stream').send(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0, 1])), 400, /binary/],
    ['invalid UTF-8', (r) => r.set('content-type', 'text/plain').send(Buffer.from([0x49, 0x4e, 0x54, 0xff, 0xfe, 0x20])), 400, /UTF-8/],
    ['no text field', (r) => r.send({ title: 'Nothing' }), 400, /^text: is required$/],
    ['an unknown field', (r) => r.send({ text: screenplay(kitchen), titel: 'typo' }), 400, /unknown field\(s\): titel/],
    ['a bad title in the query', (r) => r.query('title=%00').set('content-type', 'text/plain').send(screenplay(kitchen)), 400, /^title: must be one line of text/],
    ['malformed JSON', (r) => r.set('content-type', 'application/json').send('{"text": "INT. A'), 400, /not valid JSON/],
    ['an oversize body', (r) => r.set('content-type', 'text/plain').send(`INT. HALL - DAY\n\n${'x'.repeat(70 * 1024)}`), 413, /larger than the limit/],
    ['too many scenes', (r) => r.send({ text: screenplay(kitchen, street, stairwell, roof, diner, 'INT. ATTIC - DAY\n\nDust.') }), 422, /6 scenes/],
    ['a scene too long', (r) => r.send({ text: screenplay(kitchen, `EXT. FIELD - DAY\n\n${'Wheat. '.repeat(800)}`) }), 422, /scene 2 \(EXT\. FIELD - DAY\)/],
    ['an unsupported content type', (r) => r.set('content-type', 'image/png').send(Buffer.from('abc')), 415, /text\/plain/],
    ['no body at all', (r) => r, 415, /text\/plain/],
  ];

  it.each(badRevisions)('refuses %s with a clear 4xx and changes nothing', async (_name, send, status, message) => {
    const script = await upload(screenplay(kitchen, street, stairwell));
    await summarizeAll(script.id);
    const before = await snapshot(script.id);
    const response = await send(revise(script.id)).expect(status);
    expect(response.body.error.message).toMatch(message);
    expect(await snapshot(script.id)).toEqual(before);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    const missing = await revise('00000000-0000-4000-8000-000000000000').send({ text: screenplay(kitchen) }).expect(404);
    expect(missing.body.error).toEqual({ type: 'not_found', message: 'no script with id "00000000-0000-4000-8000-000000000000"' });
    await revise('not-a-uuid').send({ text: screenplay(kitchen) }).expect(404);
  });
});
