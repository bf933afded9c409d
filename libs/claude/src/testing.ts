import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';

/** One answer of the scripted server: a message (HTTP 200) or an error, with headers. */
export type ScriptedReply =
  | { text: string; stopReason?: 'end_turn' | 'max_tokens' | 'refusal' | 'stop_sequence'; headers?: Record<string, string> }
  | { status: number; errorType: string; message?: string; headers?: Record<string, string> };

export interface ScriptedAnthropic {
  client: Anthropic;
  /** Every /v1/messages body received, in order. */
  requests: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * A real HTTP server that answers /v1/messages in the documented shapes, reply by reply, for
 * tests that need one exact sequence (a refusal, then a cut-off answer, then a 529 with
 * `x-should-retry: false`). The client is the real SDK, retries off, as services build it.
 */
export async function startScriptedAnthropic(replies: ScriptedReply[]): Promise<ScriptedAnthropic> {
  const requests: Record<string, unknown>[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
      requests.push(body);
      const reply = replies[Math.min(n, replies.length - 1)]!;
      const requestId = `req_scripted_${++n}`;
      const headers = { 'content-type': 'application/json', 'request-id': requestId, ...reply.headers };
      if ('status' in reply) {
        res.writeHead(reply.status, headers);
        res.end(JSON.stringify({ type: 'error', error: { type: reply.errorType, message: reply.message ?? reply.errorType }, request_id: requestId }));
        return;
      }
      res.writeHead(200, headers);
      res.end(
        JSON.stringify({
          id: `msg_scripted_${n}`,
          type: 'message',
          role: 'assistant',
          model: body['model'],
          content: reply.text === '' ? [] : [{ type: 'text', text: reply.text }],
          stop_reason: reply.stopReason ?? 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 100, output_tokens: Math.ceil(reply.text.length / 4), cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    client: new Anthropic({ baseURL: `http://127.0.0.1:${port}`, apiKey: 'test', maxRetries: 0 }),
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
