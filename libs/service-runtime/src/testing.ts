import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Test-only: what docker-compose.yml gives each service, as `docker-compose config` resolves it. */

const composeFile = join(__dirname, '..', '..', '..', 'docker-compose.yml');
let resolved: { services: Record<string, { environment?: Record<string, string | null> }> } | undefined;

export function composeServiceEnv(service: string): Record<string, string> {
  // Interpolated with nothing set, as on a fresh machine with no .env.
  resolved ??= parse(
    execFileSync('docker-compose', ['-f', composeFile, 'config'], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] },
    }),
  );
  const definition = resolved!.services[service];
  if (!definition) throw new Error(`docker-compose.yml has no service ${service}`);
  const env = Object.fromEntries(Object.entries(definition.environment ?? {}).map(([k, v]) => [k, v ?? '']));
  // tools/docker/entrypoint.sh: without a key, the services use the local server.
  if (!env['ANTHROPIC_API_KEY']) env['ANTHROPIC_API_KEY'] = 'local-server-needs-no-key';
  return env;
}
