// A real Prometheus (Debian's `prometheus`) scrapes every service while a job runs, and the
// job and GenAI metrics are read back through its query API. Usage: npm run check:metrics
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { services, startStack } from './stack.mjs';

const root = new URL('../..', import.meta.url).pathname;
const work = `${root}tmp/check-metrics`;
const promPort = Number(process.env.CHECK_PROMETHEUS_PORT ?? 19090);
const prom = `http://127.0.0.1:${promPort}`;
const api = 'http://127.0.0.1:3000/api';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function query(expr) {
  const body = await (await fetch(`${prom}/api/v1/query?query=${encodeURIComponent(expr)}`)).json();
  return Number(body.data?.result?.[0]?.value?.[1] ?? 0);
}

async function until(what, read, timeoutMs = 60_000) {
  const started = Date.now();
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
writeFileSync(
  `${work}/prometheus.yml`,
  `global:\n  scrape_interval: 1s\nscrape_configs:\n` +
    services.map((s) => `  - job_name: ${s.name}\n    static_configs:\n      - targets: ['127.0.0.1:${s.port}']\n`).join(''),
);

delete process.env.ANTHROPIC_API_KEY;
const stack = await startStack({ logDir: `${work}/logs` });
const prometheus = spawn(
  'prometheus',
  [`--config.file=${work}/prometheus.yml`, `--storage.tsdb.path=${work}/data`, `--web.listen-address=127.0.0.1:${promPort}`],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
let exitCode = 1;
try {
  await until('every service scraped', async () => {
    const { data } = await (await fetch(`${prom}/api/v1/targets`)).json();
    return data.activeTargets.length === services.length && data.activeTargets.every((t) => t.health === 'up');
  });
  console.log(`Prometheus ${prom} scrapes ${services.map((s) => s.name).join(', ')}: all up`);

  const before = {
    jobs: await query('sum(scenewise_jobs_finished_total)'),
    calls: await query('sum(gen_ai_client_operation_duration_count)'),
  };
  const text = readFileSync(`${root}tools/samples/the-night-shift.fountain`);
  const script = await (await fetch(`${api}/scripts`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: text })).json();
  const { jobId } = await (await fetch(`${api}/scripts/${script.id}/analyze`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
  const job = await until('the job to end', async () => {
    const j = await (await fetch(`${api}/jobs/${jobId}`)).json();
    return ['succeeded', 'partially_failed', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
  });
  console.log(`job ${jobId}: ${job.status}, ${job.counts.succeeded}/${job.counts.total} scenes`);

  const checks = [
    ['jobs finished (scenewise_jobs_finished_total)', 'sum(scenewise_jobs_finished_total)', (v) => v >= before.jobs + 1],
    ['Claude calls (gen_ai_client_operation_duration_count)', 'sum(gen_ai_client_operation_duration_count)', (v) => v >= before.calls + job.counts.total],
    ['output tokens (gen_ai_client_token_usage_sum, output)', 'sum(gen_ai_client_token_usage_sum{gen_ai_token_type="output"})', (v) => v > 0],
    ['job duration observations (scenewise_job_duration_count)', 'sum(scenewise_job_duration_count)', (v) => v >= 1],
    ['scene outcomes (scenewise_scene_duration_count)', 'sum(scenewise_scene_duration_count)', (v) => v >= job.counts.total],
    ['cost in USD (scenewise_cost_usd_total)', 'sum(scenewise_cost_usd_total)', (v) => v > 0],
    ['live summarizers (scenewise_service_instances)', 'scenewise_service_instances{service="summarizer"}', (v) => v >= 1],
  ];
  let failures = 0;
  for (const [label, expr, ok] of checks) {
    const value = await until(label, async () => ((await query(expr)) ? query(expr) : undefined), 15_000).catch(() => 0);
    const passed = ok(value);
    failures += passed ? 0 : 1;
    console.log(`${passed ? '✔' : '✖'} ${label}: ${value}`);
  }
  exitCode = failures === 0 ? 0 : 1;
  console.log(failures === 0 ? '\nmetrics check passed' : `\nmetrics check failed: ${failures} of ${checks.length}`);
} catch (err) {
  console.error(`✖ ${err.message}`);
} finally {
  prometheus.kill('SIGTERM');
  await stack.stop();
}
process.exit(exitCode);
