import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

const PG_NAME_OID = 19;
const PG_TEXT_OID = 25;

/**
 * A pg.Pool whose results report PostgreSQL `name` columns as `text`. Prisma's JS schema
 * engine cannot deserialize `name` (prisma/prisma#27403), which breaks `migrate deploy`
 * over an adapter; the values are plain strings either way.
 */
class NameAsTextPool extends pg.Pool {
  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      return (result as Promise<pg.QueryResult>).then(rewriteNameFields) as never;
    }
    return result as never;
  }
}

function rewriteNameFields(result: pg.QueryResult): pg.QueryResult {
  for (const field of result?.fields ?? []) {
    if (field.dataTypeID === PG_NAME_OID) field.dataTypeID = PG_TEXT_OID;
  }
  return result;
}

export interface PgAdapterOptions {
  /** @default 10 */
  maxConnections?: number;
  /**
   * How long an idle connection stays open. One-shot CLIs such as `prisma migrate` set it
   * low: the CLI never ends the pool, so idle connections would hold the process open.
   * @default 10000
   */
  idleTimeoutMs?: number;
}

export function createPgAdapter(databaseUrl: string, options: PgAdapterOptions = {}): PrismaPg {
  const pool = new NameAsTextPool({
    connectionString: databaseUrl,
    max: options.maxConnections ?? 10,
    idleTimeoutMillis: options.idleTimeoutMs ?? 10_000,
  });
  // The pool is ours alone, so $disconnect() must end it; otherwise idle connections keep the process alive.
  return new PrismaPg(pool, { disposeExternalPool: true });
}
