import { type AnthropicLocal, type AnthropicLocalOptions, startAnthropicLocal } from '@scenewise/anthropic-local';
import { namespaced } from '@scenewise/contracts';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import { deleteNamespaceStreams, randomNamespace } from '@scenewise/messaging/testing';
// Relative imports of the e2e harness until tsconfig.base.json maps it (see bench/README.md).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { apiClient } from '../../../tools/e2e/src/api-client';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type HarnessOptions, type Pipeline, startPipeline } from '../../../tools/e2e/src/service-harness';
import { onCleanup } from './lifecycle';

export { startService, workspaceRoot, type ServiceProcess } from '../../../tools/e2e/src/service-harness'; // eslint-disable-line @nx/enforce-module-boundaries

/**
 * What every pipeline benchmark runs on: a fresh database cloned from the migrated template,
 * a fresh NATS namespace, the local Anthropic server in this process, and the four services
 * as separate processes (built code, as in production). Everything is registered for
 * clean-up the moment it exists.
 */

export interface StackOptions {
  summarizers: number;
  anthropic: AnthropicLocalOptions;
  /** Environment for every service (`--env`, and limits a scenario needs such as MAX_SCENES). */
  serviceEnv: Record<string, string>;
}

export interface BenchStack {
  database: TestDatabase;
  claude: AnthropicLocal;
  pipeline: Pipeline;
  api: ReturnType<typeof apiClient>;
  services(): Array<{ name: string; pid: number }>;
  /** The PostgreSQL backends connected to this stack's database. */
  backendPids(): Promise<number[]>;
  close(): Promise<void>;
}

export interface Environment {
  database: TestDatabase;
  claude: AnthropicLocal;
  harness: HarnessOptions;
  close(): Promise<void>;
}

/** The database, namespace and local Anthropic server, without the services. */
export async function startEnvironment(anthropic: AnthropicLocalOptions, serviceEnv: Record<string, string>): Promise<Environment> {
  const namespace = randomNamespace();
  const dropStreams = onCleanup(`NATS streams of namespace ${namespace}`, () => deleteNamespaceStreams(namespaced(namespace)));
  const database = await createTestDatabase();
  const dropDatabase = onCleanup(`database ${database.name}`, () => database.drop());
  const claude = await startAnthropicLocal(anthropic);
  const closeClaude = onCleanup('the local Anthropic server', () => claude.close());
  return {
    database,
    claude,
    harness: { databaseUrl: database.url, namespace, anthropicBaseUrl: claude.url, env: serviceEnv },
    async close() {
      await closeClaude();
      await dropDatabase();
      await dropStreams();
    },
  };
}

export async function startStack(options: StackOptions): Promise<BenchStack> {
  const environment = await startEnvironment(options.anthropic, options.serviceEnv);
  const pipeline = await startPipeline({ ...environment.harness, summarizers: options.summarizers });
  const stopPipeline = onCleanup('the services', () => pipeline.stop());
  return {
    database: environment.database,
    claude: environment.claude,
    pipeline,
    api: apiClient(pipeline.api.url),
    services: () =>
      pipeline.all().map((p) => {
        const sameName = pipeline.all().filter((q) => q.name === p.name);
        const name = sameName.length > 1 ? `${p.name} ${sameName.indexOf(p) + 1}` : p.name;
        return { name, pid: p.child.pid! };
      }),
    backendPids: async () =>
      (
        await environment.database.db.$queryRaw<Array<{ pid: number }>>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`
      ).map((r) => Number(r.pid)),
    async close() {
      await stopPipeline();
      await environment.close();
    },
  };
}
