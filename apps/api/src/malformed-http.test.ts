import { Agent, createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerMalformedRequests } from './malformed-http';

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  answerMalformedRequests(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function exchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.end(bytes, 'latin1');
  });
}

describe('requests that are not HTTP', () => {
  it('get a 400 in the error shape, and the connection is closed', async () => {
    const reply = await exchange('BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(reply).toMatch(/\r\nconnection: close\r\n/);
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { type: 'malformed_request', message: 'the request is not valid HTTP/1.1' },
    });
  });

  it('answers oversized headers with 431, and a HEAD request without a body', async () => {
    const pad = `X-Pad: ${'a'.repeat(20_000)}\r\n`;
    const get = await exchange(`GET / HTTP/1.1\r\nHost: x\r\n${pad}\r\n`);
    expect(get).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(get.slice(get.indexOf('\r\n\r\n') + 4)).error.type).toBe('headers_too_large');
    const head = await exchange(`HEAD / HTTP/1.1\r\nHost: x\r\n${pad}\r\n`);
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head.endsWith('\r\n\r\n')).toBe(true);
  });

  it('answers a HEAD with oversized headers without a body on a reused keep-alive connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, headers: Record<string, string>, body?: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, agent, method, path: '/api/jobs/x/cancel', headers }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      expect(await send('GET', {})).toBe(200);
      const body = JSON.stringify({ text: 'INT. A - DAY' });
      expect(await send('HEAD', { 'x-pad': 'a'.repeat(20_000), 'content-length': String(body.length) }, body)).toBe(431);
    } finally {
      agent.destroy();
    }
  });

  it('leaves valid requests alone', async () => {
    expect(await exchange('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*ok$/);
  });
});
