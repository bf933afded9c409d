import type { Database } from '@scenewise/db';

export interface CheckResult {
  status: 'ok' | 'down';
  latencyMs?: number;
  error?: string;
}

export async function checkDatabase(db: Database): Promise<CheckResult> {
  const started = performance.now();
  try {
    await db.$queryRaw`SELECT 1`;
    return { status: 'ok', latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { status: 'down', error: describeDatabaseError(err) };
  }
}

/**
 * The cause of a failed query, in one line. Prisma's messages open with a blank line and the
 * call ("Invalid `prisma.$queryRaw()` invocation:"); the cause is the last line.
 */
export function describeDatabaseError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const last = err.message.split('\n').map((line) => line.trim()).filter(Boolean).pop() ?? err.name;
  return /Message: `(.+)`$/.exec(last)?.[1] ?? last;
}
