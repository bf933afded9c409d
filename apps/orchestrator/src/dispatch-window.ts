/**
 * How many of a job's scene tasks the orchestrator publishes to the shared work queue at a
 * time. Summarizers pull in stream order, so a job that published all its tasks at once
 * would make every job behind it wait for all of them. Instead each job keeps at most
 * `size` tasks *waiting* in the queue (published, not yet claimed by a summarizer); the
 * rest stay in PostgreSQL and are published as the job's results come in. A job submitted
 * behind running ones waits for at most `size` tasks of each, and a job alone still keeps
 * every summarizer busy however many there are: tasks being summarized do not count.
 */
export interface DispatchWindow {
  /** Tasks of one job waiting in the work queue at most. */
  size: number;
  /** Top up only when at least this many fit (or the job's last tasks do): a few publishes per fold, not one per result. */
  batch: number;
}

export function dispatchWindow(size: number): DispatchWindow {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a dispatch window holds at least one task, not ${size}`);
  return { size, batch: Math.ceil(size / 4) };
}

export interface DispatchState {
  /** Published (dispatched) and not yet claimed by a summarizer. */
  waiting: number;
  /** Still in PostgreSQL, never published. */
  undispatched: number;
}

/** How many undispatched tasks to publish now: as many as fit, once a batch's worth does. */
export function tasksToDispatch(state: DispatchState, window: DispatchWindow): number {
  const fits = Math.min(Math.max(0, window.size - state.waiting), state.undispatched);
  if (fits === 0) return 0;
  return fits >= Math.min(window.batch, state.undispatched) ? fits : 0;
}
