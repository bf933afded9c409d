import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readJsonBody, sleep, untilAborted } from './http';

/** Sends `body` to a one-shot server and returns what readJsonBody made of it. */
async function read(body: string, maxBytes: number): Promise<unknown> {
  let result: Promise<unknown> = Promise.resolve();
  const server = createServer((req: IncomingMessage, res) => {
    result = readJsonBody(req, maxBytes).then(
      (value) => ({ value }),
      (err: Error) => ({ error: err.message }),
    );
    void result.then(() => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { method: 'POST', body }).catch(() => undefined);
  server.closeAllConnections();
  server.close();
  return result;
}

describe('readJsonBody', () => {
  it('parses JSON, reads an empty body as undefined and rejects bad JSON or a large body', async () => {
    expect(await read('{"a":1}', 100)).toEqual({ value: { a: 1 } });
    expect(await read('', 100)).toEqual({ value: undefined });
    expect(await read('{nope', 100)).toEqual({ error: 'Request body is not valid JSON' });
    expect(await read('x'.repeat(200), 100)).toEqual({ error: 'Request exceeds the maximum allowed number of bytes (100).' });
  });
});

describe('sleep and untilAborted', () => {
  it('end early when the signal aborts', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const slept = sleep(10_000, controller.signal);
    const waited = untilAborted(controller.signal);
    controller.abort();
    await Promise.all([slept, waited]);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
