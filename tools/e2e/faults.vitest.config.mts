import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import root from '../../vitest.config.mts';

// The fault suite (docs/fault-suite.md): each scenario runs a real job through the services
// as processes and strikes mid-job. Minutes, not seconds, and one scenario at a time: they
// kill processes and restart servers, and two cores are all there is.
// `npx vitest run --config tools/e2e/faults.vitest.config.mts`, or `bash tools/scripts/fault-suite.sh`.
const merged = mergeConfig(
  root,
  defineConfig({
    // Paths (global setup, include) are the workspace's, wherever vitest is started from.
    root: fileURLToPath(new URL('../..', import.meta.url)),
    test: {
      fileParallelism: false,
      maxWorkers: 1,
      testTimeout: 300_000,
      hookTimeout: 180_000,
      // The root config's global setup (the template database) runs first; this one keeps the results.
      globalSetup: ['tools/e2e/src/faults/report-setup.ts'],
      env: { FAULT_SUITE: '1' },
      reporters: ['default'],
    },
  }),
);
// mergeConfig concatenates arrays; the root's include matches every test and its exclude
// leaves the faults out: replace both.
merged.test!.include = ['tools/e2e/src/faults/**/*.fault.test.ts'];
merged.test!.exclude = ['**/node_modules/**'];

export default merged;
