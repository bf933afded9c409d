// The demo: start the stack, upload the bundled sample screenplay, run a full analysis,
// show progress while it runs, print every scene's heading and summary and the job's end.
import { readFileSync } from 'node:fs';
import { localServerNotice, startStack } from './stack.mjs';

const root = new URL('../..', import.meta.url).pathname;
const api = 'http://127.0.0.1:3000/api';
const samplePath = process.argv[2] ?? 'tools/samples/the-night-shift.fountain';
const bold = (s) => `\x1b[1m${s}\x1b[0m`;
const dim = (s) => `\x1b[2m${s}\x1b[0m`;

async function call(method, path, body, contentType = 'application/json') {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body: body === undefined ? undefined : contentType === 'application/json' ? JSON.stringify(body) : body,
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${json.error?.message ?? JSON.stringify(json)}`);
  return json;
}

function progressLine(job, startedAt) {
  const { total, succeeded, failed, cancelled, skipped } = job.counts;
  const done = succeeded + failed + cancelled + skipped;
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : 0;
  const elapsed = ((Date.now() - startedAt) / 1000).toFixed(1);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} done · ${failed} failed · ${elapsed}s · ${job.status}`;
}

console.log(bold('Starting the pipeline: api, orchestrator, summarizer, health (logs in tmp/logs/)…'));
const stack = await startStack({ logDir: `${root}tmp/logs` });
let exitCode = 1;
try {
  console.log(stack.usingLocalServer ? `\n${bold(localServerNotice(stack.anthropicBaseUrl))}\n` : `Summarizing with Claude at ${stack.anthropicBaseUrl ?? 'https://api.anthropic.com'}\n`);

  const script = await call('POST', `/scripts?title=${encodeURIComponent('The Night Shift (sample)')}`, readFileSync(`${root}${samplePath}`), 'text/plain');
  console.log(`Uploaded ${bold(script.title)}: ${script.sceneCount} scenes (script ${script.id})`);
  const { jobId } = await call('POST', `/scripts/${script.id}/analyze`, { mode: 'full' });
  console.log(`Analysis job ${jobId} started\n`);

  const startedAt = Date.now();
  let job;
  for (;;) {
    job = await call('GET', `/jobs/${jobId}`);
    const line = progressLine(job, startedAt);
    if (process.stdout.isTTY) process.stdout.write(`\r${line}`);
    else console.log(line);
    if (['succeeded', 'partially_failed', 'failed', 'cancelled'].includes(job.status)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (process.stdout.isTTY) process.stdout.write('\n');

  const { scenes } = await call('GET', `/scripts/${script.id}/scenes`);
  console.log('');
  for (const scene of scenes) {
    console.log(bold(`${String(scene.position + 1).padStart(2)}. ${scene.heading}`));
    console.log(scene.summary ? `    ${scene.summary.summary}` : dim('    (no summary)'));
  }
  const { counts, usage } = job;
  console.log(
    `\nJob ${bold(job.status)}: ${counts.succeeded} summarized, ${counts.failed} failed, ${counts.cancelled} cancelled, ` +
      `${counts.skipped} skipped of ${counts.total} · ${(job.durationMs / 1000).toFixed(1)}s · ` +
      `${usage.inputTokens} input + ${usage.outputTokens} output tokens · $${usage.costUsd.toFixed(4)}` +
      (stack.usingLocalServer ? ' (priced as Claude would be)' : ''),
  );
  if (job.error) console.log(`Error: ${job.error.type}: ${job.error.message}`);
  for (const group of job.errorsByType) console.log(`  ${group.count} × ${group.type}: ${group.message}`);
  exitCode = job.status === 'succeeded' ? 0 : 1;
} catch (err) {
  console.error(`\n✖ ${err.message}`);
} finally {
  await stack.stop();
}
process.exit(exitCode);
