import { PrismaClient } from './generated/prisma/client';
import { createPgAdapter, type PgAdapterOptions } from './pg-adapter';

export type Database = PrismaClient;

/** The one way services get a database client: Prisma's TypeScript engine over node-postgres. */
export function createPrismaClient(databaseUrl: string, options: PgAdapterOptions = {}): Database {
  return new PrismaClient({ adapter: createPgAdapter(databaseUrl, options) });
}
