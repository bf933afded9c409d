import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * What `docker-compose config` resolves (nothing set, as on a fresh machine with no .env):
 * the NATS server(s) and the services agree on users and passwords, the server gets every
 * variable deploy/nats reads, the cluster override points everything at three nodes.
 * deploy/nats itself is run for real in compose-nats-auth and compose-nats-cluster.
 */

const workspaceRoot = join(__dirname, '..', '..', '..');
const apps = ['api', 'orchestrator', 'summarizer', 'health'] as const;
const clusterNodes = ['nats', 'nats-2', 'nats-3'] as const;
const passwordVariables = ['NATS_ADMIN_PASSWORD', 'NATS_API_PASSWORD', 'NATS_HEALTH_PASSWORD', 'NATS_ORCHESTRATOR_PASSWORD', 'NATS_SUMMARIZER_PASSWORD'];

interface Service {
  environment?: Record<string, string | null>;
  command?: string[];
  volumes?: Array<string | { source?: string; target: string }>;
}

function resolve(...files: string[]): Record<string, Service> {
  const out = execFileSync('docker-compose', [...files.flatMap((f) => ['-f', f]), 'config'], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] },
  });
  return (parse(out) as { services: Record<string, Service> }).services;
}

/** The environment variables NATS config files read (`$NAME`, unquoted; quoted "$JS…" are subjects). */
function variablesOf(...files: string[]): string[] {
  const text = files.map((f) => readFileSync(join(workspaceRoot, 'deploy', 'nats', f), 'utf8')).join('\n');
  const bare = text.replace(/#.*$/gm, '').replace(/"[^"]*"/g, '');
  return [...new Set([...bare.matchAll(/\$([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!))].sort();
}

function mountAt(service: Service, target: string): string | undefined {
  const volume = service.volumes?.find((v) => (typeof v === 'string' ? v.split(':')[1] : v.target) === target);
  return typeof volume === 'string' ? volume.split(':')[0] : volume?.source;
}

describe('docker-compose.yml: NATS with a user per service', () => {
  let services: Record<string, Service>;
  beforeAll(() => {
    services = resolve('docker-compose.yml');
  });

  it('starts NATS from deploy/nats, with every variable its config reads', () => {
    const nats = services['nats']!;
    expect(nats.command).toEqual(['-c', '/etc/nats/nats.conf']);
    expect(mountAt(nats, '/etc/nats')).toMatch(/deploy\/nats$/);
    expect(variablesOf('nats.conf', 'auth.conf')).toEqual(passwordVariables);
    // Parsed by NATS as bare config tokens: no leading digit, no spaces, quotes or "#".
    for (const name of passwordVariables) expect(nats.environment?.[name], name).toMatch(/^[A-Za-z][A-Za-z0-9_-]*$/);
  });

  it('gives each service its own user and the password the server holds for it, and the api a key', () => {
    const natsEnv = services['nats']!.environment!;
    for (const app of apps) {
      const env = services[app]!.environment!;
      expect({ app, user: env['NATS_USER'] }).toEqual({ app, user: app });
      expect(env['NATS_PASSWORD'], app).toBe(natsEnv[`NATS_${app.toUpperCase()}_PASSWORD`]);
    }
    const keys = services['api']!.environment!['API_KEYS']!.split(',');
    for (const key of keys) expect(key.length).toBeGreaterThanOrEqual(16);
  });
});

describe('docker-compose.cluster.yml: three NATS nodes, every service on all three', () => {
  let services: Record<string, Service>;
  beforeAll(() => {
    services = resolve('docker-compose.yml', 'docker-compose.cluster.yml');
  });

  it('runs three named nodes from the cluster config, each with a store of its own', () => {
    expect(clusterNodes.map((node) => services[node]!.environment?.['NATS_SERVER_NAME'])).toEqual(['nats-1', 'nats-2', 'nats-3']);
    expect(new Set(clusterNodes.map((node) => mountAt(services[node]!, '/data'))).size).toBe(3);
    for (const node of clusterNodes) {
      expect(services[node]!.command).toEqual(['-c', '/etc/nats/nats-cluster.conf']);
      expect(mountAt(services[node]!, '/etc/nats')).toMatch(/deploy\/nats$/);
    }
  });

  it('sets on every node each variable the cluster config reads, the passwords the services use', () => {
    expect(variablesOf('nats-cluster.conf', 'auth.conf')).toEqual([...passwordVariables, 'NATS_SERVER_NAME'].sort());
    for (const node of clusterNodes) {
      for (const app of apps) {
        expect(services[node]!.environment![`NATS_${app.toUpperCase()}_PASSWORD`], `${node} ${app}`).toBe(services[app]!.environment!['NATS_PASSWORD']);
      }
      expect(services[node]!.environment!['NATS_ADMIN_PASSWORD']).toBe(services['nats']!.environment!['NATS_ADMIN_PASSWORD']);
    }
  });

  it('points every service at all three nodes and replicates the streams three times', () => {
    for (const app of apps) {
      expect(services[app]!.environment!['NATS_URL']).toBe('nats://nats-1:4222,nats://nats-2:4222,nats://nats-3:4222');
      expect(services[app]!.environment!['NATS_USER']).toBe(app);
    }
    for (const app of ['api', 'orchestrator', 'summarizer']) expect(services[app]!.environment!['NATS_STREAM_REPLICAS']).toBe('3');
  });
});
