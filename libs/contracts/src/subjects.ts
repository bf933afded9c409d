/**
 * NATS subjects. These are wire identifiers shared by every service and every deployed
 * version: add new ones, never rename. A deployment can put all of them under a namespace
 * (see `namespaced` in topology.ts).
 */
export const Subject = {
  /** api → orchestrator: a job was accepted; start it. (JetStream) */
  analysisRequested: 'analysis.requested',
  /** api → orchestrator: stop a running job. (JetStream) */
  analysisCancel: 'analysis.cancel',
  /** orchestrator → summarizers: summarize one scene. (JetStream work queue) */
  sceneSummarize: 'scene.summarize',
  /** summarizer → orchestrator: the stored outcome of one scene task. (JetStream) */
  sceneResult: 'scene.result',
  /** orchestrator → anyone: a job's counts changed. (core NATS, best effort) */
  jobProgress: 'job.progress',
  /** every service → health: "I am alive". (core NATS) */
  serviceHeartbeat: 'service.heartbeat',
  /** any consumer → operators: a message that could not be processed, with the reason. (JetStream) */
  deadLetter: 'deadletter',
} as const;

export type Subject = (typeof Subject)[keyof typeof Subject];
