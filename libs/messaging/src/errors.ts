/** The message can never be processed (bad input, a permanent refusal): dead-letter it, do not retry. */
export class NonRetryableError extends Error {
  override name = 'NonRetryableError';
}

/** Processing failed for now; redeliver after `delayMs`. Any other error gets the default backoff. */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}
