/**
 * Command-line flags for a benchmark: every numeric parameter, declared camel-cased
 * (`latencyMs`), is given as `--latency-ms 2000` or `--latency-ms=2000` or the environment
 * variable `BENCH_LATENCY_MS`, plus the flags every benchmark shares. A bad value stops the run
 * with one line naming every bad flag.
 */

export interface NumberFlag {
  default: number;
  description: string;
  /** @default 0 */
  min?: number;
  /** @default true */
  integer?: boolean;
}

export type FlagSpec = Record<string, NumberFlag>;

export interface CommonOptions {
  runs: number;
  /** Extra environment for every service, from `--env KEY=VALUE` (repeatable). */
  serviceEnv: Record<string, string>;
  /** Write bench/results/ (off with `--no-write`). */
  write: boolean;
}

export type ParsedOptions<S extends FlagSpec> = { [K in keyof S]: number } & CommonOptions;

export class UsageError extends Error {}

const commonFlags: FlagSpec = {
  runs: { default: 3, min: 1, description: 'measured runs; the median is reported' },
};

export const flagName = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const envName = (key: string): string => `BENCH_${flagName(key).replace(/-/g, '_').toUpperCase()}`;

export function parseOptions<S extends FlagSpec>(
  spec: S,
  argv: string[],
  env: Record<string, string | undefined> = {},
): ParsedOptions<S> {
  const flags: FlagSpec = { ...commonFlags, ...spec };
  const keyByFlag = new Map(Object.keys(flags).map((key) => [flagName(key), key]));
  const given: Record<string, string> = {};
  const serviceEnv: Record<string, string> = {};
  const problems: string[] = [];
  let write = true;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') ? splitOnce(arg.slice(2), '=') : [undefined, undefined];
    if (flag === 'no-write') {
      write = false;
      continue;
    }
    if (flag === undefined || (flag !== 'env' && !keyByFlag.has(flag))) {
      problems.push(`unknown argument ${arg}`);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) {
      problems.push(`--${flag} needs a value`);
      continue;
    }
    if (flag === 'env') {
      const [key, envValue] = splitOnce(value, '=');
      if (!key || envValue === undefined) problems.push(`--env ${value}: expected KEY=VALUE`);
      else serviceEnv[key] = envValue;
    } else {
      given[keyByFlag.get(flag)!] = value;
    }
  }

  const parsed: Record<string, number> = {};
  for (const [key, def] of Object.entries(flags)) {
    const raw = given[key] ?? env[envName(key)];
    if (raw === undefined) {
      parsed[key] = def.default;
      continue;
    }
    const value = Number(raw);
    const integer = def.integer ?? true;
    if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < (def.min ?? 0)) {
      problems.push(`--${flagName(key)} ${raw}: expected ${integer ? 'an integer' : 'a number'} ≥ ${def.min ?? 0}`);
    } else {
      parsed[key] = value;
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return { ...parsed, serviceEnv, write } as ParsedOptions<S>;
}

/** A benchmark's command line: its options, or undefined once `--help` has printed its usage. */
export function readCommandLine<S extends FlagSpec>(
  name: string,
  summary: string,
  spec: S,
  argv = process.argv.slice(2),
): { o: ParsedOptions<S>; argv: string[] } | undefined {
  if (argv.includes('--help')) {
    console.log(usage(name, summary, spec));
    return undefined;
  }
  return { o: parseOptions(spec, argv, process.env), argv };
}

export function usage(name: string, summary: string, spec: FlagSpec): string {
  const rows = Object.entries({ ...commonFlags, ...spec }).map(
    ([key, def]) => `  --${flagName(key).padEnd(18)} ${def.description} (default ${def.default}; env ${envName(key)})`,
  );
  return [
    `usage: bash bench/run.sh ${name} [flags]`,
    summary,
    '',
    ...rows,
    `  --env KEY=VALUE      extra environment for every service (repeatable), e.g. --env SUMMARIZER_CONCURRENCY=64`,
    `  --no-write           print only; leave bench/results/ alone`,
  ].join('\n');
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
