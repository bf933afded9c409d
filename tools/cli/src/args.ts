import { parseArgs } from 'node:util';

/** A command line the CLI cannot run; exits 2 with the message and a pointer to the help. */
export class UsageError extends Error {}

export const DEFAULT_API_URL = 'http://localhost:3000';
export const DEFAULT_HEALTH_URL = 'http://localhost:3001';

const optionSpecs = {
  'api-url': { type: 'string' },
  'api-key': { type: 'string' },
  'health-url': { type: 'string' },
  json: { type: 'boolean' },
  title: { type: 'string' },
  format: { type: 'string' },
  partial: { type: 'boolean' },
  force: { type: 'boolean' },
  follow: { type: 'boolean' },
  poll: { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

type OptionName = keyof typeof optionSpecs;

const globalOptions: OptionName[] = ['api-url', 'api-key', 'json', 'help'];
const followOptions: OptionName[] = ['poll', 'timeout'];

export const commands = {
  upload: { args: ['file'], options: ['title', 'format'], summary: 'upload a screenplay (Fountain or plain text)' },
  revise: {
    args: ['scriptId', 'file'],
    options: ['title', 'format'],
    summary: "replace a script's text with a revised draft; unchanged scenes keep their summaries",
  },
  analyze: {
    args: ['scriptId'],
    options: ['partial', 'force', 'follow', ...followOptions],
    summary: 'start a full analysis, or --partial (changed or unsummarized scenes only)',
  },
  run: { args: ['file'], options: ['title', 'format', ...followOptions], summary: 'upload, analyze, follow, then print every summary' },
  follow: { args: ['jobId'], options: followOptions, summary: "follow a job's progress until it ends" },
  job: { args: ['jobId'], options: [], summary: 'show a job: status, counts, errors, usage, scenes' },
  scenes: { args: ['scriptId'], options: [], summary: "list a script's scenes with their summaries" },
  models: { args: [], options: ['health-url'], summary: "check each configured model's status on the health service" },
} as const satisfies Record<string, { args: readonly string[]; options: readonly OptionName[]; summary: string }>;

export type CommandName = keyof typeof commands;

export interface CliOptions {
  apiUrl: string;
  apiKey: string | undefined;
  healthUrl: string;
  json: boolean;
  title: string | undefined;
  format: 'fountain' | 'plain' | 'auto' | undefined;
  partial: boolean;
  force: boolean;
  follow: boolean;
  poll: boolean;
  timeoutMs: number | undefined;
}

export type ParsedCommandLine =
  | { kind: 'run'; command: CommandName; args: Record<string, string>; options: CliOptions }
  | { kind: 'help'; command?: CommandName; /** No command at all: usage, then exit 2. */ missing?: boolean }
  | { kind: 'version' };

const isCommand = (name: string | undefined): name is CommandName => name !== undefined && Object.hasOwn(commands, name);

/** Reads a URL from a flag or the environment; `/api` and trailing slashes are dropped. */
function baseUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${name} is not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${name} must be an http(s) URL: ${value}`);
  return url.toString().replace(/\/+$/, '').replace(/\/api$/, '');
}

export function parseCommandLine(argv: readonly string[], env: Record<string, string | undefined>): ParsedCommandLine {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof optionSpecs; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: optionSpecs, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;

  if (values.version) return { kind: 'version' };
  if (name === 'help') {
    if (rest[0] !== undefined && !isCommand(rest[0])) throw new UsageError(`unknown command "${rest[0]}"`);
    return { kind: 'help', command: rest[0] as CommandName | undefined };
  }
  if (name === undefined) return { kind: 'help', missing: !values.help };
  if (!isCommand(name)) throw new UsageError(`unknown command "${name}"`);
  if (values.help) return { kind: 'help', command: name };

  const spec = commands[name];
  const allowed = new Set<string>([...globalOptions, ...spec.options]);
  const misplaced = Object.keys(values).filter((option) => !allowed.has(option));
  if (misplaced.length) throw new UsageError(`${misplaced.map((o) => `--${o}`).join(', ')} cannot be used with "${name}"`);
  if (rest.length !== spec.args.length) {
    const expected = spec.args.map((a) => `<${a}>`).join(' ') || 'no arguments';
    throw new UsageError(`"${name}" takes ${expected}${rest.length > spec.args.length ? `, not "${rest.slice(spec.args.length).join(' ')}"` : ''}`);
  }

  if (values.format !== undefined && !['fountain', 'plain', 'auto'].includes(values.format)) {
    throw new UsageError(`--format must be fountain, plain or auto, not "${values.format}"`);
  }
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const seconds = Number(values.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout takes a number of seconds, not "${values.timeout}"`);
    timeoutMs = seconds * 1_000;
  }
  if (values.force && name === 'analyze' && !values.partial) throw new UsageError('--force only changes a --partial analysis');

  return {
    kind: 'run',
    command: name,
    args: Object.fromEntries(spec.args.map((arg, i) => [arg, rest[i]!])),
    options: {
      apiUrl: baseUrl(values['api-url'] ?? env['SCENEWISE_API_URL'] ?? DEFAULT_API_URL, values['api-url'] ? '--api-url' : 'SCENEWISE_API_URL'),
      apiKey: values['api-key'] ?? (env['SCENEWISE_API_KEY'] || undefined),
      healthUrl: baseUrl(
        values['health-url'] ?? env['SCENEWISE_HEALTH_URL'] ?? DEFAULT_HEALTH_URL,
        values['health-url'] ? '--health-url' : 'SCENEWISE_HEALTH_URL',
      ).replace(/\/health$/, ''),
      json: values.json ?? false,
      title: values.title,
      format: values.format as CliOptions['format'],
      partial: values.partial ?? false,
      force: values.force ?? false,
      follow: values.follow ?? false,
      poll: values.poll ?? false,
      timeoutMs,
    },
  };
}

export function usage(command?: CommandName): string {
  const line = (name: CommandName) => `scenewise ${name}${commands[name].args.map((a) => ` <${a}>`).join('')}`;
  if (command) {
    const options = commands[command].options.map((o) => `--${o}`).join(' ');
    return `Usage: ${line(command)}${options ? ` [${options}]` : ''} [--json] [--api-url URL] [--api-key KEY]\n\n${commands[command].summary}\n`;
  }
  const names = Object.keys(commands) as CommandName[];
  const width = Math.max(...names.map((n) => line(n).length));
  return [
    'Usage: scenewise <command> [options]',
    '',
    ...names.map((n) => `  ${line(n).padEnd(width)}  ${commands[n].summary}`),
    '',
    'Options:',
    '  --api-url URL      the API (env SCENEWISE_API_URL, default http://localhost:3000)',
    '  --api-key KEY      sent as "Authorization: Bearer KEY" (env SCENEWISE_API_KEY)',
    '  --health-url URL   the health service, for "models" (env SCENEWISE_HEALTH_URL, default http://localhost:3001)',
    '  --json             machine-readable output on stdout',
    '  --title TEXT       the script title (default: its title page, else "Untitled"; for "revise", the current title)',
    '  --format F         fountain, plain or auto (default auto)',
    '  --partial          only scenes whose text changed or that have no summary',
    '  --force            with --partial: summarize unchanged scenes again',
    '  --follow           after "analyze": follow the job until it ends',
    '  --poll             follow by polling instead of the live event stream',
    '  --timeout SECONDS  stop following after this long (exit 1)',
    '',
    'Exit status: 0 when the job succeeded (or the command did its work), 1 when it did not, 2 for a bad command line.',
    '',
  ].join('\n');
}
