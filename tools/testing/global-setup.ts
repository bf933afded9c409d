import { ensureTemplateDatabase } from '@scenewise/db/testing';

// Once per test run: migrate the template database every integration test clones,
// so no test pays for `prisma migrate deploy` itself.
export default async function setup(): Promise<void> {
  await ensureTemplateDatabase();
}
