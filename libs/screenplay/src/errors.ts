/** Why a script was refused. Wire-stable identifiers: add new ones, never rename. */
export const ScreenplayErrorCode = {
  empty: 'empty',
  binary: 'binary',
  invalidUtf8: 'invalid_utf8',
  tooManyScenes: 'too_many_scenes',
  sceneTooLarge: 'scene_too_large',
  tooLarge: 'too_large',
} as const;
export type ScreenplayErrorCode = (typeof ScreenplayErrorCode)[keyof typeof ScreenplayErrorCode];

/** Numbers behind a refusal, for callers that want more than the message. */
export interface ScreenplayErrorDetails {
  /** What was found: bytes, scenes or characters, depending on the code. */
  found?: number;
  limit?: number;
  /** Byte offset of the offending byte (binary, invalid_utf8). */
  offset?: number;
  /** 0-based position of the offending scene (scene_too_large). */
  position?: number;
}

/**
 * A script that cannot be turned into scenes. The message is written for the person who
 * uploaded the script: it says what is wrong and, where there is one, what to do about it.
 */
export class ScreenplayError extends Error {
  override readonly name = 'ScreenplayError';

  constructor(
    readonly code: ScreenplayErrorCode,
    message: string,
    readonly details: ScreenplayErrorDetails = {},
  ) {
    super(message);
  }
}

export function isScreenplayError(err: unknown): err is ScreenplayError {
  return err instanceof ScreenplayError;
}
