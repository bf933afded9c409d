import { DeadLetterSchema, JobModeSchema, JobProgressSchema, JobStatusSchema } from '@scenewise/contracts';
import { z } from 'zod';
import { AnalyzeRequestSchema } from './routes/scripts.routes';
import { ScriptUploadSchema } from './script-upload';

/**
 * The schemas of the OpenAPI document. Request schemas are the very zod objects the routes
 * validate with; response schemas describe views.ts and are checked against real responses
 * in openapi.int.test.ts, so neither can drift from the code.
 */

const uuid = z.uuid();
const isoDateTime = z.iso.datetime();
const nullableDateTime = isoDateTime.nullable();
const errorRef = z.strictObject({ type: z.string(), message: z.string().nullable() });

export const ErrorResponseSchema = z.strictObject({
  error: z.strictObject({
    type: z.string().describe('machine-readable, e.g. `not_found`, `invalid_request`, `script_too_many_scenes`'),
    message: z.string().describe('what is wrong, in a sentence'),
    details: z.unknown().optional().describe('more about it, e.g. `{ fields: [{ field, message }] }` for invalid input'),
  }),
});

export const ScriptViewSchema = z.strictObject({
  id: uuid,
  title: z.string(),
  format: z.enum(['fountain', 'plain']),
  sceneCount: z.int().nonnegative(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  links: z.strictObject({ self: z.string(), scenes: z.string(), analyze: z.string() }),
});

const sceneCount = (what: string) => z.int().nonnegative().describe(what);
export const ScriptRevisionSchema = ScriptViewSchema.extend({
  revision: z.strictObject({
    unchanged: sceneCount('scenes with the same text as before (wherever they moved): they keep their summaries'),
    edited: sceneCount('scenes whose text changed: a partial analysis summarizes them again'),
    added: sceneCount('new scenes: a partial analysis summarizes them'),
    removed: sceneCount('scenes the revision no longer has; past jobs still list them'),
  }),
});

export const SummaryViewSchema = z.strictObject({
  id: uuid,
  model: z.string(),
  summary: z.string(),
  characters: z.array(z.string()),
  mood: z.string(),
  keyEvents: z.array(z.string()),
  inputTokens: z.int().nonnegative(),
  outputTokens: z.int().nonnegative(),
  costUsd: z.number().nullable().describe('null when the model has no known price'),
  latencyMs: z.int().nonnegative(),
  createdAt: isoDateTime,
});

export const SceneViewSchema = z.strictObject({
  id: uuid,
  position: z.int().nonnegative().describe('0-based order in the script'),
  heading: z.string(),
  text: z.string(),
  characters: z.array(z.string()),
  contentHash: z.string(),
  summary: SummaryViewSchema.nullable().describe("the latest summary of the scene's current text, null when there is none"),
});

export const SceneListSchema = z.strictObject({ scriptId: uuid, scenes: z.array(SceneViewSchema) });

const counts = z.int().nonnegative();
export const JobViewSchema = z.strictObject({
  id: uuid,
  scriptId: uuid,
  mode: JobModeSchema,
  force: z.boolean(),
  status: JobStatusSchema,
  modelRole: z.string(),
  model: z.string().nullable().describe('the model as configured, set by the pre-flight check'),
  resolvedModel: z.string().nullable().describe('the pinned model ID it resolved to'),
  counts: z.strictObject({ total: counts, succeeded: counts, failed: counts, cancelled: counts, skipped: counts, pending: counts }),
  error: errorRef.nullable().describe('why the job as a whole failed'),
  errorsByType: z.array(z.strictObject({ type: z.string(), count: counts, message: z.string() })),
  usage: z.strictObject({ inputTokens: counts, outputTokens: counts, costUsd: z.number().nonnegative() }),
  createdAt: isoDateTime,
  startedAt: nullableDateTime,
  finishedAt: nullableDateTime,
  durationMs: z.number().nullable().describe('from start to end, or to now while running'),
  traceId: z.string().nullable(),
  links: z.strictObject({ self: z.string(), script: z.string(), trace: z.string().optional() }),
  scenes: z.array(
    z.strictObject({
      taskId: uuid,
      sceneId: uuid,
      position: z.int().nonnegative(),
      heading: z.string(),
      status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'skipped']),
      attempts: counts,
      error: errorRef.nullable(),
      summaryId: uuid.nullable(),
      startedAt: nullableDateTime,
      finishedAt: nullableDateTime,
    }),
  ),
});

const jobLinks = z.strictObject({ self: z.string(), trace: z.string().optional() });
export const AnalysisAcceptedSchema = z.strictObject({ jobId: uuid, status: JobStatusSchema, links: jobLinks });
export const CancelAcceptedSchema = z.strictObject({
  jobId: uuid,
  status: z.literal('cancelling').describe("the orchestrator is stopping the job; the job's own status tells when it has"),
  links: z.strictObject({ self: z.string() }),
});
export const RetryAcceptedSchema = z.strictObject({
  jobId: uuid.describe('the new job, which summarizes the failed and cancelled scenes again'),
  status: JobStatusSchema,
  links: jobLinks,
  scenes: z.int().positive().describe('how many scenes it retries'),
});

const deadLetter = DeadLetterSchema.shape;
export const DeadLetterListSchema = z.strictObject({
  deadLetters: z.array(
    z.strictObject({
      sequence: z.int().positive().describe("the dead letter's own sequence in the dead-letter stream"),
      stream: deadLetter.stream.describe('the stream the message came from'),
      consumer: deadLetter.consumer.describe('the consumer that gave up on it'),
      subject: deadLetter.subject,
      streamSequence: deadLetter.streamSequence.describe('its sequence in that stream'),
      deliveries: deadLetter.deliveries.describe('how often it was delivered before it was given up on'),
      reason: deadLetter.reason.describe('why it could not be processed'),
      payload: deadLetter.payload.describe('the original payload, as text'),
      at: deadLetter.at.describe('when it was given up on'),
    }),
  ),
  links: z.strictObject({ next: z.string().nullable().describe('older dead letters, or null when these are the oldest') }),
});

export const ProgressEventSchema = JobProgressSchema.omit({ scene: true });
export const SceneEventSchema = JobProgressSchema.shape.scene.unwrap().extend({ jobId: uuid, at: isoDateTime });

export const requestSchemas: Record<string, [z.ZodType, string]> = {
  ScriptUpload: [ScriptUploadSchema, 'A screenplay as JSON. The raw text can be sent instead, as text/plain.'],
  AnalyzeRequest: [AnalyzeRequestSchema, 'Which scenes to summarize: `full` (all) or `partial` (changed or unsummarized only).'],
};
/** Response components by name, with the zod schema each is generated from. */
export const responseSchemas: Record<string, [z.ZodType, string]> = {
  Error: [ErrorResponseSchema, 'Every error response has this shape.'],
  Script: [ScriptViewSchema, 'An uploaded screenplay.'],
  ScriptRevision: [ScriptRevisionSchema, 'A revised screenplay, with what the revision did to its scenes.'],
  SceneSummary: [SummaryViewSchema, "One model's summary of one version of a scene."],
  Scene: [SceneViewSchema, 'A scene with its latest summary.'],
  SceneList: [SceneListSchema, "A script's scenes in order."],
  Job: [JobViewSchema, 'An analysis job: status, counts, per-scene outcomes, errors, usage.'],
  AnalysisAccepted: [AnalysisAcceptedSchema, 'A queued analysis job.'],
  CancelAccepted: [CancelAcceptedSchema, 'A cancellation on its way to the orchestrator.'],
  RetryAccepted: [RetryAcceptedSchema, 'A new job for the failed scenes of an earlier one.'],
  ProgressEvent: [ProgressEventSchema, 'Data of the `progress` and `end` events: the job status and counts, with an ETA.'],
  SceneEvent: [SceneEventSchema, "Data of a `scene` event: one scene's outcome as it happens."],
  DeadLetterList: [DeadLetterListSchema, 'Dead letters, newest first, with a link to older ones.'],
};

