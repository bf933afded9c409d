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
    return { status: 'down', error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}
