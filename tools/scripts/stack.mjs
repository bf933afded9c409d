// Runs the whole pipeline on this machine as separate processes: the four services and,
// when no ANTHROPIC_API_KEY is set, the local Anthropic-compatible server. Used by
// `npm start` (foreground, logs to the terminal) and `npm run demo` (logs to tmp/logs).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

export const services = [
  { name: 'api', port: 3000 },
  { name: 'health', port: 3001 },
  { name: 'orchestrator', port: 3002 },
  { name: 'summarizer', port: 3003 },
];

const colours = { api: 36, health: 35, orchestrator: 33, summarizer: 32, 'anthropic-local': 34 };

function pipeOutput(child, name, logDir) {
  if (logDir) {
    const file = createWriteStream(join(logDir, `${name}.log`));
    child.stdout.pipe(file);
    child.stderr.pipe(file);
    return;
  }
  const prefix = `\x1b[${colours[name] ?? 0}m${name.padEnd(15)}\x1b[0m│ `;
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(prefix + line + '\n');
    });
  }
}

async function waitUntilReady(url, name, child, timeoutMs = 30_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} during start-up (see its log)`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} was not ready after ${timeoutMs / 1000} s (${url})`);
}

/**
 * Starts everything and resolves once every service answers /readyz.
 * @param {{ logDir?: string, pretty?: boolean, env?: Record<string, string> }} options
 */
export async function startStack(options = {}) {
  if (options.logDir) mkdirSync(options.logDir, { recursive: true });
  const env = { ...process.env, ...options.env };
  const children = [];
  const spawnProcess = (name, args, extraEnv) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pipeOutput(child, name, options.logDir);
    children.push({ name, child });
    return child;
  };

  const stop = async () => {
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise((resolve) => {
            if (child.exitCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
          }),
      ),
    );
  };

  try {
    let usingLocalServer = false;
    if (!env.ANTHROPIC_API_KEY) {
      usingLocalServer = true;
      const port = env.ANTHROPIC_LOCAL_PORT ?? '4010';
      const local = spawnProcess('anthropic-local', ['dist/tools/anthropic-local/main.js'], { ANTHROPIC_LOCAL_PORT: port });
      env.ANTHROPIC_BASE_URL = `http://127.0.0.1:${port}`;
      // The local server accepts any key; the services insist on having one.
      env.ANTHROPIC_API_KEY = 'local-server-needs-no-key';
      await waitUntilReady(`${env.ANTHROPIC_BASE_URL}/v1/models`, 'anthropic-local', local);
    }
    for (const service of services) {
      spawnProcess(
        service.name,
        ['--enable-source-maps', '--max-semi-space-size=4', '--require', './dist/libs/telemetry/instrumentation.js', `dist/apps/${service.name}/main.js`],
        { OTEL_SERVICE_NAME: env.OTEL_SERVICE_NAME ?? service.name, PORT: String(service.port), LOG_PRETTY: options.pretty ? 'true' : 'false' },
      );
    }
    await Promise.all(
      services.map((s) => waitUntilReady(`http://127.0.0.1:${s.port}/readyz`, s.name, children.find((c) => c.name === s.name).child)),
    );
    return { stop, usingLocalServer, anthropicBaseUrl: env.ANTHROPIC_BASE_URL, children };
  } catch (err) {
    await stop();
    throw err;
  }
}

export const localServerNotice = (url) =>
  `No ANTHROPIC_API_KEY is set, so summaries come from the local Anthropic-compatible server at ${url}:\n` +
  `deterministic stand-ins built from each scene, not Claude. Set ANTHROPIC_API_KEY to use Claude.`;

// `node tools/scripts/stack.mjs`: run in the foreground until Ctrl-C.
if (import.meta.url === `file://${process.argv[1]}`) {
  const stack = await startStack({ pretty: true }).catch((err) => {
    console.error(`\n✖ ${err.message}`);
    process.exit(1);
  });
  if (stack.usingLocalServer) console.log(`\n\x1b[1m${localServerNotice(stack.anthropicBaseUrl)}\x1b[0m`);
  console.log(
    '\n\x1b[1mThe pipeline is up.\x1b[0m  API: http://localhost:3000/api   Health: http://localhost:3001/health   (Ctrl-C stops everything)\n' +
      '  curl -X POST http://localhost:3000/api/scripts -H "content-type: text/plain" --data-binary @tools/samples/the-night-shift.fountain\n',
  );
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  for (const { name, child } of stack.children) {
    child.once('exit', (code) => {
      if (!stopping) {
        console.error(`\n✖ ${name} exited (code ${code}); stopping the rest`);
        void shutdown();
      }
    });
  }
}
