import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'anthropic-local-'));
const bundle = join(dir, 'main.js');

// The CLI as `nx build` bundles it, run as its own process.
beforeAll(async () => {
  await build({
    entryPoints: [join(root, 'tools/anthropic-local/src/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    tsconfig: join(root, 'tsconfig.base.json'),
    outfile: bundle,
    logLevel: 'silent',
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [bundle], {
    env: { PATH: process.env['PATH'] ?? '', NODE_PATH: join(root, 'node_modules'), ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('main', () => {
  it('exits 1 with one line naming the bad variable', async () => {
    const cli = run({ ANTHROPIC_LOCAL_RPM: 'many' });
    expect(await cli.exited).toBe(1);
    expect(cli.err().trim()).toMatch(/^anthropic-local: invalid environment: ANTHROPIC_LOCAL_RPM: [^\n]+$/);
  });

  it('logs one ready line, serves, and stops on SIGTERM', async () => {
    const cli = run({ ANTHROPIC_LOCAL_PORT: '0', ANTHROPIC_LOCAL_API_KEY: 'sk-secret' });
    await expect.poll(() => cli.out(), { timeout: 5_000 }).toContain('"msg":"ready"');
    const ready = JSON.parse(cli.out().split('\n')[0]!) as { url: string; port: number };
    expect(cli.out()).not.toContain('sk-secret');
    const res = await fetch(`${ready.url}/v1/models`, { headers: { 'x-api-key': 'sk-secret' } });
    expect(res.status).toBe(200);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });
});
