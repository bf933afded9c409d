import { describe, expect, it } from 'vitest';
import { commands, parseCommandLine, UsageError, usage } from './args';

const parse = (line: string, env: Record<string, string> = {}) => parseCommandLine(line.split(' ').filter(Boolean), env);
const options = (line: string, env: Record<string, string> = {}) => {
  const parsed = parse(line, env);
  if (parsed.kind !== 'run') throw new Error(`not a command: ${parsed.kind}`);
  return parsed;
};

describe('parseCommandLine', () => {
  it('reads a command, its arguments and flags, with defaults for the rest', () => {
    expect(options('upload night-shift.fountain --title Night')).toEqual({
      kind: 'run',
      command: 'upload',
      args: { file: 'night-shift.fountain' },
      options: {
        apiUrl: 'http://localhost:3000',
        apiKey: undefined,
        healthUrl: 'http://localhost:3001',
        json: false,
        title: 'Night',
        format: undefined,
        partial: false,
        force: false,
        follow: false,
        poll: false,
        timeoutMs: undefined,
      },
    });
    expect(options('revise s1 draft-2.fountain --format fountain')).toMatchObject({
      command: 'revise',
      args: { scriptId: 's1', file: 'draft-2.fountain' },
      options: { format: 'fountain', title: undefined },
    });
    expect(options('analyze s1 --partial --force --follow --timeout 90 --json').options).toMatchObject({
      partial: true,
      force: true,
      follow: true,
      json: true,
      timeoutMs: 90_000,
    });
  });

  it('takes the API and health URLs and the key from the environment, flags first', () => {
    const env = { SCENEWISE_API_URL: 'https://api.example.test/api/', SCENEWISE_API_KEY: 'env-key', SCENEWISE_HEALTH_URL: 'http://h.test:9/health' };
    expect(options('job j1', env).options).toMatchObject({ apiUrl: 'https://api.example.test', apiKey: 'env-key' });
    expect(options('models', env).options.healthUrl).toBe('http://h.test:9');
    expect(options('job j1 --api-url http://other.test:8080 --api-key flag-key', env).options).toMatchObject({
      apiUrl: 'http://other.test:8080',
      apiKey: 'flag-key',
    });
    expect(options('job j1', { SCENEWISE_API_KEY: '' }).options.apiKey).toBeUndefined();
  });

  it('answers help and version', () => {
    expect(parse('')).toEqual({ kind: 'help', missing: true });
    expect(parse('--help')).toEqual({ kind: 'help', missing: false });
    expect(parse('help')).toEqual({ kind: 'help', command: undefined });
    expect(parse('help follow')).toEqual({ kind: 'help', command: 'follow' });
    expect(parse('analyze -h')).toEqual({ kind: 'help', command: 'analyze' });
    expect(parse('--version')).toEqual({ kind: 'version' });
  });

  it.each([
    ['frobnicate', /unknown command "frobnicate"/],
    ['help frobnicate', /unknown command "frobnicate"/],
    ['job', /"job" takes <jobId>/],
    ['job a b', /"job" takes <jobId>, not "b"/],
    ['models extra', /"models" takes no arguments/],
    ['job j1 --partial', /--partial cannot be used with "job"/],
    ['scenes s1 --title x', /--title cannot be used with "scenes"/],
    ['job j1 --colour', /Unknown option '--colour'/],
    ['upload f --title', /--title <value>/],
    ['upload f --format pdf', /--format must be fountain, plain or auto, not "pdf"/],
    ['follow j1 --timeout soon', /--timeout takes a number of seconds, not "soon"/],
    ['follow j1 --timeout -5', /--timeout/],
    ['analyze s1 --force', /--force only changes a --partial analysis/],
    ['job j1 --api-url localhost:3000', /--api-url must be an http\(s\) URL/],
    ['job j1 --api-url nonsense', /--api-url is not a URL: nonsense/],
  ])('refuses "%s" as a usage error', (line, message) => {
    expect(() => parse(line)).toThrow(UsageError);
    expect(() => parse(line)).toThrow(message);
  });

  it('names the environment variable when a URL from it is bad', () => {
    expect(() => parse('job j1', { SCENEWISE_API_URL: 'ftp://x' })).toThrow(/SCENEWISE_API_URL/);
  });
});

describe('usage', () => {
  it('lists every command and the exit statuses', () => {
    const text = usage();
    for (const name of Object.keys(commands)) expect(text).toContain(`scenewise ${name}`);
    expect(text).toMatch(/Exit status: 0 .* 1 .* 2 /);
  });

  it("shows one command's arguments and flags", () => {
    expect(usage('analyze')).toMatch(/^Usage: scenewise analyze <scriptId> \[--partial --force --follow --poll --timeout\]/);
  });
});
