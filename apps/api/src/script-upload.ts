import { decodeScriptText, isScreenplayError, parseScreenplay, type ParsedScreenplay } from '@scenewise/screenplay';
import { z } from 'zod';
import { ApiError, parseInput } from './http-errors';
import { hashRequest } from './idempotency';

export interface UploadLimits {
  maxUploadBytes: number;
  maxScenes: number;
  maxSceneChars: number;
}

// PostgreSQL text cannot hold NUL, and a lone UTF-16 surrogate (valid in a JSON string) is not Unicode text.
const controlCharacter = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const loneSurrogate = /\p{Surrogate}/u;

const title = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .refine((t) => !controlCharacter.test(t) && !/[\n\r\t]/.test(t), 'must be one line of text, without control characters')
  .refine((t) => !loneSurrogate.test(t), 'must be valid Unicode (it has a lone surrogate)');

export const ScriptUploadSchema = z.strictObject({
  title: title.optional(),
  text: z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .refine((t) => !loneSurrogate.test(t), 'must be valid Unicode (it has a lone surrogate)'),
  format: z.enum(['fountain', 'plain', 'auto']).default('auto'),
});

export const RawUploadQuerySchema = z.object({
  title: title.optional(),
  format: z.enum(['fountain', 'plain', 'auto']).default('auto'),
});

export interface ScriptUpload {
  /** The title asked for (a JSON field or `?title=`), if any; `parsed.title` is the title page's. */
  title: string | undefined;
  parsed: ParsedScreenplay;
  /** What an `Idempotency-Key` binds to: the title and format asked for, and the text. */
  requestHash: string;
}

const statusByCode: Record<string, number> = {
  empty: 400,
  binary: 400,
  invalid_utf8: 400,
  too_large: 413,
  too_many_scenes: 422,
  scene_too_large: 422,
};

/**
 * Turns an upload (a JSON body or the raw text) into a title and scenes, or a 4xx that says
 * what is wrong with it. Nothing is stored here.
 */
export function readScriptUpload(
  input: { json?: unknown; raw?: Buffer; query?: unknown },
  limits: UploadLimits,
): ScriptUpload {
  const { text, title, format } =
    input.raw !== undefined
      ? { text: input.raw, ...parseInput(RawUploadQuerySchema, input.query ?? {}, 'query') }
      : parseInput(ScriptUploadSchema, input.json);
  try {
    const decoded = decodeScriptText(text, { maxBytes: limits.maxUploadBytes });
    const parsed = parseScreenplay(decoded, { format, maxScenes: limits.maxScenes, maxSceneChars: limits.maxSceneChars });
    return { title, parsed, requestHash: hashRequest('upload', title, format, text) };
  } catch (err) {
    if (!isScreenplayError(err)) throw err;
    throw new ApiError(statusByCode[err.code] ?? 400, `script_${err.code}`, err.message, err.details);
  }
}
