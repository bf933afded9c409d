import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs the built services as separate processes, as production does (`node --require
 * instrumentation main.js`), on free ports, against a given database, NATS namespace and
 * Anthropic-compatible server. The end-to-end, fault and benchmark runs stand on this.
 */

export const workspaceRoot = join(__dirname, '..', '..', '..');
export type ServiceName = 'api' | 'orchestrator' | 'summarizer' | 'health';

export interface ServiceProcess {
  name: ServiceName;
  child: ChildProcess;
  port: number;
  url: string;
  /** Every line the process wrote (JSON logs), for assertions. */
  output: string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

export interface HarnessOptions {
  databaseUrl: string;
  namespace: string;
  anthropicBaseUrl: string;
  env?: Record<string, string>;
}

export function assertBuilt(): void {
  for (const file of ['dist/libs/telemetry/instrumentation.js', 'dist/apps/api/main.js']) {
    if (!existsSync(join(workspaceRoot, file))) {
      throw new Error(`${file} is missing: build first (npx nx run-many -t build, or npm test which does it)`);
    }
  }
}

/** Starts one service and resolves once it has logged its ready line. */
export function startService(name: ServiceName, options: HarnessOptions, extraEnv: Record<string, string> = {}): Promise<ServiceProcess> {
  assertBuilt();
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      // As every start command runs them (tools/docker/entrypoint.sh says why).
      '--max-semi-space-size=4',
      // Extra node flags for every service, e.g. SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"
      // to profile a benchmark (node refuses --cpu-prof in NODE_OPTIONS). SERVICE_LOG_DIR below.
      ...(process.env['SERVICE_NODE_ARGS']?.split(' ').filter(Boolean) ?? []),
      '--require',
      './dist/libs/telemetry/instrumentation.js',
      `dist/apps/${name}/main.js`,
    ],
    {
      cwd: workspaceRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env['PATH'],
        NODE_ENV: 'test',
        OTEL_SERVICE_NAME: name,
        DATABASE_URL: options.databaseUrl,
        NATS_URL: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
        NATS_NAMESPACE: options.namespace,
        ANTHROPIC_BASE_URL: options.anthropicBaseUrl,
        ANTHROPIC_API_KEY: 'sk-ant-e2e-test-key-0000',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        // Tests poll the API far faster than a person would.
        RATE_LIMIT_PER_MINUTE: '0',
        ...options.env,
        ...extraEnv,
      },
    },
  );
  const output: string[] = [];
  // SERVICE_LOG_DIR=/tmp/logs keeps every service's log lines in <dir>/<service>-<pid>.log.
  const logFile = process.env['SERVICE_LOG_DIR'] && join(process.env['SERVICE_LOG_DIR'], `${name}-${child.pid}.log`);
  return new Promise((resolve, reject) => {
    let settled = false;
    const onLine = (line: string) => {
      output.push(line);
      if (logFile) appendFileSync(logFile, `${line}\n`);
      if (settled || !line.includes(' ready')) return;
      const port = (JSON.parse(line) as { port?: number }).port;
      if (!port) return;
      settled = true;
      resolve({
        name,
        child,
        port,
        url: `http://127.0.0.1:${port}`,
        output,
        stop: (signal = 'SIGTERM', graceMs = 15_000) => stopProcess(child, signal, graceMs),
      });
    };
    for (const stream of [child.stdout!, child.stderr!]) {
      let partial = '';
      stream.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`${name} exited with code ${code} before it was ready:\n${output.slice(-10).join('\n')}`));
    });
    setTimeout(() => {
      if (settled) return;
      child.kill('SIGKILL');
      reject(new Error(`${name} was not ready after 30 s:\n${output.slice(-10).join('\n')}`));
    }, 30_000).unref();
  });
}

function stopProcess(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code) => {
      clearTimeout(kill);
      resolve(code);
    });
    child.kill(signal);
  });
}

export interface Pipeline {
  api: ServiceProcess;
  health: ServiceProcess;
  orchestrator: ServiceProcess;
  summarizers: ServiceProcess[];
  all(): ServiceProcess[];
  stop(): Promise<void>;
}

/** The four services (and `summarizers` instances of the summarizer), started side by side. */
export async function startPipeline(options: HarnessOptions & { summarizers?: number }): Promise<Pipeline> {
  const started = await Promise.allSettled([
    startService('api', options),
    startService('orchestrator', options),
    startService('health', options),
    ...Array.from({ length: options.summarizers ?? 1 }, () => startService('summarizer', options)),
  ]);
  const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(ok.map((p) => p.stop('SIGKILL')));
    throw failed.reason;
  }
  const [api, orchestrator, health, ...summarizers] = ok as [ServiceProcess, ServiceProcess, ServiceProcess, ...ServiceProcess[]];
  const pipeline: Pipeline = {
    api,
    orchestrator,
    health,
    summarizers,
    all: () => [pipeline.api, pipeline.orchestrator, pipeline.health, ...pipeline.summarizers],
    stop: async () => {
      await Promise.all(pipeline.all().map((p) => p.stop()));
    },
  };
  return pipeline;
}

/** The warnings and errors the services logged, for a failing test's report. */
export function serviceProblems(pipeline: Pipeline, limit = 40): string {
  return pipeline
    .all()
    .flatMap((p) => p.output.filter((line) => /"level":"(warn|error|fatal)"/.test(line)).map((line) => `${p.name}: ${line}`))
    .slice(-limit)
    .join('\n');
}
