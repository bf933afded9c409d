import { defineConfig } from 'prisma/config';
import { createPgAdapter } from './src/pg-adapter';

// Migrations run through Prisma's JavaScript/WebAssembly schema engine over a pg adapter,
// so neither `prisma generate` nor `prisma migrate deploy` downloads a native engine.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => createPgAdapter(requireDatabaseUrl(), { idleTimeoutMs: 50 }),
});

function requireDatabaseUrl(): string {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is not set: it names the PostgreSQL database to migrate');
  return url;
}
