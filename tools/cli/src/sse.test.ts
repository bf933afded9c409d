import { describe, expect, it } from 'vitest';
import { readServerSentEvents } from './sse';

async function* chunks(...parts: Array<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? new TextEncoder().encode(part) : part;
}

const read = async (...parts: Array<string | Uint8Array>) => {
  const events = [];
  for await (const event of readServerSentEvents(chunks(...parts))) events.push(event);
  return events;
};

describe('readServerSentEvents', () => {
  it('reads named events, skipping comments and the retry field', async () => {
    expect(await read('retry: 3000\n\n: heartbeat\n\nevent: progress\ndata: {"done":1}\n\nevent: end\ndata: {}\n\n')).toEqual([
      { event: 'progress', data: '{"done":1}' },
      { event: 'end', data: '{}' },
    ]);
  });

  it('puts events back together across chunk boundaries, CRLF split included', async () => {
    expect(await read('event: sce', 'ne\r', '\ndata: {"a"', ':1}\r\n\r', '\n')).toEqual([{ event: 'scene', data: '{"a":1}' }]);
  });

  it('handles multi-byte characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('data: “quoted”\n\n');
    expect(await read(bytes.slice(0, 8), bytes.slice(8))).toEqual([{ event: 'message', data: '“quoted”' }]);
  });

  it('joins data lines, keeps ids, and follows the standard on spaces and bare CRs', async () => {
    expect(await read('id: 7\rdata:first\rdata:  second\r\r')).toEqual([{ event: 'message', data: 'first\n second', id: '7' }]);
  });

  it('drops an event the stream ended in the middle of', async () => {
    expect(await read('event: progress\ndata: {}\n\nevent: end\ndata: {}')).toEqual([{ event: 'progress', data: '{}' }]);
  });
});
