import { readFile } from 'node:fs/promises';
// The workspace's package.json holds the release number; esbuild inlines just that field.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { version } from '../../../package.json';
import { runCli } from './cli';

runCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr, readFile, version }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`scenewise: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
