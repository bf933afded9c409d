import { type ApiClient, ApiError, createApiClient, fetchHealth, type JobView } from './api-client';
import { type CliOptions, type CommandName, parseCommandLine, UsageError, usage } from './args';
import { colorEnabled, createStyle, jobDetails, jobSummary, modelReport, revised, sceneList, type Style, uploaded } from './format';
import { followJob, FollowTimeoutError, ProgressView } from './follow';

interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
  readFile(path: string): Promise<Uint8Array>;
  version: string;
  /** @default 1000 */
  pollIntervalMs?: number;
}

interface Context {
  args: Record<string, string>;
  options: CliOptions;
  client: ApiClient;
  io: CliIo;
  /** For stdout and stderr, each coloured only when it is a terminal. */
  style: { out: Style; err: Style };
  print(text: string): void;
  printJson(value: unknown): void;
  /** Progress and notes: stderr, and only in human mode. */
  note(text: string): void;
}

/** Exit status of a job: 0 only when every scene was summarized. */
const jobExit = (job: JobView) => (job.status === 'succeeded' ? 0 : 1);

async function readScript(ctx: Context): Promise<Uint8Array> {
  try {
    return await ctx.io.readFile(ctx.args['file']!);
  } catch (err) {
    throw new ApiError(`cannot read ${ctx.args['file']}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

async function follow(ctx: Context, jobId: string): Promise<JobView> {
  const view = ctx.options.json ? undefined : new ProgressView(ctx.io.stderr, ctx.style.err);
  try {
    return await followJob(ctx.client, jobId, {
      poll: ctx.options.poll,
      pollIntervalMs: ctx.io.pollIntervalMs,
      timeoutMs: ctx.options.timeoutMs,
      handlers: view ?? { progress: () => undefined, scene: () => undefined, notice: () => undefined },
    });
  } finally {
    view?.finish();
  }
}

const run: Record<CommandName, (ctx: Context) => Promise<number>> = {
  async upload(ctx) {
    const script = await ctx.client.uploadScript(await readScript(ctx), { title: ctx.options.title, format: ctx.options.format });
    if (ctx.options.json) ctx.printJson(script);
    else ctx.print(`${uploaded(script, ctx.style.out)}\n${ctx.style.out.dim(`next: scenewise analyze ${script.id} --follow`)}`);
    return 0;
  },

  async revise(ctx) {
    const script = await ctx.client.reviseScript(ctx.args['scriptId']!, await readScript(ctx), { title: ctx.options.title, format: ctx.options.format });
    if (ctx.options.json) ctx.printJson(script);
    else {
      const next = script.revision.edited + script.revision.added ? `\n${ctx.style.out.dim(`next: scenewise analyze ${script.id} --partial --follow`)}` : '';
      ctx.print(`${revised(script, ctx.style.out)}${next}`);
    }
    return 0;
  },

  async analyze(ctx) {
    const mode = ctx.options.partial ? 'partial' : 'full';
    const accepted = await ctx.client.analyze(ctx.args['scriptId']!, { mode, force: ctx.options.force });
    if (!ctx.options.follow) {
      if (ctx.options.json) ctx.printJson(accepted);
      else ctx.print(`Job ${accepted.jobId} ${accepted.status} (${mode})\n${ctx.style.out.dim(`follow it: scenewise follow ${accepted.jobId}`)}`);
      return 0;
    }
    ctx.note(`Job ${accepted.jobId} ${accepted.status} (${mode})`);
    const job = await follow(ctx, accepted.jobId);
    if (ctx.options.json) ctx.printJson(job);
    else ctx.print(jobSummary(job, ctx.style.out));
    return jobExit(job);
  },

  async run(ctx) {
    const script = await ctx.client.uploadScript(await readScript(ctx), { title: ctx.options.title, format: ctx.options.format });
    ctx.note(uploaded(script, ctx.style.err));
    const accepted = await ctx.client.analyze(script.id, { mode: 'full', force: false });
    ctx.note(`Job ${accepted.jobId} ${accepted.status}`);
    const job = await follow(ctx, accepted.jobId);
    const { scenes } = await ctx.client.scenes(script.id);
    if (ctx.options.json) ctx.printJson({ script, job, scenes });
    else ctx.print(`${sceneList(scenes, ctx.style.out)}\n\n${jobSummary(job, ctx.style.out)}`);
    return jobExit(job);
  },

  async follow(ctx) {
    const job = await follow(ctx, ctx.args['jobId']!);
    if (ctx.options.json) ctx.printJson(job);
    else ctx.print(jobSummary(job, ctx.style.out));
    return jobExit(job);
  },

  async job(ctx) {
    const job = await ctx.client.job(ctx.args['jobId']!);
    if (ctx.options.json) ctx.printJson(job);
    else ctx.print(jobDetails(job, ctx.style.out));
    return jobExit(job);
  },

  async scenes(ctx) {
    const list = await ctx.client.scenes(ctx.args['scriptId']!);
    if (ctx.options.json) ctx.printJson(list);
    else ctx.print(sceneList(list.scenes, ctx.style.out));
    return 0;
  },

  async models(ctx) {
    const report = await fetchHealth(ctx.options.healthUrl);
    const allOk = report.models.every((m) => m.status === 'ok');
    if (ctx.options.json) ctx.printJson({ ok: allOk, models: report.models });
    else {
      ctx.print(modelReport(report, ctx.style.out));
      const others = report.problems.filter((p) => !report.models.some((m) => m.message === p));
      if (others.length) ctx.note(ctx.style.err.yellow(`the pipeline is degraded: ${others.join('; ')}`));
    }
    return allOk ? 0 : 1;
  },
};

/** Runs one command line; resolves to the exit status (0 done, 1 failed or job not succeeded, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv, io.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`scenewise: ${err.message}\nRun "scenewise help" for usage.\n`);
    return 2;
  }
  if (parsed.kind === 'help') {
    (parsed.missing ? io.stderr : io.stdout).write(usage(parsed.command));
    return parsed.missing ? 2 : 0;
  }
  if (parsed.kind === 'version') {
    io.stdout.write(`${io.version}\n`);
    return 0;
  }

  const { options } = parsed;
  const style = { out: createStyle(colorEnabled(io.stdout, io.env)), err: createStyle(colorEnabled(io.stderr, io.env)) };
  const ctx: Context = {
    args: parsed.args,
    options,
    client: createApiClient({ apiUrl: options.apiUrl, apiKey: options.apiKey }),
    io,
    style,
    print: (text) => io.stdout.write(`${text}\n`),
    printJson: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    note: (text) => {
      if (!options.json) io.stderr.write(`${text}\n`);
    },
  };
  try {
    return await run[parsed.command](ctx);
  } catch (err) {
    if (!(err instanceof ApiError || err instanceof FollowTimeoutError)) throw err;
    io.stderr.write(`${style.err.red('scenewise:')} ${err.message}\n`);
    if (options.json) {
      const type = err instanceof ApiError ? (err.type ?? (err.status ? 'http_error' : 'unreachable')) : 'timeout';
      ctx.printJson({ error: { type, message: err.message, ...(err instanceof ApiError && err.status ? { status: err.status } : {}) } });
    }
    return 1;
  }
}
