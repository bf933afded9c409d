import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import tsconfig from '../tsconfig.base.json' with { type: 'json' };

// The benchmarks' own helpers, unit-tested without PostgreSQL or NATS (the root config's
// global setup needs both). Workspace libs resolve to their sources, as in the root config.
const alias = Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => ({
  find: new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`),
  replacement: fileURLToPath(new URL(`../${target!}`, import.meta.url)),
}));

export default defineConfig({
  resolve: { alias },
  test: { include: ['bench/src/**/*.test.ts'], root: fileURLToPath(new URL('..', import.meta.url)) },
});
