import { UsageError } from './options';

/**
 * Every benchmark bounds its own runtime and cleans up whatever it started (processes,
 * databases, streams, the local server), on success, on error, on Ctrl-C and when its
 * deadline passes.
 */

type Cleanup = () => Promise<unknown>;
const cleanups: Array<{ what: string; fn: Cleanup }> = [];
let cleaning: Promise<void> | undefined;

/** Registers a clean-up step; they run last-in first-out. Returns a function that runs it now. */
export function onCleanup(what: string, fn: Cleanup): () => Promise<void> {
  const entry = { what, fn };
  cleanups.push(entry);
  return async () => {
    const at = cleanups.indexOf(entry);
    if (at < 0) return;
    cleanups.splice(at, 1);
    await runStep(entry);
  };
}

async function runStep({ what, fn }: { what: string; fn: Cleanup }): Promise<void> {
  try {
    await withTimeout(fn(), 30_000, `cleaning up ${what}`);
  } catch (err) {
    console.error(`clean-up of ${what} failed: ${(err as Error).message}`);
  }
}

export function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) await runStep(cleanups.pop()!);
  })();
  return cleaning;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface BenchmarkContext {
  /** Stops the benchmark (cleaning up) if it is still running `ms` from now. */
  setDeadline(ms: number): void;
}

/**
 * Runs a benchmark's main: exit code 0 when every target was met, 1 when one was missed or
 * the run failed, 2 for bad flags, 124 when its deadline passed, 130 on SIGINT/SIGTERM.
 */
export function runBenchmark(main: (context: BenchmarkContext) => Promise<boolean>): void {
  const exit = async (code: number) => {
    await cleanUp();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping and cleaning up`);
      void exit(130);
    });
  }
  let deadline: NodeJS.Timeout | undefined;
  const context: BenchmarkContext = {
    setDeadline(ms) {
      clearTimeout(deadline);
      deadline = setTimeout(() => {
        console.error(`\nthe benchmark passed its deadline of ${Math.round(ms / 1000)} s: stopping and cleaning up`);
        void exit(124);
      }, ms);
      deadline.unref();
    },
  };
  main(context)
    .then((passed) => exit(passed ? 0 : 1))
    .catch((err: unknown) => {
      if (err instanceof UsageError) {
        console.error(err.message);
        return exit(2);
      }
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      return exit(1);
    });
}
