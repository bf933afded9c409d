import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createPrismaClient, type Database } from './client';

/** Test-only helpers: every test gets its own database, cloned from a migrated template. */

const libRoot = join(__dirname, '..');
const migrationsDir = join(libRoot, 'prisma', 'migrations');

/** @default postgresql://root@127.0.0.1:5432/postgres (the machine's trust-auth cluster) */
export function adminDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env['PG_ADMIN_URL'] ?? 'postgresql://root@127.0.0.1:5432/postgres';
}

export function databaseUrlFor(name: string, adminUrl = adminDatabaseUrl()): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The template's name changes whenever a migration does, so a stale template is never used. */
function templateName(): string {
  const hash = createHash('sha256');
  for (const entry of readdirSync(migrationsDir).sort()) {
    if (entry.endsWith('.toml')) continue;
    hash.update(entry).update(readFileSync(join(migrationsDir, entry, 'migration.sql')));
  }
  return `scenewise_tmpl_${hash.digest('hex').slice(0, 12)}`;
}

/** Applies the committed migrations with the standard `prisma migrate deploy`. */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  await promisify(execFile)('npx', ['prisma', 'migrate', 'deploy'], {
    cwd: libRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1' },
  });
}

/** Creates (once per migration set) a migrated database that test databases are cloned from. */
export async function ensureTemplateDatabase(adminUrl = adminDatabaseUrl()): Promise<string> {
  const name = templateName();
  const exists = await withAdmin(adminUrl, async (c) =>
    (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1,
  );
  if (exists) return name;
  const building = `${name}_build_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${building}"`));
  await migrateDatabase(databaseUrlFor(building, adminUrl));
  await withAdmin(adminUrl, async (c) => {
    try {
      await c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    } catch {
      // Another run built the same template first; theirs is identical.
      await c.query(`DROP DATABASE IF EXISTS "${building}"`);
    }
  });
  return name;
}

export interface TestDatabase {
  name: string;
  url: string;
  db: Database;
  /** Disconnects and drops the database. */
  drop(): Promise<void>;
}

export async function createTestDatabase(adminUrl = adminDatabaseUrl()): Promise<TestDatabase> {
  const template = await ensureTemplateDatabase(adminUrl);
  const name = `scenewise_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const url = databaseUrlFor(name, adminUrl);
  const db = createPrismaClient(url, { maxConnections: 4 });
  return {
    name,
    url,
    db,
    async drop() {
      await db.$disconnect();
      await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/**
 * A script of `scenes` scenes, `INT. ROOM <n>` each with a line of its own and content hash
 * `h<n>`; its scenes come back in order.
 */
export function createTestScript(db: Database, scenes: number, title = 't') {
  return db.script.create({
    data: {
      title,
      format: 'fountain',
      sceneCount: scenes,
      scenes: {
        create: Array.from({ length: scenes }, (_, position) => ({
          position,
          heading: `INT. ROOM ${position}`,
          text: `INT. ROOM ${position}\n\nA beat.`,
          characters: [],
          contentHash: `h${position}`,
        })),
      },
    },
    include: { scenes: { orderBy: { position: 'asc' } } },
  });
}

/** Empties every table. Refuses to run anywhere but in a test run. */
export async function resetDatabase(db: Database): Promise<void> {
  if (!process.env['VITEST'] && process.env['NODE_ENV'] !== 'test') {
    throw new Error('resetDatabase() only runs in tests (VITEST or NODE_ENV=test)');
  }
  await db.$executeRawUnsafe(
    'TRUNCATE scene_summaries, scene_tasks, analysis_jobs, scenes, scripts CASCADE',
  );
}
