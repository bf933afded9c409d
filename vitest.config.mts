import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import tsconfig from './tsconfig.base.json' with { type: 'json' };

// Resolve the workspace libraries to their sources, exactly as tsconfig.base.json declares them.
// Exact matches only: '@scenewise/db' must not swallow '@scenewise/db/testing'.
const alias = Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => ({
  find: new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`),
  replacement: fileURLToPath(new URL(target!, import.meta.url)),
}));

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['{apps,libs,tools}/**/src/**/*.test.ts', 'bench/src/**/*.test.ts'],
    // The fault suite restarts servers and takes minutes: its own command (npm run test:faults).
    exclude: ['**/node_modules/**', '**/faults/**'],
    // Integration tests share one PostgreSQL and one NATS server; they isolate by database
    // and namespace, but two cores are all there is.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['tools/testing/global-setup.ts'],
  },
});
