import { z } from 'zod';
import { Subject } from './subjects';

/** One zod schema per subject: publishers parse before sending, consumers before handling. */

const uuid = z.uuid();
const isoDateTime = z.iso.datetime();

export const JobModeSchema = z.enum(['full', 'partial', 'retry']);
export const JobStatusSchema = z.enum([
  'queued',
  'running',
  'succeeded',
  'partially_failed',
  'failed',
  'cancelled',
]);
export const SceneOutcomeSchema = z.enum(['succeeded', 'failed', 'cancelled']);

export const AnalysisRequestedSchema = z.object({
  jobId: uuid,
  scriptId: uuid,
  mode: JobModeSchema,
  requestedAt: isoDateTime,
});

export const AnalysisCancelSchema = z.object({
  jobId: uuid,
  reason: z.string().max(500),
});

export const SceneTaskSchema = z.object({
  jobId: uuid,
  taskId: uuid,
  scriptId: uuid,
  sceneId: uuid,
  position: z.int().nonnegative(),
  heading: z.string().max(1_000),
  text: z.string().min(1).max(200_000),
  contentHash: z.string().min(1).max(128),
  modelRole: z.string().min(1),
  /** The pinned model ID the orchestrator's pre-flight resolved. */
  model: z.string().min(1),
});

export const TokenUsageSchema = z.object({
  inputTokens: z.int().nonnegative(),
  outputTokens: z.int().nonnegative(),
  cacheReadTokens: z.int().nonnegative(),
  cacheWriteTokens: z.int().nonnegative(),
});

export const SceneErrorSchema = z.object({
  /** Anthropic's error type (`overloaded_error`, `not_found_error`, …) or ours (`timeout`, `invalid_output`). */
  type: z.string().min(1).max(100),
  message: z.string().max(2_000),
  httpStatus: z.int().optional(),
  /** The error makes every other scene of the job pointless (model gone, auth, spend limit). */
  jobFatal: z.boolean(),
});

export const SceneResultSchema = z.object({
  jobId: uuid,
  taskId: uuid,
  sceneId: uuid,
  /** The scene's place in the script (for progress events). */
  position: z.int().nonnegative().optional(),
  outcome: SceneOutcomeSchema,
  attempts: z.int().nonnegative(),
  model: z.string().min(1),
  summaryId: uuid.optional(),
  usage: TokenUsageSchema.optional(),
  costUsd: z.number().nonnegative().nullable().optional(),
  latencyMs: z.int().nonnegative().optional(),
  error: SceneErrorSchema.optional(),
  finishedAt: isoDateTime,
});

export const JobProgressSchema = z.object({
  jobId: uuid,
  status: JobStatusSchema,
  total: z.int().nonnegative(),
  succeeded: z.int().nonnegative(),
  failed: z.int().nonnegative(),
  cancelled: z.int().nonnegative(),
  skipped: z.int().nonnegative(),
  /** Seconds until the job is expected to end, when it can be estimated. */
  etaSeconds: z.number().nonnegative().nullable(),
  at: isoDateTime,
  /** The scene whose outcome this update folded in, when one did. */
  scene: z
    .object({
      taskId: uuid,
      sceneId: uuid,
      position: z.int().nonnegative(),
      outcome: SceneOutcomeSchema,
      errorType: z.string().min(1).max(100).optional(),
    })
    .optional(),
});

export const ServiceHeartbeatSchema = z.object({
  service: z.string().min(1),
  instanceId: z.string().min(1),
  version: z.string(),
  pid: z.int(),
  startedAt: isoDateTime,
  at: isoDateTime,
  /** Seconds until the next heartbeat; missing two in a row means gone. */
  intervalSeconds: z.number().positive(),
});

export const DeadLetterSchema = z.object({
  stream: z.string(),
  consumer: z.string(),
  subject: z.string(),
  streamSequence: z.int().nonnegative(),
  deliveries: z.int().nonnegative(),
  reason: z.string().max(4_000),
  /** The original payload as text (it may not have been valid JSON). */
  payload: z.string(),
  at: isoDateTime,
});

export const MessageSchema = {
  [Subject.analysisRequested]: AnalysisRequestedSchema,
  [Subject.analysisCancel]: AnalysisCancelSchema,
  [Subject.sceneSummarize]: SceneTaskSchema,
  [Subject.sceneResult]: SceneResultSchema,
  [Subject.jobProgress]: JobProgressSchema,
  [Subject.serviceHeartbeat]: ServiceHeartbeatSchema,
  [Subject.deadLetter]: DeadLetterSchema,
} as const satisfies Record<Subject, z.ZodType>;

/** The payload type of a subject: `PayloadOf<typeof Subject.sceneSummarize>`. */
export type PayloadOf<S extends Subject> = z.infer<(typeof MessageSchema)[S]>;

export type AnalysisRequested = PayloadOf<typeof Subject.analysisRequested>;
export type AnalysisCancel = PayloadOf<typeof Subject.analysisCancel>;
export type SceneTask = PayloadOf<typeof Subject.sceneSummarize>;
export type SceneResult = PayloadOf<typeof Subject.sceneResult>;
export type JobProgress = PayloadOf<typeof Subject.jobProgress>;
export type ServiceHeartbeat = PayloadOf<typeof Subject.serviceHeartbeat>;
export type DeadLetter = PayloadOf<typeof Subject.deadLetter>;
export type SceneError = z.infer<typeof SceneErrorSchema>;
export type TokenUsage = z.infer<typeof TokenUsageSchema>;
